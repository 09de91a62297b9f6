"""The console command's entry point (`reportgen`, `python -m reportgen`): a Ctrl-C that comes
while Python is still loading reportgen, or while Typer is still making the command from its
definitions (the first 0.2 s), ends the command as a Ctrl-C later does — exit code 130 and one
line — instead of a traceback."""

from __future__ import annotations

import sys


def main(prog_name: str | None = None) -> None:
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        _interrupted()
    try:
        run(prog_name)
    except KeyboardInterrupt:       # the command's own steps say it themselves (cli._run)
        _interrupted()


def interrupt_handled() -> None:
    """CPython 3.11 remembers a KeyboardInterrupt that passed through exec() of a string (a
    dataclass being made while Ctrl-C came, say) even when it is caught, and at exit kills
    itself with SIGINT instead of returning 130. The interrupt was handled: forget it."""
    try:
        import ctypes

        ctypes.c_int.in_dll(ctypes.pythonapi, "_Py_UnhandledKeyboardInterrupt").value = 0
    except (AttributeError, ValueError, OSError):
        pass   # another Python: its exit code is its own


def _interrupted() -> None:
    interrupt_handled()
    try:
        from .i18n import say

        line = f"{say('cli.error', 'error:')} {say('cli.interrupted', 'interrupted; nothing was written.')}"
    except BaseException:  # noqa: BLE001 - a second Ctrl-C, or the CLI not loaded: in English
        line = "error: interrupted; nothing was written."
    sys.stderr.write(line + "\n")
    raise SystemExit(130) from None

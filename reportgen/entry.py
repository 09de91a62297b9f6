"""The console command's entry point (`reportgen`, `python -m reportgen`): a Ctrl-C that comes
while Python is still loading reportgen, or while Typer is still making the command from its
definitions (the first 0.2 s), ends the command as a Ctrl-C later does — exit code 130 and one
line — instead of a traceback."""

from __future__ import annotations

import os
import sys


def main(prog_name: str | None = None) -> None:
    # Pydantic looks for plugins of other packages (every installed distribution's entry
    # points: 11 ms of each command's start) on its first model; reportgen uses none. A user
    # who sets the variable keeps their choice.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        from .cli import main as run
    except KeyboardInterrupt:
        _interrupted()
    try:
        run(prog_name)
    except KeyboardInterrupt:       # the command's own steps say it themselves (cli._run)
        _interrupted()


def _interrupted() -> None:
    try:
        from .budget import interrupt_handled

        interrupt_handled()
    except BaseException:  # noqa: BLE001 - a second Ctrl-C: exit all the same
        pass
    try:
        from .i18n import say

        line = f"{say('cli.error', 'error:')} {say('cli.interrupted', 'interrupted; nothing was written.')}"
    except BaseException:  # noqa: BLE001 - a second Ctrl-C: in English
        line = "error: interrupted; nothing was written."
    sys.stderr.write(line + "\n")
    raise SystemExit(130) from None

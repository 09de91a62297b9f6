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
        from .budget import ends_with_command
        from .cli import main as run
    except KeyboardInterrupt:
        _interrupted()
    ends_with_command()
    _own_temporary_folder()
    try:
        run(prog_name)
    except KeyboardInterrupt:       # the command's own steps say it themselves (cli._run)
        _interrupted()
    except SystemExit as exc:
        if exc.code == 130 and _unsaid(exc):
            _interrupted()
        raise


def _own_temporary_folder() -> None:
    """What this command and the processes it forks put in the temporary folder goes into a
    folder of its own, removed when the command ends. WeasyPrint keeps the fonts of each
    process that lays out a page in a folder it removes only when that process's font
    configuration is collected, which a process that ends does not wait for: every build left
    1.5 MB in /tmp (helper-29)."""
    import atexit
    import shutil
    import tempfile

    try:
        folder = tempfile.mkdtemp(prefix="reportgen-")
    except OSError:
        return          # no temporary folder to write in: each library says so when it needs one
    tempfile.tempdir = folder
    owner = os.getpid()

    def remove() -> None:
        if os.getpid() == owner:          # not in a forked process that runs the handlers
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)


def _unsaid(exc: BaseException) -> bool:
    """Whether an exit 130 is Typer's own, said to no one: a Ctrl-C while Typer parsed the
    command line, before a command's steps could say it (Typer ends it with `Exit(130)` raised
    from the interrupt and prints nothing). The command's steps raise theirs from nothing."""
    seen: BaseException | None = exc
    while (seen := seen.__cause__ or (None if seen.__suppress_context__ else seen.__context__)) is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
    return False


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

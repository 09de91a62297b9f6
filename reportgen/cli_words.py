"""The command line's own words in the user's language: the help texts of reportgen's commands
and options, and what Typer says around them (its panels, its usage line, a wrong option or a
missing value).

Boundary: cli.py writes each help text once, in English, through `words(code, english)` (the
code is its msgctxt in the gettext catalogue, as for `msg`); the command classes below put the
translation in place only when help or a usage error is shown, so a build never reads the
catalogue for its help. Typer (0.29 vendors Click, without gettext) says its usage errors in
English: they are told apart by their class and said again from the catalogue. With
LANG=en… everything stays English."""

from __future__ import annotations

import inspect
import re

from typer.core import TyperCommand, TyperGroup

from .i18n import language, msg, say

_CODES: dict[str, str] = {}        # an English help text (as Typer cleans it) → its code


def words(code: str, english: str) -> str:
    """A help text or metavar of cli.py, translated when shown."""
    _CODES[inspect.cleandoc(english)] = code
    return english


def _tr(text: str | None) -> str | None:
    if not text:
        return text
    code = _CODES.get(inspect.cleandoc(text))
    return say(code, inspect.cleandoc(text)) if code else text


def _type_words(param) -> str | None:  # type: ignore[no-untyped-def]
    """What an option takes, for the help's type column, when cli.py names no metavar."""
    if getattr(param, "is_flag", False):
        return ""
    annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
    name = getattr(annotation, "__name__", "")
    if name == "int":
        return say("cli.metavar.number", "NUMBER")
    if name.endswith("Path"):
        return say("cli.metavar.path", "PATH")
    return say("cli.metavar.text", "TEXT")


def _typer_words() -> None:
    """Typer's panel titles and fixed strings (module settings it reads when it prints)."""
    from typer import rich_utils as r

    r.ARGUMENTS_PANEL_TITLE = say("cli.panel.arguments", "Arguments")
    r.OPTIONS_PANEL_TITLE = say("cli.panel.options", "Options")
    r.COMMANDS_PANEL_TITLE = say("cli.panel.commands", "Commands")
    r.ERRORS_PANEL_TITLE = say("cli.panel.error", "Error")
    r.DEFAULT_STRING = "[" + say("cli.panel.default", "default: {value}", value="{}") + "]"
    r.REQUIRED_LONG_STRING = "[" + say("cli.panel.required", "required") + "]"
    r.ABORTED_TEXT = say("cli.panel.aborted", "Aborted.")
    r.RICH_HELP = say("cli.panel.try_help", "Try {command} for help.",
                      command="[blue]'{command_path} {help_option}'[/]")


def _speak(command, ctx) -> None:  # type: ignore[no-untyped-def]
    """A command's help, its options' help and metavars, and a group's commands' summaries in
    the user's language; an option's type column named in words, a flag's left empty. Once per
    command (its help page asks for its usage line too)."""
    if getattr(command, "_spoken", False):
        return
    command._spoken = True
    _typer_words()
    commands = list(getattr(command, "commands", {}).values())
    for cmd in [command, *commands]:
        cmd.help = _tr(cmd.help)
        cmd.short_help = _tr(cmd.short_help)
    for param in command.get_params(ctx):
        param.help = _tr(getattr(param, "help", None))
        if param.param_type_name == "argument":
            param.display_type_rich = lambda ctx: ""      # not "<path>", "<list[Path]>": the name says it
        if param.metavar is not None:
            param.metavar = _tr(param.metavar)
        elif param.param_type_name == "option":
            param.metavar = _type_words(param)
    helper = command.get_help_option(ctx)
    if helper is not None:
        helper.help = say("cli.help.help", "Show this message and exit.")


def _typed(args: list[str], param) -> str:  # type: ignore[no-untyped-def]
    """What the user typed for an option (`--port abc`, `--port=abc`), to say it back."""
    for opt in getattr(param, "opts", []) or []:
        for i, arg in enumerate(args):
            if arg == opt and i + 1 < len(args):
                return args[i + 1]
            if arg.startswith(opt + "="):
                return arg[len(opt) + 1:]
    return ""


def _said_again(exc, ctx, args: list[str] | None = None):  # type: ignore[no-untyped-def]
    """Typer's usage error in the user's language: a new UsageError keeping the context (its
    usage line and exit code 2)."""
    from typer._click import exceptions as e

    if language() == "en" or getattr(exc, "_said", False):
        return exc
    _typer_words()
    ctx = exc.ctx or ctx
    if ctx is not None:
        _speak(ctx.command, ctx)          # the parameters' names (metavars) as the help shows them
    param = getattr(exc, "param", None)
    hint = param.get_error_hint() if param is not None else ""
    if isinstance(exc, e.NoSuchOption):
        text = msg("cli.usage.no_such_option", "no such option: {name}.", name=exc.option_name).text()
        if exc.possibilities:
            text += " " + msg("cli.usage.did_you_mean", "Did you mean {options}?",
                              options=", ".join(sorted(exc.possibilities))).text()
    elif isinstance(exc, e.MissingParameter):
        text = (msg("cli.usage.missing_argument", "missing argument {name}.", name=hint)
                if getattr(param, "param_type_name", "") == "argument"
                else msg("cli.usage.missing_option", "missing option {name}.", name=hint)).text()
    elif isinstance(exc, e.BadParameter):
        low, high = getattr(param, "min", None), getattr(param, "max", None)
        kind = getattr(getattr(getattr(param, "type_descriptor", None), "annotation", None), "__name__", "")
        want = (msg("cli.usage.want_int_between", "give a whole number from {low} to {high}", low=low, high=high)
                if kind == "int" and low is not None and high is not None else
                msg("cli.usage.want_int_from", "give a whole number, at least {low}", low=low)
                if kind == "int" and low is not None else
                msg("cli.usage.want_int", "give a whole number") if kind == "int" else
                msg("cli.usage.want_other", "this value cannot be used"))
        text = msg("cli.usage.bad_value", "{name} {value}: {want}.", name=hint, value=repr(_typed(args or [], param)),
                   want=want).text()
    elif isinstance(exc, e.BadOptionUsage):
        text = (msg("cli.usage.takes_no_value", "option {name} takes no value.", name=exc.option_name)
                if "does not take" in exc.message
                else msg("cli.usage.needs_value", "option {name} needs a value.", name=exc.option_name)).text()
    elif exc.message.startswith("Got unexpected extra argument"):
        extra = re.search(r"\(([^()]*)\)$", exc.message)
        extra = extra.group(1) if extra else exc.message
        text = msg("cli.usage.extra_arguments", "unexpected extra argument(s): {args}.", args=extra).text()
    elif exc.message.startswith("Missing command"):
        text = msg("cli.usage.missing_command", "missing command.").text()
    elif exc.message.startswith("No such command"):
        text = msg("cli.usage.no_such_command", "no such command: {name}.", name=(args or [""])[0]).text()
    else:
        return exc
    said = e.UsageError(text, ctx)
    said._said = True          # type: ignore[attr-defined]
    return said


def _raise_said(exc, ctx, args: list[str]):  # type: ignore[no-untyped-def]
    said = _said_again(exc, ctx, args)
    if said is exc:
        raise exc
    raise said from None


class _Speaks:
    """What reportgen's commands and groups add to Typer's: their words in the user's language."""

    def format_help(self, ctx, formatter):  # type: ignore[no-untyped-def]
        _speak(self, ctx)
        return super().format_help(ctx, formatter)  # type: ignore[misc]

    def format_usage(self, ctx, formatter):  # type: ignore[no-untyped-def]
        shown = {"[OPTIONS]": say("cli.usage.options", "[OPTIONS]"),
                 "COMMAND [ARGS]...": say("cli.usage.command", "COMMAND [ARGS]...")}
        _speak(self, ctx)
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]   # with translated metavars
        formatter.write_usage(ctx.command_path, " ".join(shown.get(p, p) for p in pieces),
                              prefix=say("cli.usage.usage", "Usage: "))

    def make_context(self, info_name, args, parent=None, **extra):  # type: ignore[no-untyped-def]
        from typer._click.exceptions import UsageError

        given = list(args)                  # (the parser consumes the list)
        try:
            return super().make_context(info_name, args, parent, **extra)  # type: ignore[misc]
        except UsageError as exc:
            _raise_said(exc, None, given)


class Command(_Speaks, TyperCommand):
    pass


class Group(_Speaks, TyperGroup):
    def resolve_command(self, ctx, args):  # type: ignore[no-untyped-def]
        from typer._click.exceptions import UsageError

        try:
            return super().resolve_command(ctx, args)
        except UsageError as exc:
            _raise_said(exc, ctx, [str(a) for a in args])

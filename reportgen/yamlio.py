"""YAML in and out: errors that name file:line:column, deterministic bytes, atomic writes."""

from __future__ import annotations

from .i18n import msg

import errno
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Callable, Sequence, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from .errors import InputError
from .textnorm import nfc


_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml: ten times faster on the fact base


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as strings (the fact base stores ISO text) and refuses
    a key written twice in one mapping (YAML would silently keep the last)."""

    def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is written twice (first on line {seen[key] + 1})",
                    key_node.start_mark)
            if isinstance(key, str):
                seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path, what: str) -> str:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(msg('yamlio.not_found', "{path}: {what} not found.", path=path, what=what)) from None
    except OSError as exc:
        raise InputError(msg('yamlio.cannot_read', "{path}: cannot read the {what} ({strerror}).", path=path, what=what, strerror=exc.strerror)) from None
    try:
        return nfc(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(msg('yamlio.not_utf_text_byte', "{path}: the {what} is not UTF-8 text (byte {start}).", path=path, what=what, start=exc.start)) from None


def load_yaml(path: Path, what: str) -> tuple[Any, str]:
    """Parse a YAML file; return the data and its text (to locate errors in later)."""
    text = read_text(path, what)
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        problem = exc.problem or exc.context or "syntax error"
        raise InputError(msg('yamlio.not_valid_yaml', "{where}: the {what} is not valid YAML: {problem}.", where=where, what=what, problem=problem)) from None
    except yaml.YAMLError as exc:
        raise InputError(msg('yamlio.not_valid_yaml_2', "{path}: the {what} is not valid YAML: {exc}.", path=path, what=what, exc=exc)) from None
    return data, text


def locate(text: str, loc: Sequence[Any]) -> tuple[int, int] | None:
    """Line and column (1-based) of the deepest node reachable along a pydantic loc."""
    found: yaml.Node | None = yaml.compose(text, Loader=_Loader)
    for key in loc:
        if isinstance(found, yaml.MappingNode):
            nxt = next((v for k, v in found.value if getattr(k, "value", None) == key), None)
        elif isinstance(found, yaml.SequenceNode) and isinstance(key, int) and key < len(found.value):
            nxt = found.value[key]
        else:
            nxt = None
        if nxt is None:
            break
        found = nxt
    if found is None:
        return None
    return found.start_mark.line + 1, found.start_mark.column + 1


M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], path: Path, what: str) -> M:
    """Load a YAML file into a pydantic model; errors name file:line:column and field."""
    data, text = load_yaml(path, what)
    if data is None:
        raise InputError(msg('yamlio.empty', "{path}: the {what} is empty.", path=path, what=what))
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors()[:5]:
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-"))]
            pos = locate(text, loc)
            dup = re.search(r"duplicate [\w ]*id '([^']+)'", str(err["msg"]))
            if dup:   # point at the second record with that id, not at the top of the file
                hits = [n for n, line in enumerate(text.split("\n"), start=1)
                        if re.fullmatch(r"\s*-?\s*id:\s*['\"]?" + re.escape(dup.group(1)) + r"['\"]?\s*(#.*)?", line)]
                if len(hits) > 1:
                    pos = (hits[1], 1)
            where = f"{path}:{pos[0]}:{pos[1]}" if pos else str(path)
            field = ".".join(str(p) for p in loc) or "(top level)"
            lines.append(msg("yamlio.field", "{where}: field '{field}': {what}", where=where, field=field,
                             what=_what_is_wrong(err)).text())
        more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        raise InputError(msg("yamlio.invalid", "The {what} is invalid: {lines}{more}.", what=what, lines="; ".join(lines),
                             more=more)) from None


def _what_is_wrong(err: Any) -> str:  # noqa: ANN401 - one of pydantic's error dicts
    """Pydantic's words for a field, in the user's language for the usual kinds of mistake
    (its own are English: "Field required", "Input should be …"); a check of reportgen's own
    says its message."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    said = {
        "missing": msg("yamlio.missing", "a value is required here"),
        "extra_forbidden": msg("yamlio.extra", "no such field here (a misspelt name?)"),
        "literal_error": msg("yamlio.literal", "it should be one of {expected}", expected=ctx.get("expected", "")),
        "enum": msg("yamlio.literal", "it should be one of {expected}", expected=ctx.get("expected", "")),
        "string_type": msg("yamlio.text", "it should be text"),
        "int_type": msg("yamlio.whole", "it should be a whole number"),
        "int_parsing": msg("yamlio.whole", "it should be a whole number"),
        "int_from_float": msg("yamlio.whole", "it should be a whole number"),
        "float_type": msg("yamlio.number", "it should be a number"),
        "float_parsing": msg("yamlio.number", "it should be a number"),
        "bool_type": msg("yamlio.bool", "it should be true or false"),
        "bool_parsing": msg("yamlio.bool", "it should be true or false"),
        "list_type": msg("yamlio.list", "it should be a list (lines that open with \"- \")"),
        "dict_type": msg("yamlio.mapping", "it should be a mapping (lines of \"name: value\")"),
        "model_type": msg("yamlio.mapping", "it should be a mapping (lines of \"name: value\")"),
        "model_attributes_type": msg("yamlio.mapping", "it should be a mapping (lines of \"name: value\")"),
        "date_type": msg("yamlio.date", "it should be a date YYYY-MM-DD"),
        "date_parsing": msg("yamlio.date", "it should be a date YYYY-MM-DD"),
        "date_from_datetime_parsing": msg("yamlio.date", "it should be a date YYYY-MM-DD"),
        "string_pattern_mismatch": msg("yamlio.pattern", "it does not have the expected form ({pattern})",
                                       pattern=ctx.get("pattern", "")),
    }.get(kind)
    return said.text() if said is not None else str(err["msg"])


class _Dumper(yaml.SafeDumper):
    pass


# libyaml's emitter when PyYAML has it: the same text (tests/test_verify.py compares them), five
# times sooner — the fact base of a large archive is written in a fraction of a second.
class _FastDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)
_FastDumper.add_representer(str, _str_presenter)


def dump_yaml(data: Any, fast: bool = True) -> str:
    return yaml.dump(data, Dumper=_FastDumper if fast else _Dumper, allow_unicode=True, sort_keys=False, width=100,
                     default_flow_style=False)


def _new_file_mode() -> int:
    """The permissions the user's umask gives a new file (0644 under umask 022)."""
    try:   # read, not set: setting the umask to look at it would race with other threads
        with open("/proc/self/status", encoding="ascii") as status:
            mask = next(int(line.split()[1], 8) for line in status if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


def os_error_text(exc: OSError) -> str:
    """Why a write failed, for a message: "disk full (No space left on device)"."""
    why = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"disk full ({why})"
    return why


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a partial file. (A cache
    entry is written with sealed.write_entry, which does not force it to the disk.)"""
    write_all_atomic([(path, data)])


def staged_prefix(name: str) -> str:
    """How the temporary file staging `name` begins (write_all_atomic: ".<name>.<random>.tmp",
    the name shortened so that the temporary name fits where the final one fits)."""
    while len(os.fsencode(name)) > 100:
        name = name[:-1]
    return f".{name}."


def write_all_atomic(files: Sequence[tuple[Path, bytes]], before_commit: Callable[[], None] | None = None) -> None:
    """Several files, all or none: each is staged as a temporary file beside its target
    and only when every one is complete are they renamed into place, in the order given.
    On any failure the temporary files are removed and the previous files stay as they
    were. `before_commit` runs between the two (it may raise to call the write off)."""
    staged: list[tuple[str, Path]] = []
    mode = _new_file_mode()
    for path, _ in files:   # a folder in a file's place would fail its rename after others were done
        if path.is_dir() and not path.is_symlink():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=staged_prefix(path.name), suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            os.fchmod(fd, mode)       # mkstemp makes 0600; a new file gets what the umask gives
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        if before_commit is not None:
            before_commit()
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            if os.path.exists(tmp):
                os.unlink(tmp)

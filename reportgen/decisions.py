"""Review decisions: what a reviewer decided about an unplaced figure, a document's record or a
rule, written into the reviewed files (facts/catalogue.yaml, facts/corrections.yaml) as one entry
of a top-level list or mapping, and logged in facts/decisions.yaml — who, when, what, the effect
on the fact base and the exact lines written — so it can be undone (on the office's page,
«Lịch sử rà soát»; the CLI reads the same files, so `reportgen facts build` makes the same fact base). The one place that edits the reviewed
files as text: comments and order kept, every edit checked by the CLI's own validators before it
is written, atomically, under a lock.

Boundary: in — a `Change` (which file, which key, the entry as data); out — the new text of
that file (or an InputError in the reviewer's words). Rebuilding the fact base with it is the
caller's (web.jobs), so this module never reads documents."""

from __future__ import annotations

from .i18n import msg

import fcntl
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from . import paths
from .errors import InputError
from .yamlio import write_atomic

FILES = {"catalogue": ("metrics", "ignore", "wording"),
         "corrections": ("figures", "targets", "tasks", "reject", "documents")}

Action = Literal["attach", "create", "not_figure", "rule", "reject", "document", "entry"]


class Decision(BaseModel):
    """One line of the review history (facts/decisions.yaml)."""
    model_config = ConfigDict(extra="forbid")
    id: str
    at: str                       # ISO time with its offset
    by: str                       # who decided
    action: Action
    what: str                     # the decision in the reviewer's words (Vietnamese)
    file: Literal["catalogue", "corrections"]
    key: str
    lines: str                    # exactly the lines written into the file
    effect: str = ""              # "thêm 1 số liệu, bỏ 0"
    undone_at: str | None = None
    undone_by: str | None = None


@dataclass
class Change:
    file: str                     # "catalogue" | "corrections"
    key: str                      # the top-level key
    entry: object                 # a list item (dict or str), or for documents: {name: {...}}

    def path(self) -> Path:
        return paths.catalogue_file() if self.file == "catalogue" else paths.corrections_file()


def decisions_file() -> Path:
    return paths.facts_file().parent / "decisions.yaml"


@contextmanager
def locked(name: str):  # type: ignore[no-untyped-def]
    """An exclusive lock on one reviewed file (.cache/locks/<name>.lock: out of git, like the caches)."""
    folder = paths.project_root() / ".cache" / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# --- the text of the reviewed files -------------------------------------------------------------

def entry_lines(change: Change) -> str:
    """The entry as the reviewed files write it: "  - a: b" under a list, "  name:\\n    a: b"
    under documents:."""
    if change.file not in FILES or change.key not in FILES[change.file]:
        raise InputError(msg('decisions.not_editable', "{file}/{key}: not a list the review can edit.", file=change.file, key=change.key))
    data = change.entry if change.key == "documents" else [change.entry]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000, default_flow_style=False)
    return "\n".join("  " + line if line else line for line in text.rstrip("\n").split("\n"))


def insert(text: str, key: str, lines: str) -> str:
    """The YAML text with `lines` appended to the top-level list or mapping `key:`, comments and
    order kept (a `key: []` or `key: {}` opened into a block)."""
    rows = text.split("\n")
    start = next((i for i, line in enumerate(rows)
                  if re.match(rf"^{re.escape(key)}:\s*(\[\]|\{{\}})?\s*(#.*)?$", line)), None)
    new = lines.strip("\n").split("\n")
    if start is None:
        return text.rstrip("\n") + f"\n{key}:\n" + "\n".join(new) + "\n"
    comment = rows[start].partition("#")[2]
    rows[start] = f"{key}:" + (f"  #{comment}" if comment else "")
    end = start + 1
    while end < len(rows) and (not rows[end].strip() or rows[end].startswith((" ", "-", "#"))):
        end += 1
    while end > start + 1 and (not rows[end - 1].strip() or rows[end - 1].startswith("#")):
        end -= 1
    return "\n".join(rows[:end] + new + rows[end:])


def remove(text: str, key: str, lines: str) -> str | None:
    """The text without the block `lines` under `key:` (None when it is no longer there: edited
    by hand since); a list or mapping left empty is written `key: []` / `key: {}` again."""
    rows = text.split("\n")
    block = lines.strip("\n").split("\n")
    start = next((i for i, line in enumerate(rows) if re.match(rf"^{re.escape(key)}:\s*(#.*)?$", line)), None)
    if start is None:
        return None
    end = start + 1
    while end < len(rows) and (not rows[end].strip() or rows[end].startswith((" ", "-", "#"))):
        end += 1
    for i in range(end - len(block), start, -1):
        if rows[i: i + len(block)] == block:
            rows[i: i + len(block)] = []
            if not any(r.strip() and not r.lstrip().startswith("#") for r in rows[start + 1: end - len(block)]):
                rows[start] = f"{key}: " + ("{}" if key == "documents" else "[]")
            return "\n".join(rows)
    return None


def check(file: str, text: str, where: Path) -> None:
    """The CLI's own validation of a reviewed file's new text; the message names the file."""
    from .catalogue import load_catalogue
    from .corrections import load_corrections

    trial = where.with_name(f".{where.name}.check-{secrets.token_hex(3)}")
    trial.write_text(text, "utf-8")
    try:
        (load_catalogue if file == "catalogue" else load_corrections)(trial)
    except InputError as exc:
        raise exc.replaced(str(trial), where.name) from None
    finally:
        trial.unlink(missing_ok=True)


def with_change(change: Change) -> tuple[str, str]:
    """(the file's new text, the lines written) — checked, not yet written."""
    path = change.path()
    lines = entry_lines(change)
    text = path.read_text("utf-8") if path.exists() else ""
    if change.key == "documents":
        name = next(iter(change.entry))            # type: ignore[call-overload]
        if re.search(rf"^  {re.escape(name)}:\s*$", text, re.M):
            raise InputError(msg('decisions.document_fixed', "this document already has a correction in {name}; undo that one first.", name=path.name))
    new = insert(text, change.key, lines)
    check(change.file, new, path)
    return new, lines


# --- the history -------------------------------------------------------------------------------

def load_log() -> list[Decision]:
    path = decisions_file()
    if not path.exists():
        return []
    from .yamlio import load_yaml

    data, _ = load_yaml(path, "review history")
    out = []
    for n, item in enumerate((data or {}).get("decisions") or [], start=1):
        try:
            out.append(Decision.model_validate(item))
        except Exception as exc:  # noqa: BLE001 - named, not skipped
            raise InputError(msg('decisions.decision_not_valid', "{path}: decision {n} is not valid ({value}).", path=path, n=n, value=str(exc).splitlines()[0])) from None
    return out


def log_text(log: list[Decision]) -> bytes:
    head = ("# Review history — written by `reportgen serve` (Rà soát, Tài liệu nguồn).\n"
            "# Each decision names who, when, what, its effect and the exact lines it wrote into\n"
            "# facts/catalogue.yaml or facts/corrections.yaml, so it can be undone.\n")
    body = yaml.safe_dump({"decisions": [d.model_dump() for d in log]}, allow_unicode=True, sort_keys=False,
                          width=10_000)
    return (head + body).encode("utf-8")


def new_decision(by: str, action: str, what: str, change: Change, lines: str, effect: str) -> Decision:
    now = datetime.now(timezone.utc).astimezone()
    return Decision(id=now.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2), at=now.isoformat(timespec="seconds"),
                    by=by, action=action, what=what, file=change.file, key=change.key,  # type: ignore[arg-type]
                    lines=lines, effect=effect)


def without(decision: Decision) -> tuple[Path, str]:
    """(the file, its text without what the decision wrote) — checked, not yet written."""
    path = paths.catalogue_file() if decision.file == "catalogue" else paths.corrections_file()
    text = path.read_text("utf-8") if path.exists() else ""
    new = remove(text, decision.key, decision.lines)
    if new is None:
        raise InputError(msg('decisions.lines_gone', "the lines this decision wrote are no longer in {name} (edited by hand); it cannot be undone here.", name=path.name))
    check(decision.file, new, path)
    return path, new


def write(path: Path, text: str) -> None:
    write_atomic(path, text.encode("utf-8"))

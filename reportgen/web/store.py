"""What the web application keeps between requests, all under output/web/ (out of git):
the builds with their files, a history per province, and the office's settings. And the
one place that edits the reviewed files (catalogue, corrections): under a lock, through
the CLI's validators, atomically."""

from __future__ import annotations

import fcntl
import json
import re
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from .. import paths
from ..errors import InputError
from ..yamlio import write_atomic

SETTINGS = ("number", "issuer", "signer_title", "signer", "format")
BUILD_ID = re.compile(r"^[0-9a-f]{16}$")


def web_dir() -> Path:
    return paths.project_root() / "output" / "web"


@contextmanager
def locked(name: str):  # type: ignore[no-untyped-def]
    """An exclusive lock (a file under output/web/) held for a read-modify-write."""
    folder = web_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def load_settings() -> dict[str, str]:
    path = web_dir() / "settings.json"
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: str(v) for k, v in data.items() if k in SETTINGS and isinstance(v, str)}


def save_settings(fields: dict[str, str]) -> None:
    with locked("settings"):
        data = {k: fields.get(k, "") for k in SETTINGS}
        write_atomic(web_dir() / "settings.json", json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def new_build() -> tuple[str, Path]:
    build_id = secrets.token_hex(8)
    folder = web_dir() / "builds" / build_id
    folder.mkdir(parents=True)
    return build_id, folder


@dataclass
class Built:
    id: str
    province: str
    date: str
    at: str
    files: list[str]
    pages: int | None
    notes: list[str]

    def file(self, suffix: str) -> str | None:
        return next((f for f in self.files if f.endswith(suffix)), None)


def record(build_id: str, outcome: dict) -> Built:  # type: ignore[type-arg]
    built = Built(id=build_id, province=outcome["province"], date=outcome["date"],
                  at=datetime.now(timezone.utc).astimezone().strftime("%d/%m/%Y %H:%M"),
                  files=outcome["files"], pages=outcome["pages"], notes=outcome["notes"])
    with locked("history"):
        with open(web_dir() / "history.jsonl", "a", encoding="utf-8") as handle:
            handle.write(json.dumps(built.__dict__, ensure_ascii=False) + "\n")
    return built


def history() -> list[Built]:
    path = web_dir() / "history.jsonl"
    out: list[Built] = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        try:
            out.append(Built(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return out[::-1]


def find_build(build_id: str) -> Built | None:
    if not BUILD_ID.match(build_id):
        return None
    return next((b for b in history() if b.id == build_id), None)


def build_file(built: Built, name: str) -> Path | None:
    """A file of a recorded build, by its recorded name only: nothing the client sends
    becomes a path."""
    folder = web_dir() / "builds" / built.id
    for recorded in built.files + ["page1.png"]:
        if Path(recorded).name == name:
            path = folder / recorded
            return path if path.is_file() else None
    return None


def _insert_into_list(text: str, key: str, entry: str) -> str:
    """The YAML text with `entry` (list items, as written by a person) appended to the
    top-level list `key:`, comments and order kept."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if re.match(rf"^{re.escape(key)}:\s*(\[\]\s*)?(#.*)?$", line)), None)
    item_lines = [line for line in entry.strip("\n").split("\n")]
    if start is None:
        return text.rstrip("\n") + f"\n{key}:\n" + "\n".join(item_lines) + "\n"
    if lines[start].split("#")[0].strip().endswith("[]"):
        lines[start] = f"{key}:"
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end].startswith((" ", "-", "#"))):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return "\n".join(lines[:end] + item_lines + lines[end:])


def _indent_items(entry: str) -> str:
    """A pasted entry as items of a top-level list: "- id: x" at two spaces."""
    entry = entry.replace("\r\n", "\n").strip("\n")
    lines = entry.split("\n")
    first = next((line for line in lines if line.strip()), "")
    if not first.lstrip().startswith("- "):
        raise InputError("mục phải là một phần tử danh sách, bắt đầu bằng «- ».")
    shift = 2 - (len(first) - len(first.lstrip()))
    if shift > 0:
        lines = [(" " * shift + line) if line.strip() else line for line in lines]
    elif shift < 0:
        lines = [line[-shift:] if line[:-shift].strip() == "" else line for line in lines]
    return "\n".join(lines)


def add_entry(which: str, key: str, entry: str) -> Path:
    """Append a reviewed entry to facts/catalogue.yaml (metrics:, ignore:) or
    facts/corrections.yaml (figures:, targets:, tasks:, reject:), under a lock, through
    the same validators as the CLI, atomically. Returns the file written."""
    from ..catalogue import load_catalogue
    from ..corrections import load_corrections

    allowed = {"catalogue": ("metrics", "ignore"), "corrections": ("figures", "targets", "tasks", "reject")}
    if which not in allowed or key not in allowed[which]:
        raise InputError(f"{which}/{key}: không phải danh sách được sửa ở trang này.")
    path = paths.catalogue_file() if which == "catalogue" else paths.corrections_file()
    items = _indent_items(entry)
    try:
        yaml.safe_load(items)
    except yaml.YAMLError as exc:
        raise InputError(f"mục không đúng cú pháp YAML ({str(exc).splitlines()[0]}); kiểm tra dấu ngoặc kép và thụt lề.") from None
    with locked(which):
        text = path.read_text("utf-8") if path.exists() else ""
        new = _insert_into_list(text, key, items)
        trial = path.with_name(f".{path.name}.check")
        trial.write_text(new, "utf-8")
        try:
            (load_catalogue if which == "catalogue" else load_corrections)(trial)
        except InputError as exc:
            raise InputError(exc.message.replace(str(trial), path.name)) from None
        finally:
            trial.unlink(missing_ok=True)
        write_atomic(path, new.encode("utf-8"))
    return path

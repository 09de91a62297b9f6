"""What the web application keeps between requests, all under output/web/ (out of git):
the builds with their files (the last KEEP_BUILDS; older ones are deleted with their
history lines), a history per province, the office's settings, and the documents set
aside (set-aside/: an upload the fact base could not take, or a document taken out of the
archive, with a record of why), and what a form post did (Flashes). The reviewed files are
edited by reportgen.decisions, never here."""

from __future__ import annotations

import fcntl
import json
import os
import re
import secrets
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path


from .. import paths
from ..yamlio import write_atomic

SETTINGS = ("number", "issuer", "signer_title", "signer", "format")
BUILD_ID = re.compile(r"^[0-9a-f]{16}$")
KEEP_BUILDS = 50           # builds kept in output/web/builds (and in the history); older ones are deleted
STRAY_AGE = 3600           # seconds after which a build folder that no history line names is deleted


def web_dir() -> Path:
    return paths.project_root() / "output" / "web"


@contextmanager
def locked(name: str, shared: bool = False):  # type: ignore[no-untyped-def]
    """An exclusive lock (a file under output/web/) held for a read-modify-write, or a
    shared one for a read that must see one state. "facts": one job changes the archive at
    a time; "archive": seeds/ and facts/factbase.yaml change together (exclusive) while no
    build reads them (shared)."""
    folder = web_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{name}.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
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
        data = {**load_settings(), **{k: fields.get(k, "") for k in SETTINGS if k in fields}}
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
    about: dict | None = None          # type: ignore[type-arg]  # the session reported, the newest document

    def file(self, suffix: str) -> str | None:
        return next((f for f in self.files if f.endswith(suffix)), None)


def record(build_id: str, outcome: dict) -> Built:  # type: ignore[type-arg]
    built = Built(id=build_id, province=outcome["province"], date=outcome["date"],
                  at=datetime.now(timezone.utc).astimezone().strftime("%d/%m/%Y %H:%M"),
                  files=outcome["files"], pages=outcome["pages"], notes=outcome["notes"], about=outcome.get("about"))
    with locked("history"):
        lines = _history_lines() + [json.dumps(built.__dict__, ensure_ascii=False)]
        kept = lines[-KEEP_BUILDS:]
        write_atomic(web_dir() / "history.jsonl", "".join(line + "\n" for line in kept).encode("utf-8"))
        _prune_builds({b.id for b in _parse(kept)}, {b.id for b in _parse(lines[:-KEEP_BUILDS])})
    return built


def _history_lines() -> list[str]:
    try:
        return [line for line in (web_dir() / "history.jsonl").read_text("utf-8").splitlines() if line.strip()]
    except OSError:
        return []


def _prune_builds(kept: set[str], dropped: set[str]) -> None:
    """Delete the build folders the history no longer names: those it just dropped, and a
    stray one (a build that failed or was stopped midway) once it is STRAY_AGE old — a
    younger one may be a build still running."""
    folder = web_dir() / "builds"
    if not folder.is_dir():
        return
    now = time.time()
    for entry in folder.iterdir():
        if entry.name in kept or not BUILD_ID.match(entry.name):
            continue
        if entry.name not in dropped:
            try:
                if now - entry.stat().st_mtime < STRAY_AGE:
                    continue
            except OSError:
                continue
        shutil.rmtree(entry, ignore_errors=True)


def history() -> list[Built]:
    return _parse(_history_lines())[::-1]


def _parse(lines: list[str]) -> list[Built]:
    out: list[Built] = []
    for line in lines:
        try:
            out.append(Built(**json.loads(line)))
        except (ValueError, TypeError):
            continue
    return out


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


# --- documents set aside -------------------------------------------------------------------

def set_aside_dir() -> Path:
    return web_dir() / "set-aside"


def set_aside(path: Path, name: str, original: str, why: str, error: str, disputes: list,  # type: ignore[type-arg]
              removed: bool = False) -> str:
    """Keep a document the fact base could not take, out of seeds/: its own folder under
    output/web/set-aside/ (YYYYMMDD-HHMMSS-xxxxxx/) holds the file under the name it would
    have had in seeds/ and record.json — the uploaded name, when, why (Vietnamese), the
    library's error and, when it disagrees with the archive, both sides — so it can be
    restored once settled. Returns the folder's name."""
    from ..readers import file_sha256

    now = datetime.now(timezone.utc).astimezone()
    folder = set_aside_dir() / f"{now.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(3)}"
    folder.mkdir(parents=True)
    target = folder / name
    try:
        os.replace(path, target)
    except OSError:
        shutil.copyfile(path, target)
        path.unlink(missing_ok=True)
    record = {"file": name, "original": original, "at": now.isoformat(timespec="seconds"), "why": why,
              "error": error, "disputes": disputes, "sha256": file_sha256(target), "removed": removed}
    write_atomic(folder / "record.json", json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
    return folder.name


def set_aside_records(limit: int = 50) -> list[dict]:  # type: ignore[type-arg]
    """The documents set aside, newest first (a folder without its record is skipped)."""
    out = []
    folder = set_aside_dir()
    if not folder.is_dir():
        return out
    for entry in sorted(folder.iterdir(), reverse=True):
        try:
            record = json.loads((entry / "record.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(record, dict):
            out.append({**record, "folder": entry.name})
        if len(out) >= limit:
            break
    return out


FOLDER = re.compile(r"^\d{8}-\d{6}-[0-9a-f]{6}$")


def set_aside_record(folder: str) -> dict | None:  # type: ignore[type-arg]
    """One folder's record, by a name of the set-aside form only (nothing the client sends
    becomes a path otherwise)."""
    if not FOLDER.match(folder):
        return None
    try:
        record = json.loads((set_aside_dir() / folder / "record.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not (set_aside_dir() / folder / str(record.get("file"))).is_file():
        return None
    return {**record, "folder": folder}


KEEP_SET_ASIDE_DAYS = 90       # a document set aside is kept this long, then deleted when the page starts


def prune_set_aside(now: float | None = None) -> None:
    """Delete what was set aside more than KEEP_SET_ASIDE_DAYS ago (its folder's name is its day)."""
    folder = set_aside_dir()
    if not folder.is_dir():
        return
    limit = datetime.fromtimestamp((now or time.time()) - KEEP_SET_ASIDE_DAYS * 86400).strftime("%Y%m%d")
    for entry in folder.iterdir():
        if FOLDER.match(entry.name) and entry.name[:8] < limit:
            shutil.rmtree(entry, ignore_errors=True)


def drop_set_aside(folder: str) -> None:
    if FOLDER.match(folder):
        shutil.rmtree(set_aside_dir() / folder, ignore_errors=True)


# --- post/redirect/get ----------------------------------------------------------------------

class Flashes:
    """What a form post did, kept (in the server, the last few hundred) under a random id for
    the page it redirects to: reloading that page shows it again and does nothing."""

    def __init__(self, limit: int = 300) -> None:
        self.limit = limit
        self.items: dict[str, dict] = {}       # type: ignore[type-arg]

    def put(self, data: dict) -> str:  # type: ignore[type-arg]
        key = secrets.token_hex(6)
        self.items[key] = data
        while len(self.items) > self.limit:
            del self.items[next(iter(self.items))]
        return key

    def get(self, key: str | None) -> dict:  # type: ignore[type-arg]
        return self.items.get(key or "", {})


# --- temporary folders ----------------------------------------------------------------------

def temporary_folder(kind: str, server: int | None = None) -> Path:
    """output/web/.<kind>-<the server's process id>-*/: an upload being read, a job's stage."""
    import tempfile

    web_dir().mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{kind}-{server or os.getpid()}-", dir=web_dir()))


def sweep(own: int | None = None) -> None:
    """Remove the temporary folders of a server that is gone (killed, say), or with `own`
    those of this one (at its shutdown, its workers stopped)."""
    folder = web_dir()
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        m = re.match(r"^\.(?:upload|stage)-(\d+)-", entry.name)
        if not m or not entry.is_dir():
            continue
        pid = int(m.group(1))
        if pid == own or (pid != os.getpid() and not _alive(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

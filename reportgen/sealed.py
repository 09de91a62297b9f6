"""Caches a person can edit, signed so that an edit is a miss, never a fact.

What the readers made of a document (`.cache/texts/`) and the mark that a set of inputs
verified (`.cache/verified/`) live in the project folder, where anyone who can edit the
fact base can edit them too. Each entry carries an HMAC-SHA256 tag made with a key that
lives outside the project, in the user's own state folder (`REPORTGEN_KEY_FILE`, else
`$XDG_STATE_HOME/reportgen/cache.key`, else `~/.local/state/reportgen/cache.key`, mode
0600). An entry whose tag does not match — edited, copied from another machine, or made
before the key — is not used: the document is read again. Without a usable key nothing
is cached and everything is checked every time.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from pathlib import Path

from .files import read_regular, room_for_cache, write_replacing

_KEY_BYTES = 32
_key: tuple[tuple[str | None, ...], bytes | None] | None = None   # (what key_file reads, the key)
_WHERE = ("REPORTGEN_KEY_FILE", "XDG_STATE_HOME", "HOME")


def key_file() -> Path:
    env = os.environ.get("REPORTGEN_KEY_FILE")
    if env:
        return Path(env)
    state = os.environ.get("XDG_STATE_HOME")
    base = Path(state) if state else Path.home() / ".local" / "state"
    return base / "reportgen" / "cache.key"


def _load_key() -> bytes | None:
    """The key, made on first use; None when it cannot be read or made. Read once for the
    environment that names its file (asked for every cache entry read or written)."""
    global _key
    where = tuple(os.environ.get(name) for name in _WHERE)
    if _key is not None and _key[0] == where:
        return _key[1]
    path = key_file()
    value: bytes | None = None
    try:
        value = read_regular(path)
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(os.urandom(_KEY_BYTES))
            value = read_regular(path)
        except FileExistsError:          # another process made it first
            try:
                value = read_regular(path)
            except OSError:
                value = None
        except OSError:
            value = None
    except OSError:
        value = None
    if value is not None and len(value) < _KEY_BYTES:
        value = None                     # truncated or not ours: never sign with a weak key
    _key = (where, value)
    return value


def tag(purpose: str, data: bytes) -> str | None:
    """The tag of `data` for one purpose ("texts", "verified"…), or None without a key."""
    k = _load_key()
    if k is None:
        return None
    return hmac.new(k, purpose.encode("ascii") + b"\x00" + data, hashlib.sha256).hexdigest()


def matches(purpose: str, data: bytes, claimed: object) -> bool:
    """Whether `claimed` is the tag of `data`; anything else (not a string, not ASCII — a byte
    of the entry changed by hand — or no key) is no match, never an error."""
    if not isinstance(claimed, str) or not claimed.isascii():
        return False
    expected = tag(purpose, data)
    return expected is not None and hmac.compare_digest(expected, claimed)


def seal(purpose: str, name: str, body: bytes) -> bytes | None:
    """A cache file's bytes: the tag of its name and body, a line break, the body; None without
    a key (then nothing is cached). The name is signed too: an entry renamed is a miss."""
    t = tag(purpose, name.encode("utf-8") + body)
    return None if t is None else t.encode("ascii") + b"\n" + body


def unseal(purpose: str, name: str, raw: bytes) -> bytes | None:
    """The body of a cache file written by `seal` under this name, or None if its tag does not
    match (edited, renamed, another user's key, or no key)."""
    claimed, _, body = raw.partition(b"\n")
    return body if matches(purpose, name.encode("utf-8") + body, claimed.decode("ascii", "replace")) else None


def read_entry(purpose: str, folder: Path, name: str) -> bytes | None:
    """The body of the cache entry `folder/name` written by write_entry, or None: absent,
    unreadable, torn, edited, or signed with another key."""
    try:
        raw = read_regular(folder / name)      # (a pipe or a device in an entry's place: a miss)
    except OSError:
        return None
    return unseal(purpose, name, raw)


def write_entry(purpose: str, folder: Path, name: str, body: bytes, limit: int | None) -> None:
    """Keep `body` as the signed cache entry `folder/name` (nothing without a key). Written
    whole or not at all (a temporary file renamed), not forced to the disk: an entry a crash
    tears is a miss. Past `limit` entries the older half (by the time they were written) is
    removed first (None: no limit, the folder is not listed). A folder that cannot be written
    keeps nothing: a cache only saves time."""
    raw = seal(purpose, name, body)
    if raw is None or not room_for_cache(folder, len(raw)):
        return
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        entries = [] if limit is None else [p for p in folder.iterdir() if not p.name.startswith(".")]
        if limit is not None and len(entries) >= limit:
            entries.sort(key=lambda p: p.stat().st_mtime)
            for old in entries[:len(entries) // 2]:
                old.unlink(missing_ok=True)
        write_replacing(folder / name, raw, tmp)
    except OSError:
        pass              # a cache that cannot be written only costs time


def remove_orphans(folder: Path) -> None:
    """The temporary files of entries (`….<pid>.tmp`) whose writer is gone — a worker killed
    while it wrote one — removed; a running process's are left to it."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for path in entries:
        parts = path.name.rsplit(".", 2)
        if len(parts) != 3 or parts[2] != "tmp" or not parts[1].isdigit() or int(parts[1]) == os.getpid():
            continue
        try:
            os.kill(int(parts[1]), 0)
            continue                  # its writer runs
        except ProcessLookupError:
            pass
        except (OSError, OverflowError):
            continue                  # another user's process, or no process number
        try:
            path.unlink()
        except OSError:
            pass


def canonical(record: dict) -> bytes:  # type: ignore[type-arg]
    """The bytes a JSON record is signed over: the same for the record written and read back."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def dump(purpose: str, record: dict) -> str | None:  # type: ignore[type-arg]
    """A JSON record with its tag, or None when there is no key (then nothing is cached)."""
    t = tag(purpose, canonical(record))
    return None if t is None else json.dumps({**record, "tag": t}, ensure_ascii=False)


def load(purpose: str, text: str) -> dict | None:  # type: ignore[type-arg]
    """The record of a JSON text written by `dump`, or None if its tag does not match."""
    try:
        record = json.loads(text)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    claimed = record.pop("tag", None)
    return record if matches(purpose, canonical(record), claimed) else None

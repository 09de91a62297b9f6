"""Opening files that a user or another program may have put in the way: a document of the
seeds folder, a cache entry. A named pipe or a device in a file's place is refused at once
(OSError), never waited on or read without end."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO


def open_regular(path: Path) -> BinaryIO:
    """The regular file at `path`, open for reading. It is opened without waiting, so a named
    pipe or a device put in a document's place is refused (OSError) instead of waited on
    for ever: the folder lists only regular files, but one can be replaced after that."""
    import errno
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path) -> bytes:
    """The bytes of the regular file at `path` (open_regular)."""
    with open_regular(path) as f:
        return f.read()


def write_replacing(target: Path, data: bytes, tmp: Path) -> None:
    """`target` written whole or not at all: `data` into `tmp` beside it, then renamed over it.
    Whatever stops it (a full disk, a Ctrl-C between the write and the rename) removes `tmp`
    and is raised."""
    try:
        tmp.write_bytes(data)
        os.replace(tmp, target)
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise


# Cache entries are not written when the disk they would go on has less room than this left:
# a cache only saves time, and must not take the room the fact base or a briefing needs.
CACHE_ROOM = 64 * 1024 * 1024


def room_for_cache(folder: Path, size: int) -> bool:
    """Whether a cache entry of `size` bytes may be written in `folder` (or the nearest
    folder above it that exists): more than CACHE_ROOM would be left after it."""
    for where in [folder, *folder.parents]:
        try:
            info = os.statvfs(where)
        except FileNotFoundError:
            continue
        except OSError:
            return False
        return info.f_bavail * info.f_frsize - size > CACHE_ROOM
    return False

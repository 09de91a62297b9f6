"""Streams compressed once per worker.

A batch worker or a warm page worker writes, for every briefing of a day, many of the same
content streams: the Phụ lục's shared pages and their charts' groups (render/repaint.py), the
colour profile, most font programs. pydyf deflates each at level 9 every time: 0.06 s of a
warm page's build, 0.04 of it for streams written before. `install()` gives pydyf a zlib whose
compressors look the result up by the SHA-256 of the uncompressed bytes and their level:
deflate is a function of those, so the bytes are the ones zlib would make. At most LIMIT bytes
of results are kept (the 34 briefings of a day leave about 2 MB), the oldest let go first.
"""

from __future__ import annotations

import hashlib
import zlib
from typing import Any

from .engine import once

LIMIT = 8 << 20
_kept: dict[tuple[bool, int, bytes], bytes] = {}
_size = 0


def _deflated(data: bytes, level: int, whole: bool = False) -> bytes:
    """zlib.compressobj(level)'s output for data (zlib.compress(data, level)'s if `whole`)."""
    global _size
    key = (whole, level, hashlib.sha256(data).digest())
    out = _kept.get(key)
    if out is None:
        if whole:
            out = zlib.compress(data, level)
        else:
            compressor = zlib.compressobj(level=level)
            out = compressor.compress(data) + compressor.flush()
        while _kept and _size + len(out) > LIMIT:
            _size -= len(_kept.pop(next(iter(_kept))))
        if len(out) <= LIMIT:
            _kept[key] = out
            _size += len(out)
    return out


class _Compressor:
    """zlib.compressobj's compress and flush, the result looked up at flush."""

    def __init__(self, level: int) -> None:
        self.level = level
        self.parts: list[bytes] = []

    def compress(self, data: bytes) -> bytes:
        self.parts.append(bytes(data))
        return b""

    def flush(self, mode: int = zlib.Z_FINISH) -> bytes:
        if mode != zlib.Z_FINISH:
            raise ValueError("only a finishing flush is kept")
        data, self.parts = b"".join(self.parts), []
        return _deflated(data, self.level)


class _Zlib:
    """What pydyf sees as zlib: compressobj and compress kept, the rest zlib's own."""

    def compressobj(self, level: int = zlib.Z_DEFAULT_COMPRESSION, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:
            return zlib.compressobj(level, *args, **kwargs)
        return _Compressor(level)

    def compress(self, data: bytes, level: int = zlib.Z_DEFAULT_COMPRESSION, **kwargs: Any) -> bytes:
        if kwargs:
            return zlib.compress(data, level, **kwargs)
        return _deflated(bytes(data), level, whole=True)

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401
        return getattr(zlib, name)


@once
def install() -> bool:
    """Give pydyf the kept zlib; False if pydyf does not use zlib by that name."""
    import pydyf

    if getattr(pydyf, "zlib", None) is not zlib:
        return False
    pydyf.zlib = _Zlib()  # type: ignore[attr-defined]
    return True

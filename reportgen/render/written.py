"""Each PDF object serialised once per write.

pydyf's PDF.write turns every object into bytes to write it, then, when the file gets an
identifier (reportgen always gives one: render/pdf.identifier_of), turns every object into
bytes a second time to take their MD5 for the identifier's second half — the content streams
deflated again, the object stream (every small object at once) built and deflated again.
`install()` wraps PDF.write so that, while it runs, an object's `data` is worked out once and
kept: nothing changes an object during the write, so the bytes are the same; the objects
are kept alive until the write ends, so no other object can take a kept one's id.
"""

from __future__ import annotations

import functools
from typing import Any

from .engine import once


def _kept(prop: property, memo: dict[int, tuple[Any, bytes]]) -> property:
    get = prop.fget

    def data(self: Any) -> bytes:  # noqa: ANN401
        hit = memo.get(id(self))
        if hit is not None and hit[0] is self:
            return hit[1]
        value = get(self)  # type: ignore[misc]
        memo[id(self)] = (self, value)
        return value

    return property(data)


@once
def install() -> bool:
    """Wrap pydyf's PDF.write; False if pydyf is not as expected (nothing is wrapped)."""
    import pydyf

    classes = [pydyf.Dictionary, pydyf.Stream, pydyf.Array, pydyf.String]
    if not all(isinstance(c.__dict__.get("data"), property) for c in classes):
        return False
    write = pydyf.PDF.write

    @functools.wraps(write)
    def written(self: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        memo: dict[int, tuple[Any, bytes]] = {}
        own = {c: c.__dict__["data"] for c in classes}
        try:
            for c, prop in own.items():
                c.data = _kept(prop, memo)  # type: ignore[attr-defined]
            return write(self, *args, **kwargs)
        finally:
            for c, prop in own.items():
                c.data = prop  # type: ignore[attr-defined]

    pydyf.PDF.write = written  # type: ignore[method-assign]
    return True

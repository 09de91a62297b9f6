"""Issue 21: a worker that writes the day's briefings one after another deflates a stream it
wrote before once (render/deflated.py). The bytes must be zlib's, and what is kept bounded."""

from __future__ import annotations

import zlib

from hypothesis import given, settings, strategies as st


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=5000), st.sampled_from([-1, 0, 1, 6, 9]), st.integers(1, 4))
def test_kept_compressors_give_zlibs_bytes(data, level, pieces):
    from reportgen.render.deflated import _Zlib

    kept = _Zlib()
    for _ in range(2):                                   # made, then taken again
        c = kept.compressobj(level=level)
        step = max(1, len(data) // pieces)
        out = b"".join(c.compress(data[k:k + step]) for k in range(0, len(data), step)) + c.flush()
        real = zlib.compressobj(level=level)
        assert out == real.compress(data) + real.flush()
        assert kept.compress(data, level) == zlib.compress(data, level)
        assert kept.compress(data) == zlib.compress(data)
    assert kept.decompress(zlib.compress(data)) == data        # the rest is zlib's own


def test_what_is_kept_stays_under_its_limit(monkeypatch):
    import os

    from reportgen.render import deflated

    monkeypatch.setattr(deflated, "LIMIT", 50_000)
    monkeypatch.setattr(deflated, "_kept", {})
    monkeypatch.setattr(deflated, "_size", 0)
    blobs = [os.urandom(20_000) for _ in range(6)]           # incompressible: 20 kB each
    for blob in blobs:
        c = zlib.compressobj(level=9)
        assert deflated._deflated(blob, 9) == c.compress(blob) + c.flush()
    assert deflated._size <= 50_000 and len(deflated._kept) == 2
    assert deflated._size == sum(len(v) for v in deflated._kept.values())


def test_a_worker_writes_the_days_streams_once(tmp_path):
    """The page's worker: a second province's PDF takes most of its compressed streams (shared
    pages, groups, colour profile) from the first's."""
    from pathlib import Path

    from reportgen.build import prepare, render, render_charts, warm_renderers
    from reportgen.render import deflated
    from reportgen.request import make_request

    warm_renderers()
    store: dict = {}
    seen: set = set()
    calls: list = []                       # (province, written before, bytes)
    real = deflated._deflated

    def counted(data, level, whole=False):  # type: ignore[no-untyped-def]
        calls.append((name, (whole, level, data) in seen, len(data)))
        seen.add((whole, level, data))
        return real(data, level, whole)

    deflated._deflated = counted
    try:
        for name in ("Quảng Ngãi", "Gia Lai"):
            _, b = prepare(make_request(name, "2025-08-01", Path("unused"), "pdf", None, None, None, None, None))
            render(b, ("pdf",), charts=render_charts(b), shared=store)
    finally:
        deflated._deflated = real
    import pydyf

    assert isinstance(pydyf.zlib, deflated._Zlib)
    second = [(was, n) for who, was, n in calls if who == "Gia Lai"]
    # most streams, by number (the object stream and the font subsets, the large ones, are its own)
    assert second and sum(1 for was, _ in second if was) > len(second) / 2, second

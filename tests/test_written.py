"""render/written.py: pydyf's PDF.write serialises each object once (it did twice when the file
has an identifier), and writes the bytes it wrote before."""

from __future__ import annotations

import io

import pydyf
import pytest

from reportgen.render import written


def _document() -> pydyf.PDF:
    pdf = pydyf.PDF()
    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Helvetica"})
    pdf.add_object(font)
    for n in range(3):
        content = pydyf.Stream(compress=True)
        content.begin_text()
        content.set_font_size("F1", 12)
        content.move_text_to(72, 720 - n)
        content.show_text(pydyf.String(f"trang {n + 1}: Ủy ban".encode("utf-16-be")))
        content.end_text()
        pdf.add_object(content)
        page = pydyf.Dictionary({
            "Type": "/Page", "Parent": pdf.pages.reference, "MediaBox": pydyf.Array([0, 0, 595, 842]),
            "Contents": content.reference,
            "Resources": pydyf.Dictionary({"Font": pydyf.Dictionary({"F1": font.reference})})})
        pdf.add_page(page)
    return pdf


@pytest.mark.parametrize("compress", [True, False])
def test_the_bytes_are_pydyfs_own(compress):
    assert written.install()
    mine, theirs = io.BytesIO(), io.BytesIO()
    _document().write(mine, identifier=b"0123456789abcdef", compress=compress)
    pydyf.PDF.write.__wrapped__(_document(), theirs, identifier=b"0123456789abcdef", compress=compress)
    assert mine.getvalue() == theirs.getvalue()
    assert b"/ID [" in mine.getvalue()


def test_each_stream_is_serialised_once_and_the_classes_are_given_back(monkeypatch):
    assert written.install()
    import zlib

    deflated: list[int] = []
    real = zlib.compressobj

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        deflated.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pydyf.zlib, "compressobj", counted)
    pdf = _document()
    pdf.write(io.BytesIO(), identifier=b"0123456789abcdef", compress=True)
    # three page streams, the object stream and the cross-reference stream: once each
    assert len(deflated) == 5
    deflated.clear()
    pydyf.PDF.write.__wrapped__(_document(), io.BytesIO(), identifier=b"0123456789abcdef", compress=True)
    assert len(deflated) == 9          # without: the page streams and the object stream twice
    # outside a write, `data` is pydyf's own property again: a changed object says so
    stream = pydyf.Stream([b"q"])
    before = stream.data
    stream.stream.append(b"Q")
    assert stream.data != before

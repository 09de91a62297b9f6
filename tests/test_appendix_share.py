"""A batch worker lays out the Phụ lục once for the provinces whose appendix differs only in the
issuer's note (render/pdf.py): the bytes must be those of a province's own full layout, and a
note that breaks the table elsewhere must not borrow another province's pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefing_files import pdf_words

DATE = "2025-08-01"


@pytest.fixture(scope="module")
def briefings():
    from reportgen.build import prepare, render_charts, warm_renderers
    from reportgen.request import make_request

    warm_renderers()
    out = []
    for name in ("Quảng Ngãi", "Lâm Đồng", "Gia Lai"):
        req = make_request(name, DATE, Path("unused"), "pdf", None, None, None, None, None)
        _, b = prepare(req)
        out.append((b, render_charts(b)))
    return out


def test_a_shared_appendix_gives_each_province_its_own_bytes(briefings):
    from reportgen.build import render

    store: dict = {}
    for b, charts in briefings:
        alone = render(b, ("pdf",), charts=charts)["pdf"][0]
        shared = render(b, ("pdf",), charts=charts, shared=store)["pdf"][0]
        assert shared == alone, b.unit.name
    assert len(store) == 1          # one layout served the three
    text = " ".join(pdf_words_of(shared))
    assert "Ủy ban nhân dân tỉnh Gia Lai)" in text and "Quảng Ngãi)" not in text


def test_a_note_that_moves_the_table_lays_the_appendix_out_again(briefings):
    """A longer note pushes the table's first page break one row up: that province's pages are
    its own, not those of the layout in the store."""
    from reportgen.render.html import templates_dir
    from reportgen.render.pdf import render_pdf
    from reportgen.build import created_at
    from reportgen.render.html import render_html

    b, charts = briefings[0]
    html = render_html(b, created_at(b.date).isoformat(), templates_dir())
    longer = re.sub(r'(<p class="appendix-note">\(Kèm theo)', r"\1 " + "Thông báo này " * 12, html, count=1)
    store: dict = {}
    first, *_ = render_pdf(html, templates_dir(), charts, b"0" * 16, None, store)
    alone, pages, _ = render_pdf(longer, templates_dir(), charts, b"0" * 16)
    shared, pages_shared, _ = render_pdf(longer, templates_dir(), charts, b"0" * 16, None, store)
    assert shared == alone and pages == pages_shared
    assert len(store) == 1


def pdf_words_of(data: bytes) -> list[str]:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return pdf_words(Path(f.name))

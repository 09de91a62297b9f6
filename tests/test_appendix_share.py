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
    from conftest import prepared_briefings

    return prepared_briefings(("Quảng Ngãi", "Lâm Đồng", "Gia Lai"), DATE)


@pytest.fixture
def grafts(monkeypatch):
    """What each _with_note call gave: a page (True) or nothing (False)."""
    from reportgen.render import pdf

    said: list[bool] = []
    real = pdf._with_note

    def counted(*args):  # type: ignore[no-untyped-def]
        page = real(*args)
        said.append(page is not None)
        return page

    monkeypatch.setattr(pdf, "_with_note", counted)
    return said


def test_a_shared_appendix_gives_each_province_its_own_bytes(briefings, grafts):
    from reportgen.build import render

    store: dict = {}
    for b, charts in briefings:
        alone = render(b, ("pdf",), charts=charts)["pdf"][0]
        shared = render(b, ("pdf",), charts=charts, shared=store)["pdf"][0]
        assert shared == alone, b.unit.name
    assert len(store) == 1          # one layout served the three
    # the two later provinces' first pages: the store's page with their own note put in
    assert grafts == [True, True]
    text = " ".join(pdf_words_of(shared))
    assert "Ủy ban nhân dân tỉnh Gia Lai)" in text and "Quảng Ngãi)" not in text


def test_a_note_that_moves_the_table_lays_the_appendix_out_again(briefings, grafts):
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
    assert grafts == [False]        # a note of more lines is not put on the store's page


def test_the_note_is_put_in_only_where_the_page_is_as_the_store_holds_it(briefings):
    """The store's first page takes another note only in the same place: a note not followed by
    its rule, a note before another heading, or a note of more lines is refused (the first page
    is then laid out as before)."""
    from reportgen.build import created_at
    from reportgen.render import pdf
    from reportgen.render.html import render_html, templates_dir

    b, charts = briefings[1]
    html = render_html(b, created_at(b.date).isoformat(), templates_dir())
    lay = _lay(charts)
    appendix = pdf._parts(html)[1]
    page = lay(appendix).pages[0]
    mine = pdf._with_note(page, appendix, lay)
    assert mine is not None and mine is not page
    assert mine._page_box is not page._page_box           # new boxes: the store's page is as it was
    assert [w for w in _page_words(mine) if w not in _page_words(page)] == []  # same note here: same words

    no_rule = re.sub(r'\s*<p class="rule"[^>]*>.*?</p>', "", appendix, count=1)
    assert pdf._with_note(page, no_rule, lay) is None
    taller_heading = appendix.replace('<span class="appendix-name">', '<span class="appendix-name">PHẦN I. ', 1)
    assert pdf._with_note(page, taller_heading.replace("CHỈ TIÊU", "CHỈ TIÊU " * 8, 1), lay) is None
    longer = re.sub(r'(<p class="appendix-note">\(Kèm theo)', r"\1 " + "Thông báo này " * 12, appendix, count=1)
    assert pdf._with_note(page, longer, lay) is None
    other = re.sub(r"(Ủy ban nhân dân) (tỉnh|thành phố) [^)]+\)", r"\1 tỉnh Khánh Hòa)", appendix, count=1)
    theirs = pdf._with_note(page, other, lay)
    assert theirs is not None
    assert "Khánh" in " ".join(_page_words(theirs)) and "Khánh" not in " ".join(_page_words(page))


@pytest.mark.parametrize("inside", [
    '<span style="float: right; width: 30mm; height: 40mm">{name}</span>',     # a float reaching below the note
    '<span style="counter-increment: issuer">{name}</span>',                   # a counter a later box may show
    '<span style="float: footnote">Bản sao gửi {name}</span>',                 # a footnote at the page's foot
    '<span style="position: relative; top: 2pt">{name}</span>',
])
def test_a_note_that_acts_beyond_its_own_lines_is_not_put_in(briefings, inside):
    """Only the note's height may depend on its words: a float, a counter or a footnote in it
    can change the rest of the page, so such a note's page is laid out as before (the helper's
    review found a footnote naming another province, a float and a counter showing the earlier
    province's)."""
    from reportgen.build import created_at
    from reportgen.render import pdf
    from reportgen.render.html import render_html, templates_dir

    def with_inside(b) -> str:  # type: ignore[no-untyped-def]
        html = render_html(b, created_at(b.date).isoformat(), templates_dir())
        return re.sub(r'(<p class="appendix-note">[^<]*?)(\))</p>',
                      lambda m: m.group(1) + inside.format(name=b.unit.name) + m.group(2) + "</p>", html, count=1)

    (b1, c1), (b2, _) = briefings[0], briefings[1]
    lay = _lay(c1)
    appendix = pdf._parts(with_inside(b1))[1]
    page = lay(appendix).pages[0]
    assert pdf._with_note(page, pdf._parts(with_inside(b2))[1], lay) is None


def test_the_store_knows_the_stylesheets(tmp_path, briefings):
    """The Phụ lục's store is keyed by the template's stylesheets too (an office edits them while
    the page runs), and a template that puts a footnote or a fixed box anywhere, even in a style
    attribute, is not shared."""
    import shutil

    from reportgen.build import created_at
    from reportgen.render import pdf
    from reportgen.render.html import render_html, templates_dir

    b, _ = briefings[0]
    html = render_html(b, created_at(b.date).isoformat(), templates_dir())
    office = tmp_path / "office"
    shutil.copytree(templates_dir(), office)
    first = pdf._shareable(html, office)
    assert first is not None and first == pdf._shareable(html, office)
    with (office / "briefing.css").open("a", encoding="utf-8") as f:
        f.write("\np.appendix-note { letter-spacing: 0.2pt; }\n")
    assert pdf._shareable(html, office) not in (None, first)
    assert pdf._shareable(html.replace('<p class="appendix-note">', '<p class="appendix-note" style="position: fixed">', 1),
                          office) is None
    (office / "extra.css").write_text("span.fn { float: footnote }", "utf-8")
    assert pdf._shareable(html, office) is None


def _lay(charts):  # type: ignore[no-untyped-def]
    from reportgen.render import pdf
    from reportgen.render.engine import weasyprint
    from reportgen.render.html import templates_dir

    fetcher = pdf._fetcher(templates_dir(), lambda: charts)
    base = templates_dir().resolve().as_uri() + "/"
    return lambda text: weasyprint().HTML(string=text, base_url=base, url_fetcher=fetcher).render(
        font_config=pdf.font_config())


def _page_words(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The words of a laid-out page, from its text boxes."""
    from weasyprint.formatting_structure import boxes

    return " ".join(box.text for box in page._page_box.descendants() if isinstance(box, boxes.TextBox)).split()


def pdf_words_of(data: bytes) -> list[str]:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(data)
        f.flush()
        return pdf_words(Path(f.name))

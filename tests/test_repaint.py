"""Issue 21: the Phụ lục's pages after its first, laid out once for the briefings of a day, are
painted once too (render/repaint.py) — a third of a warm page's build. What a later briefing's
PDF takes from the recording must be the bytes painting would have made, and a page that
cannot be proven so is painted as before."""

from __future__ import annotations

from pathlib import Path

import pytest

DATE = "2025-08-01"


@pytest.fixture(scope="module")
def briefings():
    from reportgen.build import prepare, render_charts, warm_renderers
    from reportgen.request import make_request

    warm_renderers()
    out = []
    # three provinces share one Phụ lục; two cities another (their task chart names the city's bodies)
    for name in ("Quảng Ngãi", "Hà Nội", "Lâm Đồng", "Cần Thơ", "Gia Lai"):
        req = make_request(name, DATE, Path("unused"), "pdf", None, None, None, None, None)
        _, b = prepare(req)
        out.append((b, render_charts(b)))
    return out


@pytest.fixture(scope="module")
def alone(briefings):
    """Each briefing laid out and painted on its own: no page of it is shared."""
    from reportgen.build import render

    return [render(b, ("pdf",), charts=charts)["pdf"][0] for b, charts in briefings]


def _recordings(store: dict) -> list:  # type: ignore[type-arg]
    from reportgen.render.repaint import _ATTRIBUTE

    return [(page, recording) for document, _ in store.values() for page in document.pages[1:]
            for recording in getattr(page, _ATTRIBUTE, {}).values()]


def test_shared_pages_are_painted_once_and_give_the_bytes_painting_gives(briefings, alone):
    from reportgen.build import render

    store: dict = {}
    for (b, charts), own in zip(briefings, alone):
        assert render(b, ("pdf",), charts=charts, shared=store)["pdf"][0] == own, b.unit.name
    assert len(store) == 2
    recordings = _recordings(store)
    # every shared page — the table's and the one with the charts (their SVG text in groups) —
    # was painted for the first briefing that shows it and taken by the others: 3 provinces, 2 cities
    assert len(recordings) >= 4
    assert all(r.replayable for _, r in recordings)
    assert sorted({r.used for _, r in recordings}) == [1, 2]
    assert any(r.groups for _, r in recordings) and any(r.tags for _, r in recordings)


def test_a_page_that_would_be_painted_otherwise_is_painted(briefings, alone):
    """A glyph whose width the document already holds otherwise (it sets the kerning written),
    a stream in another state: the page is painted as WeasyPrint paints it, the same bytes."""
    from reportgen.build import render

    store: dict = {}
    (b0, c0), (b2, c2), (b4, c4) = briefings[0], briefings[2], briefings[4]
    assert render(b0, ("pdf",), charts=c0, shared=store)["pdf"][0] == alone[0]
    recordings = _recordings(store)
    used = {id(r): r.used for _, r in recordings}
    victim = next(r for _, r in recordings if r.fonts)
    widths = next(w for w, _ in victim.fonts.values() if w)
    glyph = next(iter(widths))
    widths[glyph] += 7                       # as if painted in a document that held another width
    assert render(b2, ("pdf",), charts=c2, shared=store)["pdf"][0] == alone[2]
    assert victim.used == used[id(victim)]                     # painted, not replayed
    assert all(r.used == used[id(r)] + 1 for _, r in recordings if r is not victim)
    widths[glyph] -= 7
    # a recording made in another state is not used: each state keeps its own
    for page, r in recordings:
        from reportgen.render.repaint import _ATTRIBUTE

        states = getattr(page, _ATTRIBUTE)
        for state in list(states):
            states[("another state",) + state[1:]] = states.pop(state)
    assert render(b4, ("pdf",), charts=c4, shared=store)["pdf"][0] == alone[4]
    assert all(len(getattr(page, _ATTRIBUTE)) == 2 for page, _ in recordings)


def _templates(tmp_path: Path, css: str) -> Path:
    import shutil

    from reportgen.paths import templates_dir

    folder = tmp_path / "templates"
    shutil.copytree(templates_dir(), folder)
    (folder / "briefing.css").write_text((folder / "briefing.css").read_text("utf-8") + "\n" + css + "\n", "utf-8")
    return folder


def test_an_office_template_that_masks_or_fails_is_painted_for_each_briefing(briefings, tmp_path):
    """Found by review: a mask inside a translucent group was copied as two objects (a PDF with
    `/G None 0 R`); a warning said while the page was first painted was not said again, so the
    later briefings were built with the fallback colour instead of failing like the first."""
    from reportgen.build import render
    from reportgen.errors import BuildError

    (b0, c0), (b2, c2) = briefings[0], briefings[2]
    masked = _templates(tmp_path / "m", ".appendix table { opacity: .9; mask-border-source: url(mask.svg); "
                                        "mask-border-slice: 1; mask-border-width: 2px; }")
    (masked / "mask.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4">'
                                     '<rect width="4" height="4" fill="white"/></svg>', "utf-8")
    store: dict = {}
    for b, charts in ((b0, c0), (b2, c2)):
        alone = render(b, ("pdf",), masked, charts=charts)["pdf"][0]
        assert render(b, ("pdf",), masked, charts=charts, shared=store)["pdf"][0] == alone, b.unit.name
        assert b"None 0 R" not in alone
    wrong = _templates(tmp_path / "w", "figure.chart figcaption { color: color(display-p3 0 0 .5); }")
    store = {}
    for b, charts in ((b0, c0), (b2, c2)):
        with pytest.raises(BuildError, match="display-p3"):
            render(b, ("pdf",), wrong, charts=charts, shared=store)


def test_a_template_whose_appendix_pages_depend_on_the_briefing_is_not_shared(briefings, tmp_path):
    """Found by review: `counter(pages)` on the Phụ lục's first page counted the pages of the
    short layout that checks it (\"1/2\" for \"1/5\"), and a string-set on the issuer's note put
    the first province's name on the others' pages. Such a template's Phụ lục is laid out for
    each briefing."""
    from reportgen.build import render

    from briefing_files import pdf_words

    folder = _templates(tmp_path, '@page appendix { @bottom-center { content: "Trang " counter(page) "/" counter(pages); } }')
    store: dict = {}
    for b, charts in (briefings[0], briefings[2]):
        got = render(b, ("pdf",), folder, charts=charts, shared=store)["pdf"][0]
        assert got == render(b, ("pdf",), folder, charts=charts)["pdf"][0]
        pdf = tmp_path / "got.pdf"
        pdf.write_bytes(got)
        words = " ".join(pdf_words(pdf))
        pages = words.count("Trang ")
        assert pages >= 3 and f"Trang 1/{pages}" in words, words[-400:]
    assert store == {}

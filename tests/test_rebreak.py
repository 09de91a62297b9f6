"""Issue 21: where a line of a paragraph ends, asked again with the same text, width and style
(another province's briefing, a table measured twice), is answered from what was kept
(render/rebreak.py). The PDF must be the bytes WeasyPrint's own line breaking gives."""

from __future__ import annotations


from pathlib import Path

import pytest

DATE = "2025-08-01"


def _own_breaking(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's split_first_line in place of the one rebreak installed."""
    from weasyprint.layout import inline, preferred
    from weasyprint.text import line_break

    original = line_break.split_first_line.__wrapped__
    for module in (line_break, inline, preferred):
        monkeypatch.setattr(module, "split_first_line", original)


@pytest.fixture(scope="module")
def briefings():
    from conftest import prepared_briefings

    return prepared_briefings(("Quảng Ngãi", "Lâm Đồng", "Hà Nội"), DATE)


def test_lines_broken_again_give_the_bytes_weasyprints_breaking_gives(briefings, monkeypatch):
    from reportgen.build import render
    from reportgen.render import rebreak
    from reportgen.render.pdf import font_config

    assert rebreak.install()
    made = [render(b, ("pdf",), charts=charts)["pdf"][0] for b, charts in briefings]
    breaks = getattr(font_config(), rebreak._ATTRIBUTE)
    hits = breaks.hits
    again = [render(b, ("pdf",), charts=charts)["pdf"][0] for b, charts in briefings]
    assert breaks.hits - hits >= 3 * 150         # the second time, each line's end is known
    with monkeypatch.context() as m:
        _own_breaking(m)
        own = [render(b, ("pdf",), charts=charts)["pdf"][0] for b, charts in briefings]
    for (b, _), a, b_again, o in zip(briefings, made, again, own):
        assert a == o and b_again == o, b.unit.name


PAGE = """<!doctype html><html lang="{lang}"><head><style>
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
body {{ font-family: "Liberation Serif"; font-size: 14pt; text-align: justify; }}
.narrow {{ width: 35mm; }} .auto {{ hyphens: auto; }} .all {{ word-break: break-all; }}
.any {{ overflow-wrap: anywhere; }} .pre {{ white-space: pre-wrap; tab-size: 3; }}
.wide {{ letter-spacing: 0.5pt; word-spacing: 2pt; }} .u {{ text-decoration: underline; }}
.tight {{ line-height: 1; }} .ind {{ text-indent: 12mm; }} .small {{ font-size: 9pt; }}
td {{ border: 1px solid black; }}
</style></head><body>{body}</body></html>"""
PARAGRAPH = ("Ủy ban nhân dân tỉnh giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ban, ngành "
             "rà soát 4.475 thủ tục hành chính, bảo đảm tỷ lệ hồ sơ trực tuyến toàn trình đạt 18,3% "
             "trong tháng 8 năm 2025 (Chuyểnđổisốquốcgiatoàndiệnvàbềnvững).")
ENGLISH = "The national committee on digital transformation reviewed administrative procedures extraordinarily."


def _page(lang: str, first: bool) -> str:
    parts = []
    for cls in ("", "narrow", "narrow auto", "narrow all", "narrow any", "pre", "wide", "u", "tight", "ind",
                "small", "narrow small auto"):
        parts.append(f"<p class='{cls}'>{PARAGRAPH}</p>")
        parts.append(f"<p class='{cls}'>{ENGLISH} {ENGLISH.replace('extra', 'extra&shy;')}</p>")
    parts.append(f"<p class='pre'>Số\tthủ tục\t4.475\n{PARAGRAPH}</p>")
    parts.append("<table><tr>" + f"<td>{PARAGRAPH}</td><td>87,7 triệu</td><td>{ENGLISH}</td>" + "</tr></table>")
    if not first:
        parts.insert(0, "<p>Tỉnh Lâm Đồng</p>")
    return PAGE.format(lang=lang, body="\n".join(parts))


def test_other_text_is_broken_as_weasyprint_breaks_it(monkeypatch):
    """Narrow columns, automatic and soft hyphens, words broken anywhere, preserved spaces and
    tabs, spacing, an underline, line heights, an indent, two sizes, a table measured for its
    column widths, in Vietnamese and in English: each document the bytes of WeasyPrint's own
    breaking, four documents in one font configuration."""
    from weasyprint.text.fonts import FontConfiguration

    from reportgen.render import rebreak
    from reportgen.render.engine import weasyprint

    HTML = weasyprint().HTML
    assert rebreak.install()
    fonts = FontConfiguration()
    cases = [(lang, first) for lang in ("vi", "en") for first in (True, False)]
    made = [HTML(string=_page(*case)).write_pdf(font_config=fonts, pdf_identifier=b"0" * 16) for case in cases]
    assert getattr(fonts, rebreak._ATTRIBUTE).hits > 50
    with monkeypatch.context() as m:
        _own_breaking(m)
        own = [HTML(string=_page(*case)).write_pdf(font_config=FontConfiguration(), pdf_identifier=b"0" * 16)
               for case in cases]
    assert made == own


def test_what_is_kept_stays_under_its_limits(monkeypatch):
    from weasyprint.text.fonts import FontConfiguration

    from reportgen.render import rebreak
    from reportgen.render.engine import weasyprint

    monkeypatch.setattr(rebreak, "KEPT", 10)
    monkeypatch.setattr(rebreak, "LONGEST", 300)
    assert rebreak.install()
    fonts = FontConfiguration()
    body = "".join(f"<p>Dòng {i}</p>" for i in range(40)) + f"<p>{'Phụ lục ' * 200}</p>"
    weasyprint().HTML(string=PAGE.format(lang="vi", body=body)).write_pdf(font_config=fonts)
    breaks = getattr(fonts, rebreak._ATTRIBUTE)
    assert len(breaks) == 10 and all(len(key[0]) <= 300 for key in breaks)
    monkeypatch.setattr(rebreak, "KEPT", 1000)
    monkeypatch.setattr(rebreak, "CHARACTERS", 500)
    weasyprint().HTML(string=PAGE.format(lang="vi", body=f"<p>{'Phụ lục tỉnh ' * 20}</p>" * 3)).write_pdf(
        font_config=fonts)
    assert 0 < breaks.characters <= 500 and breaks.characters == sum(len(key[0]) for key in breaks)


def _both_ways(pages: list, monkeypatch: pytest.MonkeyPatch, between=None) -> tuple[list, list, list, list]:  # type: ignore[type-arg, no-untyped-def]
    """`pages` laid out in a row in one font configuration, with rebreak and retext and with
    WeasyPrint's own breaking and drawing (`between(i)` runs before the i-th page each time):
    the PDFs and the warnings of each way."""
    import logging

    from weasyprint.text.fonts import FontConfiguration

    from reportgen.render import parsed, rebreak, retext
    from reportgen.render.engine import warnings_heard, weasyprint
    from test_retext import _own_drawing

    HTML = weasyprint().HTML
    assert rebreak.install() and retext.install() and parsed.install()
    logging.getLogger("weasyprint").setLevel(logging.WARNING)

    def run() -> tuple[list, list]:  # type: ignore[type-arg]
        fonts, made, told = FontConfiguration(), [], []
        for i, page in enumerate(pages):
            if between:
                between(i)
            with warnings_heard() as heard:
                made.append(HTML(string=page).write_pdf(font_config=fonts, pdf_identifier=b"0" * 16))
            told.append([m for m in heard if "fontTools" not in m])
        return made, told

    mine, mine_told = run()
    with monkeypatch.context() as m:
        _own_breaking(m)
        _own_drawing(m)
        own, own_told = run()
    return mine, own, mine_told, own_told


def test_a_face_that_could_not_be_loaded_and_then_can_is_used(tmp_path, monkeypatch):
    """An @font-face whose file is missing for one document and there for the next: WeasyPrint
    tries it again and breaks and draws the second with it; so do the stores."""
    import shutil
    import subprocess

    dejavu = Path(subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans:style=Book"], capture_output=True,
                                 text=True, check=True).stdout)
    face = tmp_path / "face.ttf"
    page = (f"<style>@font-face {{ font-family: Body; src: url({face.as_uri()}); }} body {{ font-family: Body, "
            f"'Liberation Serif'; font-size: 14pt; text-align: justify; }}</style><p>{PARAGRAPH}</p>")

    def between(i: int) -> None:
        if i == 0:
            face.unlink(missing_ok=True)
        else:
            shutil.copy(dejavu, face)

    mine, own, mine_told, own_told = _both_ways([page, page], monkeypatch, between)
    assert mine == own and mine[0] != mine[1] and mine_told == own_told and own_told[0]


def test_a_calc_the_layout_resolves_is_not_kept(monkeypatch):
    """hyphenate-limit-zone: calc(0% + 3rem) is left to the layout, which resolves it against the
    root's font size: the same stylesheet (parsed once) in two documents of other root sizes
    hyphenates differently, as WeasyPrint's own breaking does."""
    style = ("<style>p { font-size: 12pt; hyphens: auto; width: 40mm; text-align: justify; "
             "hyphenate-limit-zone: calc(0% + 3rem); }</style>")
    pages = [f"<html lang='en' style='font-size: {size}px'>{style}<p>{ENGLISH} {ENGLISH}</p></html>"
             for size in (1, 60)]
    mine, own, mine_told, own_told = _both_ways(pages, monkeypatch)
    assert mine == own and mine_told == own_told


def test_a_property_the_breaking_does_not_read_is_not_computed(monkeypatch):
    """A property WeasyPrint reads only to hyphenate, set to a var() that fails: with hyphens
    manual it is never computed, so it warns of nothing (a warning fails a briefing's build)."""
    pages = [f"<p style='hyphenate-limit-zone: var(--nope); tab-size: var(--nope)'>{PARAGRAPH}</p>"] * 2
    mine, own, mine_told, own_told = _both_ways(pages, monkeypatch)
    assert mine == own and mine_told == own_told == [[], []]
    # read where WeasyPrint reads it (a word-break every line break reads): told as it tells it
    pages = [f"<p style='word-break: var(--nope)'>{PARAGRAPH}</p>"] * 2
    mine, own, mine_told, own_told = _both_ways(pages, monkeypatch)
    assert mine == own and mine_told == own_told and own_told[0]

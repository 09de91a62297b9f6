"""Issue 21: where a line of a paragraph ends, asked again with the same text, width and style
(another province's briefing, a table measured twice), is answered from what was kept
(render/rebreak.py). The PDF must be the bytes WeasyPrint's own line breaking gives."""

from __future__ import annotations


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

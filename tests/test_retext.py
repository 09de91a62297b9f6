"""Issue 21: a line of text drawn again (another province's briefing, a figure repeated in a
table) plays what drawing it the first time did, without shaping it again (render/retext.py).
The PDF must be the bytes WeasyPrint's own drawing gives, and a line that cannot be proven so
is drawn as WeasyPrint draws it."""

from __future__ import annotations

from pathlib import Path

import pytest

DATE = "2025-08-01"


def _own_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's draw_text in place of the one retext installed."""
    import weasyprint.draw
    import weasyprint.draw.text

    monkeypatch.setattr(weasyprint.draw, "draw_text", weasyprint.draw.text.draw_text)


def _kept(lines: dict) -> list:  # type: ignore[type-arg]
    """The lines a store keeps: for each text, a line for each style that reads otherwise."""
    return [line for variants in lines.values() for _, line in variants]


def _lines() -> dict:  # type: ignore[type-arg]
    from reportgen.render.pdf import font_config
    from reportgen.render.retext import _ATTRIBUTE

    return getattr(font_config(), _ATTRIBUTE)


@pytest.fixture(scope="module")
def briefings():
    from conftest import prepared_briefings

    return prepared_briefings(("Quảng Ngãi", "Lâm Đồng", "Hà Nội"), DATE)


def test_lines_drawn_again_give_the_bytes_weasyprints_drawing_gives(briefings, monkeypatch):
    from reportgen.build import render
    from reportgen.render import retext

    assert retext.install()
    made = [render(b, ("pdf",), charts=charts)["pdf"][0] for b, charts in briefings]
    lines = _lines()
    played = sum(line.used for line in _kept(lines))
    again = [render(b, ("pdf",), charts=charts)["pdf"][0] for b, charts in briefings]
    # the second time every line of the three briefings is played: none is shaped again
    assert sum(line.used for line in _kept(lines)) - played >= 3 * 200
    with monkeypatch.context() as m:
        _own_drawing(m)
        own = [render(b, ("pdf",), charts=charts)["pdf"][0] for b, charts in briefings]
    for (b, _), a, b_again, o in zip(briefings, made, again, own):
        assert a == o and b_again == o, b.unit.name


PAGE = """<!doctype html><html lang="vi"><head><style>
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
body {{ font-family: "Liberation Serif"; font-size: 14pt; text-align: justify; }}
.u {{ text-decoration: underline; }} .s {{ text-decoration: line-through; }}
.clip {{ width: 40mm; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.wide {{ letter-spacing: 0.5pt; word-spacing: 2pt; }} .small {{ font-size: 9pt; }}
</style></head><body>{body}</body></html>"""
PARAGRAPH = ("Ủy ban nhân dân tỉnh giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ban, ngành "
             "rà soát 4.475 thủ tục hành chính, bảo đảm tỷ lệ hồ sơ trực tuyến toàn trình đạt 18,3% "
             "trong tháng 8 năm 2025.")


def _page(first: bool) -> str:
    parts = [f"<p>{PARAGRAPH}</p>", f"<p class='u'>{PARAGRAPH}</p>", f"<p class='s'>Bãi bỏ {PARAGRAPH}</p>",
             f"<div class='clip'>{PARAGRAPH}</div>", f"<p class='wide'>{PARAGRAPH}</p>",
             f"<p class='small'>{PARAGRAPH}</p>", f"<p><b>{PARAGRAPH}</b> <i>{PARAGRAPH}</i></p>",
             f"<p>{PARAGRAPH} <span class='small'>{PARAGRAPH}</span></p>", "<table><tr>" + "<td>87,7 triệu</td>" * 4 + "</tr></table>"]
    if not first:
        parts.insert(0, "<p>Tỉnh Lâm Đồng</p>")          # another document's first line
    return PAGE.format(body="\n".join(parts * 2))


def test_other_text_is_drawn_as_weasyprint_draws_it(monkeypatch):
    """Underlined and struck-out lines, an ellipsis, letter and word spacing, a line in two sizes,
    bold, italic and smaller runs in a line: each document the bytes of WeasyPrint's drawing,
    in one font configuration (what the first drew is played in the second).

    The second document opens with a line of its own, in the regular font only: its first bold
    and italic lines are noted in the first, but their fonts are not yet in the second. They
    are drawn as WeasyPrint draws them (which puts the font in the document)."""
    from weasyprint.text.fonts import FontConfiguration

    from reportgen.render import retext
    from reportgen.render.engine import weasyprint

    HTML = weasyprint().HTML
    assert retext.install()
    fits, refused = retext._Line.fits, []

    def counted(line, stream):  # type: ignore[no-untyped-def]
        answer = fits(line, stream)
        refused.extend([line] if not answer else [])
        return answer

    fonts = FontConfiguration()
    with monkeypatch.context() as m:
        m.setattr(retext._Line, "fits", counted)
        made = [HTML(string=_page(first)).write_pdf(font_config=fonts, pdf_identifier=b"0" * 16)
                for first in (True, False)]
    lines = getattr(fonts, retext._ATTRIBUTE)
    assert sum(line.used for line in _kept(lines)) > 20
    assert len(refused) == 2              # the first bold line and the first italic line
    with monkeypatch.context() as m:
        _own_drawing(m)
        own = [HTML(string=_page(first)).write_pdf(font_config=FontConfiguration(), pdf_identifier=b"0" * 16)
               for first in (True, False)]
    assert made == own


def test_a_line_noted_with_other_widths_is_drawn_as_weasyprint_draws_it(monkeypatch):
    """A glyph's width sets the kerning written after it, and a document keeps the width a font
    first gave it. A line whose notes hold another width for a glyph the document already has
    (as if noted where the glyph came first in another size) is drawn, and noted again."""
    from weasyprint.text.fonts import FontConfiguration

    from reportgen.render import retext
    from reportgen.render.engine import weasyprint

    HTML = weasyprint().HTML
    assert retext.install()
    fonts = FontConfiguration()
    HTML(string=_page(True)).write_pdf(font_config=fonts)
    lines = getattr(fonts, retext._ATTRIBUTE)
    tampered = {}
    for key, variants in lines.items():
        line = variants[0][1]
        for widths, text in line.fonts.values():
            for glyph in [g for g, chars in text.items() if chars == " "]:
                widths[glyph] += 7
                tampered[key] = line
    assert len(tampered) > 10
    used = {key: line.used for key, line in tampered.items()}
    made = HTML(string=_page(False)).write_pdf(font_config=fonts, pdf_identifier=b"0" * 16)
    assert all(line.used == used[key] for key, line in tampered.items())       # not played
    assert all(lines[key][0][1] is not line for key, line in tampered.items())      # noted again
    with monkeypatch.context() as m:
        _own_drawing(m)
        assert HTML(string=_page(False)).write_pdf(font_config=FontConfiguration(), pdf_identifier=b"0" * 16) == made


def test_what_is_kept_stays_under_its_limit(monkeypatch):
    """At most KEPT lines holding at most CHARACTERS characters, and the glyph widths of at most
    SIZES fonts and sizes."""
    from weasyprint.text.fonts import FontConfiguration

    from reportgen.render import retext
    from reportgen.render.engine import weasyprint

    monkeypatch.setattr(retext, "KEPT", 10)
    monkeypatch.setattr(retext, "SIZES", 3)
    assert retext.install()
    fonts = FontConfiguration()
    body = "".join(f"<p style='font-size: {8 + i % 5}pt'>Dòng {i}</p>" for i in range(40))
    weasyprint().HTML(string=PAGE.format(body=body)).write_pdf(font_config=fonts)
    lines = getattr(fonts, retext._ATTRIBUTE)
    assert len(lines) == 10
    assert 1 <= len(lines.widths) <= 3
    monkeypatch.setattr(retext, "KEPT", 1000)
    monkeypatch.setattr(retext, "CHARACTERS", 200)
    long_lines = "".join(f"<p style='white-space: nowrap'>{i} {'Phụ lục ' * 5}</p>" for i in range(40))
    weasyprint().HTML(string=PAGE.format(body=long_lines)).write_pdf(font_config=fonts)
    assert 0 < lines.characters <= 200 and 2 <= len(lines) <= 5
    assert lines.characters == sum(len(key[0]) + len(key[1]) for key in lines)


def _faces_page(face: Path, body: str) -> str:
    return (f"<style>@font-face {{ font-family: Family; src: url({face.as_uri()}); }} "
            f"body {{ font-family: Family; font-size: 14pt; text-align: justify; }}</style>{body}")


def test_a_family_that_takes_another_file_is_drawn_and_broken_anew(monkeypatch):
    """The same family name given another font file by a later document's @font-face (an office
    that changes its template while the page runs): the lines and breaks kept for the first
    file are let go of, and each document is the bytes of WeasyPrint's own drawing."""
    from weasyprint.text.fonts import FontConfiguration

    from reportgen.render import rebreak, retext
    from reportgen.render.engine import weasyprint
    from reportgen.render.fonts import body_font
    from test_rebreak import _own_breaking

    HTML = weasyprint().HTML
    assert retext.install() and rebreak.install()
    import subprocess

    # DejaVu Serif: a Debian package the README's set-up installs (fonts-dejavu-core)
    other = Path(subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Serif:style=Book"], capture_output=True,
                                text=True, check=True).stdout)
    assert other.name == "DejaVuSerif.ttf", other
    regular = body_font().files["regular"]
    text = f"<p>{PARAGRAPH}</p><p>Ủy ban</p>"
    docs = [_faces_page(regular, text), _faces_page(other, "<p>abc</p>" + text), _faces_page(regular, text)]

    def made(fonts: FontConfiguration) -> list[bytes]:
        return [HTML(string=d).write_pdf(font_config=fonts, pdf_identifier=b"0" * 16) for d in docs]

    mine = made(FontConfiguration())
    with monkeypatch.context() as m:
        _own_drawing(m)
        _own_breaking(m)
        own = made(FontConfiguration())
    assert mine == own and mine[0] != mine[1]


def test_a_missing_glyph_is_told_once(monkeypatch, caplog):
    """A character no font has (U+0378, unassigned) in two sizes: WeasyPrint's warnings, as many
    as its own drawing gives (reportgen refuses such a text before it lays it out; others may not)."""
    import logging

    from weasyprint.text.fonts import FontConfiguration

    from reportgen.render import retext
    from reportgen.render.engine import weasyprint

    HTML = weasyprint().HTML
    assert retext.install()
    page = ("<body style='font-family: Liberation Serif'><p>a \u0378</p><p style='font-size: 31pt'>b \u0378</p>"
            "<p>a \u0378</p></body>")

    def told() -> list[str]:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="weasyprint"):
            HTML(string=page).write_pdf(font_config=FontConfiguration(), pdf_identifier=b"0" * 16)
        return [r.getMessage() for r in caplog.records if "notdef" in r.getMessage()]

    mine = told()
    with monkeypatch.context() as m:
        _own_drawing(m)
        own = told()
    assert own and mine == own

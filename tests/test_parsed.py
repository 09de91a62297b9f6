"""render/parsed.py: a stylesheet WeasyPrint parsed before is taken from the first parse, with
the same result; what would make a later document differ (a warning, a var(), a changed file) is
parsed again."""

from __future__ import annotations

import logging

import pytest

from reportgen.render import parsed
from reportgen.render.engine import weasyprint


@pytest.fixture
def parses(monkeypatch):
    """Count WeasyPrint's own parses (each CSS.__init__ run)."""
    assert parsed.install()
    wp = weasyprint()
    real = wp.CSS.__init__
    count = [0]

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        count[0] += 1
        real(self, *args, **kwargs)

    monkeypatch.setattr(wp.CSS, "__init__", counted)
    monkeypatch.setattr(parsed, "_kept", {})
    return count


def _lay(html: str, base: str | None = None):  # type: ignore[no-untyped-def]
    from reportgen.render.pdf import font_config

    return weasyprint().HTML(string=html, base_url=base).render(font_config=font_config())


def _page(css: str) -> str:
    return f"<html><head><style>{css}</style></head><body><p class='a'>Ủy ban nhân dân</p></body></html>"


def _sizes(document) -> list[tuple[float, float]]:  # type: ignore[no-untyped-def]
    return [(round(p.width, 2), round(p.height, 2)) for p in document.pages]


def _colour(document) -> tuple:  # type: ignore[no-untyped-def, type-arg]
    from weasyprint.formatting_structure import boxes

    text = next(b for b in document.pages[0]._page_box.descendants() if isinstance(b, boxes.TextBox))
    return tuple(text.style["color"])


def test_a_stylesheet_is_parsed_once_and_lays_out_the_same(parses):
    css = "@page { size: 148mm 210mm; margin: 20mm } @page :first { margin-top: 30mm } p.a { color: rgb(200, 0, 0) }"
    first = _lay(_page(css))
    second = _lay(_page(css))
    assert parses[0] == 1                                 # the <style> of the second taken from the first
    assert _sizes(first) == _sizes(second) == [(559.37, 793.7)]   # the @page rules given to the second document
    assert _colour(second) == _colour(first) != (0, 0, 0, 1)
    first_box = first.pages[0]._page_box.children[0]
    assert first_box.position_y == second.pages[0]._page_box.children[0].position_y  # :first's margin too
    _lay(_page(css.replace("200", "201")))
    assert parses[0] == 2                                 # other text: parsed


def test_a_linked_file_is_parsed_again_when_it_changes(parses, tmp_path):
    sheet = tmp_path / "office.css"
    sheet.write_text("p.a { color: rgb(0, 120, 0) }", "utf-8")
    html = "<html><head><link rel='stylesheet' href='office.css'></head><body><p class='a'>Sở</p></body></html>"
    base = tmp_path.as_uri() + "/"
    assert _colour(_lay(html, base)) == _colour(_lay(html, base))
    assert parses[0] == 1
    sheet.write_text("p.a { color: rgb(0, 0, 120) }", "utf-8")
    changed = _lay(html, base)
    assert parses[0] == 2 and _colour(changed)[2] > 0.4


@pytest.mark.parametrize("css", [
    "p.a { colour: red }",                                # a bad declaration: WeasyPrint warns
    "p.a { color: var(--nothing) }",                      # a var(): its failure is said once per parse
    "@layer base { p.a { color: red } }",                 # a layer: the document's list of layers changes
    "p.a { color: v\\61r(--nothing) }",                   # var( spelt with an escape
])
def test_what_would_be_said_or_changed_again_is_parsed_again(parses, css, caplog):
    caplog.set_level(logging.WARNING, logger="weasyprint")
    for _ in range(2):
        _lay(_page(css))
    assert parses[0] == 2
    if "colour" in css:
        assert sum("colour" in r.getMessage() for r in caplog.records) == 2    # a later build fails too


def test_a_long_running_page_keeps_a_few_sheets(parses):
    for n in range(parsed.LIMIT + 5):
        _lay(_page(f"p.a {{ color: rgb({n}, 0, 0) }}"))
    assert len(parsed._kept) == parsed.LIMIT


def test_a_font_configuration_is_not_kept_alive_by_its_parses(parses):
    """WeasyPrint makes a FontConfiguration per document unless given one: its parses go with it
    (it holds a fontconfig set-up and a temporary folder)."""
    import gc
    import weakref

    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    css = "p.a { color: rgb(1, 2, 3) }"
    weasyprint().HTML(string=_page(css)).render(font_config=fonts)
    weasyprint().HTML(string=_page(css)).render(font_config=fonts)
    assert parses[0] == 1 and any(k[-1] == id(fonts) for k in parsed._kept)
    gone, dead = weakref.ref(fonts), id(fonts)
    del fonts
    gc.collect()
    assert gone() is None
    assert not any(k[-1] == dead for k in parsed._kept) and dead not in parsed._watched

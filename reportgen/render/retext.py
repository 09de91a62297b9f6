"""Lines shaped once, drawn many times: the text a worker draws again and again.

WeasyPrint draws each line of text by shaping it again (a new Pango context and layout for the
line) and walking its glyphs one by one: a fifth of a warm briefing's build. A batch worker
draws the same lines for every province — the national results and tasks, the headings, the
Phụ lục's first page — and a briefing draws some lines several times (a table's figures).

Here a line is drawn as WeasyPrint draws it, but onto a stand-in stream that notes what is asked
of it (the fonts, their sizes, the glyph strings) and a stand-in for each font that notes the
glyphs' widths and text; the notes are then played onto the real stream. A line drawn again with
the same text and justification, under a style that gives the same value to each property
shaping it read (engine.Asked: only what WeasyPrint reads is read), plays the notes without Pango.

The notes are played only where they give WeasyPrint's own bytes:
- a line with plain text only: no underline, overline or line-through, no ellipsis, no emoji or
  bitmap font, no glyph missing from its font (a missing glyph fails the build anyway);
- the same calls on the stream, in the same order: its own state (the colour, the font set,
  a text object joined to the one before) decides what is written, as for WeasyPrint's;
- every font the line uses is already in the document (else the line is drawn as WeasyPrint
  draws it, and makes the font), and each glyph's width there is the one the notes used (a
  width sets the kerning written).
`install()` wraps WeasyPrint's draw_text once per process; if WeasyPrint's internals are not
what this relies on, it wraps nothing.
"""

from __future__ import annotations

from typing import Any

from .engine import Asked, Kept, answers, forgotten_with_new_faces, once
from .repaint import fonts_fit, glyphs_taken

KEPT = 4096          # lines kept per font configuration (a briefing draws about 300)
CHARACTERS = 1_000_000   # characters of text the kept lines hold, at most
SIZES = 256          # fonts and sizes whose glyph widths are kept
LONGEST = 4000       # characters of a line beyond which it is not kept
VARIANTS = 4         # lines kept for one text, under styles that read otherwise

_ATTRIBUTE = "_reportgen_lines"


class _Widths(dict):  # type: ignore[type-arg]
    """A line's glyph widths, each noted as drawing uses it: the document's own where it has the
    glyph (it keeps the width a glyph was first given, which sets the kerning written), else one
    the process worked out before for this font and size (`known`: the same font gives the
    same), else Pango's, asked by drawing and kept in `known`."""

    def __init__(self, known: dict[int, int], font: "_Font", own: dict[int, int]) -> None:
        super().__init__()
        self.known, self.font, self.own = known, font, own

    def __contains__(self, glyph: object) -> bool:
        if dict.__contains__(self, glyph):
            return True
        width = self.own.get(glyph)  # type: ignore[call-overload]
        if width is None:
            width = self.known.get(glyph)  # type: ignore[call-overload]
            if width is None:
                return False
        dict.__setitem__(self, glyph, width)
        return True

    def __setitem__(self, glyph: int, width: int) -> None:
        dict.__setitem__(self, glyph, width)
        if not self.font.odd:          # (a missing glyph's width is the layout's, not the font's)
            self.known[glyph] = width


class _Font:
    """A font as draw_first_line sees it, noting the widths and text of every glyph of the line,
    whatever the document knew before: the notes are played in other documents too."""

    def __init__(self, font: Any, known: dict[int, int]) -> None:  # noqa: ANN401
        self._font = font
        # what drawing reads for each glyph, as the font's own
        self.bitmap, self.png, self.svg, self.colr = font.bitmap, font.png, font.svg, font.colr
        self.hash = font.hash
        self.odd = bool(font.bitmap or font.png or font.svg or font.colr)
        self.widths = _Widths(known, self, font.widths)
        self.to_unicode: dict[int, str] = {}

    def get_unused_glyph_id(self, codepoint: int) -> int:
        self.odd = True          # a glyph missing from the font: WeasyPrint warns, the build fails
        return self._font.get_unused_glyph_id(codepoint)

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401
        return getattr(self._font, name)


class _Notes:
    """A stream as draw_first_line uses it, noting the calls. The fonts are the real stream's
    (asking for one puts it in the document, as drawing does)."""

    def __init__(self, stream: Any, known: dict[Any, dict[int, int]]) -> None:  # noqa: ANN401
        self._stream, self._known = stream, known
        self.ink_rect, self.logical_rect = stream.ink_rect, stream.logical_rect
        self.calls: list[tuple[Any, ...]] = []
        self.fonts: dict[Any, _Font] = {}

    def add_font(self, pango_font: Any) -> tuple[_Font, float]:  # noqa: ANN401
        font, size = self._stream.add_font(pango_font)
        key = next(k for k, f in self._stream._fonts.items() if f is font)
        noted = self.fonts.get(key)
        if noted is None:
            if (key, size) not in self._known and len(self._known) >= SIZES:
                self._known.clear()             # (a document in hundreds of sizes: bounded all the same)
            noted = self.fonts[key] = _Font(font, self._known.setdefault((key, size), {}))
        return noted, size

    def set_text_matrix(self, *values: float) -> None:
        self.calls.append(("matrix",))

    def set_font_size(self, font: str, size: float) -> None:
        self.calls.append(("set_font_size", font, size))

    def show_text(self, text: str) -> None:
        self.calls.append(("show_text", text))

    def set_text_rise(self, rise: float) -> None:
        self.calls.append(("set_text_rise", rise))


class _Line:
    __slots__ = ("calls", "fonts", "used")

    def __init__(self, notes: _Notes) -> None:
        self.used = 0                    # times played from the notes kept
        self.calls = notes.calls
        self.fonts = {key: (dict(font.widths), font.to_unicode) for key, font in notes.fonts.items()}

    def fits(self, stream: Any) -> bool:  # noqa: ANN401
        """Every font in the document, with the widths the notes used."""
        return fonts_fit(self.fonts, stream)

    def play(self, stream: Any, matrix: Any) -> None:  # noqa: ANN401
        for call in self.calls:
            if call[0] == "matrix":
                stream.set_text_matrix(*matrix.values)
            else:
                getattr(stream, call[0])(*call[1:])
        glyphs_taken(self.fonts, stream)


class _Lines(Kept):
    """The lines kept for a font configuration, the most recently drawn last, and the glyph
    widths worked out for each of its fonts and sizes."""

    def __init__(self) -> None:
        super().__init__()
        self.widths: dict[Any, dict[int, int]] = {}


@once
def install() -> bool:
    """Wrap WeasyPrint's draw_text; False (nothing wrapped) if WeasyPrint lacks what this relies on."""
    import weasyprint.draw as draw
    from weasyprint.draw import text as drawing
    from weasyprint.draw.color import get_color
    from weasyprint.matrix import Matrix
    from weasyprint.pdf.stream import Stream
    from weasyprint.text.line_break import Layout

    needed = (callable(getattr(draw, "draw_text", None)) and draw.draw_text is drawing.draw_text
              and callable(getattr(drawing, "draw_first_line", None)) and callable(getattr(drawing, "draw_emojis", None))
              and all(callable(getattr(Layout, name, None)) for name in ("reactivate", "deactivate"))
              and all(callable(getattr(Stream, name, None)) for name in
                      ("add_font", "set_color", "begin_text", "end_text", "set_text_matrix", "set_font_size",
                       "show_text", "set_text_rise")))
    if not needed or not forgotten_with_new_faces(_ATTRIBUTE):
        return False
    original, first_line, emojis_of = drawing.draw_text, drawing.draw_first_line, drawing.draw_emojis

    def draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis="none"):  # type: ignore[no-untyped-def]
        style = textbox.style
        # what WeasyPrint's draw_text reads first, in its order (a property computed here for the
        # first time warns as it does there)
        if not style["font_size"] or style["visibility"] != "visible":
            return original(stream, textbox, offset_x, text_overflow, block_ellipsis)
        decoration = style["text_decoration_line"]
        get_color(style, "text_decoration_color")
        if (decoration != "none" or text_overflow == "ellipsis" or block_ellipsis != "none"
                or not isinstance(stream, Stream) or not style["font_size"] >= 1e-6 or not textbox.text.strip()
                or len(textbox.text) > LONGEST):
            return original(stream, textbox, offset_x, text_overflow, block_ellipsis)
        lines = getattr(style.font_config, _ATTRIBUTE, None)
        if lines is None:
            lines = _Lines()
            try:
                setattr(style.font_config, _ATTRIBUTE, lines)
            except AttributeError:
                return original(stream, textbox, offset_x, text_overflow, block_ellipsis)
        layout = textbox.pango_layout
        key = (textbox.text, layout.text, layout.justification_spacing)
        x, y = textbox.position_x, textbox.position_y + textbox.baseline
        matrix = Matrix(d=-1, e=x, f=y)
        stream.set_color(style["color"])
        variants = lines.get(key, ())
        line = answers(variants, style) if variants else None
        if line is not None and line.fits(stream):
            lines.move_to_end(key)
            stream.begin_text()
            line.play(stream, matrix)
            line.used += 1
            stream.end_text()
            return None
        # as WeasyPrint draws it (draw_text, for a line with none of the above), noted: the
        # properties shaping reads, the calls drawing makes
        noted = Asked(style)
        layout.reactivate(noted)
        stream.begin_text()
        notes = _Notes(stream, lines.widths)
        try:
            emojis = first_line(notes, textbox, text_overflow, block_ellipsis, matrix)
        except AttributeError:      # drawing asked the stream for more than this knows: nothing was written
            notes = None
        if notes is None:
            emojis = first_line(stream, textbox, text_overflow, block_ellipsis, matrix)
        else:                # the notes were made with this document's widths: played as they are
            line = _Line(notes)
            line.play(stream, matrix)
            if not emojis and noted.plain() and not any(font.odd for font in notes.fonts.values()):
                variant = (tuple(noted.asked.items()), line)
                lines.keep(key, (variant, *variants)[:VARIANTS], len(key[0]) + len(key[1]), KEPT, CHARACTERS)
        stream.end_text()
        emojis_of(stream, style, x, y, emojis)
        layout.deactivate()
        return None

    draw.draw_text = draw_text
    return True

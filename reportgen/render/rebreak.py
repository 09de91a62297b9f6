"""Lines broken once, laid out many times: where a paragraph's next line ends.

To lay out a line of text WeasyPrint asks Pango where it ends (text/line_break.py,
split_first_line): it shapes the rest of the paragraph, sometimes twice or three times, and
measures the first line. A batch worker lays out the same paragraphs for every province — the
national results and tasks, the Phụ lục's first page — in the same widths: a seventh of a warm
briefing's build. Here the answer is kept by everything the function reads: the text, the width,
the justification, whether the line starts the box, and the style properties it read, with
their values, in the order it read them (engine.Asked). The same question under a style that
gives those values — read in that order, so only what WeasyPrint would read is read — is
answered from what was kept: the same numbers, and a Pango layout in the state WeasyPrint
leaves it (put aside, holding only its text and measures: drawing sets it up again,
render/retext.py). A value that is not plain (a calc() left to the layout) is not kept.

`install()` wraps split_first_line once per process; if WeasyPrint's internals are not what
this relies on, it wraps nothing.
"""

from __future__ import annotations

from .engine import Asked, Kept, answers, forgotten_with_new_faces, once, plain

KEPT = 8192          # texts kept per font configuration (a briefing asks about 200 questions)
CHARACTERS = 2_000_000   # characters of text the kept answers hold, at most
LONGEST = 4000       # characters of text asked about, beyond which nothing is kept (each line of a
                     # paragraph asks about the rest of it: a long one would be kept many times)
VARIANTS = 4         # answers kept for one text in one width, under styles that read otherwise

_ATTRIBUTE = "_reportgen_breaks"


class _Breaks(Kept):
    """The answers kept for a font configuration, the most recently asked last."""

    hits = 0


@once
def install() -> bool:
    """Wrap WeasyPrint's split_first_line; False (nothing wrapped) if WeasyPrint lacks what this relies on."""
    from weasyprint.layout import inline, preferred
    from weasyprint.text import line_break
    from weasyprint.text.line_break import Layout

    original = getattr(line_break, "split_first_line", None)
    if (not callable(original) or getattr(inline, "split_first_line", None) is not original
            or getattr(preferred, "split_first_line", None) is not original
            or not callable(getattr(Layout, "deactivate", None)) or not forgotten_with_new_faces(_ATTRIBUTE)):
        return False

    def split_first_line(text, style, context, max_width, justification_spacing,  # type: ignore[no-untyped-def]
                         is_line_start=True, minimum=False):
        if len(text) > LONGEST:
            return original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        try:
            key = (text, max_width, justification_spacing, bool(is_line_start), bool(minimum))
            hash(key)
            breaks = getattr(style.font_config, _ATTRIBUTE, None)
            if breaks is None:
                breaks = _Breaks()
                setattr(style.font_config, _ATTRIBUTE, breaks)
        except (AttributeError, TypeError):
            return original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        variants = breaks.get(key, ())
        kept = answers(variants, style) if variants else None
        if kept is not None:
            breaks.move_to_end(key)
            breaks.hits += 1
            held, rest = kept
            layout = Layout.__new__(Layout)
            layout.__dict__.update(held)
            return (layout, *rest)
        noted = Asked(style)
        layout, *rest = answer = original(text, noted, context, max_width, justification_spacing,
                                          is_line_start, minimum)
        held = dict(getattr(layout, "__dict__", {}))
        # kept only when the layout was put aside (its Pango objects let go) and holds plain values
        if (type(layout) is Layout and not hasattr(layout, "layout") and held and noted.plain()
                and plain((*held.values(), *rest))):
            variant = (tuple(noted.asked.items()), (held, tuple(rest)))
            breaks.keep(key, (variant, *variants)[:VARIANTS], len(text), KEPT, CHARACTERS)
        return answer

    split_first_line.__wrapped__ = original  # type: ignore[attr-defined]
    line_break.split_first_line = inline.split_first_line = preferred.split_first_line = split_first_line
    return True

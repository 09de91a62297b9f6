"""Pages painted once, written many times: the Phụ lục's pages after its first.

A batch worker and a warm page worker lay out a day's Phụ lục once and give its later pages to
every province (render/pdf.py, _appendix_pages): the same page objects, in the same order.
WeasyPrint still painted them for each province — the table, the charts' SVG drawn letter by
letter — a third of a warm page's build. Here the first briefing's page is painted as WeasyPrint
paints it, then once more into a scratch stream that starts as that one did, and what the
painting did is kept on the page: the content stream's operators, the glyphs it used (widths and
text, in the order first used), the alpha states it named, the groups it made (anchored SVG
text), its marked-content ids. A later briefing's stream takes those, as painting would have
made them.

Only when that is provably the same bytes:
- both paintings gave the same operators and WeasyPrint said nothing while painting (a warning
  fails the build; a line-clamp adds its ellipsis to the box each time it is painted);
- the stream is in the state the recording started from (the same operators before it, the
  same transformation, no colour, alpha or font set, no marked content yet, as many resources);
- every font the page uses is already in the document (made by the notice's pages), and each
  glyph's width there is the one the recording used (a width sets the kerning written);
- the page made no image, pattern, shading, soft mask or numbered graphics state, and no glyph
  was missing from its font.
Otherwise the page is painted as WeasyPrint paints it. `install()` wraps Page.paint once per
process; if WeasyPrint's internals are not what this relies on, it wraps nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .engine import once

_ATTRIBUTE = "_reportgen_painted"       # on a shared page: its recordings, by starting state
_STATE = ("_current_color", "_current_color_stroke", "_current_alpha", "_current_alpha_stroke",
          "_current_font", "_current_font_size", "_old_font", "_old_font_size")


@dataclass
class _Recording:
    operators: list[Any]
    fonts: dict[Any, tuple[dict[int, int], dict[int, str]]]     # key -> (widths, text), first use first
    states: dict[str, Any]                                     # graphics states named by their alpha
    groups: dict[str, Any]                                     # form XObjects it made (anchored SVG text)
    tags: dict[Any, dict[str, Any]] | None
    after: tuple[Any, ...]                                     # the stream's state when it is done
    replayable: bool = True
    used: int = field(default=0)


def shared(pages: list[Any]) -> None:
    """Mark pages that several briefings show as they are (the same objects)."""
    for page in pages:
        if getattr(page, _ATTRIBUTE, None) is None:
            try:
                setattr(page, _ATTRIBUTE, {})
            except AttributeError:
                return


def _key(before: tuple[Any, ...], stream: Any, scale: float) -> tuple[Any, ...]:
    """A recording's key: the stream's state before painting (its _snapshot), hashable."""
    from pydyf import _to_bytes

    last, ctm, current, counts = before
    return (scale, _to_bytes(last[0]) if last else None, tuple(tuple(tuple(row) for row in m) for m in ctm),
            None if stream._tags is None else len(stream._tags), tuple(counts[k] for k in _COUNTED),
            stream.compress, current)


_COUNTED = ("XObject", "Pattern", "Shading", "ExtGState")


def _copy(value: Any, made: dict[int, Any] | None = None) -> Any:
    """A PDF object graph made by painting, as new objects: writing a PDF numbers its XObjects
    and puts references in their place, so no two documents may share one. An object found
    twice in the graph is copied once."""
    import pydyf

    made = {} if made is None else made
    if id(value) in made:
        return made[id(value)]
    if isinstance(value, pydyf.Stream):
        copy = made[id(value)] = pydyf.Stream(list(value.stream), None, value.compress)
        copy.extra = _copy(value.extra, made)
        return copy
    if isinstance(value, dict):
        copy = made[id(value)] = type(value)()
        copy.update((k, _copy(v, made)) for k, v in value.items())
        return copy
    if isinstance(value, list):
        copy = made[id(value)] = type(value)()
        copy.extend(_copy(v, made) for v in value)
        return copy
    return value


def _snapshot(stream: Any) -> tuple[Any, ...]:
    """What painting reads of the stream before it: its last operator, transformation, state and
    the number of each kind of resource (a new one's name counts them)."""
    return (list(stream.stream[-1:]), list(stream._ctm_stack), tuple(getattr(stream, name) for name in _STATE),
            {kind: len(stream._resources[kind]) for kind in _COUNTED})


def _record(page: Any, stream: Any, scale: float, paint: Any, before: tuple[Any, ...], painted: list[Any]) -> _Recording:
    """Paint the page again into a scratch stream that starts as `stream` did (`before`), and
    keep what it did. `painted`: the operators the page's own painting gave `stream`; the
    recording is used only where the two agree, and where this painting told nothing."""
    import logging

    import pydyf

    last, ctm, current, counts = before
    resources = pydyf.Dictionary({"ExtGState": pydyf.Dictionary(), "XObject": pydyf.Dictionary(),
                                  "Pattern": pydyf.Dictionary(), "Shading": pydyf.Dictionary(),
                                  "ColorSpace": stream._resources["ColorSpace"]})
    # as many entries as the document had (names are counted), none of them its own
    placeholders = {kind: [f" {kind}{i}" for i in range(counts[kind])] for kind in _COUNTED}
    for kind, names in placeholders.items():
        for name in names:
            resources[kind][name] = None
    fonts: dict[Any, Any] = {}
    images: dict[Any, Any] = {}
    scratch = stream.clone(fonts=fonts, resources=resources, images=images,
                           tags=None if stream._tags is None else {})
    scratch.stream = list(last)                          # what pop_state and begin_text look back at
    scratch._ctm_stack = list(ctm)
    for name, value in zip(_STATE, current):
        setattr(scratch, name, value)
    told: list[logging.LogRecord] = []

    def heard(record: logging.LogRecord) -> bool:
        told.append(record)
        return False          # said once already, by the page's own painting

    logger = logging.getLogger("weasyprint")
    logger.addFilter(heard)
    try:
        paint(page, scratch, scale)
    finally:
        logger.removeFilter(heard)
    made = {kind: {k: v for k, v in resources[kind].items() if k not in placeholders[kind]} for kind in _COUNTED}
    recording = _Recording(
        operators=scratch.stream[len(last):],
        fonts={key: (dict(font.widths), dict(font.to_unicode)) for key, font in fonts.items()},
        states=made["ExtGState"],
        groups=_copy(made["XObject"]),                   # (lets go of the scratch fonts)
        tags=None if scratch._tags is None else dict(scratch._tags),
        after=(list(scratch._ctm_stack), tuple(getattr(scratch, name) for name in _STATE)))
    recording.replayable = (
        not told and scratch.stream[:len(last)] == last and not images
        and not made["Pattern"] and not made["Shading"]
        and all(k[:1] in ("a", "A") and "SMask" not in v for k, v in made["ExtGState"].items())
        and all(_copyable(v) for v in made["XObject"].values())
        and not any(font.missing for font in fonts.values())
        # the same operators as the page's own painting: painting it twice gives the same (a
        # line-clamp's ellipsis is added to the box each time), unless a width the document held
        # before sets other kerning, which _fits tells each briefing
        and (recording.operators == painted or not _fits(recording, stream)))
    return recording


def _copyable(group: Any) -> bool:
    """Whether a group (and every one within it) holds only operators, alpha states and groups:
    an image, pattern or soft mask is written by reference to the document's own objects."""
    import pydyf

    if not isinstance(group, pydyf.Stream) or "SMask" in group.extra:
        return False
    resources = group.extra.get("Resources") or {}
    if resources.get("Pattern") or resources.get("Shading"):
        return False
    if not all(str(k)[:1] in ("a", "A") and "SMask" not in v for k, v in (resources.get("ExtGState") or {}).items()):
        return False
    return all(_copyable(x) for x in (resources.get("XObject") or {}).values())


def _fits(recording: _Recording, stream: Any) -> bool:
    return fonts_fit(recording.fonts, stream)


def fonts_fit(fonts: dict[Any, tuple[dict[int, int], dict[int, str]]], stream: Any) -> bool:
    """Whether every font noted (key -> (widths, text) of the glyphs used) is in the stream's
    document with the widths the noted painting used: a width sets the kerning written."""
    for key, (widths, _) in fonts.items():
        font = stream._fonts.get(key)
        if font is None:
            return False            # painting would make the font: painted as WeasyPrint does
        known = font.widths
        for glyph, width in widths.items():
            if known.get(glyph, width) != width:
                return False
    return True


def glyphs_taken(fonts: dict[Any, tuple[dict[int, int], dict[int, str]]], stream: Any) -> None:
    """The noted glyphs' widths and text put in the document's fonts, as painting puts them."""
    for key, (widths, text) in fonts.items():
        font = stream._fonts[key]
        for glyph, width in widths.items():
            font.widths.setdefault(glyph, width)
        for glyph, chars in text.items():
            font.to_unicode.setdefault(glyph, chars)


def _replay(recording: _Recording, stream: Any) -> None:
    stream.stream.extend(recording.operators)
    glyphs_taken(recording.fonts, stream)
    states = stream._resources["ExtGState"]
    for name, value in recording.states.items():
        if name not in states:
            states[name] = type(value)(value)          # the document's own, as painting makes it
    stream._resources["XObject"].update(_copy(recording.groups))
    if recording.tags is not None:
        stream._tags.update((box, dict(tag)) for box, tag in recording.tags.items())   # (WeasyPrint pops them)
    ctm, current = recording.after
    stream._ctm_stack = list(ctm)
    for name, value in zip(_STATE, current):
        setattr(stream, name, value)
    recording.used += 1


@once
def install() -> bool:
    """Wrap WeasyPrint's Page.paint; False (nothing wrapped) if WeasyPrint lacks what the
    recording relies on."""
    from weasyprint.document import Page
    from weasyprint.pdf.stream import Stream

    if not callable(getattr(Page, "paint", None)) or not callable(getattr(Stream, "clone", None)):
        return False
    paint = Page.paint
    fields = ("stream", "compress", "_fonts", "_resources", "_images", "_tags", "_ctm_stack") + _STATE

    def painted(page, stream, scale=1):  # type: ignore[no-untyped-def]
        recordings = getattr(page, _ATTRIBUTE, None)
        if recordings is None or not all(hasattr(stream, name) for name in fields):
            return paint(page, stream, scale)
        before = _snapshot(stream)
        state = _key(before, stream, scale)
        try:
            recording = recordings.get(state)
        except TypeError:               # a state WeasyPrint keeps in a form that cannot be a key
            return paint(page, stream, scale)
        if recording is None:
            # the first briefing's page painted as WeasyPrint paints it, then once more for the record
            start = len(stream.stream)
            paint(page, stream, scale)
            try:
                recording = _record(page, stream, scale, paint, before, stream.stream[start:])
            except (AttributeError, KeyError, TypeError):
                recording = _Recording([], {}, {}, {}, None, ((), ()), replayable=False)
            recordings[state] = recording
            return None
        if recording.replayable and _fits(recording, stream):
            _replay(recording, stream)
            return None
        return paint(page, stream, scale)

    Page.paint = painted
    return True

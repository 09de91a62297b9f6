"""Pages painted once, written many times: the Phụ lục's pages after its first.

A batch worker and a warm page worker lay out a day's Phụ lục once and give its later pages to
every province (render/pdf.py, _appendix_pages): the same page objects, in the same order.
WeasyPrint still painted them for each province — the table, the charts' SVG drawn letter by
letter — a fifth of each briefing's time. Here a shared page is painted once into a scratch
stream, and what that painting does is kept on the page: the content stream's operators, the
glyphs it used (widths and text, in the order first used), the graphics states it named, its
marked-content ids. A later province's stream takes those, as painting would have made them.

Only when the result is provably the same bytes:
- the stream is in the state the recording started from (the same operators before it, the
  same transformation, no colour, alpha or font set, no marked content yet);
- every font the page uses is already in the document (made by the notice's pages), and each
  glyph's width there is the one the recording used (a width sets the kerning written);
- the page made no XObject, pattern, shading, image or numbered graphics state (their names
  count what came before), and no glyph was missing from its font.
Otherwise the page is painted as WeasyPrint paints it. `install()` wraps Page.paint once per
process; if WeasyPrint's internals are not what this relies on, it wraps nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

_installed: bool | None = None
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


def _state(stream: Any, scale: float) -> tuple[Any, ...]:
    from pydyf import _to_bytes

    last = _to_bytes(stream.stream[-1]) if stream.stream else None
    ctm = tuple(tuple(tuple(row) for row in m) for m in stream._ctm_stack)
    tags = None if stream._tags is None else len(stream._tags)
    # a group's name counts the document's XObjects before it ("x3")
    counts = tuple(len(stream._resources[k]) for k in _COUNTED)
    return (scale, last, ctm, tags, counts, stream.compress, tuple(getattr(stream, name) for name in _STATE))


_COUNTED = ("XObject", "Pattern", "Shading", "ExtGState")


def _copy(value: Any) -> Any:
    """A PDF object graph made by painting, as new objects: writing a PDF numbers its XObjects
    and puts references in their place, so no two documents may share one."""
    import pydyf

    if isinstance(value, pydyf.Stream):
        return pydyf.Stream(list(value.stream), _copy(value.extra), value.compress)
    if isinstance(value, dict):
        return type(value)({k: _copy(v) for k, v in value.items()})
    if isinstance(value, list):
        return type(value)(_copy(v) for v in value)
    return value


def _record(page: Any, stream: Any, scale: float, paint: Any) -> _Recording:
    import pydyf

    resources = pydyf.Dictionary({"ExtGState": pydyf.Dictionary(), "XObject": pydyf.Dictionary(),
                                  "Pattern": pydyf.Dictionary(), "Shading": pydyf.Dictionary(),
                                  "ColorSpace": stream._resources["ColorSpace"]})
    # as many entries as the document has (names are counted), none of them its own
    placeholders = {kind: [f" {kind}{i}" for i in range(len(stream._resources[kind]))] for kind in _COUNTED}
    for kind, names in placeholders.items():
        for name in names:
            resources[kind][name] = None
    fonts: dict[Any, Any] = {}
    images: dict[Any, Any] = {}
    scratch = stream.clone(fonts=fonts, resources=resources, images=images,
                           tags=None if stream._tags is None else {})
    scratch.stream = list(stream.stream[-1:])           # what pop_state and begin_text look back at
    seeded = len(scratch.stream)
    scratch._ctm_stack = list(stream._ctm_stack)
    for name in _STATE:
        setattr(scratch, name, getattr(stream, name))
    paint(page, scratch, scale)
    made = {kind: {k: v for k, v in resources[kind].items() if k not in placeholders[kind]} for kind in _COUNTED}
    replayable = (scratch.stream[:seeded] == stream.stream[-1:] and not images
                  and not made["Pattern"] and not made["Shading"]
                  and all(k[:1] in ("a", "A") for k in made["ExtGState"])
                  and all(isinstance(v, pydyf.Stream) and not _holds_images(v) for v in made["XObject"].values())
                  and not any(font.missing for font in fonts.values()))
    return _Recording(
        operators=scratch.stream[seeded:],
        fonts={key: (dict(font.widths), dict(font.to_unicode)) for key, font in fonts.items()},
        states=made["ExtGState"],
        groups={name: _copy(group) for name, group in made["XObject"].items()},   # (lets go of the scratch fonts)
        tags=None if scratch._tags is None else dict(scratch._tags),
        after=(list(scratch._ctm_stack), tuple(getattr(scratch, name) for name in _STATE)),
        replayable=replayable)


def _holds_images(group: Any) -> bool:
    """Whether a group (or one within it) shows an image or a pattern: written by reference
    to the document's own image store, it cannot be copied."""
    resources = group.extra.get("Resources") or {}
    if resources.get("Pattern") or resources.get("Shading") or "SMask" in group.extra:
        return True
    return any(not hasattr(x, "extra") or _holds_images(x) for x in (resources.get("XObject") or {}).values())


def _fits(recording: _Recording, stream: Any) -> bool:
    if not recording.replayable:
        return False
    for key, (widths, _) in recording.fonts.items():
        font = stream._fonts.get(key)
        if font is None:
            return False            # the page would make the font: painted as WeasyPrint does
        known = font.widths
        for glyph, width in widths.items():
            if known.get(glyph, width) != width:
                return False
    return True


def _replay(recording: _Recording, stream: Any) -> None:
    stream.stream.extend(recording.operators)
    for key, (widths, text) in recording.fonts.items():
        font = stream._fonts[key]
        for glyph, width in widths.items():
            font.widths.setdefault(glyph, width)
        for glyph, chars in text.items():
            font.to_unicode.setdefault(glyph, chars)
    states = stream._resources["ExtGState"]
    for name, value in recording.states.items():
        if name not in states:
            states[name] = type(value)(value)          # the document's own, as painting makes it
    groups = stream._resources["XObject"]
    for name, group in recording.groups.items():
        groups[name] = _copy(group)
    if recording.tags is not None:
        stream._tags.update((box, dict(tag)) for box, tag in recording.tags.items())   # (WeasyPrint pops them)
    ctm, current = recording.after
    stream._ctm_stack = list(ctm)
    for name, value in zip(_STATE, current):
        setattr(stream, name, value)
    recording.used += 1


def install() -> bool:
    """Wrap WeasyPrint's Page.paint once per process; False (nothing wrapped) if WeasyPrint
    lacks what the recording relies on."""
    global _installed
    if _installed is not None:
        return _installed
    _installed = False
    try:
        from weasyprint.document import Page
        from weasyprint.pdf.stream import Stream
    except ImportError:
        return False
    if not callable(getattr(Page, "paint", None)) or not callable(getattr(Stream, "clone", None)):
        return False
    paint = Page.paint
    fields = ("stream", "compress", "_fonts", "_resources", "_images", "_tags", "_ctm_stack") + _STATE

    def painted(page, stream, scale=1):  # type: ignore[no-untyped-def]
        recordings = getattr(page, _ATTRIBUTE, None)
        if recordings is None or not all(hasattr(stream, name) for name in fields):
            return paint(page, stream, scale)
        state = _state(stream, scale)
        recording = recordings.get(state)
        if recording is None:
            try:
                recording = _record(page, stream, scale, paint)
            except (AttributeError, KeyError, TypeError):
                recording = _Recording([], {}, {}, {}, None, ((), ()), replayable=False)
            recordings[state] = recording
        if not _fits(recording, stream):
            return paint(page, stream, scale)
        _replay(recording, stream)
        return None

    Page.paint = painted
    _installed = True
    return True

"""Where sentences, clauses and segments of a document start and end.

Extraction works on character spans of the NFC text so that every quote it emits is a
verbatim slice of the source. Paragraph = line; sentence ends at . ! ? before a
capital; clause ends at ';' or ':'; segment ends at ', ' (a comma followed by a space,
so decimal commas never split).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import patterns

# A sentence's end: its full stop (or ! ? …), closing quotes or brackets and spaces before a
# letter. The break is what follows the stop (the match from its second character): a pattern
# that opens with the stop is searched from stop to stop, not tried at every character.
_SENTENCE_END = patterns.compile(r"[.!?…][\"”’)]*\s+(?=[\"“(]?[^\W\d_])")
# Abbreviations that end in a full stop without ending the sentence: "TP. Huế", "T.Ư.", "PGS. TS."
_ABBREV_TAIL = patterns.compile(r"(?:^|[\s(/])(?:TP|Tp|TX|TT|TS|ThS|PGS|GS|BS|KS|Q|P|Th|St)\.$")
_ENUM_TAIL = patterns.compile(r"(?:^|[.:;]\s+|\n\s*)(?:\d{1,2}|[IVX]{1,4}|[a-zđ])\.$")
_CLAUSE_END = patterns.compile(r"[;:]\s+")
# "(?<!\s)": a run of spaces not followed by "(" is tried once, not from each of its
# spaces (that was quadratic in the length of the run).
_SEGMENT_END = patterns.compile(r",\s+|(?<!\s)\s+\(|\)\s*")


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _split(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[Span]:
    spans, pos = [], start
    for m in pattern.finditer(text, start, end):
        if m.start() > pos:
            spans.append(Span(pos, m.start()))
        pos = m.end()
    if pos < end:
        spans.append(Span(pos, end))
    return [s for s in spans if text[s.start:s.end].strip()]


def paragraphs(text: str, start: int, end: int) -> list[Span]:
    spans, pos = [], start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if text[pos:stop].strip():
            spans.append(Span(pos, stop))
        pos = stop + 1
    return spans


def sentences(text: str, para: Span) -> list[Span]:
    """Sentences of a paragraph: a break needs a capital letter after it, and not a
    list number ("1. Những kết quả") before it."""
    out, pos = [], para.start
    # (a stop just before the paragraph ends a sentence at its very start)
    for m in _SENTENCE_END.finditer(text, max(0, para.start - 1), para.end):
        cut = m.start() + 1
        nxt = text[m.end(): m.end() + 2].lstrip("\"“(")[:1]
        if not nxt.isupper():
            continue
        tail = _tail(text, pos, cut)
        if _ENUM_TAIL.search(tail) or _ABBREV_TAIL.search(tail):
            continue
        out.append(Span(pos, cut))
        pos = m.end()
    out.append(Span(pos, para.end))
    return [s for s in out if text[s.start:s.end].strip()]


def _tail(text: str, start: int, end: int) -> str:
    """The end of text[start:end] that _ENUM_TAIL and _ABBREV_TAIL can match: the last six
    characters, the spaces before them and one more. Searching all of text[start:end] for
    each full stop was quadratic in a long paragraph of "TP. Huế TP. Huế …". When cut, it
    starts with NUL so that their "^" (the sentence's start) cannot match there."""
    lo = max(start, end - 6)
    while lo > start and text[lo - 1].isspace():
        lo -= 1
    lo = max(start, lo - 1)
    return text[lo:end] if lo == start else "\x00" + text[lo:end]


def clauses(text: str, sent: Span) -> list[Span]:
    return _split(text, sent.start, sent.end, _CLAUSE_END)


def segments(text: str, clause: Span) -> list[Span]:
    return _split(text, clause.start, clause.end, _SEGMENT_END)


def enclosing(spans: list[Span], pos: int) -> Span | None:
    for s in spans:
        if s.start <= pos < s.end:
            return s
    return None


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span past spaces and dangling punctuation at both ends."""
    if text[start:end].rstrip().endswith("./."):
        end = start + len(text[start:end].rstrip()) - 3
    while start < end and (text[start].isspace() or text[start] in ",;:.\"“|-–"
                           or (text[start] == "(" and ")" not in text[start:start + 8])):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:(\"“|-–"):
        end -= 1
    while end > start and text[end - 1] == "." and not text[start:end - 1].rstrip()[-1:].isdigit():
        end -= 1
        break
    return start, end

"""The day the event a document reports was held, read as a careful reader reads it.

The day comes from the text: a full date ("Ngày 24 tháng 9 năm 2025, tại Trụ sở Chính phủ,
… chủ trì Phiên họp lần thứ tư"), a day and month that take the year of the document
("Chiều 24/9", "sáng 8-8", "Ngày 18.1", "phiên họp sáng 25.2", "…, chiều 24/9."), or words
relative to the day it was published ("Sáng nay", "chiều qua", "hôm qua"; "chiều 6/2 vừa
qua"). A date is the event's only when its sentence speaks of the event: the meeting it
names ("phiên họp thứ 5 ngày 15/11", "tại cuộc họp ngày 27/6/2025") or, for a date that
opens the sentence, what was done that day ("Chiều 24/9, … chủ trì Phiên họp").

Never the event's day: the document's own date ("Hà Nội, ngày 10 tháng 10 năm 2025"), the
date of a document the text names ("Thông báo số 408/TB-VPCP ngày 8/8/2025"; "Ngày
23/02/2025, Văn phòng Chính phủ có Thông báo …"), a deadline or a starting point ("trước
ngày 15/11/2025", "từ ngày 01/7/2025"), and the day of another event the text names — one
it looks back to ("Từ sau Phiên họp tổng kết … (ngày 06/02/2025)", "sau Hội nghị … ngày
13/01/2025"), or one of another number or body than the document's.

Everything runs on the folded text (same offsets as the NFC text); each date looks at a
bounded window around it, so a long text costs time linear in its length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from .. import patterns
from . import spans as sp

# A part of the day or "ngày", what may stand between it and the date ("nay", "ngày", a
# weekday, a comma, an opening bracket), then the date: "Chiều 24/9", "Sáng ngày 27/4/2022",
# "Sáng nay (12/10)", "Ngày 18-3", "Chiều thứ Tư (24/9)", "sáng 25.2", "Ngày 6.1.2022".
_LEAD = r"(?<![a-z0-9])(sang|chieu|toi|trua|dem|ngay)"
_BETWEEN = (r"(?:\s+(?:nay|hom nay|ngay|hom))?"
            r"(?:\s*,?\s*(?:thu\s+(?:hai|ba|tu|nam|sau|bay)|chu\s+nhat))?\s*,?\s*\(?\s*")
_NUMERIC = r"(\d{1,2})([/.-])(\d{1,2})(?:[/.-](\d{4}))?(?![\d/.-]\d)"
_WORDS = r"(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*,?\s+nam\s+(\d{4}))?(?!\d)"
_DATED = patterns.compile(_LEAD + _BETWEEN + r"(?:" + _NUMERIC + r"|" + _WORDS + r")")
# Words relative to the day of publication, with no day and month after them.
_RELATIVE = patterns.compile(r"(?<![a-z0-9])(?:(?:sang|chieu|toi|trua|dem) (?:nay|qua)|hom (?:nay|qua)|(?:dem|toi) hom qua)"
                       r"(?![a-z0-9])(?!\s*,?\s*\(?\s*\d)")
_PAST = patterns.compile(r"\s*\)?\s*vừa (?:qua|rồi)(?!\w)")

# These run on the lower-cased NFC text, where "từ" (from) is not "thứ tư" (fourth), "sau"
# (after) not "sáu" (six), "tới" (until) not "tối" (evening), "họp" (meet) not "hợp".
# Words that, just before a date, make it a deadline, a starting point or a cut-off day.
_NOT_HELD_BEFORE = patterns.compile(r"(?<!\w)(?:trước|đến|tới|chậm nhất|hạn|hạn chót|từ|kể từ|tính đến|sau|"
                              r"ban hành|hiệu lực)\s*(?:ngày\s*)?$")
# Words that make a meeting one the text looks back to: "Từ sau Phiên họp …", "sau Hội nghị …".
_LOOKS_BACK = patterns.compile(r"(?<!\w)(?:sau|trước|kể từ|từ)\s*$")
# What was done on a day that opens a sentence: holding or attending a meeting …
_HOLDING = patterns.compile(r"(?<!\w)(chủ trì|tổ chức|diễn ra|khai mạc|họp|tham dự|dự)(?!\w)")
# … or issuing a document: "Ngày 23/02/2025, Văn phòng Chính phủ có Thông báo số …".
_ISSUING = patterns.compile(r"(?<!\w)(ban hành|ký|có (?:thông báo|văn bản|công văn|công điện|quyết định|kết luận)|"
                      r"phê duyệt|gửi|thông báo kết luận)(?!\w)")

# These run on the folded text.
# A document's number ("408/TB-VPCP", "57-NQ/TW", "06/QĐ-TTg"), maybe with its issuer, just
# before "ngày …": the date of that document.
_DOCUMENT_BEFORE = patterns.compile(r"(?<![a-z0-9])\d{1,5}(?:/\d{4})?[/-][a-z0-9/-]*[a-z][a-z0-9/-]*\)?"
                              r"(?:\s+(?:cua|do)\s+[^,.;:()\n]{1,80}?)?\s*,?\s*$")
# The meetings a date can be the day of.
_MEETING = patterns.compile(r"(?<![a-z])(phien hop|cuoc hop|hoi nghi|hop phien|phien thu|ky hop)(?![a-z])")
_NUMBER_AFTER = patterns.compile(r"\s*(?:truc tuyen\s+|thuong ky\s+|chuyen de\s+)?(?:lan\s+)?thu\s+"
                           r"(\d{1,2}|[ivx]{1,5}|muoi (?:mot|hai|ba|bon|lam)|nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi)"
                           r"(?![a-z0-9])")
_ORDINALS = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
             "muoi mot": 11, "muoi hai": 12, "muoi ba": 13, "muoi bon": 14, "muoi lam": 15}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10, "xi": 11,
          "xii": 12, "xiii": 13, "xiv": 14, "xv": 15}
_WINDOW = 300      # how far around a date its sentence is read
_ATTACHED = 130    # how far a date may follow the meeting it is the day of, with no comma between


def ordinal(word: str) -> int | None:
    """A session number as written after "thứ": "4", "tư", "mười một", "IV"."""
    word = word.strip()
    if word.isdigit():
        return int(word)
    return _ORDINALS.get(word) or _ROMAN.get(word)


@dataclass(frozen=True)
class Held:
    day: date
    start: int            # the words that state it, in the text given
    end: int
    guessed: bool         # its year is a guess: neither the text nor the document's own date gives it


@dataclass(frozen=True)
class Reader:
    """What the document is, for telling its event from others its text names."""
    number: int | None = None                       # the session number it reports
    body: str | None = None                         # the body that held it
    bodies: Callable[[str, int, int], str | None] | None = None   # the body named in folded[a:b], if any
    published: date | None = None                   # the document's own date (publication or issue)
    year_guess: int | None = None                   # the year it was written in, guessed from the years it names


def find_held(text: str, folded: str, start: int, end: int, reader: Reader) -> Held | None:
    """The day the event was held, from text[start:end] (folded: fold(text)), or None."""
    bounds = _sentences(text, start, end)
    candidates = sorted([(m.start(), 0, m) for m in _DATED.finditer(folded, start, end)]
                        + [(m.start(), 1, m) for m in _RELATIVE.finditer(folded, start, end)], key=lambda c: c[:2])
    for _, relative, m in candidates:
        s_lo, s_hi = _sentence_of(bounds, m.start(), start, end)
        lo, hi = max(s_lo, m.start() - _WINDOW), min(s_hi, m.end() + _WINDOW)
        if not _is_held(text, folded, m, lo, hi, reader):
            continue
        day = _relative_day(m, reader) if relative else _day(text, m, reader)
        if day is not None:
            return Held(day[0], m.start(), m.end(), day[1])
    return None


def _sentences(text: str, start: int, end: int) -> list[int]:
    """Where the sentences of text[start:end] start and its paragraphs end. A line that
    goes on on the next (a page copied with its line breaks: "Ngày 24 tháng 4 năm 2024, tại"
    / "trụ sở Chính phủ, …") is one paragraph with it."""
    out = []
    for para in unwrapped_paragraphs(text, start, end):
        out += [s.start for s in sp.sentences(text, para)]
        out.append(para.end)
    return out


_GOES_ON = patterns.compile(r"[^.!?:;…|]\s*$")


def goes_on(text: str, line_end: int) -> bool:
    """Whether the line that ends at line_end (a line break) goes on on the next line: it
    does not end a sentence and the next line starts with a small letter or a digit."""
    nxt = text[line_end + 1: line_end + 2]
    return bool(nxt) and (nxt.islower() or nxt.isdigit()) and _GOES_ON.search(text, max(0, line_end - 3), line_end) is not None


def unwrapped_paragraphs(text: str, start: int, end: int) -> list[sp.Span]:
    """The paragraphs of text[start:end], lines that go on on the next joined to it."""
    out: list[sp.Span] = []
    for para in sp.paragraphs(text, start, end):
        if out and out[-1].end + 1 == para.start and goes_on(text, out[-1].end):
            out[-1] = sp.Span(out[-1].start, para.end)
        else:
            out.append(para)
    return out


def _sentence_of(bounds: list[int], at: int, start: int, end: int) -> tuple[int, int]:
    k = bisect_right(bounds, at)
    return (bounds[k - 1] if k else start), (bounds[k] if k < len(bounds) else end)


def _is_held(text: str, folded: str, m: re.Match[str], lo: int, hi: int, reader: Reader) -> bool:
    at = m.start()
    if m.re is _DATED and m.group(1) == "ngay":
        # "Hà Nội, ngày 10 tháng 10 năm 2025" opening a line: the document's own date.
        line = folded.rfind("\n", max(0, at - 48), at)       # looked for near it only: linear in a long line
        head = folded[line + 1: at].rstrip() if line >= 0 or at <= 48 else ""
        if head.endswith(",") and 2 <= len(head) <= 41 and not _MEETING.search(head):
            return False
        if _DOCUMENT_BEFORE.search(folded, max(lo, at - 120), at):
            return False    # "Thông báo số 408/TB-VPCP ngày 8/8/2025": a document's date
    if _NOT_HELD_BEFORE.search(text[max(lo, at - 25): at].lower()):
        return False        # "trước ngày 15/11/2025", "từ ngày 01/7/2025"
    # The meeting it is the day of: one named just before it, with no comma between ("phiên
    # họp thứ 5 ngày 15/11", "tại cuộc họp ngày 27/6/2025"), or earlier in a sentence the date
    # closes ("… kết luận phiên họp thứ 4 Ban Chỉ đạo …, chiều 24/9.").
    before = list(_MEETING.finditer(folded, lo, at))
    if before:
        meeting = before[-1]
        between = folded[meeting.end(): at]
        closes = re.match(r"\s*\)?\s*(?:[.;]|$)", folded[m.end(): hi + 1]) is not None or m.end() >= hi
        if (len(between) <= _ATTACHED and not re.search(r"[,;:]", between)) or closes:
            return not _looks_back(text, meeting.start(), lo) and _same_event(folded, meeting, at, reader)
    # A date that opens what the sentence says was done that day: a meeting held or attended
    # ("Chiều 24/9, … chủ trì Phiên họp …"), not a document issued.
    words = text[m.end(): hi].lower()
    holding, issuing = _HOLDING.search(words), _ISSUING.search(words)
    after = _MEETING.search(folded, m.end(), hi)
    firsts = [x for x in (holding.start() if holding else None, after.start() - m.end() if after else None)
              if x is not None]
    if not firsts or (issuing is not None and issuing.start() < min(firsts)):
        return False
    if after is not None:
        return not _looks_back(text, after.start(), m.end()) and _same_event(folded, after, hi, reader)
    return True


def _looks_back(text: str, at: int, lo: int) -> bool:
    return _LOOKS_BACK.search(text[max(lo, at - 12): at].lower()) is not None


def _same_event(folded: str, meeting: re.Match[str], until: int, reader: Reader) -> bool:
    """Whether the meeting named at `meeting` can be the document's: no other number, no other body."""
    n = _NUMBER_AFTER.match(folded, meeting.end(), meeting.end() + 40)
    if n and reader.number and ordinal(n.group(1)) not in (None, reader.number):
        return False
    if reader.bodies and reader.body:
        named = reader.bodies(folded, meeting.end(), min(max(until, meeting.end()), meeting.end() + 160))
        if named and named != reader.body:
            return False
    return True


def _year(month: int, day: int, reader: Reader, past: bool) -> tuple[int, bool] | None:
    """The year of a day and month: the one that puts it nearest the document's own date (on
    or before it after "vừa qua"), else the year the text was written in (a guess)."""
    ref = reader.published
    if ref is None:
        return (reader.year_guess, True) if reader.year_guess else None
    best = None
    for y in (ref.year - 1, ref.year, ref.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if past and d > ref:
            continue
        if best is None or abs((d - ref).days) < abs((best - ref).days):
            best = d
    return (best.year, False) if best else None


def _day(text: str, m: re.Match[str], reader: Reader) -> tuple[date, bool] | None:
    if m.group(2) is not None:       # numeric: "24/9", "6-2-2025", "25.2"
        d, mo, y = int(m.group(2)), int(m.group(4)), m.group(5)
    else:                            # words: "24 tháng 9 năm 2025"
        d, mo, y = int(m.group(6)), int(m.group(7)), m.group(8)
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    if y is not None:
        year, guessed = int(y), False
    else:
        found = _year(mo, d, reader, _PAST.match(text[m.end(): m.end() + 20].lower()) is not None)
        if found is None:
            return None
        year, guessed = found
    try:
        return date(year, mo, d), guessed
    except ValueError:
        return None


def _relative_day(m: re.Match[str], reader: Reader) -> tuple[date, bool] | None:
    if reader.published is None:
        return None
    back = 1 if m.group(0).endswith("qua") else 0
    return reader.published - timedelta(days=back), False

"""Dates and periods as Vietnamese official and press text writes them.

Deadlines: "trước ngày 31/3/2025", "Đến ngày 30 tháng 6 năm 2025", "đến hết ngày 30/6/2023",
"chậm nhất ngày 15/11" and "trước ngày 25.11" (year of the document), "Hết tháng 6 năm 2025",
"trong tháng 02 năm 2025", "trong tháng 3-2023", "trước tháng 12/2024" (the end of November),
"trong quý I năm 2027", "chậm nhất trong quý IV", "đến hết năm 2025", "Thời gian hoàn thành:
năm 2026", "trong 6 tháng đầu năm", "đến tháng 6" (year of the document). Periods a figure refers to: "năm 2024",
"6 tháng đầu năm 2024", "6 tháng qua", "tính đến ngày 28/10/2025".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from .. import patterns
from ..textnorm import fold_part

_D = r"(\d{1,2})"
_Y = r"(\d{4})"
# What opens a deadline: "trước ngày", "chậm nhất (là|vào) ngày", "đến (hết) ngày", "hạn chót"
# ("tính đến ngày 7/6" dates a figure).
_BY = r"(?<!tinh )(?:truoc|den(?: het)?|cham nhat(?: la| vao)?|han|han chot)"
_SEP = r"\s*(?:/|-|\.|thang)\s*"
# "trước ngày 30/6", and without "ngày" after what can only open a deadline: "hoàn thành
# trước 30/6/2027", "chậm nhất 15/11" ("đến 30/6" without "ngày" may end a span of days).
_BY_DAY = rf"(?:{_BY}\s+ngay\s+|(?<![a-z])(?:truoc|cham nhat(?: la| vao)?|han chot)\s*:?\s+(?=\d))"
_QUARTER = r"quy (iv|iii|ii|i|1|2|3|4)(?![a-z0-9])"
# (regex on folded text, kind) in priority order; the first that matches wins.
_DEADLINES: list[tuple[re.Pattern[str], str]] = [
    (patterns.compile(rf"{_BY_DAY}{_D}{_SEP}{_D}\s*(?:/|-|\.|nam)\s*{_Y}"), "dmy"),
    # "trước ngày 15/12", "chậm nhất ngày 15.11": the year of the document ("15-12-202", cut, is none)
    (patterns.compile(rf"{_BY_DAY}{_D}\s*(?:/|-|\.|thang)\s*{_D}(?!\s*(?:[/.-]|nam)\s*\d)(?![\d,])"), "dm"),
    # "trong quý I năm 2027", "chậm nhất trong quý IV", "Quý III/2025"; "trước quý II": by the end of quý I
    (patterns.compile(rf"(?:(trong|truoc|den het|den|cham nhat(?: trong)?) )?{_QUARTER}"
                rf"(?:\s*(?:/|-|nam)\s*{_Y})?"), "q"),
    (patterns.compile(rf"(?:den |truoc )?(?:het|cuoi) thang {_D}(?:\s*(?:/|-|nam)\s*{_Y})?"), "my"),
    # "trước tháng 12/2024": by the end of November
    (patterns.compile(rf"(trong|den|truoc|cham nhat(?: trong)?) thang {_D}(?:\s*(?:/|-|nam)\s*{_Y})?(?![\d/])"), "my"),
    (patterns.compile(rf"(?:trong )?6 thang dau nam(?: {_Y})?"), "h1"),
    # "Thời gian hoàn thành: năm 2026", "hoàn thành trong năm 2026"
    (patterns.compile(rf"(?:(?:thoi gian|thoi han)(?: hoan thanh| thuc hien)?\s*(?::|la)?\s*|hoan thanh (?:xong )?(?:trong |vao )?)"
                rf"nam {_Y}"), "y"),
    (patterns.compile(rf"(?:den |trong )?(?:het |cuoi )?nam {_Y}|(?:den|trong) (?:het |cuoi )?nam {_Y}"), "y"),
    (patterns.compile(r"(?:den |trong )?(?:het |cuoi )?nam nay"), "this_year"),
    # how an aim's deadline is written ("đạt 30% GDP vào năm 2030"; "giai đoạn 2020 – 2025, kinh tế số
    # sẽ chiếm 20% GDP": by the period's end): only with aims=True
    (patterns.compile(rf"vao nam {_Y}|giai doan \d{{4}}\s*[-–]\s*{_Y}(?![\d/])"), "aim_y"),
    # a task's bare "năm 2026", of this year or a later one, standing alone ("…, năm 2026"): not
    # "so với năm 2024", a plan's "Kế hoạch … năm 2026", "giai đoạn 2026 - 2030", "năm 2026 là …"
    (patterns.compile(rf"(?<![a-z] )nam {_Y}(?!\s*[-–]\s*\d)(?!\s+la\s)"), "bare_y"),
]
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_MAY_HOLD_DEADLINE = patterns.compile(r"\d|quy |nam nay")
# Words each pattern of _DEADLINES cannot match without (any one of them): a window without
# them is not scanned with it — the same matches, fewer scans (most windows hold a digit).
_NEEDS = {"dmy": ("truoc", "den", "cham nhat", "han"), "dm": ("truoc", "den", "cham nhat", "han"),
          "q": ("quy ",), "my": ("thang ",), "h1": ("6 thang dau nam",), "y": ("nam ",),
          "this_year": ("nam nay",), "bare_y": ("nam ",), "aim_y": ("vao nam", "giai doan")}


_HORIZON = patterns.compile(r"(?:dinh huong|tam nhin)\s+\S?$")


@dataclass(frozen=True)
class Deadline:
    date: date
    start: int
    end: int


def find_deadline(text: str, start: int, end: int, year_of_writing: int | None, aims: bool = False,
                  last: bool = False) -> Deadline | None:
    """The deadline a directive states in text[start:end], as the last day it allows: of the
    first kind (in _DEADLINES' order) found, its first match (its `last`). With `aims`, also
    the ways an aim's deadline is written ("vào năm 2030", "giai đoạn 2020 – 2025")."""
    best: Deadline | None = None
    best_kind = -1
    for kind_no, found in _deadlines(text, start, end, year_of_writing, aims):
        if best is not None and kind_no != best_kind:
            break
        if best is None or last:
            best, best_kind = found, kind_no
    return best


def deadlines_by_kind(text: str, start: int, end: int, year_of_writing: int | None,
                      aims: bool = False) -> list[list[Deadline]]:
    """Every deadline find_deadline could give in text[start:end], a list per kind in
    _DEADLINES' order, each in the order of the text: for many windows ending inside one span
    (the figures of a clause), found once."""
    out: list[list[Deadline]] = [[] for _ in _DEADLINES]
    for kind_no, found in _deadlines(text, start, end, year_of_writing, aims):
        out[kind_no].append(found)
    return out


def _deadlines(text: str, start: int, end: int, year_of_writing: int | None, aims: bool):  # type: ignore[no-untyped-def]
    # Only the part searched is folded (fold keeps offsets: index i here is start + i in
    # text); folding the whole document for each figure was quadratic in its length.
    folded = fold_part(text, start, end)
    if not _MAY_HOLD_DEADLINE.search(folded):
        return   # every pattern of _DEADLINES needs a digit, "quy" or "nam nay"
    for kind_no, (rx, kind) in enumerate(_DEADLINES):
        if not any(word in folded for word in _NEEDS[kind]) or (kind == "aim_y" and not aims):
            continue
        for m in rx.finditer(folded):
            if kind == "y" and not re.match(r"(den|trong|het|cuoi|thoi|hoan)", m.group(0)):
                continue  # a bare "năm 2025" is a period, not a deadline
            if kind == "q" and m.group(1) is None and m.group(3) is None:
                continue  # nor a bare "quý I"
            if kind == "bare_y" and (not year_of_writing or not 0 <= int(m.group(1)) - year_of_writing <= 10
                                     or _PLAN_WORDS.search(folded[max(0, m.start() - 40): m.start()])
                                     or re.search(r"thang\s*\d{1,2}\s*$", folded[max(0, m.start() - 12): m.start()])):
                continue      # (nor the year of a date: "ngày 28 tháng 4 năm 2021")
            if _HORIZON.search(folded, max(0, m.start() - 12), m.start() + 1):
                continue  # "…, định hướng đến năm 2030", "tầm nhìn đến năm 2045": a plan's horizon, no deadline
            d = _to_date(m, kind, year_of_writing)
            if d is None:
                continue
            s, e = m.start(), m.end()
            while s < e and folded[s] == " ":
                s += 1
            yield kind_no, Deadline(d, start + s, start + e)


def _to_date(m: re.Match[str], kind: str, year: int | None) -> date | None:
    groups = [g for g in m.groups()]
    try:
        if kind == "dmy":
            return date(int(groups[2]), int(groups[1]), int(groups[0]))
        if kind == "dm":
            return date(year, int(groups[1]), int(groups[0])) if year else None
        if kind == "q":
            y = int(groups[2]) if groups[2] else year
            if not y:
                return None
            quarter = _ROMAN.get(groups[1]) or int(groups[1])
            if groups[0] == "truoc":
                quarter, y = (quarter - 1, y) if quarter > 1 else (4, y - 1)
            return date(y, 3 * quarter, calendar.monthrange(y, 3 * quarter)[1])
        if kind == "my":
            month_at = 1 if len(groups) == 3 else 0
            y = int(groups[month_at + 1]) if groups[month_at + 1] else year
            if not y:
                return None
            month = int(groups[month_at])
            if month_at and groups[0] == "truoc":
                month, y = (month - 1, y) if month > 1 else (12, y - 1)
            return date(y, month, calendar.monthrange(y, month)[1])
        if kind == "h1":
            y = int(groups[0]) if groups[0] else year
            return date(y, 6, 30) if y else None
        if kind in ("y", "bare_y", "aim_y"):
            y = int(next(g for g in groups if g))
            return date(y, 12, 31)
        if kind == "this_year":
            return date(year, 12, 31) if year else None
    except (ValueError, StopIteration):
        return None
    return None


_MAY_HOLD_PERIOD = patterns.compile(r"\d|nam nay")
_PLAN_WORDS = patterns.compile(r"(nhiem vu trong tam|phuong huong|ke hoach[a-z ]{0,12}|chu de[a-z ]{0,30}|chuong trinh|giai doan)\s*$")

_PERIODS = [
    # "tính đến ngày 28/10/2025", "đến hết ngày 7/6", "tính đến 26/10" (with "tính", no "ngày" needed)
    (patterns.compile(r"(?:tinh (?:den|toi) (?:het )?(?:ngay )?|(?:den|toi) (?:het )?ngay )"
                      r"(\d{1,2})(?:/|\s+thang\s+)(\d{1,2})(?:(?:/|\s+nam\s+)(\d{4}))?(?![\d/])"), "D"),
    # "Tính đến hết quý I/2025": the quarter's last day
    (patterns.compile(r"(?:tinh )?(?:den|toi) (?:het )?quy (iv|iii|ii|i|1|2|3|4)\s*(?:/|-|nam)\s*(\d{4})(?![\d/])"), "Q"),
    # an index or ranking named with its year: "hạng 71/193 trong Chỉ số Chính phủ điện tử 2024"
    (patterns.compile(r"(?<![a-z])(?:chi so|bang xep hang|khao sat)(?: [a-z]+){1,8} (\d{4})(?![\d/-])"), "Y"),
    (patterns.compile(r"(?:trong )?nam nay"), "this-year"),
    (patterns.compile(rf"6 thang dau nam {_Y}"), "H1"),
    (patterns.compile(r"6 thang(?: dau nam| qua| nay)?(?![a-z0-9])"), "H1-current"),
    (patterns.compile(rf"(?<!so voi )(?<!so voi nam )(?:nam|trong nam) {_Y}"), "Y"),
    (patterns.compile(rf"(?<![a-z/])thang (\d{{1,2}})/{_Y}"), "M"),
]


# On the lower-cased NFC text, where "từ" (from) is not "tử" (điện tử).
_NOT_PERIOD_BEFORE = patterns.compile(r"(so với|(?<!\w)từ|(?<!\w)đến)\s*$")


def find_period(text: str, start: int, end: int, year_of_writing: int | None,
                first: bool = False) -> tuple[str, int, int] | None:
    """The last (or first) period named in text[start:end] ("2024", "2024-H1", "2024-07")
    with its span.

    Years in comparisons ("so với năm 2023") and starting points ("từ tháng 7/2024") are
    not the period of a figure.
    """
    lo = max(0, start - 12)                       # left context for look-behinds
    folded = fold_part(text, lo, end + 8)            # fold keeps offsets: index i here is lo + i there
    if _MAY_HOLD_PERIOD.search(folded, start - lo, end - lo) is None:
        return None         # every pattern of _PERIODS needs a digit or "nam nay" (most windows after a figure)
    found = [p for rx, kind in _PERIODS
             for p in _periods(rx.finditer(folded, start - lo, end - lo), kind, text, folded, lo, start, year_of_writing)]
    if not found:
        return None
    s, e, label = min(found) if first else _last(found)
    return label, s, e


def _last(found: list[tuple[int, int, str]]) -> tuple[int, int, str]:
    return max(found, key=lambda t: (t[1], -t[0]))


def _periods(matches, kind: str, text: str, folded: str, lo: int, start: int,  # type: ignore[no-untyped-def]
             year_of_writing: int | None):
    """The periods of one pattern's matches (folded[i] is text[lo + i]), as (start, end, label)."""
    for m in matches:
        a, b = m.start() + lo, m.end() + lo
        if _NOT_PERIOD_BEFORE.search(text[max(start, a - 12): a].lower()) \
                or _PLAN_WORDS.search(folded[max(start - lo, m.start() - 40): m.start()]):
            continue
        if kind == "H1":
            yield a, b, f"{m.group(1)}-H1"
        elif kind == "H1-current" and year_of_writing:
            if not re.match(r"6 thang dau nam \d", folded[m.start(): m.end() + 6]):
                yield a, b, f"{year_of_writing}-H1"
        elif kind == "Y":
            yield a, b, m.group(1)
        elif kind == "Q":
            quarter = _ROMAN.get(m.group(1)) or int(m.group(1))
            y = int(m.group(2))
            yield a, b, date(y, 3 * quarter, calendar.monthrange(y, 3 * quarter)[1]).isoformat()
        elif kind == "M":
            yield a, b, f"{m.group(2)}-{int(m.group(1)):02d}"
        elif kind == "D":
            y = int(m.group(3)) if m.group(3) else year_of_writing
            try:
                yield a, b, date(y, int(m.group(2)), int(m.group(1))).isoformat()  # type: ignore[arg-type]
            except (TypeError, ValueError):
                pass
        elif kind == "this-year" and year_of_writing:
            yield a, b, str(year_of_writing)


_SPACES = patterns.compile(r"\s\s")
# How far past its start a try of a period pattern reads, where no two spaces follow each
# other (the readers squeeze them): "tinh den het ngay 31 thang 12 nam 2024" and a look-ahead.
_REACH = 100


class PeriodsBefore:
    """find_period(text, start, end, year) for many `end` up to `limit` (the figures of one
    clause or sentence), in time linear in text[start:limit] instead of once per figure.

    Each pattern is run once over the whole span. A scan that stops at `end` finds the same
    matches as that one up to `end - _REACH` (a try there does not read up to `end`), and
    only the rest is scanned again."""

    def __init__(self, text: str, start: int, limit: int, year_of_writing: int | None) -> None:
        self.text, self.start, self.limit, self.year = text, start, limit, year_of_writing
        self.lo = max(0, start - 12)
        self.folded = fold_part(text, self.lo, limit + 8)
        # Runs of spaces in the span (the readers leave none in a line) would let a try read
        # further than _REACH: then each call is direct.
        self.direct = _SPACES.search(self.folded, start - self.lo, limit - self.lo) is not None
        self.scans = []
        if not self.direct:
            for rx, kind in _PERIODS:
                raw = list(rx.finditer(self.folded, start - self.lo, limit - self.lo))
                best, kept = None, []           # kept[k]: the last period among the first k matches
                for m in raw:
                    found = list(_periods((m,), kind, text, self.folded, self.lo, start, year_of_writing))
                    best = found[0] if found else best
                    kept.append(best)
                self.scans.append((rx, kind, raw, [m.start() for m in raw], kept))

    def last(self, end: int) -> tuple[str, int, int] | None:
        """find_period(text, start, end, year)."""
        if self.direct or end > self.limit:
            return find_period(self.text, self.start, end, self.year)
        from bisect import bisect_left

        rel = end - self.lo
        found = []
        # every tail below lies within the last _REACH characters: none without a digit or "nam nay"
        tails = _MAY_HOLD_PERIOD.search(self.folded, max(rel - _REACH, self.start - self.lo), rel) is not None
        for rx, kind, raw, starts, kept in self.scans:
            k = bisect_left(starts, rel - _REACH)          # matches that start before end - _REACH
            resume = max(rel - _REACH, raw[k - 1].end() if k else self.start - self.lo, self.start - self.lo)
            tail = list(_periods(rx.finditer(self.folded, resume, rel), kind, self.text, self.folded, self.lo,
                                 self.start, self.year)) if tails else []
            best = tail[-1] if tail else (kept[k - 1] if k else None)
            if best is not None:
                found.append(best)
        if not found:
            return None
        s, e, label = _last(found)
        return label, s, e


def day(text: str | None) -> date | None:
    """The day an ISO text names ("2025-02-23", "2025-02-23T…"), or the first of its month
    ("2025-02"); None for anything else."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date(int(text[:4]), int(text[5:7]), 1)
    except ValueError:
        return None


def period_end(label: str) -> date:
    """The last day of a period label (2024 → 2024-12-31; 2024-H1 → 2024-06-30)."""
    if re.fullmatch(r"\d{4}", label):
        return date(int(label), 12, 31)
    if re.fullmatch(r"\d{4}-H1", label):
        return date(int(label[:4]), 6, 30)
    if re.fullmatch(r"\d{4}-\d{2}", label):
        y, m = int(label[:4]), int(label[5:])
        return date(y, m, calendar.monthrange(y, m)[1])
    return date.fromisoformat(label)

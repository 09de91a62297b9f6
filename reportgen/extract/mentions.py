"""Numbers in running text: what is a figure, and what is only a date, an ordinal, a
document number or part of a name.

A mention is one numeric expression — qualifier, literal (or ratio a/b, or range a-b),
scale words and unit — with its character span in the NFC text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..textnorm import fold
from ..vnnumber import LITERAL, WORDS, normalise, parse_literal, scale_of

_NUM = rf"(?<![\w.,/:-])(?P<num>{LITERAL}|{'|'.join(WORDS)})(?![\w])"
_EXPR = re.compile(
    _NUM
    + rf"(?:\s*/\s*(?P<of>{LITERAL})(?![\w/-]))?"
    + rf"(?:\s*[-–]\s*(?P<hi>{LITERAL})(?![\w/-]))?"
    + r"(?P<scale>(?:\s+(?:nghin|ngan|trieu|ty|ti)(?![a-z]))*)"
    + r"(?P<pct>\s*%(?:\s*/\s*nam)?)?"
)
_CURRENCY = re.compile(r"\s*(usd|dong|do la|vnd)(?![a-z])")
_RATE_SUFFIX = re.compile(r"\s*/\s*(ngay|thang|nam)(?![a-z])")
_QUALIFIERS = ["it nhat", "toi thieu", "toi da", "xap xi", "tren", "hon", "gan", "khoang", "uoc", "vuot"]
_BEFORE = re.compile(
    r"(?:(?P<chg>tang|giam)\s+)?(?:(?P<q>" + "|".join(_QUALIFIERS) + r")\s+)?(?:(?:dat|la)\s+)?(?:(?P<q2>tren|hon|gan|khoang|vuot)\s+)?$"
)
# Words after which a number is a date, a duration or an ordinal, not a figure.
# Run on the lower-cased NFC text: folded, "từ" would also be "tử" (điện tử), "tối" "tới".
_DATE_BEFORE = re.compile(r"(?<!\w)(ngày|sáng|chiều|tối|trưa|đêm|từ|tháng|năm|quý|lần thứ|họp thứ|phiên thứ|khóa|khoá|"
                          r"số|mục|điều|khoản|lúc)\s*$")
# A line that is only a publication stamp: weekday, date, time, a view count.
_STAMP = re.compile(r"^[ \t]*(?:[^\n\d]{0,24}?[,|-]\s*)?\d{1,2}[/.-]\d{1,2}[/.-]\d{4}[\s|,-]*(?:\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:\(?gmt\+7\)?)?)?[\s|]*\d{0,7}[ \t]*$")
_GAP = re.compile("[ \t\u00a0]*")
_NOT_FIGURE_AFTER = re.compile(r"\s*(thang|gio|phut|quy)(?![a-z])")


@dataclass
class Mention:
    start: int          # first character of the qualifier, or of the number
    end: int            # after the unit
    num_start: int
    num_end: int        # after literal, ratio, range, scale and % (before a noun unit)
    value: Decimal
    upper: Decimal | None = None   # a range "9 - 10%"
    of: Decimal | None = None      # a ratio "63/63"
    unit: str = ""                 # "%", "%/năm", "USD", "đồng", or the counted noun
    unit_kind: str = "count"       # percent | currency | count
    qualifier: str | None = None   # as written: trên, hơn, gần, khoảng, ước, vượt, ít nhất…
    change: bool = False           # "tăng 15 bậc", "tăng 58,6%": a change, not a level
    metric: str | None = None


def find_mentions(text: str, start: int, end: int, nouns: list[str], ignore: list[re.Pattern[str]]) -> list[Mention]:
    """Every figure in text[start:end]."""
    from bisect import bisect_right

    folded = fold(text)
    ignored = _union([(m.start(), m.end()) for rx in ignore for m in rx.finditer(folded, start, end)])
    ignored_starts = [a for a, _ in ignored]
    lines = _Lines(folded)
    out: list[Mention] = []
    for m in _EXPR.finditer(folded, start, end):
        if _is_not_figure(text, folded, m, start, lines):
            continue
        k = bisect_right(ignored_starts, m.start("num")) - 1
        if k >= 0 and m.start("num") < ignored[k][1]:
            continue
        mention = _read(text, folded, m, nouns)
        if mention is not None:
            out.append(mention)
    _propagate_changes(folded, out)
    return out


def _union(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans as disjoint ones in order, covering the same positions."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(s for s in spans if s[0] < s[1]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


class _Lines:
    """Which line a position is on, and whether that line is a date stamp: found once per
    line, not once per number on it (a line of thousands of numbers was quadratic)."""

    def __init__(self, folded: str) -> None:
        self.folded = folded
        self.breaks = [m.start() for m in re.finditer("\n", folded)]
        self.stamps: dict[int, bool] = {}

    def is_stamp(self, pos: int) -> bool:
        from bisect import bisect_left

        k = bisect_left(self.breaks, pos)
        line_start = self.breaks[k - 1] + 1 if k else 0
        if line_start not in self.stamps:
            line_end = self.breaks[k] if k < len(self.breaks) else len(self.folded)
            self.stamps[line_start] = _STAMP.match(self.folded[line_start: line_end]) is not None
        return self.stamps[line_start]


def _is_not_figure(text: str, folded: str, m: re.Match[str], start: int, lines: _Lines) -> bool:
    num, of = m.group("num"), m.group("of")
    after = folded[m.end(): m.end() + 12]
    if num in WORDS and not m.group("scale").strip():
        return True                       # "hai" alone is a word, not a figure
    if re.fullmatch(r"0\d+", num):
        return True                       # a code or a name: "Đề án 06"
    if re.match(r":\d", after):
        return True                       # a time of day "17:00"
    if _DATE_BEFORE.search(text[max(start, m.start() - 14): m.start()].lower()) and not m.group("pct"):
        return True                       # ngày 31/3, tháng 7/2024, lần thứ 10, số 57
    if of and (len(of) == 4 and of[:2] in ("19", "20") or "/" in after[:1]):
        return True                       # 7/2024, 31/3/2025
    if of and not m.group("pct") and int(parse_literal(of)) <= 12 and int(parse_literal(num)) <= 31 \
            and not re.match(r"\s*[^\W\d_]", after):
        return True                       # a bare day/month "6/2" with no counted noun
    if lines.is_stamp(m.start()):
        return True                       # a page's date stamp "24/09/2025 17:25    1386" (with a view count)
    if re.match(r"[/.-]\d{1,2}[/.-]\d{2,4}(?!\d)", folded[m.end("num"): m.end("num") + 12]):
        return True                       # a full date "28/12/2023", "24-9-2025"
    if re.match(r"[-/][a-z]", folded[m.end("num"): m.end("num") + 2]):
        return True                       # 56/TB-VPCP, 57-NQ/TW
    if len(num) == 4 and num[:2] in ("19", "20") and not (of or m.group("scale").strip() or m.group("pct")):
        return True                       # a year
    if _NOT_FIGURE_AFTER.match(after) and not m.group("pct"):
        return True                       # 6 tháng đầu năm, 17 giờ
    prev = folded[m.start() - 1: m.start()] if m.start() > 0 else ""
    if prev == "." or (prev == "" or prev == "\n") and re.match(r"\.\s", after):
        return True                       # footnote marker "quốc tế.2", list number "1. "
    if m.start() > 0 and folded[m.start() - 1] == "(" and after[:1] == ")":
        return True                       # "(1)" enumerator
    return False


def _read(text: str, folded: str, m: re.Match[str], nouns: list[str]) -> Mention | None:
    num = m.group("num")
    try:
        base = Decimal(WORDS[num]) if num in WORDS else parse_literal(num)
        factor = scale_of(m.group("scale"))
        of = parse_literal(m.group("of")) if m.group("of") else None
        hi = parse_literal(m.group("hi")) * factor if m.group("hi") else None
    except ValueError:
        return None
    value = normalise(base * factor)
    num_end = m.end()
    end = m.end()
    unit, kind = "", "count"
    if m.group("pct"):
        unit, kind = ("%/năm" if "nam" in m.group("pct") else "%"), "percent"
    else:
        cur = _CURRENCY.match(folded, end)
        if cur:
            unit, kind = {"usd": "USD", "dong": "đồng", "do la": "USD", "vnd": "đồng"}[cur.group(1)], "currency"
            end = cur.end()
        else:
            noun_start = _GAP.match(folded, end).end() - end   # a unit never on the next line
            tail = folded[end + noun_start: end + noun_start + 40]
            for noun in nouns:
                if re.match(re.escape(noun) + r"(?![a-z])", tail):
                    unit = text[end + noun_start: end + noun_start + len(noun)]
                    end = end + noun_start + len(noun)
                    break
            else:
                w = re.match(r"[^\W\d_]+", tail)
                if w and w.group(0) not in ("va", "tai", "so", "cua", "trong", "tu", "den", "voi", "la", "nam"):
                    unit = text[end + noun_start: end + noun_start + len(w.group(0))]
                    end = end + noun_start + len(w.group(0))
            rate = _RATE_SUFFIX.match(folded, end)
            if rate and unit:
                unit = unit + "/" + text[rate.end() - len(rate.group(1)): rate.end()]
                end = rate.end()
    start = m.start()
    mention = Mention(start=start, end=end, num_start=m.start(), num_end=num_end, value=value,
                      upper=normalise(hi) if hi is not None else None,
                      of=normalise(of) if of is not None else None, unit=unit, unit_kind=kind)
    b = _BEFORE.search(folded[max(0, m.start() - 30): m.start()])
    if b and b.group(0).strip():
        offset = max(0, m.start() - 30)
        firsts = [b.start(g) for g in ("chg", "q", "q2") if b.group(g)]
        if firsts:
            mention.start = offset + min(firsts)
        q = "q" if b.group("q") else ("q2" if b.group("q2") else None)
        if q:
            mention.qualifier = text[offset + b.start(q): offset + b.end(q)]
        if b.group("chg"):
            mention.change = True
    if re.match(r"\s*so voi", folded[end: end + 10]):
        mention.change = True
    return mention


def _propagate_changes(folded: str, mentions: list[Mention]) -> None:
    """"tăng 58,2% về số lượng và 36,7% về giá trị": the second is a change too."""
    for prev, cur in zip(mentions, mentions[1:]):
        gap = folded[prev.end: cur.start]
        if prev.change and not cur.change and re.fullmatch(r"\s*(?:ve [a-z ]{1,20})?\s*(va|,)\s*", gap):
            cur.change = True

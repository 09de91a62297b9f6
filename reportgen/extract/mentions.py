"""Numbers in running text: what is a figure, and what is only a date, an ordinal, a
document number or part of a name.

A mention is one numeric expression — qualifier, literal (or ratio a/b, or range a-b),
scale words and unit — with its character span in the NFC text, and its form: how the
number states what it states (a plain value or count, a ratio "29/45 chỉ tiêu", a rank
"vị trí thứ 71/193", "top 10", a level "cấp độ 6/10", a multiple "gấp 3,5 lần", a range
"8,3 - 8,5%", a change from one value to another "từ 0,48 lên 0,71").

What a quote states is read by `quote_values`, the one reading of a quote that extraction
and `facts verify` share: a figure is written only when its quote states its numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .. import patterns
from ..textnorm import fold
from ..vnnumber import LITERAL, SCALES, WORDS, normalise, parse_literal, scale_of

# A literal is never the head of a longer one ("6.1" of "6.1.2022").
_NUM = rf"(?<![\w.,/:-])(?P<num>{LITERAL}|{'|'.join(WORDS)})(?![\w]|[.,]\d)"
_EXPR = patterns.compile(
    _NUM
    + rf"(?:\s*/\s*(?P<of>{LITERAL})(?![\w/-]))?"
    + rf"(?:\s*[-–]\s*(?P<hi>{LITERAL})(?![\w/-]))?"
    + r"(?P<scale>(?:\s+(?:nghin|ngan|trieu|ty|ti)(?![a-z]))*)"
    + r"(?P<pct>\s*%(?:\s*/\s*nam)?)?"
)
_CURRENCY = patterns.compile(r"\s*(usd|dong|do la|vnd)(?![a-z])")
_RATE_SUFFIX = patterns.compile(r"\s*/\s*(ngay|thang|nam)(?![a-z])")
_QUALIFIERS = ["it nhat", "toi thieu", "toi da", "xap xi", "tren", "hon", "gan", "khoang", "uoc", "vuot", "duoi"]
# Each word whole: "được" folds to "duoc", whose tail is no "ước".
_BEFORE = patterns.compile(
    r"(?:(?<![a-z])(?<!cat )(?P<chg>tang|giam)\s+)?(?:(?<![a-z])(?P<q>" + "|".join(_QUALIFIERS) + r")\s+)?"
    r"(?:(?<![a-z])(?:dat|la)\s+)?(?:(?<![a-z])(?P<q2>tren|hon|gan|khoang|vuot)\s+)?$"
)
# Words after which a number is a date, a duration or an ordinal, not a figure.
# Run on the lower-cased NFC text: folded, "từ" would also be "tử" (điện tử), "tối" "tới".
_DATE_BEFORE = patterns.compile(r"(?<!\w)(ngày|sáng|chiều|tối|trưa|đêm|từ|tháng|năm|quý|lần thứ|họp thứ|phiên thứ|khóa|khoá|"
                          r"(?<!tổng )số|mục|điều|khoản|lúc|"
                          # the number of a document or an event is part of its name: "Nghị quyết 57",
                          # "Hội nghị Trung ương 12", "Chỉ thị 33"
                          r"nghị quyết|nghị định|quyết định|chỉ thị|thông tư|công văn|thông báo|kế hoạch|tờ trình|"
                          r"trung ương|đại hội|luật)\s*$")
# A counter or a phone number on a page: "Lượt xem: 167", "Đường dây nóng: 0237 3721150".
_COUNTER_BEFORE = patterns.compile(r"(?<![a-z])(?:luot xem|luot doc|luot truy cap|truy cap|views?|duong day nong|hotline|"
                             r"dien thoai|dt|fax|so dien thoai|tong dai)\s*:?[\s\d.()+-]*$")
# A line that is only a publication stamp: weekday, date, time, a view count.
_STAMP = patterns.compile(r"^[ \t]*(?:[^\n\d]{0,24}?[,|-]\s*)?\d{1,2}[/.-]\d{1,2}[/.-]\d{4}[\s|,-]*(?:\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:\(?gmt\+7\)?)?)?[\s|]*\d{0,7}[ \t]*$")
_GAP = patterns.compile("[ \t\u00a0]*")
# Words after a number that are no counted noun (folded).
_NOT_NOUNS = {"va", "tai", "so", "cua", "trong", "tu", "den", "voi", "la", "nam", "len", "xuong", "toi", "tang", "giam",
              "nhung", "hoac", "thi", "ma", "nen", "da", "duoc", "o", "theo", "cho", "tren", "duoi", "co", "dat",
              "se", "cac", "moi", "ve", "so", "khi", "neu", "cung", "deu"}
# A duration or a time: "6 tháng đầu năm", "17 giờ", "2 năm liên tiếp", "hơn 10 ngày".
_NOT_FIGURE_AFTER = patterns.compile(r"\s*(tháng|giờ|phút|quý|năm|ngày|tuần)(?!\w)")
# Words that make the number after them a rank, a level or a multiple. These run on the
# lower-cased NFC text (like _DATE_BEFORE): folded, "thứ" would be "thu" (doanh thu), "gấp"
# "gặp", "từ" "tử" (điện tử), "đã" "đa".
_RANK_BEFORE = patterns.compile(r"(?<!\w)(?:thứ|hạng|top)\s*$")
_LEVEL_BEFORE = patterns.compile(r"(?<!\w)(?:cấp độ|mức độ|mức)\s*$")
_LEVEL_STATED = patterns.compile(r"(?<!\w)(?:đạt|lên|xuống|ở|xếp)\s+(?:cấp độ|mức độ|mức)\s*$")
_MULTIPLE = patterns.compile(r"(?<!\w)(?:gấp|(?:tăng|giảm)(?:\s+(?:gấp|khoảng|gần|hơn|trên|xấp xỉ))?)\s*$")
_TIMES = patterns.compile(r"[ \t]*lần(?!\w)")
# "x/y" read as a rank, level or share, not as a day and month: "đứng thứ 46/132",
# "cấp độ 6/10", "đạt 7/10", "hoàn thành 5/11".
_SHARE_BEFORE = patterns.compile(r"(?<!\w)(?:thứ|hạng|top|cấp độ|mức độ|mức|đạt|đạt được|hoàn thành|có|vượt|"
                           r"xếp|chỉ)\s*$")
# A dotted day and month "10.10", "25.11" (a decimal point needs a unit: "18.3%", "1.5 triệu").
_DOTTED_DAY = patterns.compile(r"(\d{1,2})\.(\d{1,2})")
# Where a change from one value to another, or a range in words, joins two figures.
_FROM_TO = patterns.compile(r"[ \t]*(?P<w>lên|xuống)[ \t]+(?:mức[ \t]+)?$")
_RANGE_TO = patterns.compile(r"[ \t]*(?:đến|tới)[ \t]+$")
_FROM = patterns.compile(r"(?<!\w)từ[ \t]+$")


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
    form: str = "number"           # number | ratio | rank | level | multiple | range | from_to
    was: Decimal | None = None     # the value before a change "từ 0,48 lên 0,71"
    said_end: int = 0              # a percentage's quote reaches over what it is of: "100% xã"
    scale: Decimal = Decimal(1)    # what its scale words multiply it by


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
    out = _join_pairs(text, folded, out)
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

    def _line(self, pos: int) -> tuple[int, int]:
        from bisect import bisect_left

        k = bisect_left(self.breaks, pos)
        return (self.breaks[k - 1] + 1 if k else 0), (self.breaks[k] if k < len(self.breaks) else len(self.folded))

    def start_of(self, pos: int) -> int:
        return self._line(pos)[0]

    def is_stamp(self, pos: int) -> bool:
        line_start, line_end = self._line(pos)
        if line_start not in self.stamps:
            self.stamps[line_start] = _STAMP.match(self.folded[line_start: line_end]) is not None
        return self.stamps[line_start]

    def has_words(self, pos: int) -> bool:
        line_start, line_end = self._line(pos)
        key = -1 - line_start
        if key not in self.stamps:
            self.stamps[key] = re.search(r"[a-z]{2}", self.folded[line_start: line_end]) is not None
        return self.stamps[key]


def _is_not_figure(text: str, folded: str, m: re.Match[str], start: int, lines: _Lines) -> bool:
    num, of = m.group("num"), m.group("of")
    scaled = bool(m.group("scale").strip())
    if num in WORDS and not scaled:
        return True                       # "hai" alone is a word, not a figure (a third of the matches)
    after = folded[m.end(): m.end() + 12]
    before = text[max(start, m.start() - 24): m.start()].lower()
    unit_after = re.match(r"[ \t]*[^\W\d_]", after) is not None    # a word on the same line
    pct = bool(m.group("pct"))
    if re.fullmatch(r"0\d+", num) and not (unit_after and _counts_after_lowercase(text, m.start())):
        return True                       # a code or a name: "Đề án 06", "số 01"; "nối với 05 quốc gia" counts
    if re.match(r":\d", after):
        return True                       # a time of day "17:00"
    date_word = _DATE_BEFORE.search(text[max(start, m.start() - 14): m.start()].lower())
    if date_word and not pct and not (date_word.group(1) == "từ" and not of and _counted_after_from(text, m)):
        return True                       # ngày 31/3, tháng 7/2024, lần thứ 10, số 57 — but "từ 30 - 50 doanh nghiệp"
    if of and (len(of) == 4 and of[:2] in ("19", "20") or "/" in after[:1]):
        return True                       # 7/2024, 31/3/2025
    if of and not pct and int(parse_literal(of)) <= 12 and int(parse_literal(num)) <= 31 \
            and not unit_after and not _SHARE_BEFORE.search(before):
        return True                       # a bare day/month "6/2" with no counted noun on its line
    if re.fullmatch(r"\d+\.0", num) and not (pct or scaled):
        return True                       # a version in a name: "công nghiệp 4.0", "Web 2.0"
    dotted = _DOTTED_DAY.fullmatch(num)
    if dotted and not (pct or scaled or _CURRENCY.match(after)) and int(dotted.group(1)) <= 31 \
            and 1 <= int(dotted.group(2)) <= 12:
        return True                       # a dotted day and month "10.10", "sáng 25.2"
    if lines.is_stamp(m.start()):
        return True                       # a page's date stamp "24/09/2025 17:25    1386" (with a view count)
    if not lines.has_words(m.start()):
        return True                       # a number alone on its line states nothing: "21" under a headline, "100%"
    if _COUNTER_BEFORE.search(folded[max(lines.start_of(m.start()), m.start() - 40): m.start()]):
        return True                       # "Lượt xem: 167", "Đường dây nóng: 0237 3721150"
    if re.fullmatch(r"\d{6,}", num):
        return True                       # a code, a phone or a time stamp: figures group thousands (3.721.150)
    if re.match(r"[/.-]\d{1,2}[/.-](?:\d{2}|\d{4})(?!\d)", folded[m.end("num"): m.end("num") + 12]):
        return True                       # a full date "28/12/2023", "24-9-2025"
    if re.match(r"[-/][a-z]", folded[m.end("num"): m.end("num") + 2]):
        return True                       # 56/TB-VPCP, 57-NQ/TW
    if len(num) == 4 and num[:2] in ("19", "20") and not (of or scaled or pct):
        return True                       # a year
    if _NOT_FIGURE_AFTER.match(text[m.end(): m.end() + 12].lower()) and not pct:
        return True                       # 6 tháng đầu năm, 17 giờ, 2 năm liên tiếp
    if _LEVEL_BEFORE.search(before) and not (of or pct or scaled) and not _LEVEL_STATED.search(before):
        return True                       # the name of a level: "dịch vụ công trực tuyến mức độ 4"
    prev = folded[m.start() - 1: m.start()] if m.start() > 0 else ""
    if prev == "." or (prev == "" or prev == "\n") and re.match(r"\.\s", after):
        return True                       # footnote marker "quốc tế.2", list number "1. "
    if prev == "%" and not (of or pct or scaled) and len(num) <= 2:
        return True                       # a footnote's mark glued to a share: "năm 2024 đạt 66,8%5"
    if m.start() > 0 and folded[m.start() - 1] == "(" and after[:1] == ")" and not (of or pct or scaled):
        return True                       # "(1)" enumerator — "(87,2%)" is a figure
    if m.start() > 0 and folded[m.start() - 1] == "[" and after[:1] == "]" and not (of or pct or scaled):
        return True                       # a footnote's mark "năm 2023[1]", "[2]"
    return False


def _counts_after_lowercase(text: str, pos: int) -> bool:
    """A zero-padded number counts ("nối với 05 quốc gia") where the word before it is
    no name: "Đề án 06", "Tổ công tác 01" are names."""
    before = text[max(0, pos - 30): pos]
    if re.search(r"\w[ \t]*[,;][ \t]*$", before):
        return True        # an item of a list of counts: "ban hành 01 Nghị định, 02 Chỉ thị, 01 Công điện"
    w = re.search(r"([^\W\d_]+)[ \t]*$", before)
    return w is not None and w.group(1)[:1].islower() and w.group(1).lower() not in ("số", "mã", "phòng", "khu", "tổ")


def _counted_after_from(text: str, m: re.Match[str]) -> bool:
    """After "từ": a range or a change of value ("từ 30 - 50 doanh nghiệp", "từ 0,48 lên
    0,71"), not the start of a time ("từ 1/7", "từ 2022", "từ 15 giờ")."""
    rest = text[m.end(): m.end() + 40].lower()
    time = r"[ \t]*(?:tháng|giờ|năm|ngày|phút)(?!\w)"
    return bool(m.group("hi") or m.group("pct") or m.group("scale").strip()
                or re.match(r"[ \t]*(?:lên|xuống)[ \t]+(?:mức[ \t]+)?\d", rest)
                or re.match(r"[ \t]*(?:đến|tới)[ \t]+[\d.,]+(?!" + time + r"|[\d.,/])", rest)) \
        and not re.match(time, rest)


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
    before = text[max(0, m.start() - 24): m.start()].lower()
    times = _TIMES.match(text[end: end + 8].lower()) if _MULTIPLE.search(before) and not m.group("pct") else None
    said_end = 0
    if times:
        times_end = end + times.end()
        unit, kind, end = text[times_end - 3: times_end], "count", times_end   # "gấp 3,5 lần": so many times
    elif m.group("pct"):
        unit, kind = ("%/năm" if "nam" in m.group("pct") else "%"), "percent"
        said_end = _of_what(folded, end, nouns)   # "100% xã", "70% dân số", "100% các sân bay"
    else:
        cur = _CURRENCY.match(folded, end)
        if cur:
            unit, kind = {"usd": "USD", "dong": "đồng", "do la": "USD", "vnd": "đồng"}[cur.group(1)], "currency"
            end = cur.end()
        else:
            noun_start = _GAP.match(folded, end).end() - end   # a unit never on the next line
            tail = folded[end + noun_start: end + noun_start + 40]
            placed = _RANK_BEFORE.search(before) or _LEVEL_BEFORE.search(before)   # "top 10 thế giới": no unit
            for noun in nouns:
                if _noun_at(tail, noun):
                    unit = text[end + noun_start: end + noun_start + len(noun)]
                    end = end + noun_start + len(noun)
                    break
            else:
                w = re.match(r"[^\W\d_]+", tail) if not placed else None
                if w and w.group(0) not in _NOT_NOUNS:
                    unit = text[end + noun_start: end + noun_start + len(w.group(0))]
                    end = end + noun_start + len(w.group(0))
            rate = _RATE_SUFFIX.match(folded, end)
            if rate and unit:
                unit = unit + "/" + text[rate.end() - len(rate.group(1)): rate.end()]
                end = rate.end()
    start = m.start()
    mention = Mention(start=start, end=end, num_start=m.start(), num_end=num_end, value=value,
                      upper=normalise(hi) if hi is not None else None,
                      of=normalise(of) if of is not None else None, unit=unit, unit_kind=kind, said_end=said_end,
                      scale=factor)
    if times:
        mention.form = "multiple"
    elif _RANK_BEFORE.search(before):
        mention.form = "rank"             # "vị trí thứ 71/193", "đứng thứ 38", "top 10"
    elif _LEVEL_BEFORE.search(before) and not m.group("pct"):
        mention.form = "level"            # "cấp độ 6/10"
    elif of is not None:
        mention.form = "ratio"            # "29/45 chỉ tiêu"
    elif hi is not None:
        mention.form = "range"            # "8,3 - 8,5%"
    if mention.form in ("rank", "level", "multiple"):
        w = re.search(r"(?<!\w)(?:(?:vị trí|xếp hạng|xếp|đứng|hạng)\s+)?(?:thứ|hạng|top|cấp độ|mức độ|mức|gấp)\s*$",
                      before)
        if w:
            mention.start = m.start() - len(before) + w.start()   # its words belong to its quote
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
    if mention.form == "rank" and re.search(r"(?<!\w)top\s*$", before) and not mention.qualifier:
        mention.qualifier = text[m.start() - len(before) + before.rindex("top"):][:3]   # "top 10": within the first 10
    if re.match(r"\s*so voi", folded[end: end + 10]) and not _SHARE_OF_PLAN.match(folded, end):
        mention.change = True
    return mention


# "đạt 24,37% so với chỉ tiêu được giao": a share of what was planned, not a change.
_SHARE_OF_PLAN = patterns.compile(r"\s*so voi\s+(?:cac\s+|tong\s+)?(?:chi tieu|ke hoach|muc tieu|du toan|yeu cau|tong so)(?![a-z])")


def _noun_at(tail: str, noun: str) -> bool:
    """`tail` (folded) starts with the folded noun as a whole word: not followed by a letter
    (what re.match(re.escape(noun) + "(?![a-z])", tail) says, without a pattern per noun)."""
    return tail.startswith(noun) and not ("a" <= tail[len(noun): len(noun) + 1] <= "z")


def _of_what(folded: str, end: int, nouns: list[str]) -> int:
    """Where the words a percentage is of end: a counted noun of the catalogue, else one
    word, after "các", "những" or "mọi" (0: none, "100%, tăng …")."""
    det = re.match(r"[ \t]+(?:(?:cac|nhung|moi|tong so|so)[ \t]+)?", folded[end: end + 12])
    if not det:
        return 0
    at = end + det.end()
    tail = folded[at: at + 40]
    for noun in nouns:
        if _noun_at(tail, noun):
            return at + len(noun)
    w = re.match(r"[a-z]+", tail)
    return at + w.end() if w and w.group(0) not in _NOT_NOUNS else 0


def _join_pairs(text: str, folded: str, mentions: list[Mention]) -> list[Mention]:
    """Two numbers that state one figure: "từ 0,48 lên 0,71" (the value it rose to, and
    from what), "từ 30 đến 50 doanh nghiệp" (a range)."""
    out: list[Mention] = []
    i = 0
    while i < len(mentions):
        a = mentions[i]
        b = mentions[i + 1] if i + 1 < len(mentions) else None
        lead = _FROM.search(text[max(0, a.num_start - 8): a.num_start].lower()) if b is not None else None
        if b is not None and lead and a.of is None and a.upper is None and b.of is None and b.upper is None \
                and a.form == "number" and b.form == "number" and not b.change:
            gap = text[a.num_end: b.num_start].lower()
            gap = gap[len(_GAP.match(gap).group(0)):]
            if a.unit and gap.startswith(a.unit.lower()) and a.unit_kind == "count" and not _FROM_TO.fullmatch(gap):
                gap = gap[len(a.unit):]            # "từ 64 bậc lên 71 bậc"
            step, span = _FROM_TO.fullmatch(gap), _RANGE_TO.fullmatch(gap)
            if (step or span) and (a.unit_kind == b.unit_kind or a.unit_kind == "count" and not a.unit):
                first = normalise(a.value * b.scale) if a.scale == 1 else a.value    # "từ 20 đến 40 triệu"
                joined = Mention(start=min(a.start, max(0, a.num_start - 8) + lead.start()), end=b.end,
                                 num_start=a.num_start, num_end=b.num_end, value=b.value if step else first,
                                 unit=b.unit, unit_kind=b.unit_kind, qualifier=a.qualifier or b.qualifier,
                                 scale=b.scale)
                ahead = text[max(0, joined.start - 6): joined.start].lower()
                chg = re.search(r"(?<!\w)(tăng|giảm)\s*$", ahead)
                if step:
                    joined.form, joined.was = "from_to", first
                    if chg:
                        joined.start -= len(ahead) - chg.start()      # "tăng từ 0,48 lên 0,71"
                else:
                    joined.form, joined.upper = "range", b.value
                out.append(joined)
                i += 2
                continue
        if b is not None and a.unit and a.unit_kind == "count" and b.unit and (b.qualifier or "").lower() == "trên" \
                and not text[a.end: b.start].strip() and b.of is None and b.upper is None:
            # "0,69 doanh nghiệp trên 1.000 dân": a rate; its denominator is no figure
            a.unit, a.end = text[a.end - len(a.unit): b.end], b.end
            out.append(a)
            i += 2
            continue
        out.append(a)
        i += 1
    return out


def _propagate_changes(folded: str, mentions: list[Mention]) -> None:
    """"tăng 58,2% về số lượng và 36,7% về giá trị": the second is a change too."""
    for prev, cur in zip(mentions, mentions[1:]):
        gap = folded[prev.end: cur.start]
        if prev.change and not cur.change and cur.form not in ("rank", "level") \
                and re.fullmatch(r"\s*(?:ve [a-z ]{1,20})?\s*(va|,)\s*", gap):
            cur.change = True


_LEXICAL = patterns.compile(rf"(?<![\w.,])(?P<num>{LITERAL}|{'|'.join(WORDS)})(?![\w])"
                      # the other end of a range or change, its scale words shared: "10 - 15 triệu", "từ 20 đến 40 triệu"
                      rf"(?:(?P<to>\s*[-–]\s*|\s+(?:den|toi|len|xuong)\s+(?:muc\s+)?)(?P<hi>{LITERAL})(?![\w]))?"
                      r"(?P<scale>(?:\s+(?:nghin|ngan|trieu|ty|ti)(?![a-z]))*)")


def quote_values(quote: str) -> set[Decimal]:
    """Every number a quote states, read off its words alone: each literal as written,
    and scaled by its scale words one after another ("3,2 triệu tỷ" states 3,2, 3.200.000
    and 3.200.000.000.000.000). Extraction writes a figure only when its quote states its
    value (and the other end of its ratio, range or change), and `facts verify` checks
    the same: the two cannot disagree."""
    out: set[Decimal] = set()
    for m in _LEXICAL.finditer(fold(quote)):
        scale = m.group("scale").split()
        for num in (m.group("num"), m.group("hi")):
            if num is None or num in WORDS and not scale:
                continue                  # "hai" alone is a word
            try:
                base = Decimal(WORDS[num]) if num in WORDS else parse_literal(num)
            except ValueError:
                continue
            out.add(normalise(base))
            for word in scale:
                base *= SCALES[word]
                out.add(normalise(base))
    return out


def quote_states(quote: str, *numbers: object) -> bool:
    """Whether the quote states each of the numbers (None: nothing to state)."""
    values = quote_values(quote)
    try:
        return all(n is None or normalise(Decimal(str(n))) in values for n in numbers)
    except ArithmeticError:
        return False

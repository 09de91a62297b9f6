"""Figures and targets: every number a document states, with its metric, period,
scope and the shortest verbatim quote that states it."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date

from .. import patterns
from ..catalogue import Catalogue, Metric, Phrase
from ..textnorm import fold
from . import spans as sp
from .context import LOCAL, NATIONAL, Context, Sentence
from .dates import PeriodsBefore, deadlines_by_kind, find_deadline, find_period, period_end
from .mentions import Mention, find_mentions

UNCLASSIFIED = "unclassified"
# "đạt 75% mục tiêu", "bằng 98% so với mục tiêu": the share of a target reached is a result,
# and names no target for the figures after it in its sentence.
_TARGET_WORDS = patterns.compile(r"((?<!%)(?<!% )(?<!% so voi )muc tieu|phan dau|it nhat|toi thieu|dat muc tieu)")
_BASELINE = patterns.compile(r"\s*so voi\s+(?:voi\s+)?(?:(nam)\s+)?(\d{4}|cung ky(?: nam truoc)?)")


@dataclass
class Reading:
    """One mention read in its context: what the fact base records about it."""
    mention: Mention
    metric: str
    phrase_span: tuple[int, int] | None
    as_of: str
    scope: str
    target: bool
    deadline: date | None
    deadline_span: tuple[int, int] | None
    baseline: str | None
    baseline_end: int | None
    quote_span: tuple[int, int]
    set_by: str | None


def read_figures(ctx: Context, catalogue: Catalogue) -> list[Reading]:
    doc = ctx.doc
    mentions = find_mentions(doc.text, doc.body_start, doc.body_end, catalogue.folded_nouns, catalogue.ignore_patterns)
    year = doc.speaks_on.year if doc.speaks_on else None
    readings: list[Reading] = []
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        s = ctx.sentence_at(m.num_start)
        if s is not None:
            by_sentence.setdefault(s.span.start, []).append(m)
    provinces: dict[sp.Span, str | None] = {}
    stated: dict[tuple, Mention] = {}  # type: ignore[type-arg]
    for sentence in ctx.sentences:
        ms = by_sentence.get(sentence.span.start, [])
        if not ms:
            continue
        view = _View(ctx, catalogue, sentence, ms, year, provinces)
        for i, m in enumerate(ms):
            metric, pspan = _classify(catalogue, view, i)
            reading = _read(ctx, catalogue, view, m, metric, pspan, year)
            if metric != UNCLASSIFIED and (not catalogue.by_id[metric].covers(reading.scope)
                                           or _averaged(catalogue, view, m, metric)):
                # a national metric read in a sentence about a province (or the reverse); an
                # average over years is not the level of a year
                metric = UNCLASSIFIED
                reading = _read(ctx, catalogue, view, m, metric, None, year)
            if metric != UNCLASSIFIED and not m.change:
                # A document states one level of a metric for a date and place: a second value
                # that disagrees ("…, trong đó khối tỉnh đạt 16,94%", another index ranked
                # beside it) is not that metric, and would only set the document against itself
                # (and refuse the whole archive); it stays for a reviewer, unclassified.
                # (targets as `facts verify` groups them: one document states them on one day)
                key = (metric, reading.scope, reading.target, None if reading.target else reading.as_of)
                if _disagree(stated.setdefault(key, m), m):
                    metric = UNCLASSIFIED
                    reading = _read(ctx, catalogue, view, m, metric, None, year)
            view.classified(i, metric)
            readings.append(reading)
    return readings


# How far a try of _TARGET_WORDS, LOCAL or NATIONAL reads from where it starts (their
# longest words and look-arounds).
_WORDS_REACH = 40


class _Prefixes:
    """Whether rx finds a match in string[:end], for growing `end`: the string is searched
    once, not once per figure (that was quadratic in the figures of a sentence). For
    patterns whose tries read at most `reach` characters."""

    def __init__(self, rx: re.Pattern[str], string: str, reach: int = _WORDS_REACH) -> None:
        self.rx, self.string, self.reach = rx, string, reach
        self.end = 0
        self.hit: re.Match[str] | None = None

    def __call__(self, end: int) -> bool:
        if end < self.end or (self.hit is not None and self.hit.end() >= self.end):
            # a shorter prefix, or a match that touched the end (its look-ahead saw none): anew
            self.hit = self.rx.search(self.string, 0, end)
        elif self.hit is None:
            # a match that is new in the longer prefix reaches past the old end
            self.hit = self.rx.search(self.string, max(0, self.end - self.reach), end)
        self.end = end
        return self.hit is not None


class _View:
    """One sentence as its figures read it: clauses, segments, periods, deadlines, the
    catalogue's phrases — each found once for the sentence. Worked out again for each
    figure they made extraction quadratic in the numbers of a sentence (4,000 numbers:
    248 s)."""

    def __init__(self, ctx: Context, catalogue: Catalogue, sentence: Sentence, ms: list[Mention],
                 year: int | None, provinces: dict[sp.Span, str | None]) -> None:
        self.ctx, self.catalogue, self.sentence, self.ms, self.year = ctx, catalogue, sentence, ms, year
        self.text, self.folded, self.s = ctx.doc.text, ctx.folded, sentence.span
        self.clauses = sp.clauses(self.folded, self.s)
        self.clause_starts = [c.start for c in self.clauses]
        self.segments: dict[sp.Span, tuple[list[sp.Span], list[int]]] = {}
        self.starts = [m.num_start for m in ms]
        self.ends = [m.end for m in ms]
        # Figures in order, none reaching into the next (a catalogue noun holding a number
        # could make one): what is between two of them is found by bisection.
        self.regular = all(a.end <= b.num_start for a, b in zip(ms, ms[1:]))
        self.run_from: list[int] = []   # run_from[j]: where the run of figures with ms[j]'s metric starts
        self.level_metric: str | None = None     # the metric of the last level figure read
        self.coordinated = [bool(re.fullmatch(r"\s*(?:,|va|,\s*va)\s*", self.folded[a.end: b.start]))
                            for a, b in zip(ms, ms[1:])]
        self._free: list[tuple[list[int], list[int], list[re.Match[str]]]] | None = None
        self._spaces: list[tuple[int, int]] | None = None
        self._memo: dict[tuple, object] = {}  # type: ignore[type-arg]
        self.provinces = provinces

    def classified(self, i: int, metric: str) -> None:
        m = self.ms[i]
        m.metric = metric
        same = i > 0 and self.ms[i - 1].metric == metric
        self.run_from.append(self.run_from[i - 1] if same else i)
        if not m.change:
            # "ước đạt 14,02%, tương đương khoảng 72,1 tỷ USD, gấp 1,64 lần": a change is the
            # nearest level's, classified or not
            self.level_metric = metric if metric and metric != UNCLASSIFIED else None

    def _at(self, spans: list[sp.Span], starts: list[int], pos: int) -> sp.Span | None:
        k = bisect_right(starts, pos) - 1
        return spans[k] if k >= 0 and pos < spans[k].end else None

    def clause(self, pos: int) -> sp.Span:
        return self._at(self.clauses, self.clause_starts, pos) or self.s

    def segment(self, clause: sp.Span, pos: int) -> sp.Span:
        if clause not in self.segments:
            spans = sp.segments(self.folded, clause)
            self.segments[clause] = (spans, [x.start for x in spans])
        spans, starts = self.segments[clause]
        return self._at(spans, starts, pos) or clause

    def memo(self, key: tuple, make):  # type: ignore[no-untyped-def, type-arg]
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]

    def period_before(self, within: sp.Span, end: int) -> tuple[str, int, int] | None:
        """find_period(text, within.start, end, year) for an end inside a clause or the sentence."""
        scan = self.memo(("periods", within), lambda: PeriodsBefore(self.text, within.start, within.end, self.year))
        return scan.last(end)  # type: ignore[attr-defined]

    def deadline(self, start: int, end: int):  # type: ignore[no-untyped-def]
        """An aim's deadline in text[start:end] (find_deadline with aims)."""
        return self.memo(("deadline", start, end), lambda: find_deadline(self.text, start, end, self.year, aims=True))

    def deadline_before(self, within: sp.Span, end: int):  # type: ignore[no-untyped-def]
        """find_deadline(text, within.start, end, aims, last=True) for an end inside `within`,
        its deadlines found once (a figure each: that was quadratic in the figures of a clause)."""
        def found() -> list[tuple[list[int], list]]:  # type: ignore[type-arg]
            return [([d.end for d in kind], kind) for kind in
                    deadlines_by_kind(self.text, within.start, within.end, self.year, aims=True) if kind]
        for ends, kind in self.memo(("deadlines", within), found):  # type: ignore[attr-defined]
            k = bisect_right(ends, end)
            if k:
                return kind[k - 1]
        return None

    def found_before(self, name: str, rx: re.Pattern[str], within: sp.Span, end: int) -> bool:
        """rx.search(folded[within.start:end]) for an end inside a clause or the sentence."""
        search = self.memo(("prefix", name, within), lambda: _Prefixes(rx, self.folded[within.start: within.end]))
        return search(end - within.start)  # type: ignore[operator]

    def found_in(self, name: str, rx: re.Pattern[str]) -> bool:
        return self.memo(("in", name), lambda: rx.search(self.folded[self.s.start: self.s.end]) is not None)  # type: ignore[return-value]

    def province(self, span: sp.Span) -> str | None:
        if span not in self.provinces:
            self.provinces[span] = _named_province(self.text, span)
        return self.provinces[span]

    def each_within(self, lo: int, hi: int) -> bool:
        """Whether "mỗi/từng ngành …" (_EACH) starts in folded[lo:hi] (the sentence searched once)."""
        starts = self.memo(("each",), lambda: [x.start() for x in _EACH.finditer(self.folded, self.s.start, self.s.end)])
        k = bisect_left(starts, lo)  # type: ignore[arg-type]
        return k < len(starts) and starts[k] < hi  # type: ignore[arg-type, index]

    def sets_target_before(self, end: int) -> bool:
        """Whether "đặt/giao chỉ tiêu" ends before `end` in the sentence (on the lower-cased
        text, where "đặt" and "đạt" differ; looked for once a sentence, and only where "đặt" or
        "giao" stands)."""
        def find() -> list[int]:
            low = self.text[self.s.start: self.s.end].lower()
            if "đặt" not in low and "giao" not in low:
                return []
            return [self.s.start + x.end() for x in _SETS_TARGET.finditer(low)]
        return any(at <= end for at in self.memo(("sets",), find))  # type: ignore[attr-defined]

    def grdp_in(self, span: sp.Span) -> bool:
        """Whether "GRDP" stands in folded[span] (once a span)."""
        return self.memo(("grdp", span), lambda: _GRDP.search(self.folded, span.start, span.end) is not None)  # type: ignore[return-value]

    def provinces_before(self, within: sp.Span, end: int) -> set[str]:
        """The provinces named in text[within.start:end] (the names of `within` found once)."""
        from ..provinces import find_names

        names = self.memo(("names", within), lambda: [(within.start + a, n) for a, _, n in
                                                      find_names(self.text[within.start: within.end])])
        return {n for at, n in names if at < end}  # type: ignore[attr-defined]

    def free_hits(self) -> list[tuple[list[int], list[int], list[re.Match[str]]]]:
        """Each free phrase's matches in the sentence (starts, ends, matches), in phrase_table order."""
        if self._free is None:
            self._free = []
            for _, phrase in self.catalogue.phrase_table:
                hits = list(phrase.free.finditer(self.folded, self.s.start, self.s.end)) if phrase.free else []
                self._free.append(([h.start() for h in hits], [h.end() for h in hits], hits))
        return self._free

    def before_window(self, pos: int, words: int) -> int:
        """Where a phrase that ends at pos and spans at most `words` runs of spaces can start."""
        if self._spaces is None:
            self._spaces = [(w.start(), w.end()) for w in re.finditer(r"\s+", self.folded[self.s.start: self.s.end])]
            self._space_starts = [a + self.s.start for a, _ in self._spaces]
        k = bisect_left(self._space_starts, pos) - words - 1    # runs wholly before pos: k + words + 1
        return self.s.start + self._spaces[k][0] if k >= 0 else self.s.start

    def blocked(self, i: int, lo: int, hi: int, metric: str) -> bool:
        """Whether another figure not coordinated with figure i stands in folded[lo:hi]
        (lo <= its start < hi, or lo < its end <= hi) and is not read as `metric`."""
        ms = self.ms
        if not self.regular:
            return any((lo <= o.num_start < hi or lo < o.end <= hi) and o.metric != metric
                       for j, o in enumerate(ms) if j != i and not self._coordinated(i, j))
        m = ms[i]
        if hi <= m.num_start:     # on the left: figures p..i-1 (read already, their metrics known)
            p = bisect_right(self.ends, lo)
            r = i - 2 if i > 0 and self.coordinated[i - 1] else i - 1
            return r >= p and not (ms[r].metric == metric and self.run_from[r] <= p)
        q = bisect_left(self.starts, hi)      # on the right: figures i+1..q-1
        first = i + 2 if i + 1 < len(ms) and self.coordinated[i] else i + 1
        return any(ms[j].metric != metric for j in range(first, q))

    def _coordinated(self, i: int, j: int) -> bool:
        left, right = (self.ms[j], self.ms[i]) if j < i else (self.ms[i], self.ms[j])
        return bool(re.fullmatch(r"\s*(?:,|va|,\s*va)\s*", self.folded[left.end: right.start]))


def _classify(catalogue: Catalogue, view: _View, i: int) -> tuple[str, tuple[int, int] | None]:
    m, folded = view.ms[i], view.folded
    clause = view.clause(m.num_start)
    segment = view.segment(clause, m.num_start)
    # Anchored phrases: the words right before / after the number.
    best: tuple[int, Metric, tuple[int, int]] | None = None
    accepting = catalogue.accepting(m.unit, m.unit_kind, m.change)
    table = catalogue.phrase_table
    for at in accepting:
        metric, phrase = table[at]
        if not phrase.anchored:
            continue
        hit = _anchored(phrase, folded, view, m)
        if hit and (best is None or phrase.weight > best[0]):
            best = (phrase.weight, metric, hit)
    if best and view.found_before("channel", _CHANNEL, clause, m.num_start):
        best = None      # "giao dịch qua kênh Internet tăng 60,6% về số lượng": one channel's, not the whole's
    if best:
        return best[1].id, best[2]
    if m.change and view.level_metric and not (m.unit == "%/năm" and catalogue.by_id[view.level_metric].kind != "rate"):
        # "đạt 12,5 triệu, tăng 58,6%": the level's metric ("ước đạt 18,3% GDP, tăng trên
        # 20%/năm": a yearly rate is the growth of what the share is of, not of the share)
        return view.level_metric, None
    # Free phrases: the nearest in the same segment, else clause, else sentence, never
    # reaching past another number — unless that number is coordinated with this one
    # ("17 bộ, ngành và 63/63 địa phương đã …") or already read as the same metric.
    # Of a phrase's matches only the nearest on each side and those over the number can
    # win: one further away is further and no nearer its number's segment, and is behind
    # every number the nearer one is behind.
    ranked: list[tuple[int, int, int, Metric, tuple[int, int]]] = []
    free = view.free_hits()
    for at in accepting:
        (metric, phrase), (starts, ends, hits) = table[at], free[at]
        if phrase.free is None or not hits:
            continue
        k = bisect_right(ends, m.num_start)          # hits[:k] end before the number
        near = hits[k - 1: k] if k else []
        while k < len(hits) and starts[k] < m.end:         # over the number
            near.append(hits[k])
            k += 1
        near += hits[k: k + 1]                             # the first after it
        for hit in near:
            a, b = hit.start(), hit.end()
            lo, hi = (b, m.num_start) if b <= m.num_start else (m.end, a)
            if a < m.end and b > m.num_start:
                lo = hi = 0
            elif view.blocked(i, lo, hi, metric.id) or _PART.search(folded, lo, hi) or view.each_within(lo, hi) \
                    or (a >= m.end and _EACH_AFTER.match(folded, b)):
                continue
            level = 0 if segment.start <= a < segment.end else (1 if clause.start <= a < clause.end else 2)
            ranked.append((level, max(0, hi - lo), -phrase.weight, metric, (a, b)))
    if ranked:
        ranked.sort(key=lambda r: (r[0], r[1], r[2], r[3].id))
        return ranked[0][3].id, ranked[0][4]
    return UNCLASSIFIED, None


def _disagree(a: Mention, b: Mention) -> bool:
    """Two values that cannot both be right, as `facts verify` judges them ("vượt 20%, đạt
    25,25%" agree)."""
    from ..verify import _disjoint

    return a is not b and _disjoint(a, b)  # type: ignore[arg-type]


# "giai đoạn 2020–2024, tỷ trọng kinh tế số bình quân 12,88%", "bình quân hàng năm, giao dịch … tăng
# 60,6% về số lượng": an average over years (not "mức bình quân chung cả nước", the country's level)
_AVERAGE = patterns.compile(r"(?<![a-z])(?:binh quan|trung binh)(?! chung)(?![a-z])")


def _averaged(catalogue: Catalogue, view: _View, m: Mention, metric: str) -> bool:
    """Whether the number is an average over years where its metric is a level (a rate, "%/năm",
    is one already): the average stands before it in its clause."""
    return catalogue.by_id[metric].kind != "rate" and view.found_before("average", _AVERAGE, view.clause(m.num_start), m.num_start)


# "tỷ trọng kinh tế số bình quân 12,88%, trong đó kinh tế số lõi 7,99%": what follows "trong
# đó" is a part, not the whole the phrase names; so is what goes through one channel.
_CHANNEL_WORDS = "qua kenh"
_PART = patterns.compile(rf"(?<![a-z])(trong do|rieng|bao gom|{_CHANNEL_WORDS})(?![a-z])")
_CHANNEL = patterns.compile(rf"(?<![a-z]){_CHANNEL_WORDS}(?![a-z])")


# "tỷ trọng kinh tế số đạt 15% GRDP, trong từng ngành, lĩnh vực đạt tối thiểu 10%", "10% tỷ trọng
# kinh tế số trong mỗi ngành": a share within each sector (each unit) is not the whole's share the
# phrase names.
_EACH_UNIT = r"(?:moi|tung)\s+(?:nganh|linh vuc|dia phuong|tinh|so|don vi|co quan|doanh nghiep)(?![a-z])"
_EACH = patterns.compile(r"(?<![a-z])" + _EACH_UNIT)
_EACH_AFTER = re.compile(r"\s*(?:(?:trong|cua|o|tai)\s+)?" + _EACH_UNIT)


def _anchored(phrase: Phrase, folded: str, view: _View, m: Mention) -> tuple[int, int] | None:
    if not phrase.anchored:
        return None
    start, end = m.start, m.end
    if phrase.before is not None:
        # its match ends at the number: it starts no further back than its runs of spaces allow
        hit = phrase.before.search(folded, view.before_window(m.num_start, phrase.before_spaces), m.num_start)
        if not hit:
            return None
        start = min(start, hit.start())
    if phrase.after is not None:
        hit = phrase.after.match(folded, m.num_end, view.s.end)
        if not hit:
            return None
        end = max(end, hit.end())
    return start, end


def _read(ctx: Context, catalogue: Catalogue, view: _View, m: Mention, metric: str,
          pspan: tuple[int, int] | None, year: int | None) -> Reading:
    doc, text, folded = ctx.doc, ctx.doc.text, ctx.folded
    sentence, s = view.sentence, view.s
    clause = view.clause(m.num_start)
    stock = metric in catalogue.by_id and catalogue.by_id[metric].stock
    # Period: the last one named before the number in its clause, then (flows) its sentence
    # and paragraph; a running total without one is dated by the report.
    segment = view.segment(clause, m.num_start)
    k = bisect_left(view.starts, m.end)
    following = view.starts[k] if k < len(view.starts) and view.starts[k] < clause.end else clause.end
    period = view.period_before(clause, m.num_start) \
        or find_period(text, m.end, following, year, first=True)
    in_clause = period is not None
    if period is None and not stock:
        period = view.period_before(s, m.num_start)
    if period is None and not stock and doc.report_year and not view.found_in("now", _NOW):
        as_of = str(doc.report_year)
    elif period is not None:
        as_of = period[0]
    else:
        day = doc.event_date or doc.notice_date
        as_of = day.isoformat() if day else (doc.published or "unknown")
    # Targets: directives, target words, or a period that ends after the report.
    future = (in_clause and period is not None and period[1] >= segment.start and doc.speaks_on is not None
              and period_end(period[0]) > doc.speaks_on and _ahead(period[0], doc.speaks_on, folded, period[1]))
    is_target = not m.change and not _counts_plan_items(m) and not _stated_as_reached(text, s, m) \
        and not _named_value(text, m) \
        and (_governed(view, m) or future or view.found_before("target", _TARGET_WORDS, s, m.num_start)
             or view.sets_target_before(m.num_start) or sentence.aim is not None)
    deadline = _deadline_of(view, m, segment, clause, following) if is_target else None
    if is_target and deadline is None and sentence.aim is not None:
        # an item of "Mục tiêu cơ bản đến năm 2025:": the heading's deadline
        deadline = view.deadline(sentence.aim.start, sentence.aim.end)
    if is_target and deadline is None and future:
        deadline_date, deadline_span = period_end(period[0]), (period[1], period[2])
    else:
        deadline_date = deadline.date if deadline else None
        deadline_span = (deadline.start, deadline.end) if deadline else None
    baseline, baseline_end = None, None
    if m.change:
        b = _BASELINE.match(folded, m.end)
        if b:
            baseline = b.group(2) if b.group(2).isdigit() else text[b.start(2): b.end(2)]
            baseline_end = b.end()
    near_deadline = deadline_span if is_target and deadline_span and segment.start <= deadline_span[0] < segment.end else None
    # the period a figure is read as of belongs to its quote when it stands in its segment; a
    # day it is counted to joins it from the clause's opening too ("Tính đến ngày 28/10/2025,
    # vẫn còn 51 nhiệm vụ"), when no other figure stands between
    period_span = (period[1], period[2]) if in_clause and period and not m.change and (
        period[1] >= segment.start or (len(period[0]) == 10 and period[1] < m.num_start and m.num_start - period[1] <= 60
                                       and bisect_left(view.starts, period[2]) == bisect_left(view.starts, m.num_start))
    ) else None
    if m.change and pspan and not (segment.start <= pspan[0] and pspan[1] <= segment.end):
        pspan = None   # a change keeps its metric words only when they stand beside it
    quote_span = _quote(text, folded, s, m, pspan, baseline_end, near_deadline, period_span)
    set_by = None
    if is_target:
        set_by = "Thủ tướng Chính phủ" if view.found_in("leader", _LEADER) else None
    scope = sentence.scope
    if scope == "national":
        # "… của tỉnh đạt 49,8%": the province the document speaks for, or else the one
        # province its sentence (or paragraph) names.
        home = doc.province or view.province(s) or view.province(sentence.para)
        local = view.found_before("local", LOCAL, clause, m.num_start)
        nation = view.found_before("national", NATIONAL, clause, m.num_start) \
            and not _ranked_in_country(folded, clause.start, m.num_start)
        named = _bracketed_province(text, m)
        if named:
            scope = named      # "Đà Nẵng (58,89%), Hà Giang (55,76%)": each its province's
        # "tỉnh Đồng Tháp đặt chỉ tiêu tỷ trọng kinh tế số đạt 15% GRDP": the province named
        # before the number in its clause, or a share of GRDP (a province's product; the
        # country's is GDP), is the province's — two provinces' targets read as the country's
        # set their documents against each other and refused the archive. A share of GRDP
        # beside its number is, whatever else its clause names.
        elif home and (view.grdp_in(segment) or not nation and (
                local or view.grdp_in(clause) or view.provinces_before(clause, m.num_start) == {home})):
            scope = home
        elif home and not local and not nation and view.found_in("local", LOCAL) \
                and not view.found_in("national", NATIONAL):
            scope = home
    return Reading(mention=m, metric=metric, phrase_span=pspan, as_of=as_of, scope=scope, target=is_target,
                   deadline=deadline_date, deadline_span=deadline_span, baseline=baseline, baseline_end=baseline_end,
                   quote_span=quote_span, set_by=set_by)


def _deadline_of(view: _View, m: Mention, segment: sp.Span, clause: sp.Span, following: int):  # type: ignore[no-untyped-def]
    """A target's deadline: the last one before its number in its segment ("đến năm 2025 … đạt
    20%, đến năm 2030 … đạt 30%"); one written right after it ("đạt 30% GDP vào năm 2030" — not
    "đạt 20% GRDP và đến năm 2030, …", the next aim's); the last before it in its clause; else
    its clause's, else its sentence's."""
    before = view.deadline_before(segment, m.num_start)
    if before is not None:
        return before
    after = view.deadline(m.end, min(following, segment.end))
    if after is not None and not _NEXT_AIM.search(view.folded, m.end, after.start):
        return after
    return view.deadline_before(clause, m.num_start) or view.deadline(clause.start, clause.end) \
        or view.deadline(view.s.start, view.s.end)


# What stands between a target and the deadline of the next aim: "đạt 20% GRDP và đến năm 2030, …"
_NEXT_AIM = patterns.compile(r"(?<![a-z])va(?![a-z])|[,;]")


# "tỉnh Tây Ninh đặt chỉ tiêu tỷ trọng kinh tế số đạt 14% GRDP", "giao chỉ tiêu": a value set to reach
# (on the lower-cased text: folded, "đặt" is "đạt", and "đạt chỉ tiêu" is a result)
_SETS_TARGET = patterns.compile(r"(?<!\w)(?:đặt|giao)\s+(?:ra\s+)?(?:mục tiêu|chỉ tiêu)(?!\w)")
_GRDP = patterns.compile(r"(?<![a-z])grdp(?![a-z])")
_NOW = patterns.compile(r"(den nay|hien nay|hien co|^hien )")
# "đến năm 2025", "tới hết năm 2026", "trong năm nay": a period that is a deadline.
_BY = patterns.compile(r"(?<![a-z])(?:den|toi|trong)\s+(?:het\s+|cuoi\s+)?(?:nam\s+|thang\s+)?$")


def _ahead(label: str, day: date, folded: str, at: int) -> bool:
    """Whether a period that has not ended on `day` is one a figure aims at: it starts
    later, a deadline word names it, or most of it is still to come ("năm 2025" in a
    February report). The current year named bare in a December report ("năm 2023
    đứng thứ 46") is the year of a result."""
    start, end = period_start(label), period_end(label)
    if start > day or _BY.search(folded, max(0, at - 12), at):
        return True
    return (day - start) < (end - day)
# What a plan is made of: "62 mục tiêu", "45 chỉ tiêu, 82 nhiệm vụ", "7 quan điểm", and the texts
# that carry it ("10 nghị quyết đã được thông qua", "ban hành 10 Nghị định"): counting them is a
# fact about the plan, never a value it aims at.
_PLAN_ITEMS = patterns.compile(r"(chi tieu|muc tieu|nhiem vu|quan diem|nhom|giai phap|noi dung|tieu chi|de an|du an|"
                         r"chuong trinh|ke hoach|chi thi|cong dien|thong bao|van ban|quyet dinh|nghi dinh|nghi quyet|"
                         r"thong tu|luat)(?![a-z])")
# The words nearest before a number that say it was reached ("đã hoàn thành 38/102", "tính
# đến ngày 7/6 … đã tạo lập", "vẫn còn 51", "chỉ đạt 39,98%") or that it is aimed at.
# (on the lower-cased NFC text: folded, "đã" would be "đa" of "đa dạng")
_REACHED = patterns.compile(r"(?<!\w)(đã|tính đến|đến nay|hiện nay|hiện có|vẫn còn|còn lại|chỉ đạt|chỉ chiếm|đạt được|mới đạt|"
                            r"vượt (?:các )?(?:chỉ tiêu|mục tiêu))(?!\w)")
_AIMED = patterns.compile(r"(?<!\w)(mục tiêu|phấn đấu|ít nhất|tối thiểu|cần đạt|phải đạt|để đạt|nhằm đạt|chỉ tiêu)(?!\w)")


def period_start(label: str) -> date:
    """The first day of a period label (2024 → 2024-01-01; 2024-07 → 2024-07-01)."""
    if re.fullmatch(r"\d{4}(-H1)?", label):
        return date(int(label[:4]), 1, 1)
    if re.fullmatch(r"\d{4}-\d{2}", label):
        return date(int(label[:4]), int(label[5:]), 1)
    return date.fromisoformat(label)


def _counts_plan_items(m: Mention) -> bool:
    return m.unit_kind == "count" and m.form in ("number", "ratio") and _PLAN_ITEMS.match(fold(m.unit)) is not None


def _named_value(text: str, m: Mention) -> bool:
    """A value given in brackets after a unit's name — "Phú Ninh (12,1%)", "Nông Sơn (tạo
    lập hồ sơ đạt 115,34%" — is what that unit reached."""
    window = text[max(0, m.num_start - 80): m.num_start]
    k = window.rfind("(")
    if k < 0 or ")" in window[k:]:
        return False
    name = re.search(r"([^\W\d_]+)\s*$", window[:k])
    return name is not None and name.group(1)[:1].isupper()


def _governed(view: _View, m: Mention) -> bool:
    """Whether the number is what a directive sentence asks for: an order ("Thủ tướng yêu
    cầu", "phấn đấu", "theo yêu cầu của") stands in its clause or before it, or the sentence
    is an item of a list of tasks. "Năm 2023 đứng thứ 44/132, …; đến năm 2025 phấn đấu đạt
    30%": the rank comes in a clause before the order's and is a result."""
    if not view.sentence.directive:
        return False
    first = view.memo(("order",), lambda: _first_order(view.text, view.s))
    return first is None or first < view.clause(m.num_start).end  # type: ignore[operator]


def _first_order(text: str, s: sp.Span) -> int | None:
    """Where the first order of a sentence stands (None: it is a directive by its place, an
    item of a list of tasks)."""
    from .context import _DUE, _MODAL, _NOT_ORDER_WORDS, _ORDER, _PASSIVE, _STRESS

    low = _NOT_ORDER_WORDS.sub(lambda x: "_" * len(x.group()), text[s.start: s.end].lower())
    starts = [x.start() for rx in (_ORDER, _STRESS, _PASSIVE, _MODAL, _DUE) for x in rx.finditer(low)]
    return s.start + min(starts) if starts else None


def _stated_as_reached(text: str, within: sp.Span, m: Mention) -> bool:
    """Whether the nearest word before the number in its sentence says it was reached
    ("đã hoàn thành, đạt 98,62% (đúng hạn: 14.068"), not aimed at."""
    window = text[max(within.start, m.num_start - 120): m.num_start].lower()
    reached = [x.end() for x in _REACHED.finditer(window)]
    aimed = [x.end() for x in _AIMED.finditer(window)]
    return bool(reached) and (not aimed or reached[-1] >= aimed[-1])     # ("vượt chỉ tiêu": reached)
_LEADER = patterns.compile(r"(thu tuong chinh phu|thu tuong|lanh dao chinh phu|nguoi dung dau chinh phu)")


# "Bắc Ninh dẫn đầu cả nước về tỷ trọng kinh tế số trên GRDP với 56,83%": the country named as
# where a place ranks is no scope
_RANKED_IN = patterns.compile(r"(?<![a-z])(?:dan dau|dung dau|dung thu \d+|xep thu \d+|xep hang \d+|top \d+)\s+(?:trong\s+)?$")


def _ranked_in_country(folded: str, start: int, end: int) -> bool:
    """Whether every mention of the country in folded[start:end] says where something ranks."""
    hits = list(NATIONAL.finditer(folded, start, end))
    return bool(hits) and all(_RANKED_IN.search(folded, max(start, h.start() - 24), h.start()) for h in hits)


def _bracketed_province(text: str, m: Mention) -> str | None:
    """The province a value in brackets right after its name belongs to ("Đà Nẵng (58,89%)")."""
    window = text[max(0, m.start - 60): m.start]
    if not window.rstrip().endswith("("):
        return None
    from ..provinces import find_names

    head = window.rstrip()[:-1].rstrip()
    names = [n for _, end, n in find_names(head) if end == len(head)]
    return names[-1] if names else None


def _named_province(text: str, span: sp.Span) -> str | None:
    from ..provinces import find_names

    names = {n for _, _, n in find_names(text[span.start: span.end])}
    return names.pop() if len(names) == 1 else None


def _quote(text: str, folded: str, s: sp.Span, m: Mention, pspan: tuple[int, int] | None,
           baseline_end: int | None, deadline_span: tuple[int, int] | None,
           period_span: tuple[int, int] | None) -> tuple[int, int]:
    """The shortest verbatim span that states the figure: number, unit, metric words."""
    start, end = m.start, max(m.end, m.said_end)
    if baseline_end:
        end = max(end, baseline_end)
    extras = (pspan,) if m.change else (pspan, deadline_span, period_span)
    for extra in extras:
        if extra and s.start <= extra[0] and extra[1] <= s.end and abs(extra[0] - m.num_start) < 220:
            start, end = min(start, extra[0]), max(end, extra[1])
    return sp.trim(text, start, end)

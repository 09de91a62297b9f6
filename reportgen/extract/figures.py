"""Figures and targets: every number a document states, with its metric, period,
scope and the shortest verbatim quote that states it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..catalogue import Catalogue, Metric, Phrase
from . import spans as sp
from .context import LOCAL, NATIONAL, Context, Sentence
from .dates import find_deadline, find_period, period_end
from .mentions import Mention, find_mentions

UNCLASSIFIED = "unclassified"
_TARGET_WORDS = re.compile(r"(muc tieu|phan dau|it nhat|toi thieu|dat muc tieu)")
_BASELINE = re.compile(r"\s*so voi\s+(?:voi\s+)?(?:(nam)\s+)?(\d{4}|cung ky(?: nam truoc)?)")


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
    doc, text, folded = ctx.doc, ctx.doc.text, ctx.folded
    mentions = find_mentions(text, doc.body_start, doc.body_end, catalogue.folded_nouns, catalogue.ignore_patterns)
    year = doc.speaks_on.year if doc.speaks_on else None
    readings: list[Reading] = []
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        s = ctx.sentence_at(m.num_start)
        if s is not None:
            by_sentence.setdefault(s.span.start, []).append(m)
    for sentence in ctx.sentences:
        ms = by_sentence.get(sentence.span.start, [])
        for i, m in enumerate(ms):
            metric, pspan = _classify(catalogue, folded, sentence, ms, i)
            m.metric = metric
            readings.append(_read(ctx, catalogue, sentence, m, metric, pspan, year, ms))
    return readings


def _classify(catalogue: Catalogue, folded: str, sentence: Sentence, ms: list[Mention], i: int) -> tuple[str, tuple[int, int] | None]:
    m = ms[i]
    s = sentence.span
    clause = sp.enclosing(sp.clauses(folded, s), m.num_start) or s
    segment = sp.enclosing(sp.segments(folded, clause), m.num_start) or clause
    # Anchored phrases: the words right before / after the number.
    best: tuple[int, Metric, tuple[int, int]] | None = None
    for metric, phrase in catalogue.phrase_table:
        if not metric.accepts(m.unit, m.unit_kind, m.change):
            continue
        hit = _anchored(phrase, folded, s.start, s.end, m)
        if hit and (best is None or phrase.weight > best[0]):
            best = (phrase.weight, metric, hit)
    if best:
        return best[1].id, best[2]
    if m.change:
        for o in reversed(ms[:i]):
            if not o.change and o.metric and o.metric != UNCLASSIFIED:
                return o.metric, None   # "đạt 12,5 triệu, tăng 58,6%": the level's metric
    # Free phrases: the nearest in the same segment, else clause, else sentence, never
    # reaching past another number — unless that number is coordinated with this one
    # ("17 bộ, ngành và 63/63 địa phương đã …") or already read as the same metric.
    others = []
    for j, o in enumerate(ms):
        if j == i:
            continue
        left, right = (o, m) if j < i else (m, o)
        if re.fullmatch(r"\s*(?:,|va|,\s*va)\s*", folded[left.end: right.start]):
            continue
        others.append((o.num_start, o.end, o.metric))
    ranked: list[tuple[int, int, int, Metric, tuple[int, int]]] = []
    for metric, phrase in catalogue.phrase_table:
        if phrase.free is None or not metric.accepts(m.unit, m.unit_kind, m.change):
            continue
        for hit in phrase.free.finditer(folded, s.start, s.end):
            a, b = hit.start(), hit.end()
            lo, hi = (b, m.num_start) if b <= m.num_start else (m.end, a)
            if a < m.end and b > m.num_start:
                lo = hi = 0
            if any((lo <= os < hi or lo < oe <= hi) and om != metric.id for os, oe, om in others):
                continue
            level = 0 if segment.start <= a < segment.end else (1 if clause.start <= a < clause.end else 2)
            ranked.append((level, max(0, hi - lo), -phrase.weight, metric, (a, b)))
    if ranked:
        ranked.sort(key=lambda r: (r[0], r[1], r[2], r[3].id))
        return ranked[0][3].id, ranked[0][4]
    return UNCLASSIFIED, None


def _anchored(phrase: Phrase, folded: str, s_start: int, s_end: int, m: Mention) -> tuple[int, int] | None:
    if not phrase.anchored:
        return None
    start, end = m.start, m.end
    if phrase.before is not None:
        hit = phrase.before.search(folded, s_start, m.num_start)
        if not hit:
            return None
        start = min(start, hit.start())
    if phrase.after is not None:
        hit = phrase.after.match(folded, m.num_end, s_end)
        if not hit:
            return None
        end = max(end, hit.end())
    return start, end


def _read(ctx: Context, catalogue: Catalogue, sentence: Sentence, m: Mention, metric: str,
          pspan: tuple[int, int] | None, year: int | None, ctx_mentions: list[Mention]) -> Reading:
    doc, text, folded = ctx.doc, ctx.doc.text, ctx.folded
    s = sentence.span
    clause = sp.enclosing(sp.clauses(folded, s), m.num_start) or s
    stock = metric in catalogue.by_id and catalogue.by_id[metric].stock
    # Period: the last one named before the number in its clause, then (flows) its sentence
    # and paragraph; a running total without one is dated by the report.
    segment = sp.enclosing(sp.segments(folded, clause), m.num_start) or clause
    following = [o.num_start for o in ctx_mentions if m.end <= o.num_start < clause.end]
    period = find_period(text, clause.start, m.num_start, year) \
        or find_period(text, m.end, min(following, default=clause.end), year, first=True)
    in_clause = period is not None
    if period is None and not stock:
        period = find_period(text, s.start, m.num_start, year)
    if period is None and not stock and doc.report_year and not re.search(r"(den nay|hien nay|hien co|^hien )", folded[s.start:s.end]):
        as_of = str(doc.report_year)
    elif period is not None:
        as_of = period[0]
    else:
        day = doc.event_date or doc.notice_date
        as_of = day.isoformat() if day else (doc.published or "unknown")
    # Targets: directives, target words, or a period that ends after the report.
    deadline = find_deadline(text, clause.start, clause.end, year) or find_deadline(text, s.start, s.end, year)
    future = (in_clause and period is not None and period[1] >= segment.start and doc.speaks_on is not None
              and period_end(period[0]) > doc.speaks_on)
    is_target = not m.change and (sentence.directive or sentence.target_only or future
                                  or bool(_TARGET_WORDS.search(folded[s.start: m.num_start])))
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
    period_span = (period[1], period[2]) if in_clause and period and period[1] >= segment.start and not m.change else None
    if m.change and pspan and not (segment.start <= pspan[0] and pspan[1] <= segment.end):
        pspan = None   # a change keeps its metric words only when they stand beside it
    quote_span = _quote(text, folded, s, m, pspan, baseline_end, near_deadline, period_span)
    set_by = None
    if is_target:
        who = re.search(r"(thu tuong chinh phu|thu tuong|lanh dao chinh phu|nguoi dung dau chinh phu)", folded[s.start: s.end])
        set_by = "Thủ tướng Chính phủ" if who else None
    scope = sentence.scope
    if scope == "national":
        # "… của tỉnh đạt 49,8%": the province the document speaks for, or else the one
        # province its sentence (or paragraph) names.
        home = doc.province or _named_province(text, s) or _named_province(text, sentence.para)
        before = folded[clause.start: m.num_start]
        local, nation = LOCAL.search(before), NATIONAL.search(before)
        if home and local and not nation:
            scope = home
        elif home and not local and not nation and LOCAL.search(folded[s.start: s.end]) \
                and not NATIONAL.search(folded[s.start: s.end]):
            scope = home
    return Reading(mention=m, metric=metric, phrase_span=pspan, as_of=as_of, scope=scope, target=is_target,
                   deadline=deadline_date, deadline_span=deadline_span, baseline=baseline, baseline_end=baseline_end,
                   quote_span=quote_span, set_by=set_by)


def _named_province(text: str, span: sp.Span) -> str | None:
    from ..provinces import find_names

    names = {n for _, _, n in find_names(text[span.start: span.end])}
    return names.pop() if len(names) == 1 else None


def _quote(text: str, folded: str, s: sp.Span, m: Mention, pspan: tuple[int, int] | None,
           baseline_end: int | None, deadline_span: tuple[int, int] | None,
           period_span: tuple[int, int] | None) -> tuple[int, int]:
    """The shortest verbatim span that states the figure: number, unit, metric words."""
    start, end = m.start, m.end
    if baseline_end:
        end = max(end, baseline_end)
    extras = (pspan,) if m.change else (pspan, deadline_span, period_span)
    for extra in extras:
        if extra and s.start <= extra[0] and extra[1] <= s.end and abs(extra[0] - m.num_start) < 220:
            start, end = min(start, extra[0]), max(end, extra[1])
    return sp.trim(text, start, end)

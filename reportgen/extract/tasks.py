"""Tasks: each directive, to whom it is addressed, and by when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .. import patterns
from ..catalogue import Catalogue, Party
from . import spans as sp
from ..provinces import find_names
from .context import Context, addressees_only, parties_in, split_parties
from .dates import find_deadline


# What may stand before a party that is the subject of its part: nothing, or words that hand
# the task over ("giao Bộ Tư pháp …", "đồng thời các địa phương …").
_SUBJECT_LEAD = patterns.compile(r"\s*(?:(?:dong thoi|giao|de nghi|yeu cau|va|rieng|doi voi)\s+)?")
_OUTLET_TAG = patterns.compile(r"\s*\([^\s()][^()\n]{0,30}\)\s*[-–]\s+")
_OBJECT_PART = patterns.compile(r"(?:ve|cua|cho|voi|tai|tren|theo|doi voi)\s")
_ADDRESSEE_PART = patterns.compile(r"(?:va )?cac (?:[^\s,;]+[\s,]+){0,5}[^\s,;]+")
_ENUMERATOR = patterns.compile(r"\s*(?:\d{1,2}\.|[a-zđ]\)|[-–+•])\s+")


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a directive at semicolons outside brackets: one task per part."""
    parts, depth, pos = [], 0, start
    for m in _BRACKET_OR_SEMICOLON.finditer(text, start, end):     # (only these change anything)
        ch, i = m.group(), m.start()
        if ch in "(“":
            depth += 1
        elif ch in ")”":
            depth = max(depth - 1, 0)
        elif depth == 0:
            parts.append((pos, i))
            pos = i + 1
    parts.append((pos, end))
    return parts


_BRACKET_OR_SEMICOLON = patterns.compile(r"[()“”;]")


@dataclass
class TaskReading:
    span: tuple[int, int]
    responsible: list[Party]
    partners: list[Party]
    deadline: date | None
    deadline_span: tuple[int, int] | None
    scope: str = "national"


def _scope(ctx: Context, sentence, responsible: list[Party]) -> str:  # type: ignore[no-untyped-def]
    """A task is a province's own when its document speaks for the province, its paragraph
    is about one ("Đối với tỉnh …"), or a provincial leader gives it to the province's own
    departments in a paragraph that names that one province.

    A provincial outlet's report of what the centre asks of everyone — the Prime Minister's
    order to "các bộ, ngành, địa phương", a ministry's letter to "UBND các tỉnh, thành phố" —
    stays national; what the province's own leaders ask of its departments is the province's."""
    f = ctx.folded[sentence.span.start: sentence.span.end]
    local = responsible and not any(p.provinces for p in responsible) and all(
        p.id in _LOCAL_PARTIES for p in responsible)
    if ctx.doc.province:
        if ctx.doc.official or local or _OWN_LEADER.search(f):
            return ctx.doc.province
        speaker = _speaker(ctx, sentence.span.end)
        central = any(not p.provinces and p.id not in _LOCAL_PARTIES for p in responsible)
        if speaker == "province" and not central:
            return ctx.doc.province     # "các địa phương" in the chairman's words are the province's own
        if speaker == "centre" or responsible:
            return "national"
        return ctx.doc.province
    if sentence.scope != "national":
        return sentence.scope
    leaders = ctx.cache.setdefault("task leaders", {})     # once per sentence, not per part of it
    if sentence.span not in leaders:
        leaders[sentence.span] = _OWN_LEADER.search(f)
    leader = leaders[sentence.span]
    if local or leader:
        names = set(_names(ctx, sentence.para))
        if not names:
            # "đồng chí Chủ tịch UBND tỉnh yêu cầu …" in a report from one bridge point
            names = {n for a, _, n in _names(ctx, None) if "diem cau" in ctx.folded[max(0, a - 20): a]}
        if len(names) == 1:
            return names.pop()
    return "national"


# A province's own leader or People's Committee (one province: not "các tỉnh, thành phố").
_OWN_LEADER = patterns.compile(r"(?<![a-z])(?:(?:chu tich|pho chu tich) )?(?:ubnd|uy ban nhan dan) (?:tinh(?![a-z]|, thanh pho| thanh pho)|tp)")
# Who gives the orders a provincial outlet reports: the centre ("Thủ tướng", "Bộ trưởng", "Ban
# Chỉ đạo của Chính phủ") or the province ("Chủ tịch UBND tỉnh", "Bí thư Tỉnh ủy"). On the folded text.
_SPEAKERS = patterns.compile(r"(?<![a-z])(?:(thu tuong|bo truong|lanh dao chinh phu|nguoi dung dau chinh phu|"
                       r"ban chi dao cua chinh phu|van phong chinh phu|chinh phu (?:yeu cau|giao|de nghi))"
                       r"|((?<!cac )(?:pho )?chu tich (?:ubnd|uy ban nhan dan) (?:tinh|thanh pho)(?!, thanh pho)"
                       r"|(?<!cac )(?:ubnd|uy ban nhan dan) (?:tinh|thanh pho) (?:yeu cau|giao|de nghi|chi dao)"
                       r"|bi thu tinh uy|bi thu thanh uy))(?![a-z])")


def _speaker(ctx: Context, end: int) -> str | None:
    """Who spoke last before `end`: "centre", "province" or None (found once per document)."""
    from bisect import bisect_left

    found = ctx.cache.get("task speakers")
    if found is None:
        found = [(m.start(), "centre" if m.group(1) else "province")
                 for m in _SPEAKERS.finditer(ctx.folded, ctx.doc.body_start, ctx.doc.body_end)]
        ctx.cache["task speakers"] = found
    k = bisect_left(found, (end, ""))
    return found[k - 1][1] if k else None


def _names(ctx: Context, para: sp.Span | None) -> list:  # type: ignore[type-arg]
    """Province names in a paragraph (the names only), or in the whole document (with their
    places): found once each, not once per task (that was quadratic in the tasks)."""
    cache = ctx.cache.setdefault("task names", {})
    if para not in cache:
        cache[para] = [n for _, _, n in find_names(ctx.doc.text[para.start: para.end])] if para is not None \
            else find_names(ctx.doc.text)
    return cache[para]


_LOCAL_PARTIES = {"provincial_departments", "districts", "communes"}


def read_tasks(ctx: Context, catalogue: Catalogue) -> list[TaskReading]:
    doc, text, folded = ctx.doc, ctx.doc.text, ctx.folded
    year = doc.speaks_on.year if doc.speaks_on else None
    out: list[TaskReading] = []
    item: list[TaskReading] = []     # the tasks of the item being read: a later "Thời gian hoàn thành …" is theirs
    last_para = None
    for sentence in ctx.sentences:
        if sentence.para != last_para or (sentence.item_start and not sentence.deadline_only):
            item, last_para = [], sentence.para
        if not sentence.directive or sentence.target_only:
            continue
        start, end = sentence.span.start, sentence.span.end
        if sentence.deadline_only:
            deadline = find_deadline(text, start, end, year)
            for t in item:
                if deadline and t.deadline is None:
                    t.deadline, t.deadline_span = deadline.date, (deadline.start, deadline.end)
            continue
        tag = _OUTLET_TAG.match(text, start, end)
        if tag:          # "(QNO) - Chủ tịch UBND tỉnh …": the outlet's tag is not the task's words
            start = tag.end()
        # Drop an addressee line that opens the paragraph ("Chủ tịch UBND …: Nêu gương …").
        colon = folded.find(": ", sentence.para.start, min(sentence.para.start + 250, end))
        if start == sentence.para.start and colon > 0 and parties_in(catalogue, folded, start, colon):
            start = colon + 2
        # One task per part between semicolons. A part that opens with its verb goes on with
        # the sentence's subject ("Bộ Công an …; hỗ trợ kỹ thuật để các bộ, ngành, địa phương
        # …": the parties it names later are objects, not who acts).
        subject: list = list(sentence.parties)
        parts = _parts(text, start, end)
        for n, (a, b) in enumerate(parts):
            a, b = sp.trim(text, a, b)
            enumerator = _ENUMERATOR.match(text, a, b)
            if enumerator:   # "1. ", "a) ", "- ": the list's marks are not the task's words
                a = enumerator.end()
            if len(text[a:b].split()) < 4 or addressees_only(catalogue, folded, a, b):
                continue   # too short, or a heading naming who acts ("1. Sở Khoa học và Công nghệ")
            if sentence.order_at is not None and b <= sentence.order_at:
                continue   # what the sentence says before its order: "… cho biết, năm 2026 là …; yêu cầu …"
            if n < len(parts) - 1 and _ADDRESSEE_PART.fullmatch(folded, a, b):
                continue   # one of the addressees listed between semicolons: "…; các hội, hiệp hội nghề nghiệp; …"
            if n > 0 and _OBJECT_PART.match(folded, a) and len(text[a:b].split()) < 10:
                continue   # the rest of the part before: "… 3 chiến lược về …; về phát triển dữ liệu số"
            named = parties_in(catalogue, folded, a, b)
            responsible, partners = split_parties(catalogue, folded, a, b, text)
            if n > 0 and subject and named and not _SUBJECT_LEAD.fullmatch(folded[a: named[0][0]]):
                responsible = []
            if not responsible:
                responsible = list(subject)
            elif n == 0:
                subject = responsible
            deadline = find_deadline(text, a, b, year)
            task = TaskReading(span=(a, b), responsible=responsible, partners=partners,
                               deadline=deadline.date if deadline else None,
                               deadline_span=(deadline.start, deadline.end) if deadline else None,
                               scope=_scope(ctx, sentence, responsible))
            out.append(task)
            item.append(task)
    return out

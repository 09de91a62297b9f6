"""Tasks: each directive, to whom it is addressed, and by when."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..catalogue import Catalogue, Party
from . import spans as sp
from ..provinces import find_names
from .context import Context, parties_in, split_parties
from .dates import find_deadline



# What may stand before a party that is the subject of its part: nothing, or words that hand
# the task over ("giao Bộ Tư pháp …", "đồng thời các địa phương …").
_SUBJECT_LEAD = re.compile(r"\s*(?:(?:dong thoi|giao|de nghi|yeu cau|va|rieng|doi voi)\s+)?")
_ENUMERATOR = re.compile(r"\s*(?:\d{1,2}\.|[a-zđ]\)|[-–+•])\s+")


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a directive at semicolons outside brackets: one task per part."""
    parts, depth, pos = [], 0, start
    for i in range(start, end):
        ch = text[i]
        depth += ch in "(“" and 1 or 0
        depth -= ch in ")”" and 1 or 0
        depth = max(depth, 0)
        if ch == ";" and depth == 0:
            parts.append((pos, i))
            pos = i + 1
    parts.append((pos, end))
    return parts


@dataclass
class TaskReading:
    span: tuple[int, int]
    responsible: list[Party]
    partners: list[Party]
    deadline: date | None
    deadline_span: tuple[int, int] | None
    scope: str = "national"


def _names_only(catalogue: Catalogue, folded: str, a: int, b: int) -> bool:
    named = parties_in(catalogue, folded, a, b)
    pieces, pos = [], a
    for s, e, _ in named:     # the words between the names (joined once: cut one by one it was quadratic)
        pieces.append(folded[pos:s])
        pos = e
    rest = "".join(pieces) + folded[pos:b]
    return bool(named) and not re.sub(r"[\s,;:.va]+", "", rest.replace(" va ", " "))


def _scope(ctx: Context, sentence, responsible: list[Party]) -> str:  # type: ignore[no-untyped-def]
    """A task is a province's own when its document speaks for the province, its paragraph
    is about one ("Đối với tỉnh …"), or a provincial leader gives it to the province's own
    departments in a paragraph that names that one province."""
    if ctx.doc.province:
        return ctx.doc.province
    if sentence.scope != "national":
        return sentence.scope
    local = responsible and not any(p.provinces for p in responsible) and all(
        p.id in _LOCAL_PARTIES for p in responsible)
    leaders = ctx.cache.setdefault("task leaders", {})     # once per sentence, not per part of it
    if sentence.span not in leaders:
        leaders[sentence.span] = re.search(r"(chu tich|pho chu tich) (ubnd|uy ban nhan dan) tinh",
                                           ctx.folded[sentence.span.start: sentence.span.end])
    leader = leaders[sentence.span]
    if local or leader:
        names = set(_names(ctx, sentence.para))
        if not names:
            # "đồng chí Chủ tịch UBND tỉnh yêu cầu …" in a report from one bridge point
            names = {n for a, _, n in _names(ctx, None) if "diem cau" in ctx.folded[max(0, a - 20): a]}
        if len(names) == 1:
            return names.pop()
    return "national"


def _names(ctx: Context, para: sp.Span | None) -> list:  # type: ignore[type-arg]
    """Province names in a paragraph (the names only), or in the whole document (with their
    places): found once each, not once per task (that was quadratic in the tasks)."""
    cache = ctx.cache.setdefault("task names", {})
    if para not in cache:
        cache[para] = [n for _, _, n in find_names(ctx.doc.text[para.start: para.end])] if para is not None \
            else find_names(ctx.doc.text)
    return cache[para]


_LOCAL_PARTIES = {"provincial_departments", "communes"}


def read_tasks(ctx: Context, catalogue: Catalogue) -> list[TaskReading]:
    doc, text, folded = ctx.doc, ctx.doc.text, ctx.folded
    year = doc.speaks_on.year if doc.speaks_on else None
    out: list[TaskReading] = []
    for sentence in ctx.sentences:
        if not sentence.directive or sentence.target_only:
            continue
        start, end = sentence.span.start, sentence.span.end
        # Drop an addressee line that opens the paragraph ("Chủ tịch UBND …: Nêu gương …").
        colon = folded.find(": ", sentence.para.start, min(sentence.para.start + 250, end))
        if start == sentence.para.start and colon > 0 and parties_in(catalogue, folded, start, colon):
            start = colon + 2
        # One task per part between semicolons. A part that opens with its verb goes on with
        # the sentence's subject ("Bộ Công an …; hỗ trợ kỹ thuật để các bộ, ngành, địa phương
        # …": the parties it names later are objects, not who acts).
        subject: list = list(sentence.parties)
        for n, (a, b) in enumerate(_parts(text, start, end)):
            a, b = sp.trim(text, a, b)
            enumerator = _ENUMERATOR.match(text, a, b)
            if enumerator:   # "1. ", "a) ", "- ": the list's marks are not the task's words
                a = enumerator.end()
            if len(text[a:b].split()) < 4 or _names_only(catalogue, folded, a, b):
                continue   # too short, or a heading naming who acts ("1. Sở Khoa học và Công nghệ")
            named = parties_in(catalogue, folded, a, b)
            responsible, partners = split_parties(catalogue, folded, a, b)
            if n > 0 and subject and named and not _SUBJECT_LEAD.fullmatch(folded[a: named[0][0]]):
                responsible = []
            if not responsible:
                responsible = list(subject)
            elif n == 0:
                subject = responsible
            deadline = find_deadline(text, a, b, year)
            out.append(TaskReading(span=(a, b), responsible=responsible, partners=partners,
                                   deadline=deadline.date if deadline else None,
                                   deadline_span=(deadline.start, deadline.end) if deadline else None,
                                   scope=_scope(ctx, sentence, responsible)))
    return out

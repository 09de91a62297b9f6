"""Tasks: each directive, to whom it is addressed, and by when."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..catalogue import Catalogue, Party
from . import spans as sp
from .context import Context, parties_in, split_parties
from .dates import find_deadline



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
        inherited = sentence.parties
        for n, (a, b) in enumerate(_parts(text, start, end)):
            a, b = sp.trim(text, a, b)
            enumerator = _ENUMERATOR.match(text, a, b)
            if enumerator:   # "1. ", "a) ", "- ": the list's marks are not the task's words
                a = enumerator.end()
            if len(text[a:b].split()) < 4:
                continue
            responsible, partners = split_parties(catalogue, folded, a, b)
            named = parties_in(catalogue, folded, a, b)
            if n > 0 and inherited and named and named[0][0] - a > 25:
                # "…; hỗ trợ kỹ thuật để các bộ, ngành, địa phương đối soát …": a part that opens
                # with its verb keeps the sentence's subject; the parties it names are objects.
                responsible = []
            if not responsible:
                responsible = list(inherited)
            elif n == 0:
                inherited = responsible
            deadline = find_deadline(text, a, b, year)
            out.append(TaskReading(span=(a, b), responsible=responsible, partners=partners,
                                   deadline=deadline.date if deadline else None,
                                   deadline_span=(deadline.start, deadline.end) if deadline else None))
    return out

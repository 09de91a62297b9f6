"""PROVISIONAL stand-in until the assignment rules land (issue 19, item 2)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..extract.dates import day as _day


@dataclass(frozen=True)
class Assignment:
    task_id: str
    source: str
    lead: str
    partners: tuple[str, ...]
    work: str
    deadline: date | None
    report_to: str | None


def assignments(tasks, targets, when, unit_kind, districts, table=None):  # type: ignore[no-untyped-def]
    return [Assignment(task_id=t.id, source=t.source, lead="Các sở, ban, ngành", partners=(),
                       work=t.text[:1].lower() + t.text[1:].rstrip(" ."), deadline=_day(t.deadline), report_to=None)
            for t in tasks]

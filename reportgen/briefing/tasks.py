"""Section 5 b): the national tasks addressed to provinces, turned into the province's work."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..extract.dates import day as _day
from ..factbase import DocumentFact, FactBase, Target, Task
from ..registry import Registry
from .cite import Citations
from .model import Assignment, Chart, TaskGroup
from .options import TASK_WINDOW
_ORDER_WORDS = re.compile(r"(?<!\w)(yêu cầu|đề nghị|giao|phải|cần|khẩn trương|hoàn thành|chỉ đạo|triển khai|"
                          r"rà soát|bảo đảm|đảm bảo|thực hiện)(?!\w)")


def province_tasks(fb: FactBase, registry: Registry, seen: set[str], session_docs: list[DocumentFact],
                   official: DocumentFact | None, when: date, window: int) -> list[tuple[DocumentFact, list[Task]]]:
    """Tasks addressed to provinces, grouped by document, newest document first: those of
    the reported session (its notice, else its reports) and of every notice, dispatch,
    directive … on or before the briefing date. A task of an older document stays while
    its deadline is at most `window` days past (without a deadline: while the document
    is at most `window` days old)."""
    primary = {official.id} if official else {d.id for d in session_docs}
    horizon = when - timedelta(days=window)
    docs = [d for d in fb.documents if d.id in seen and not d.province
            and (d.id in primary or (d.official and registry.kind.get(d.kind) and registry.kind[d.kind].tasks))]
    docs.sort(key=lambda d: (d.dated(), d.id), reverse=True)
    taken: set[str] = set()
    out = []
    for d in docs:
        tasks = []
        for t in fb.tasks:
            if t.source != d.id or not t.provinces or t.scope != "national" or t.text in taken:
                continue
            if not d.official and not _ORDER_WORDS.search(t.text.lower()):
                continue   # a press report's praise or exhortation is no task
            if d.id not in primary:
                deadline = _day(t.deadline)
                if (deadline or d.dated()) < horizon:
                    continue
            taken.add(t.text)
            tasks.append(t)
        if tasks:
            out.append((d, tasks))
    return out


def task_groups(groups: list[tuple[DocumentFact, list[Task]]], targets: list[Target], when: date,
                unit_kind: str, districts: bool, local: str, cite: Citations, label: str = "") -> list[TaskGroup]:
    """`local`: how this unit names its local level on the day ("Ủy ban nhân dân các huyện, thành
    phố"), given to the assignment rules; `label` the unit as the text names it ("thành phố Hà Nội")."""
    from . import assign

    out = []
    for doc, tasks in groups:
        source = cite(doc.id)
        items = tuple(Assignment(lead=a.lead, partners=a.partners,
                                 work=a.work, deadline=a.deadline, everyone=a.everyone,
                                 days_left=(a.deadline - when).days if a.deadline else None,
                                 report_to=a.report_to, report_by=a.report_by, ask=a.lead in a.outside,
                                 source=source, listed=a.listed, own_deadline=a.own_deadline)
                      for a in assign.assignments(tasks, targets, when, unit_kind, districts, local=local,
                                                  label=label or None))
        items = _together(items)
        if items:
            out.append(TaskGroup(source=source, items=items))
    return out


def _together(items: tuple[Assignment, ...]) -> tuple[Assignment, ...]:
    """Tasks without a deadline given to the same bodies, said once: "Giao Văn phòng … chủ trì,
    phối hợp với …: w1; w2; w3", at the place of the first."""
    from dataclasses import replace

    out: list[Assignment] = []
    for a in items:
        key = (a.everyone, a.ask, a.lead, a.partners, a.report_to)
        i = next((i for i, b in enumerate(out) if not a.everyone and a.deadline is None and a.report_by is None
                  and b.deadline is None and b.report_by is None
                  and (b.everyone, b.ask, b.lead, b.partners, b.report_to) == key), None)
        if i is None:
            out.append(a)
        else:
            out[i] = replace(out[i], work=f"{out[i].work}; {a.work}", several=True,
                             listed=tuple(dict.fromkeys(out[i].listed + a.listed)))
    return tuple(out)


def timeline_chart(groups: list[TaskGroup], when: date) -> Chart | None:
    dated = [a for g in groups for a in g.items if a.deadline]
    if not dated:
        return None
    # The task's words whole: the chart wraps them between words, never cuts one; the day the
    # province gives (its own, when the national one had passed).
    items = [{"deadline": (a.own_deadline or a.deadline).isoformat(),  # type: ignore[union-attr]
              "label": (a.lead or "Các sở, ban, ngành, địa phương") + ": " + re.sub(r"\s+", " ", a.work).strip()}
             for a in dated]
    return Chart(id="chart-timeline", number=0, kind="timeline", data={"items": items, "today": when.isoformat()},
                 caption="",       # the template writes it (the unit's kind and the date)
                 sources=tuple(dict.fromkeys(a.source.file for a in dated)), height_mm=20 + 12 * len(items),
                 cited=tuple({a.source.file: a.source for a in dated}.values()))

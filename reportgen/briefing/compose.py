"""fact base + province + date → briefing model.

compose builds what the templates write: the session, the national part (national.py),
the province's assignments (tasks.py), its own part (province.py) and the appendix
(appendix.py). Every record carries the documents it comes from; no sentence is made
here — the templates write them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from ..catalogue import Catalogue
from ..factbase import DocumentFact, Event, FactBase
from ..provinces import Resolution
from ..registry import Registry
from . import nd30
from .appendix import results as appendix_results, series_chart, targets_chart
from .cite import Citations
from .model import Briefing, Chart, Result, Session, Statement, TargetItem
from .options import Options
from .national import (current_targets, latest_event, latest_figures, meeting_name, session_of, statements,
                       target_items, visible)
from .province import province_part, unit_of
from .tasks import TASK_WINDOW, province_tasks, task_groups, timeline_chart
from .values import value_text

__all__ = ["Options", "compose", "compose_national", "compose_province", "meeting_name", "value_text"]


@dataclass
class National:
    """The part of a briefing that is the same for every province on a given date:
    composed once per date, then completed for each province."""
    when: date
    event: Event
    official: DocumentFact | None
    session: Session
    statements: dict[str, list[Statement]]
    theme: Statement | None
    targets: list[TargetItem]
    results: list[Result]
    charts: list[Chart]            # the targets and series charts that are worth drawing
    task_docs: list                # (document, tasks) addressed to provinces
    target_records: list           # the national targets, not to be repeated as tasks
    cite: Citations
    base_summary: str
    visible: set[str]
    window: int
    registry: Registry
    parties: dict[str, str]        # party id → label
    metrics: dict                  # metric id → the catalogue's entry


def compose(fb: FactBase, catalogue: Catalogue, registry: Registry, resolution: Resolution, when: date,
            options: Options) -> Briefing:
    return compose_province(compose_national(fb, catalogue, registry, when, options.task_window), fb, resolution,
                            options)


def compose_national(fb: FactBase, catalogue: Catalogue, registry: Registry, when: date,
                     window: int = TASK_WINDOW) -> National:
    from ..render.charts import worth_drawing

    docs = {d.id: d for d in fb.documents}
    seen = visible(fb, when)
    event = latest_event(fb, registry, seen, when)
    session_docs = [docs[s] for s in event.sources if s in seen]
    official = docs[event.notice] if event.notice and event.notice in seen else None
    cite = Citations(docs, registry)
    reports = [d for d in session_docs if d.official] or session_docs
    session = session_of(event, registry, official, reports, cite, when)
    said = statements(fb, official, session_docs, cite)
    theme = None
    if said["tasks"]:
        first = said["tasks"][0]
        theme = Statement(text=first.text.split("Trong đó")[0].strip(), source=first.source)
    national = latest_figures(fb, seen, when, lambda f: f.scope == "national")
    targets = current_targets(fb, seen)
    label = {m.id: m.label for m in catalogue.metrics}
    charts: list[Chart] = []
    for spec in catalogue.charts:
        chart = (targets_chart(spec, targets, national, label, cite) if spec.kind == "targets"
                 else series_chart(spec, fb, seen, when, label, cite))
        if chart and worth_drawing(chart, spec.coverage):     # else left out, and nothing refers to it
            charts.append(chart)
    meeting = session.meeting
    base_summary = cite.running(official.title) if official and official.title else (
        f"Kết luận {meeting}" if official else f"Kết quả {meeting}")
    return National(when=when, event=event, official=official, session=session, statements=said, theme=theme,
                    targets=target_items(targets, catalogue, cite, when),
                    results=appendix_results(national, catalogue, cite, when), charts=charts,
                    task_docs=province_tasks(fb, registry, seen, session_docs, official, when, window),
                    target_records=[t for t, _ in targets], cite=cite, base_summary=base_summary, visible=seen,
                    window=window, registry=registry, parties={p.id: p.label for p in catalogue.parties},
                    metrics=dict(catalogue.by_id))


_NUMBER = re.compile(r"^(\d+)(/.+)$")


def document_number(number: str | None) -> str | None:
    """Decree 30 writes a number below 10 with a leading zero: "5/TB-UBND" → "05/TB-UBND"."""
    if not number:
        return None
    number = number.strip()
    m = _NUMBER.match(number)
    if m and int(m.group(1)) < 10:
        return f"{int(m.group(1)):02d}{m.group(2)}"
    return number


def compose_province(nat: National, fb: FactBase, resolution: Resolution, options: Options) -> Briefing:
    """Complete the national part for one province: its unit of the day, its assignments,
    its own part, the appendix's citations."""
    from ..provinces import sentence_case
    from ..render.fonts import text_width_mm

    when = nat.when
    unit = unit_of(resolution, when)
    cite = nat.cite.copy()
    default_issuer = options.issuer is None
    issuer_lines = options.issuer or ["ỦY BAN NHÂN DÂN", unit.issuer_upper]
    groups = task_groups(nat.task_docs, nat.target_records, when, unit.level, unit.districts,
                         unit.local_recipients.replace("UBND", "Ủy ban nhân dân"), cite, unit.label)
    timeline = timeline_chart(groups, when)
    charts = list(nat.charts)
    if timeline is not None:
        from ..render.charts import worth_drawing

        if worth_drawing(timeline):
            charts.append(timeline)
        else:
            timeline = None
    charts = [replace(c, number=i) for i, c in enumerate(charts, start=1)]
    timeline = next((c for c in charts if c.kind == "timeline"), None)
    part = province_part(fb, unit, resolution.names_in_documents, nat.event.id, nat.visible, when,
                         nat.window, nat.registry, nat.metrics, nat.parties, cite)
    # The appendix's citations come after the body's.
    for r in nat.results:
        cite(r.source.file)
    for c in charts:
        cite.all(*c.sources)
    rules = {
        "issuer": min(0.45 * max(text_width_mm(line, nd30.SIZE_ISSUER, "bold") for line in issuer_lines),
                      nd30.LEFT_COL * 0.5),
        "motto": text_width_mm(nd30.TIEU_NGU, nd30.SIZE_MOTTO_2, "bold"),
    }
    issuer_name = f"Ủy ban nhân dân {unit.label}" if default_issuer else sentence_case(issuer_lines[-1])
    number = document_number(options.number)
    official = nat.official
    return Briefing(
        province_code=resolution.province.code, date=when, unit=unit, issuer_lines=issuer_lines,
        default_issuer=default_issuer, issuer_name=issuer_name, number=number, base_summary=nat.base_summary,
        session=nat.session, statements=nat.statements, theme=nat.theme,
        results=[replace(r, source=cite(r.source.file)) for r in nat.results], charts_in_appendix=charts,
        targets=nat.targets, task_groups=groups, timeline=timeline, province=part,
        signature_lines=options.signer_title or ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], signer=options.signer,
        sources=cite.cited(), author=" ".join(issuer_lines),
        keywords=["chuyển đổi số", "Đề án 06", unit.name] + ([official.number] if official and official.number else []),
        rules_mm=rules, review=options.review)


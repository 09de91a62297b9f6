"""The province's own part of a briefing (section 5 c) and the unit that issues it."""

from __future__ import annotations

from datetime import date, timedelta

from ..extract.dates import day as _day
from ..factbase import FactBase
from ..provinces import Resolution, UnitOfDay, former_provinces, unit_of_day
from .cite import Citations
from .model import Bridge, Chair, OwnTask, OwnTaskGroup, ProvincePart, UnitFigure
from .national import latest_figures, meeting_name, sentence
from .nd30 import period_text
from .values import value_text

def unit_of(resolution: Resolution, when: date) -> UnitOfDay:
    """The unit issuing the briefing, as it is on the briefing's day."""
    return resolution.unit if resolution.unit is not None else unit_of_day(resolution.typed, when)


def province_part(fb: FactBase, unit: UnitOfDay, names: tuple[str, ...], event_id: str, seen: set[str], when: date,
                  window: int, registry, metrics: dict, party: dict, cite: Citations) -> ProvincePart:  # type: ignore[no-untyped-def, type-arg]
    """What the documents say of this unit and its former units: bridge points, its own
    figures (beside the national value), its own documents' tasks with a deadline."""

    def label(name: str) -> str:
        if name == unit.name:
            return unit.label
        kind = next((k for k, n in unit.former if n == name),
                    next((f.type for f in former_provinces() if f.name == name), "tỉnh"))
        return f"{kind} {name} (cũ)"

    recent = when - timedelta(days=365)
    done: set[tuple] = set()  # type: ignore[type-arg]
    bridges = []
    for b in sorted((b for b in fb.bridge_points if b.province in names and b.source in seen
                     and (b.event == event_id or (_day(b.date) or date.min) >= recent)),
                    key=lambda b: (b.date or "", b.source), reverse=True):
        key = (b.event or b.source, b.province)
        if key in done:
            continue   # the same bridge point in several reports of the event
        done.add(key)
        event = fb.event(b.event)
        own = label(b.province)
        bridges.append(Bridge(meeting=meeting_name(event, registry) if event else None, session=b.session,
                              day=_day(b.date), unit=own,
                              unit_kind="thành phố" if own.lower().startswith("thành phố") else "tỉnh",
                              chair=Chair(role=b.chaired_by.role, name=b.chaired_by.name) if b.chaired_by else None,
                              attended=tuple(b.attended), source=cite(b.source)))
    figures = latest_figures(fb, seen, when, lambda f: f.scope in names)
    national = {f.metric: f for f, _ in latest_figures(fb, seen, when, lambda f: f.scope == "national")}
    several = len({f.scope for f, _ in figures}) > 1
    rows = []
    for f, _ in figures:
        metric = metrics[f.metric]
        n = national.get(f.metric)
        rows.append(UnitFigure(
            label=metric.label, unit=label(f.scope) if several else None,
            value=value_text(f.value, f.unit, f.qualifier, f.upper, f.of, metric.kind, f.form, f.was),
            period=period_text(f.as_of),
            national_value=value_text(n.value, n.unit, n.qualifier, n.upper, n.of, metric.kind, n.form, n.was) if n else None,
            national_period=period_text(n.as_of) if n else None,
            sources=cite.all(f.source, *([n.source] if n else []))))
    horizon = when - timedelta(days=window)
    own_ids = {t.source for t in fb.tasks if t.scope in names}
    own = sorted((d for d in fb.documents if d.id in seen and d.id in own_ids), key=lambda d: (d.dated(), d.id),
                 reverse=True)
    groups = []
    for d in own:
        tasks = [t for t in fb.tasks if t.source == d.id and t.scope in names and t.deadline
                 and _day(t.deadline) >= horizon]  # type: ignore[operator]
        if tasks:
            groups.append(OwnTaskGroup(source=cite(d.id), tasks=tuple(
                OwnTask(text=sentence(t.text), deadline=_day(t.deadline),
                        days_left=(_day(t.deadline) - when).days if t.deadline else None,  # type: ignore[operator]
                        who="; ".join(party.get(p, p) for p in t.responsible) or None) for t in tasks)))
    used = {b.province for b in fb.bridge_points if b.source in seen} | {f.scope for f, _ in figures}
    return ProvincePart(other_names=bool((used & set(names)) - {unit.name}),
                        bridges=bridges, figures=rows,
                        figures_unit="các địa bàn" if several else (label(figures[0][0].scope) if figures else unit.label),
                        own_tasks=groups)

"""The national part of a briefing: the session, what its notice (or its press reports)
says, the latest national figures and the targets. The same for every province on a date."""

from __future__ import annotations

from datetime import date

from ..catalogue import Catalogue
from ..errors import InputError
from ..i18n import msg
from ..extract.dates import day as _day, period_end
from ..factbase import DocumentFact, Event, FactBase, Figure, Target
from ..registry import Registry
from ..textnorm import fold
from .cite import Citations
from .model import Chair, Session, Statement, TargetItem
from .values import value_text

UNCLASSIFIED = "unclassified"
SECTIONS = ("results", "shortcomings", "lessons", "views", "tasks")


def meeting_name(event: Event, registry: Registry) -> str:
    """"Phiên họp lần thứ 3 của Ban Chỉ đạo của Chính phủ về …" (the body as the registry names it)."""
    kind = registry.event_kind.get(event.kind)
    label = kind.label if kind else "Phiên họp"
    if event.number and event.kind != "conference":
        label = f"Phiên họp lần thứ {event.number}"
    body = registry.body.get(event.body or "")
    return f"{label} của {body.name}" if body else label


def visible(fb: FactBase, when: date) -> set[str]:
    """Documents a briefing dated `when` may use: those that existed on it (issued,
    published and the event they report all on or before it)."""
    return {d.id for d in fb.documents if d.dated() <= when}


def latest_event(fb: FactBase, registry: Registry, seen: set[str], when: date) -> Event:
    """The latest session of a registry body on or before `when` (not a ceremony)."""
    events = [e for e in fb.events if e.date and _day(e.date) <= when  # type: ignore[operator]
              and any(src in seen for src in e.sources) and e.body in registry.body
              and getattr(registry.event_kind.get(e.kind), "briefing", True)]
    if not events:
        first = min((e.date for e in fb.events if e.date), default=None)
        if first:
            raise InputError(msg("national.no_session_first", "no committee session on or before {day} in the fact base "
                                 "(the first is on {first}).", day=when.isoformat(), first=first))
        raise InputError(msg("national.no_session", "no committee session on or before {day} in the fact base.",
                             day=when.isoformat()))
    return max(events, key=lambda e: (e.date or "", e.notice is not None, len(e.sources)))


def months_between(a: date, b: date) -> int:
    """Whole months from a to b (a before b)."""
    months = (b.year - a.year) * 12 + b.month - a.month
    return months - (1 if b.day < a.day else 0)


def session_of(event: Event, registry: Registry, official: DocumentFact | None, reports: list[DocumentFact],
               cite: Citations, when: date) -> Session:
    day = _day(event.date)
    assert day is not None
    meeting = meeting_name(event, registry)
    chair = Chair(role=event.chair.role, name=event.chair.name) if event.chair and event.chair.name else None
    return Session(day=day, meeting=meeting, year_end=event.kind == "year_end" and "tổng kết" not in meeting,
                   chair=chair, notice=cite(official.id) if official else None,
                   reports=cite.all(*[d.id for d in reports]) if not official else (),
                   months_before=months_between(day, when))


def statements(fb: FactBase, official: DocumentFact | None, session_docs: list[DocumentFact],
               cite: Citations) -> dict[str, list[Statement]]:
    """The notice's paragraphs by section; without a notice, up to four distinct ones
    from the national press reports of the session (a province's news goes to its part)."""
    if official:
        chosen = {s: [st for st in fb.statements if st.section == s and st.source == official.id] for s in SECTIONS}
    else:
        press = {d.id for d in session_docs if not d.official and not d.province}
        chosen = {s: _distinct([st for st in fb.statements if st.section == s and st.source in press])[:4]
                  for s in SECTIONS}
        chosen["tasks"] = []
    return {s: [Statement(text=sentence(st.text), source=cite(st.source)) for st in items]
            for s, items in chosen.items()}


def sentence(text: str) -> str:
    """A source's paragraph as a whole sentence: capital first, one final stop."""
    text = text.strip().rstrip(";,")
    if text.endswith("./."):
        text = text[:-2]
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ".”", ".\"", ":")) else text + "."


def _distinct(items: list) -> list:  # type: ignore[type-arg]
    """Statements without near-repeats (the same sentence in several outlets' reports)."""
    out, seen = [], []  # type: ignore[var-annotated]
    for st in items:
        words = set(fold(st.text).split())
        if any(len(words & w) >= 0.7 * min(len(words), len(w)) for w in seen):
            continue
        seen.append(words)
        out.append(st)
    return out


def latest_figures(fb: FactBase, seen: set[str], upto: date, keep) -> list[tuple[Figure, Figure | None]]:  # type: ignore[no-untyped-def]
    """The latest level of each classified metric, with a change stated beside it."""
    rank = {d.id: 2 if d.official else 1 for d in fb.documents}
    best: dict[str, Figure] = {}
    for f in fb.figures:
        if f.metric == UNCLASSIFIED or f.change or f.source not in seen or not keep(f):
            continue
        try:
            end = period_end(f.as_of)
        except ValueError:
            continue
        if end > upto and len(f.as_of) == 10:
            continue
        cur = best.get(f.metric)
        key = (period_end(f.as_of), rank[f.source], f.qualifier is None)
        if cur is None or key > (period_end(cur.as_of), rank[cur.source], cur.qualifier is None):
            best[f.metric] = f
    order = {f.metric: i for i, f in enumerate(fb.figures)}
    out = []
    for metric in sorted(best, key=lambda m: order[m]):
        f = best[metric]
        change = next((c for c in fb.figures if c.change and c.metric == metric and c.source == f.source
                       and c.as_of == f.as_of), None)
        out.append((f, change))
    return out


def current_targets(fb: FactBase, seen: set[str]) -> list[tuple[Target, Target | None]]:
    """The latest national target of each metric, with an earlier different one."""
    rank = {d.id: 2 if d.official else 1 for d in fb.documents}
    groups: dict[str, list[Target]] = {}
    for t in fb.targets:
        if t.metric != UNCLASSIFIED and t.source in seen and t.scope == "national":
            groups.setdefault(t.metric, []).append(t)
    out = []
    for metric, items in groups.items():
        items.sort(key=lambda t: (t.stated or "", rank[t.source]))
        current = items[-1]
        earlier = next((t for t in reversed(items[:-1]) if (t.stated or "") < (current.stated or "")), None)
        out.append((current, earlier))
    order = {t.metric: i for i, t in enumerate(fb.targets)}
    return sorted(out, key=lambda pair: order[pair[0].metric])


def target_items(targets: list[tuple[Target, Target | None]], catalogue: Catalogue, cite: Citations,
                 when: date) -> list[TargetItem]:
    label = {m.id: m.label for m in catalogue.metrics}
    out = []
    for t, earlier in targets:
        deadline = _day(t.deadline)
        changed = earlier is not None and earlier.value != t.value
        out.append(TargetItem(
            label=label[t.metric],
            value=value_text(t.value, t.unit, t.qualifier, t.upper, t.of, form=t.form, was=t.was),
            deadline=deadline, deadline_year_end=bool(deadline and (deadline.month, deadline.day) == (12, 31)),
            expired=bool(deadline and deadline < when),
            earlier_value=value_text(earlier.value, earlier.unit, earlier.qualifier) if changed else None,  # type: ignore[union-attr]
            earlier_day=_day(earlier.stated) if changed else None,  # type: ignore[union-attr]
            sources=cite.all(t.source, *([earlier.source] if changed else []))))  # type: ignore[union-attr]
    return out

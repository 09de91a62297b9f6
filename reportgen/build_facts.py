"""documents → fact base: run extraction over every document and assemble the records."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from .catalogue import Catalogue
from .corrections import Corrections
from .errors import InputError
from .extract.context import read_context
from .extract.events import read_events
from .extract.figures import read_figures
from .extract.statements import read_statements
from .extract.tasks import read_tasks
from .factbase import (BridgePoint, DocumentFact, FactBase, Figure, PersonFact, Session, Statement,
                       Target, Task)
from .sources import Document, load_documents
from .vnnumber import to_plain


def _fid(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


def _apply_document_fixes(docs: list[Document], corrections: Corrections) -> None:
    known = {d.id for d in docs}
    for doc_id in corrections.documents:
        if doc_id not in known:
            raise InputError(f"corrections: document {doc_id!r} is not in the seeds folder.")
    for doc in docs:
        fix = corrections.documents.get(doc.id)
        if not fix:
            continue
        if fix.event_date:
            doc.event_date = date.fromisoformat(fix.event_date)
            doc.event_date_quote = doc.event_date_quote or fix.event_date
            doc.event_date_inferred_year = False
        if fix.session is not None:
            doc.session = fix.session
        if fix.kind:
            doc.kind = fix.kind
        if fix.title:
            doc.title = fix.title


def build(seeds: Path, catalogue: Catalogue, corrections: Corrections, skipped: list[str] | None = None) -> FactBase:
    """The fact base of every document in seeds. A bad document refuses the build, or,
    when `skipped` is given, is left out and named there."""
    docs = load_documents(seeds, skipped)
    _apply_document_fixes(docs, corrections)
    rejected = {(r.source, r.quote) for r in corrections.reject}
    documents, figures, targets, tasks, bridges, statements = [], [], [], [], [], []
    sessions: dict[str, Session] = {}
    for doc in docs:
        documents.append(_document_fact(doc))
        ctx = read_context(doc, catalogue)
        session, bridge_readings = read_events(ctx)
        chair = f"{session.chair.role} {session.chair.name}".strip() if session.chair else None
        stated = doc.event_date.isoformat() if doc.event_date else doc.published
        seen: set[tuple] = set()
        for r in read_figures(ctx, catalogue):
            m = r.mention
            quote = doc.text[r.quote_span[0]: r.quote_span[1]]
            if (doc.id, quote) in rejected:
                continue
            unit = catalogue.by_id[r.metric].unit if r.metric in catalogue.by_id and not m.change else (m.unit or "")
            if r.target:
                key = ("T", r.metric, m.value, r.deadline)
                if key in seen:
                    continue
                seen.add(key)
                deadline_quote = doc.text[r.deadline_span[0]: r.deadline_span[1]] if r.deadline_span else None
                targets.append(Target(
                    id=_fid("tgt", doc.id, quote, m.value), metric=r.metric, value=to_plain(m.value),
                    upper=to_plain(m.upper) if m.upper is not None else None, unit=unit,
                    qualifier=m.qualifier, deadline=r.deadline.isoformat() if r.deadline else None,
                    deadline_quote=deadline_quote, set_by=chair or r.set_by, stated=stated, session=doc.session,
                    scope=r.scope, source=doc.id, quote=quote))
            else:
                key = ("F", r.metric, m.value, m.of, r.as_of, r.scope, m.change)
                if key in seen:
                    continue
                seen.add(key)
                figures.append(Figure(
                    id=_fid("fig", doc.id, quote, m.value), metric=r.metric, value=to_plain(m.value),
                    upper=to_plain(m.upper) if m.upper is not None else None,
                    of=to_plain(m.of) if m.of is not None else None, unit=unit, qualifier=m.qualifier,
                    change=m.change, baseline=r.baseline, as_of=r.as_of, scope=r.scope,
                    source=doc.id, quote=quote))
        for t in read_tasks(ctx, catalogue):
            quote = doc.text[t.span[0]: t.span[1]]
            if (doc.id, quote) in rejected:
                continue
            tasks.append(Task(
                id=_fid("task", doc.id, quote), text=quote, responsible=[p.id for p in t.responsible],
                partners=[p.id for p in t.partners], provinces=any(p.provinces for p in t.responsible),
                deadline=t.deadline.isoformat() if t.deadline else None,
                deadline_quote=doc.text[t.deadline_span[0]: t.deadline_span[1]] if t.deadline_span else None,
                stated=stated, session=doc.session, source=doc.id, quote=quote))
        for st in read_statements(doc):
            quote = doc.text[st.span[0]: st.span[1]]
            statements.append(Statement(id=_fid("st", doc.id, quote), section=st.section, heading=st.heading,
                                        text=st.text, source=doc.id, quote=quote))
        _merge_session(sessions, doc, session)
        for b in bridge_readings:
            bridges.append(BridgePoint(
                province=b.province, session=doc.session,
                date=doc.event_date.isoformat() if doc.event_date else None,
                chaired_by=PersonFact(name=b.chaired_by.name, role=b.chaired_by.role) if b.chaired_by else None,
                attended=b.attended, source=doc.id,
                quote=doc.text[b.span[0]: b.span[1]].strip() if b.span else b.quotes[0]))
    # A reviewed record replaces an extracted one with the same id (same source, quote, value).
    figures = _merge(figures, [f.model_copy(update={"id": f.id or _fid("fig", f.source, f.quote, f.value)})
                               for f in corrections.figures])
    targets = _merge(targets, [t.model_copy(update={"id": t.id or _fid("tgt", t.source, t.quote, t.value)})
                               for t in corrections.targets])
    tasks = _merge(tasks, [t.model_copy(update={"id": t.id or _fid("task", t.source, t.quote)})
                           for t in corrections.tasks])
    ranked = {d.id: (2 if d.kind == "official" else 1) for d in docs}
    _mark_current(targets, ranked)
    ordered_sessions = sorted(sessions.values(), key=lambda s: (s.date or "", s.number or 0))
    for b in bridges:  # a session number known from another report of the same day
        if b.session is None:
            b.session = next((s.number for s in ordered_sessions if s.date == b.date), None)
    for t in tasks + targets:
        if t.session is None:
            t.session = next((s.number for s in ordered_sessions if s.date == t.stated), None)
    return FactBase(schema="reportgen-facts/1", documents=documents, figures=figures, targets=targets,
                    tasks=tasks, statements=statements, sessions=ordered_sessions, bridge_points=bridges)


def _merge(extracted: list, reviewed: list) -> list:  # type: ignore[type-arg]
    ids = {r.id for r in reviewed}
    return [e for e in extracted if e.id not in ids] + reviewed


def _document_fact(doc: Document) -> DocumentFact:
    return DocumentFact(
        id=doc.id, title=doc.title, kind=doc.kind, notice=doc.notice,
        notice_date=doc.notice_date.isoformat() if doc.notice_date else None, issuer=doc.issuer, outlet=doc.outlet,
        author=doc.author, published=doc.published,
        event_date=doc.event_date.isoformat() if doc.event_date else None,
        event_date_quote=doc.event_date_quote, event_year_inferred=doc.event_date_inferred_year,
        session=doc.session, session_kind=doc.session_kind, sha256=doc.sha256)


def _merge_session(sessions: dict[str, Session], doc: Document, reading) -> None:  # type: ignore[no-untyped-def]
    """Reports of the same meeting day describe one session; the official text wins."""
    key = doc.event_date.isoformat() if doc.event_date else f"n{doc.session}"
    s = sessions.get(key)
    chair = PersonFact(name=reading.chair.name, role=reading.chair.role) if reading.chair else None
    if s is None:
        sessions[key] = Session(date=doc.event_date.isoformat() if doc.event_date else None,
                                number=doc.session, kind=doc.session_kind, chair=chair,
                                chair_quote=reading.chair_quote, attended=list(reading.attended),
                                notice=doc.notice, sources=[doc.id])
        return
    s.sources.append(doc.id)
    s.number = s.number or doc.session
    if doc.session_kind == "year-end":
        s.kind = "year-end"
    if chair and (s.chair is None or doc.kind == "official"):
        s.chair, s.chair_quote = chair, reading.chair_quote
    s.attended += [a for a in reading.attended if a not in s.attended]
    s.notice = s.notice or doc.notice


def _mark_current(targets: list[Target], rank: dict[str, int]) -> None:
    """Keep every revision; the latest statement — official before press on the same day — is current."""
    by_metric: dict[tuple[str, str], list[Target]] = {}
    for t in targets:
        if t.metric != "unclassified":
            by_metric.setdefault((t.metric, t.scope), []).append(t)
    for group in by_metric.values():
        best = max(group, key=lambda t: (t.stated or "", rank.get(t.source, 0), t.deadline or ""))
        for t in group:
            t.current = t is best

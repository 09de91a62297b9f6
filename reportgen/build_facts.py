"""documents → fact base: run extraction over every document and assemble the records."""

from __future__ import annotations

from .i18n import msg

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import paths
from .catalogue import Catalogue
from .corrections import Corrections
from .errors import InputError
from .extract.context import read_context
from .extract.events import SessionReading, read_events
from .extract.figures import UNCLASSIFIED, read_figures
from .extract.mentions import quote_states
from .extract.statements import read_reported, read_statements
from .extract.tasks import read_tasks
from .factbase import (BridgePoint, DocumentFact, Event, FactBase, Figure, PersonFact, SkippedFile, Statement,
                       Target, Task)
from .files import read_regular
from .readers import reader_name
from .registry import Registry
from .sources import Document, list_sources, load_document, series
from .vnnumber import to_plain


MAX_RECORDS = 5000      # records one document may give


def _fid(prefix: str, *parts: object) -> str:
    digest = hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:8]
    return f"{prefix}-{digest}"


def _says_more(f: Figure) -> int:
    """How much of a fact a figure's reading names beyond its number: its metric, its date,
    whose it is (a reading of the same words elsewhere in the document may name more)."""
    return (f.metric != UNCLASSIFIED) + (f.as_of != "unknown") + (f.scope != "national")


def _check_document_fixes(docs: list[Document], corrections: Corrections, registry: Registry) -> None:
    from .provinces import known_name

    known = {d.id for d in docs}
    for doc_id, fix in corrections.documents.items():
        if doc_id not in known:
            raise InputError(msg('build_facts.document_not_seeds_folder', "{where}: document {doc_id} is not in the seeds folder.", where=corrections.where(doc_id), doc_id=f"{doc_id!r}"))
        if fix.kind and fix.kind not in registry.kind:
            raise InputError(msg('build_facts.document_kind_not_document', "{where}: document {doc_id}: kind {kind} is not a document kind of the registry ({value}).", where=corrections.where(doc_id), doc_id=f"{doc_id!r}", kind=f"{fix.kind!r}", value=', '.join(registry.kind)))
        if fix.body and fix.body not in registry.body:
            raise InputError(msg('build_facts.document_body_not_body', "{where}: document {doc_id}: body {body} is not a body of the registry ({value}).", where=corrections.where(doc_id), doc_id=f"{doc_id!r}", body=f"{fix.body!r}", value=', '.join(registry.body)))
        if fix.province and known_name(fix.province) is None:
            raise InputError(msg('build_facts.document_not_province', "{where}: document {doc_id}: {province} is not a province.", where=corrections.where(doc_id), doc_id=f"{doc_id!r}", province=f"{fix.province!r}"))


def _fix_document(doc: Document, corrections: Corrections, registry: Registry) -> None:
    """What facts/corrections.yaml says of the document (a wrong entry is left for
    _check_document_fixes to refuse)."""
    from .provinces import known_name

    fix = corrections.documents.get(doc.id)
    if not fix:
        return
    if fix.event_date:
        doc.event_date = date.fromisoformat(fix.event_date)
        doc.event_date_quote = doc.event_date_quote or fix.event_date
        doc.event_date_inferred_year = False
    if fix.session is not None:
        doc.session = fix.session
    if fix.kind and fix.kind in registry.kind:
        doc.kind = fix.kind
        doc.official = registry.official(fix.kind)
    if fix.body and fix.body in registry.body:
        doc.held_by, doc.held_by_quote = fix.body, None
    if fix.province and known_name(fix.province):
        doc.province, doc.province_quote = known_name(fix.province), None
    if fix.title:
        doc.title = fix.title


@dataclass
class _Found:
    """What one document gives, found in a worker: the document, its event as it reports
    it, its records (before reprints are folded), and the rejections it used."""
    doc: Document
    session: SessionReading
    figures: list[Figure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    bridges: list[BridgePoint] = field(default_factory=list)
    used: set[tuple[str, str]] = field(default_factory=set)


def _find(path: Path, catalogue: Catalogue, corrections: Corrections, registry: Registry,
          rejected: set[tuple[str, str]], ocr: bool, cache: Path | None) -> _Found:
    """One document read and its facts found (within its budget: this runs in a worker)."""
    doc = load_document(path, registry, ocr, cache)
    _fix_document(doc, corrections, registry)
    ctx = read_context(doc, catalogue)
    session, bridge_readings = read_events(ctx)
    if doc.event_kind is None:
        bridge_readings = []
    found = _Found(doc, session)

    def is_rejected(doc_id: str, quote: str) -> bool:
        if (doc_id, quote) in rejected:
            found.used.add((doc_id, quote))
            return True
        return False
    chair = f"{session.chair.role} {session.chair.name}".strip() if session.chair else None
    day = doc.event_date or doc.notice_date
    stated = day.isoformat() if day else doc.published
    seen: set[tuple] = set()  # type: ignore[type-arg]
    ids: set[str] = set()   # a figure's id is its document, quote and value: the same words twice are one fact
    placed: dict[str, int] = {}     # where each figure's id stands in found.figures
    for r in read_figures(ctx, catalogue):
        m = r.mention
        quote = doc.text[r.quote_span[0]: r.quote_span[1]]
        if is_rejected(doc.id, quote) or not quote_states(quote, m.value, m.upper, m.of, m.was):
            continue   # (a quote always holds its numbers; `facts verify` reads them the same way)
        unit = catalogue.by_id[r.metric].unit if r.metric in catalogue.by_id and not m.change else (m.unit or "")
        if r.target:
            key = ("T", r.metric, m.value, r.deadline, quote if r.metric == UNCLASSIFIED else None)
            tid = _fid("tgt", doc.id, quote, m.value)
            if key in seen or tid in ids:
                continue
            seen.add(key)
            ids.add(tid)
            deadline_quote = doc.text[r.deadline_span[0]: r.deadline_span[1]] if r.deadline_span else None
            found.targets.append(Target(
                id=tid, metric=r.metric, value=to_plain(m.value),
                upper=to_plain(m.upper) if m.upper is not None else None,
                of=to_plain(m.of) if m.of is not None else None, was=to_plain(m.was) if m.was is not None else None,
                form=m.form, unit=unit, qualifier=m.qualifier, deadline=r.deadline.isoformat() if r.deadline else None,
                deadline_quote=deadline_quote, set_by=chair or r.set_by, stated=stated, session=doc.session,
                scope=r.scope, source=doc.id, quote=quote))
        else:
            # a metric stated twice (a lead repeated in the body) is one fact; unplaced numbers
            # are told apart by their words ("100% cán bộ …" and "100% hồ sơ …")
            key = ("F", r.metric, m.value, m.of, r.as_of, r.scope, m.change, quote if r.metric == UNCLASSIFIED else None)
            fid = _fid("fig", doc.id, quote, m.value)
            if key in seen:
                continue
            figure = Figure(
                id=fid, metric=r.metric, value=to_plain(m.value),
                upper=to_plain(m.upper) if m.upper is not None else None,
                of=to_plain(m.of) if m.of is not None else None, was=to_plain(m.was) if m.was is not None else None,
                form=m.form, unit=unit, qualifier=m.qualifier,
                change=m.change, baseline=r.baseline, as_of=r.as_of, scope=r.scope,
                source=doc.id, quote=quote)
            if fid in ids:
                # the same words twice ("Với tỷ lệ 68,54%, …" in the lead, "… trong năm 2024, Hà
                # Nam đã xử lý … 68,54%" in the body) are one fact: the reading that says more of
                # it — its metric, its date, whose it is — stands for both
                k = placed[fid]
                if _says_more(figure) > _says_more(found.figures[k]):
                    found.figures[k] = figure
                    seen.add(key)
                continue
            seen.add(key)
            ids.add(fid)
            placed[fid] = len(found.figures)
            found.figures.append(figure)
    said: set[str] = set()
    for t in read_tasks(ctx, catalogue):
        quote = doc.text[t.span[0]: t.span[1]]
        if is_rejected(doc.id, quote) or quote in said:
            continue   # a directive written twice in one document is one task
        said.add(quote)
        found.tasks.append(Task(
            id=_fid("task", doc.id, quote), text=quote, responsible=[p.id for p in t.responsible],
            partners=[p.id for p in t.partners], provinces=any(p.provinces for p in t.responsible),
            deadline=t.deadline.isoformat() if t.deadline else None,
            deadline_quote=doc.text[t.deadline_span[0]: t.deadline_span[1]] if t.deadline_span else None,
            stated=stated, session=doc.session, scope=t.scope, source=doc.id, quote=quote))
    reported = read_reported(ctx, registry) if not doc.official and doc.event_kind else []
    statement_ids: set[str] = set()
    for st in read_statements(doc) + reported:
        quote = doc.text[st.span[0]: st.span[1]]
        sid = _fid("st", doc.id, quote)
        if is_rejected(doc.id, quote) or sid in statement_ids:
            continue   # the same sentence twice in one document
        statement_ids.add(sid)
        found.statements.append(Statement(id=sid, section=st.section, heading=st.heading,
                                          text=st.text, source=doc.id, quote=quote))
    for b in bridge_readings:
        found.bridges.append(BridgePoint(
            province=b.province, session=doc.session,
            date=doc.event_date.isoformat() if doc.event_date else None,
            chaired_by=PersonFact(name=b.chaired_by.name, role=b.chaired_by.role) if b.chaired_by else None,
            attended=b.attended, source=doc.id,
            quote=doc.text[b.span[0]: b.span[1]].strip() if b.span else b.quotes[0]))
    records = len(found.figures) + len(found.targets) + len(found.tasks) + len(found.statements) + len(found.bridges)
    if records > MAX_RECORDS:
        # Checking each quote against its document (verify, review) is a search of the text
        # per record: tens of thousands of them in one document would hold a build for hours.
        raise InputError(msg('build_facts.figures_targets_tasks_statements', "{path}: {records} figures, targets, tasks and statements were found in it; a document with more than {MAX_RECORDS} is set aside (a real one has tens, a long report hundreds); split it.", path=path, records=records, MAX_RECORDS=MAX_RECORDS))
    return found


def _find_all(seeds: Path, catalogue: Catalogue, corrections: Corrections, registry: Registry,
              skipped: list[str] | None, ocr: bool, cache: Path | None) -> list[_Found]:
    """Every document of seeds, each read and its facts found in a worker process within its
    budget of time and memory, two or more at a time (reportgen.budget). A document that
    cannot be read or runs over its budget refuses the build, or, when `skipped` is given, is
    left out and named there."""
    import os

    from .budget import Workers, job

    files = list_sources(seeds)
    rejected = {(r.source, r.quote) for r in corrections.reject}
    kept = _FoundCache(cache, catalogue, corrections, registry, ocr)
    known = {path: kept.get(path) for path in files}
    todo = [path for path in files if known[path] is None]
    outcomes = {}
    if todo:
        _warm(catalogue, registry)
        size = min(len(todo), max(2, min(4, os.cpu_count() or 1)))
        def work(path: Path) -> _Found:
            found = _find(path, catalogue, corrections, registry, rejected, ocr, cache)
            kept.put(path, found)      # in the worker: the workers sign and write side by side
            return found

        with Workers(work, size) as pool:
            outcomes = dict(zip(todo, pool.map([job(path, (path,)) for path in todo])))
    found = []
    for path in files:
        if known[path] is not None:
            found.append(known[path])
            continue
        outcome = outcomes[path]
        if outcome.error is None:
            found.append(outcome.value)
        elif skipped is None:
            raise InputError(outcome.error)
        else:
            skipped.append(f"{path.name}: {str(outcome.error).split(': ', 1)[-1]}")
    kept.sweep(files)
    if not found:
        raise InputError(msg('build_facts.no_usable_document_seeds', "{seeds}: no usable document in the seeds folder.", seeds=seeds))
    return found


class _FoundCache:
    """What each document gave, kept beside the readers' cache (`.cache/found/`), so that a
    document that did not change is not read and searched again: adding one to an archive of
    hundreds costs that one. An entry is found by the hash of everything its finding reads —
    the document's name and bytes, the catalogue, registry and corrections, the OCR switch,
    reportgen's own code and the readers' versions — and trusted no more than the readers'
    cache: it is signed with the user's key (reportgen.sealed) and its signature checked before
    it is unpickled. Without a key, or a cache folder, nothing is kept."""

    def __init__(self, cache: Path | None, catalogue: Catalogue, corrections: Corrections, registry: Registry,
                 ocr: bool) -> None:
        self.folder = cache.parent / "found" if cache is not None else None
        self.texts = cache                  # the readers' cache, beside it
        self.names: dict[Path, str | None] = {}
        self.read: dict[Path, str] = {}     # the sha256 of the bytes each name was made of
        h = hashlib.sha256(b"found\x00" + (b"ocr" if ocr else b"-"))
        for model in (catalogue, corrections, registry):
            h.update(model.model_dump_json().encode("utf-8") + b"\x00")
        h.update(paths.code_digest())
        # the readers as the fact base records them ("pdf (pdfplumber 0.11.10, rules 1)"): a new
        # one may read a document otherwise
        h.update(";".join(reader_name(kind) for kind in ("text", "html", "docx", "pdf")).encode("utf-8"))
        self.inputs = h.digest()

    def _file(self, path: Path) -> tuple[Path, str] | None:
        if self.folder is None:
            return None
        if path not in self.names:      # each document read and hashed once, for get and put
            try:
                data = read_regular(path)
            except OSError:
                data = None
            self.names[path] = None if data is None else hashlib.sha256(
                self.inputs + path.name.encode("utf-8", "surrogateescape") + b"\x00" + data).hexdigest()
            if data is not None:
                self.read[path] = hashlib.sha256(data).hexdigest()
        name = self.names[path]
        return None if name is None else (self.folder / name, name)

    def get(self, path: Path) -> "_Found | None":
        import pickle

        from . import sealed

        where = self._file(path)
        if where is None:
            return None
        body = sealed.read_entry("found", self.folder, where[1])  # type: ignore[arg-type]
        if body is None:
            return None
        try:
            value = pickle.loads(body)   # signed by this user's reportgen: ours, for these very inputs
        except Exception:  # noqa: BLE001 - a damaged entry is a miss
            return None
        return value if isinstance(value, _Found) else None

    def sweep(self, files: list[Path]) -> None:
        """Keep the entries of these documents and, of the others (other versions of reportgen,
        of the catalogue, documents since removed), the most recently written, as many as there
        are documents: the folder holds at most twice the archive, however many versions went
        by, and the version before this one stays at hand. The temporary files of entries whose
        writer was killed (a Ctrl-C) are removed here and in the readers' cache."""
        if self.folder is None or self.texts is None:
            return
        from .sealed import remove_orphans

        remove_orphans(self.folder)
        remove_orphans(self.texts)
        current = {self.names.get(path) for path in files}
        try:
            others = [p for p in self.folder.iterdir() if not p.name.startswith(".") and p.name not in current]
        except OSError:
            return
        if len(others) <= len(files):
            return
        dated = []
        for p in others:
            try:
                dated.append((p.stat().st_mtime, p.name, p))
            except OSError:
                continue          # removed meanwhile
        dated.sort(reverse=True)
        for _, _, p in dated[len(files):]:
            try:
                p.unlink()
            except OSError:
                pass              # another build removed it, or a folder we cannot write

    def put(self, path: Path, found: "_Found") -> None:
        import pickle

        from . import sealed

        where = self._file(path)
        if where is None or found.doc.sha256 != self.read.get(path):
            return      # the document was saved again between its hash and its reading: its entry's
                        # name would say the old bytes, what it holds the new (helper-29)
        try:
            body = pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError, RecursionError):
            return   # not kept: found again next time
        sealed.write_entry("found", self.folder, where[1], body, limit=None)  # type: ignore[arg-type]


def _warm(catalogue: Catalogue, registry: Registry) -> None:
    """Compile the patterns every document needs once, before the workers fork (each would
    compile them again)."""
    from .provinces import _canonical, _name_pattern

    for value in (catalogue.by_id, catalogue.folded_nouns, catalogue.ignore_patterns, catalogue.phrase_table,
                  catalogue.party_patterns, registry.kind, registry.body, registry.event_kind, registry.body_patterns,
                  registry.event_patterns, registry.section_patterns, _canonical(), _name_pattern()):
        assert value is not None


def build(seeds: Path, catalogue: Catalogue, corrections: Corrections, registry: Registry | None = None,
          skipped: list[str] | None = None, ocr: bool = False, cache: Path | None = None) -> FactBase:
    """The fact base of every document in seeds. A bad document refuses the build, or,
    when `skipped` is given, is left out and named there. The registry defaults to
    facts/registry.yaml."""
    if registry is None:
        from . import paths
        from .registry import load_registry

        registry = load_registry(paths.registry_file())
    found = _find_all(seeds, catalogue, corrections, registry, skipped, ocr, cache)
    docs = [f.doc for f in found]
    _check_document_fixes(docs, corrections, registry)
    used = set().union(*(f.used for f in found))
    readings = {f.doc.id: f.session for f in found}
    figures = [x for f in found for x in f.figures]
    targets = [x for f in found for x in f.targets]
    tasks = [x for f in found for x in f.tasks]
    statements = [x for f in found for x in f.statements]
    bridges = [x for f in found for x in f.bridges]
    for r in corrections.reject:
        if (r.source, r.quote) not in used:
            raise InputError(msg('build_facts.reject_no_record_has', "{where_text}: reject: no record of {source} has the quote {quote} (a typo, or the document changed); correct or remove the entry.", where_text=corrections.where_text(r.quote), source=r.source, quote=f"{r.quote!r}"))
    # The same words in several documents (one article reprinted by several outlets, a
    # notice quoted whole) are one fact: its source is the first to say it, also_in the rest.
    when = {doc.id: (_document_fact(doc, None).dated(), not doc.official, doc.id) for doc in docs}
    figures, targets, tasks, statements, bridges = (_fold_reprints(x, when) for x in
                                                    (figures, targets, tasks, statements, bridges))
    # A reviewed record replaces an extracted one with the same id (same source, quote, value).
    figures = _merge(figures, [f.model_copy(update={"id": f.id or _fid("fig", f.source, f.quote, f.value)})
                               for f in corrections.figures])
    targets = _merge(targets, [t.model_copy(update={"id": t.id or _fid("tgt", t.source, t.quote, t.value)})
                               for t in corrections.targets])
    tasks = _merge(tasks, [t.model_copy(update={"id": t.id or _fid("task", t.source, t.quote)})
                           for t in corrections.tasks])
    ranked = {d.id: d.rank for d in docs}
    _mark_current(targets, ranked)
    events, event_of = merge_events(docs, readings)
    by_id = {e.id: e for e in events}
    for b in bridges:  # the event's number, known from another report of it
        b.event = event_of.get(b.source)
        if b.session is None and b.event:
            b.session = by_id[b.event].number
    for t in tasks + targets:
        if t.session is None and event_of.get(t.source):
            t.session = by_id[event_of[t.source]].number
    documents = [_document_fact(doc, event_of.get(doc.id)) for doc in docs]
    from .readers import file_sha256

    left_out = [SkippedFile(id=m.split(": ", 1)[0], sha256=file_sha256(seeds / m.split(": ", 1)[0]),
                            reason=m.split(": ", 1)[-1]) for m in (skipped or []) if (seeds / m.split(": ", 1)[0]).is_file()]
    return FactBase(schema="reportgen-facts/2", documents=documents, figures=figures, targets=targets,
                    tasks=tasks, statements=statements, events=events, bridge_points=bridges, skipped=left_out)


# What may differ between two documents that say the same thing: where and when they say it.
_CIRCUMSTANCE = {"id", "source", "also_in", "stated", "set_by", "session", "current", "date", "event"}


def _fold_reprints(records: list, when: dict) -> list:  # type: ignore[type-arg]
    groups: dict[str, list] = {}  # type: ignore[type-arg]
    keys = []
    for r in records:
        # an official text and the press are kept apart: a briefing cites the official one once issued
        # (pydantic's JSON of the record: the same for the same values, in the model's field order)
        key = f"{when[r.source][1]!r}\x00{r.model_dump_json(exclude=_CIRCUMSTANCE)}"
        keys.append(key)
        groups.setdefault(key, []).append(r)
    # each group's first once (found again for each of its records, it was quadratic in the
    # reprints of one text: 3,000 documents, 11 million comparisons)
    first = {key: min(group, key=lambda x: when[x.source]) for key, group in groups.items()}
    out = []
    for r, key in zip(records, keys):
        if r is first[key]:
            r.also_in = sorted({x.source for x in groups[key]} - {r.source})
            out.append(r)
    return out


def _merge(extracted: list, reviewed: list) -> list:  # type: ignore[type-arg]
    ids = {r.id for r in reviewed}
    return [e for e in extracted if e.id not in ids] + reviewed


def _document_fact(doc: Document, event: str | None) -> DocumentFact:
    return DocumentFact(
        id=doc.id, title=doc.title, kind=doc.kind, official=doc.official, number=doc.notice,
        issued=doc.notice_date.isoformat() if doc.notice_date else None, issuer=doc.issuer, outlet=doc.outlet,
        author=doc.author, published=doc.published, province=doc.province, province_quote=doc.province_quote,
        event=event, event_kind=doc.event_kind, body=doc.held_by, body_quote=doc.held_by_quote,
        event_date=doc.event_date.isoformat() if doc.event_date else None,
        event_date_quote=doc.event_date_quote, event_year_inferred=doc.event_date_inferred_year,
        session=doc.session, session_quote=doc.session_quote, url=doc.url, reader=doc.reader, ocr=doc.ocr,
        sha256=doc.sha256)


_KIND_ORDER = {"year_end": 0, "conference": 1, "session": 2}


def _stated(doc: Document) -> str | None:
    """The day a document states for its event; None where it gives none or only guesses
    the year (a report that names no year, with no date of its own)."""
    return doc.event_date.isoformat() if doc.event_date and not doc.event_date_inferred_year else None


def _compatible(event: Event, doc: Document, stated: dict[int, bool], counted: dict[int, int | None]) -> bool:
    """Whether a document can report this event: nothing known disagrees, and the same
    day — or the same body and number — links them. Only two days that documents state
    disagree: a guessed day never keeps a document from its body and number. A number
    counted in a year ("lần thứ nhất năm 2026") is another session than that number without."""
    day = doc.event_date.isoformat() if doc.event_date else None
    if doc.held_by and event.body and doc.held_by != event.body:
        return False
    years = (series(doc.session_quote), counted[id(event)])
    if doc.session and event.number and (doc.session != event.number or None not in years and years[0] != years[1]):
        return False
    same_number = bool(doc.held_by and doc.held_by == event.body and doc.session and doc.session == event.number
                       and years[0] == years[1])
    if day and event.date and day != event.date:
        return same_number and not (_stated(doc) and stated[id(event)])
    return bool(day and event.date == day) or same_number


def merge_events(docs: list[Document], readings: dict) -> tuple[list[Event], dict[str, str]]:  # type: ignore[type-arg]
    """Reports of one event — press and official, dated or only numbered — become one
    event. A document that could belong to two events joins neither (a wrong merge is
    worse than none); `facts verify` reports documents that disagree.

    Documents that state their event's day come first, then those that guess its year, then
    those that give no day: the day an event gets is a stated one wherever a document
    states it, and a document that does not state it joins the event of its body and
    number. An event no document dates is put on the earliest day its documents were
    published (or issued): on or before it, it was held — a guess, never in conflict with
    a stated day."""
    events: list[Event] = []
    stated: dict[int, bool] = {}          # id(event) → its day is one a document states
    counted: dict[int, int | None] = {}   # id(event) → the year its number counts in, if it says one
    event_of: dict[str, Event] = {}
    reporting = sorted((d for d in docs if d.event_kind),
                       key=lambda d: (d.event_date is None, _stated(d) is None, not d.official, d.id))
    for doc in reporting:
        matches = [e for e in events if _compatible(e, doc, stated, counted)]
        reading = readings.get(doc.id)
        chair = PersonFact(name=reading.chair.name, role=reading.chair.role) if reading and reading.chair else None
        if len(matches) == 1:
            e = matches[0]
            e.sources.append(doc.id)
            e.date = e.date or (doc.event_date.isoformat() if doc.event_date else None)
            e.body = e.body or doc.held_by
            if e.number is None and doc.session:
                e.number = doc.session
            counted[id(e)] = counted[id(e)] or series(doc.session_quote)
            if _KIND_ORDER.get(doc.event_kind or "", 9) < _KIND_ORDER.get(e.kind, 9):
                e.kind = doc.event_kind  # type: ignore[assignment]
            if chair and (e.chair is None or doc.official):
                e.chair, e.chair_quote = chair, reading.chair_quote
            if reading:
                have = set(e.attended)
                e.attended += [a for a in reading.attended if a not in have]
        else:
            day = doc.event_date.isoformat() if doc.event_date else None
            e = Event(id="", body=doc.held_by, kind=doc.event_kind or "session", date=day, number=doc.session,
                      chair=chair, chair_quote=reading.chair_quote if reading and chair else None,
                      attended=list(reading.attended) if reading else [], sources=[doc.id])
            events.append(e)
            stated[id(e)] = _stated(doc) is not None
            counted[id(e)] = series(doc.session_quote)
        if doc.official and e.notice is None and doc.kind == "notice":
            e.notice = doc.id
        event_of[doc.id] = e
    by_id = {d.id: d for d in docs}
    for e in events:
        if e.date is None:
            own = sorted(x for x in (_own_day(by_id[s]) for s in e.sources) if x)
            e.date = own[0] if own else None
    used: set[str] = set()
    for e in sorted(events, key=lambda e: (e.date or "9999", e.body or "", e.number or 0, e.sources[0])):
        base = f"ev-{e.date or 'undated'}-{e.body or 'unknown'}" + (f"-{e.number}" if e.number and not e.date else "")
        eid, n = base, 2
        while eid in used:
            eid, n = f"{base}-{n}", n + 1
        used.add(eid)
        e.id = eid
    ordered = sorted(events, key=lambda e: (e.date or "", e.number or 0, e.id))
    return ordered, {doc_id: e.id for doc_id, e in event_of.items()}


def _own_day(doc: Document) -> str | None:
    """The day a document was published (or issued), where it names a whole day."""
    from .extract.dates import day

    if doc.published and len(doc.published) >= 10 and day(doc.published):
        return doc.published[:10]
    return doc.notice_date.isoformat() if doc.notice_date else None


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

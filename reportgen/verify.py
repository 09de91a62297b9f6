"""Checks a reviewer can trust: every quote is in its source, every value and deadline
can be read back from its quote, every id is known, and disagreements are reported."""

from __future__ import annotations

from .i18n import msg

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Collection

from .catalogue import Catalogue
from .extract.dates import find_deadline, find_period, period_end
from .extract.figures import UNCLASSIFIED
from .extract.mentions import quote_states
from .factbase import FactBase, Figure, Target
from .readers import read
from .textnorm import nfc
from .errors import InputError

if TYPE_CHECKING:
    from .corrections import Corrections
    from .registry import Registry

# What a qualifier allows the true value to be, as a factor interval around the figure.
_BOUNDS = {
    None: (1, 1), "trên": (1, None), "hơn": (1, None), "vượt": (1, None), "ít nhất": (1, None),
    "tối thiểu": (1, None), "gần": (Decimal("0.9"), 1), "khoảng": (Decimal("0.9"), Decimal("1.1")),
    "ước": (Decimal("0.9"), Decimal("1.1")), "xấp xỉ": (Decimal("0.95"), Decimal("1.05")), "tối đa": (0, 1),
    "dưới": (0, 1),
}


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)    # unresolved: they fail verification
    resolved: list[str] = field(default_factory=list)     # official text outranks press text
    disputes: list[tuple] = field(default_factory=list)   # type: ignore[type-arg]  # the two records of each value conflict
    checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


def verify(fb: FactBase, catalogue: Catalogue, seeds: Path, cache: Path | None = None,
           corrections: "Corrections | None" = None, registry: "Registry | None" = None,
           derived: FactBase | None = None, texts: dict[str, str] | None = None) -> Report:
    """Check fb against its sources. Beyond the quotes, values and deadlines, every record is
    derived again from the documents by the extraction code itself (with the reviewed
    corrections, default facts/corrections.yaml) and compared field by field: a hand edit
    that no source supports fails. `derived` is that second derivation when the caller
    has just made it (facts build). `texts`, if given, is filled with each document's text as
    read here, by id, for a caller that reads them next (review)."""
    report = Report()
    texts = {} if texts is None else texts
    root = seeds.resolve()
    for doc in fb.documents:
        path = seeds / doc.id
        if root not in path.resolve().parents:
            report.errors.append(msg('verify.document_not_file_link', "document {id}: it is not a file of {seeds} (a link or a name leading outside it); documents are read only from the seeds folder.", id=doc.id, seeds=seeds))
            continue
        if not path.is_file():
            report.errors.append(msg('verify.document_not_found', "document {id}: not found in {seeds}.", id=doc.id, seeds=seeds))
            continue
        try:
            reading = read(path, ocr=doc.ocr, cache=cache)
        except InputError as exc:
            report.errors.append(exc.said)
            continue
        if reading.sha256 != doc.sha256:
            report.errors.append(msg('verify.document_file_has_changed', "document {id}: the file has changed since the fact base was built (its sha256 differs); run `reportgen facts build` and review the difference.", id=doc.id))
            continue
        if reading.reader != doc.reader:
            report.errors.append(msg('verify.document_was_read_by', "document {id}: it was read by {reader} and would now be read by {reader2}; run `reportgen facts build` and review the difference.", id=doc.id, reader=doc.reader, reader2=reading.reader))
            continue
        texts[doc.id] = reading.text
    if seeds.is_dir():
        from .textnorm import shown_name

        new = unread_documents(fb, seeds)
        if new:
            report.errors.append(msg("verify.unread_documents", "{seeds} holds documents the fact base has not read "
                                     "({names}{more}); run `reportgen facts build`.", seeds=seeds,
                                     names=", ".join(shown_name(n) for n in new[:5]), more=f" (+{len(new) - 5})" if len(new) > 5 else ""))
    every_document_read = len(texts) == len(fb.documents) and not report.errors
    party_ids = {p.id for p in catalogue.parties}

    def quoted(kind: str, fid: str, source: str, quote: str | None, also_in: list[str] | None = None) -> bool:
        report.checked += 1
        good = True
        for src in [source, *(also_in or [])]:
            if src not in texts:
                if src not in {d.id for d in fb.documents}:
                    report.errors.append(msg('verify.source_not_document_fact', "{kind} {fid}: source {src} is not a document of the fact base.", kind=kind, fid=fid, src=src))
                good = False
            elif not quote or nfc(quote) not in texts[src]:
                report.errors.append(msg('verify.quote_not_found_verbatim', "{kind} {fid}: quote not found verbatim in {src}: {quote}.", kind=kind, fid=fid, src=src, quote=f"{quote!r}"))
                good = False
        return good

    for f in fb.figures:
        if quoted("figure", f.id, f.source, f.quote, f.also_in):
            _value_readable(report, "figure", f, catalogue)
        _metric_known(report, "figure", f.id, f.metric, catalogue)
    for t in fb.targets:
        if quoted("target", t.id, t.source, t.quote, t.also_in):
            _value_readable(report, "target", t, catalogue)
            if t.deadline and t.deadline_quote:
                if quoted("target", t.id, t.source, t.deadline_quote):
                    _deadline_readable(report, "target", t.id, t.deadline, t.deadline_quote, t.stated)
        _metric_known(report, "target", t.id, t.metric, catalogue)
    for task in fb.tasks:
        quoted("task", task.id, task.source, task.quote, task.also_in)
        if task.deadline:
            if not task.deadline_quote:
                report.errors.append(msg('verify.task_deadline_has_no', "task {id}: deadline {deadline} has no quote.", id=task.id, deadline=task.deadline))
            elif quoted("task", task.id, task.source, task.deadline_quote):
                _deadline_readable(report, "task", task.id, task.deadline, task.deadline_quote, task.stated)
        for pid in task.responsible + task.partners:
            if pid not in party_ids:
                report.errors.append(msg('verify.task_party_not_catalogue', "task {id}: party {pid} is not in the catalogue.", id=task.id, pid=f"{pid!r}"))
    for st in fb.statements:
        if quoted("statement", st.id, st.source, st.quote, st.also_in) and not st.quote.startswith(st.text[:40]):
            report.errors.append(msg('verify.statement_text_does_not', "statement {id}: its text does not come from its quote.", id=st.id))
    for b in fb.bridge_points:
        quoted("bridge point", b.province, b.source, b.quote, b.also_in)
        if b.chaired_by and b.chaired_by.name not in b.quote:
            report.errors.append(msg('verify.bridge_point_chair_not', "bridge point {province}: chair {name} is not in its quote.", province=b.province, name=f"{b.chaired_by.name!r}"))
    for e in fb.events:
        if e.chair_quote and not any(e.chair_quote in texts.get(src, "") for src in e.sources):
            report.errors.append(msg('verify.event_chair_quote_not', "event {id}: chair quote not found in {value}.", id=e.id, value=', '.join(e.sources)))
    for d in fb.documents:
        for what, quote in (("body", d.body_quote), ("session number", d.session_quote),
                            ("date", d.event_date_quote if d.event_date_quote and not re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", d.event_date_quote) else None)):
            if quote and d.id in texts and quote not in texts[d.id]:
                report.errors.append(msg('verify.document_quote_not_document', "document {id}: the {what} quote {quote} is not in the document.", id=d.id, what=what, quote=f"{quote!r}"))
    if derived is None and every_document_read:
        derived = _derive(report, fb, catalogue, seeds, cache, corrections, registry)
    if derived is not None:
        # a record whose metric the catalogue lacks is said once (_metric_known): its differences
        # from what the documents give now (the number left unclassified) say nothing more
        unknown = {r.id for r in [*fb.figures, *fb.targets] if r.metric != UNCLASSIFIED and r.metric not in catalogue.by_id}
        _compare(report, fb, derived, unknown)
    _event_disagreements(report, fb)
    _conflicts(report, fb)
    return report


def unread_documents(fb: FactBase, seeds: Path) -> list[str]:
    """The names of the files in seeds/ that the fact base has not read: neither among its
    documents nor left out on purpose by `facts build --skip-bad` with the same bytes. A file
    that cannot be read now is no longer known to be the one refused: it counts as unread,
    and `facts build` names it."""
    from .readers import file_sha256

    known = {d.id for d in fb.documents}
    left_out = {s.id: s.sha256 for s in fb.skipped}

    def left_out_as_it_was(p: Path) -> bool:
        if p.name not in left_out:
            return False
        try:
            return file_sha256(p) == left_out[p.name]
        except OSError:
            return False

    return sorted(p.name for p in seeds.iterdir() if p.is_file() and not p.name.startswith(".")
                  and p.name not in known and not left_out_as_it_was(p))


def changed_documents(fb: FactBase, seeds: Path) -> list[str]:
    """The documents of the fact base whose file in seeds/ is gone, cannot be read or holds
    other bytes than it read."""
    from .readers import file_sha256

    out = []
    for doc in fb.documents:
        try:
            same = file_sha256(seeds / doc.id) == doc.sha256
        except OSError:
            same = False
        if not same:
            out.append(doc.id)
    return out


_CHANGE_HOW = msg("verify.change_how", "facts change only through facts/corrections.yaml (a reviewed record with "
                  "reviewed_by: and reason:) and `reportgen facts build`")


def _derive(report: Report, fb: FactBase, catalogue: Catalogue, seeds: Path, cache: Path | None,
            corrections: "Corrections | None", registry: "Registry | None") -> FactBase | None:
    from . import paths
    from .build_facts import build
    from .corrections import load_corrections
    from .registry import load_registry

    try:
        corrections = corrections if corrections is not None else load_corrections(paths.corrections_file())
        registry = registry if registry is not None else load_registry(paths.registry_file())
        return build(seeds, catalogue, corrections, registry, skipped=[] if fb.skipped else None,
                     ocr=any(d.ocr for d in fb.documents), cache=cache)
    except InputError as exc:
        report.errors.append(msg('verify.documents_corrections_do_not', "the documents and corrections do not give a fact base to compare with: {message}", message=exc.message))
        return None


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 90 else text[:60] + "…" + text[-20:]


def _compare(report: Report, fb: FactBase, derived: FactBase, explained: Collection[str] = ()) -> None:
    """Every record as the extraction code gives it from the documents and corrections,
    field by field: what differs was edited by hand (records of `explained` ids excepted)."""
    def keyed(records: list, key) -> dict:  # type: ignore[no-untyped-def, type-arg]
        out: dict = {}  # type: ignore[type-arg]
        for r in records:
            k, n = key(r), 1
            while (k, n) in out:
                n += 1
            out[(k, n)] = r
        return out

    lists = (("document", "documents", lambda r: r.id), ("figure", "figures", lambda r: r.id),
             ("target", "targets", lambda r: r.id), ("task", "tasks", lambda r: r.id),
             ("statement", "statements", lambda r: r.id), ("event", "events", lambda r: r.id),
             ("bridge point", "bridge_points", lambda r: f"{r.province} in {r.source}"),
             ("skipped file", "skipped", lambda r: r.id))
    for label, attr, key in lists:
        have, want = keyed(getattr(fb, attr), key), keyed(getattr(derived, attr), key)
        for k, record in have.items():
            source = getattr(record, "source", None) if label != "bridge point" else None
            name = f"{label} {k[0]}" + (f" ({source})" if source else "")
            other = want.get(k)
            if other is None:
                report.errors.append(msg("verify.no_document_gives", "{name}: no document gives this record — it was "
                                         "added or changed by hand; {how}.", name=name, how=_CHANGE_HOW))
                continue
            if k[0] in explained and label in ("figure", "target"):
                continue
            mine, theirs = record.model_dump(), other.model_dump()
            for field_name in mine:
                if mine[field_name] != theirs[field_name]:
                    report.errors.append(msg('verify.but_source_gives_edited', "{name}: its {field_name} is {short} but its source gives {short2} — edited by hand; {CHANGE_HOW}.", name=name, field_name=field_name, short=_short(mine[field_name]), short2=_short(theirs[field_name]), CHANGE_HOW=_CHANGE_HOW))
        for k in want.keys() - have.keys():
            report.errors.append(msg('verify.documents_give_this_record', "{label} {value}: the documents give this record but the fact base lacks it (removed by hand, or built from other documents); run `reportgen facts build`.", label=label, value=k[0]))
        # The order is part of the fact base: the briefing reads records in it (the first
        # figure of a metric, the order of tasks), so a reordered list is an edit too.
        mine_order = [k for k in have if k in want]
        their_order = [k for k in want if k in have]
        at = next((i for i, (a, b) in enumerate(zip(mine_order, their_order)) if a != b), None)
        if at is not None:
            report.errors.append(msg('verify.records_are_not_order', "{attr}: the records are not in the order the documents give them (at position {value}, {label} {value2} where the documents give {label2} {value3}) — reordered by hand; {CHANGE_HOW}.", attr=attr, value=at + 1, label=label, value2=mine_order[at][0], label2=label, value3=their_order[at][0], CHANGE_HOW=_CHANGE_HOW))


def _metric_known(report: Report, kind: str, fid: str, metric: str, catalogue: Catalogue) -> None:
    if metric != UNCLASSIFIED and metric not in catalogue.by_id:
        report.errors.append(msg("verify.metric_not_in_catalogue", "{kind} {fid}: metric {metric} is not in the catalogue: "
                                 "it was taken out of facts/catalogue.yaml (put it back, or run `reportgen facts build` "
                                 "to read the documents with the catalogue as it is), or written into the fact base by "
                                 "hand.", kind=kind, fid=fid, metric=f"{metric!r}"))


def _value_readable(report: Report, kind: str, fact: Figure | Target, catalogue: Catalogue) -> None:
    """The value (and the other end of a ratio, range or change) is stated by the quote, read
    as extraction reads it (mentions.quote_states)."""
    numbers = (fact.value, fact.upper, getattr(fact, "of", None), getattr(fact, "was", None))
    if quote_states(fact.quote, *numbers):
        return
    report.errors.append(msg('verify.value_cannot_read_from', "{kind} {id} ({source}): value {value} cannot be read from its quote {quote}.", kind=kind, id=fact.id, source=fact.source, value=fact.value, quote=f"{fact.quote!r}"))


def _deadline_readable(report: Report, kind: str, fid: str, deadline: str, quote: str, stated: str | None) -> None:
    year = int(stated[:4]) if stated else None
    found = find_deadline(quote, 0, len(quote), year, aims=kind == "target")   # ("vào năm 2030": an aim's)
    if found and found.date.isoformat() == deadline:
        return
    period = find_period(quote, 0, len(quote), year)
    if period and period_end(period[0]).isoformat() == deadline:
        return
    report.errors.append(msg('verify.deadline_cannot_read_from', "{kind} {fid}: deadline {deadline} cannot be read from {quote}.", kind=kind, fid=fid, deadline=deadline, quote=f"{quote!r}"))


def _interval(f: Figure | Target) -> tuple[Decimal, Decimal | None]:
    v = Decimal(str(f.value))
    hi = Decimal(str(f.upper)) if f.upper is not None else v
    lo_f, hi_f = _BOUNDS.get(f.qualifier.lower() if f.qualifier else None, (1, 1))
    return v * Decimal(lo_f), (hi * Decimal(hi_f) if hi_f is not None else None)


def _disjoint(a: Figure | Target, b: Figure | Target) -> bool:
    (alo, ahi), (blo, bhi) = _interval(a), _interval(b)
    strict_a = a.qualifier in ("trên", "hơn", "vượt")
    strict_b = b.qualifier in ("trên", "hơn", "vượt")
    if ahi is not None and (blo > ahi or (blo == ahi and strict_b and ahi != alo)):
        return True
    if bhi is not None and (alo > bhi or (alo == bhi and strict_a and bhi != blo)):
        return True
    return False


def _event_disagreements(report: Report, fb: FactBase) -> None:
    """Documents of one event that disagree about it, and events that look like one.

    Only days that documents state disagree: a day whose year a document guesses, or an
    event dated by when its reports were published, never conflicts with a stated one
    (the build joins them to the event of their body and number)."""
    docs = {d.id: d for d in fb.documents}
    for e in fb.events:
        for what, values in (("session number", {docs[s].session for s in e.sources if s in docs}),
                             ("body", {docs[s].body for s in e.sources if s in docs})):
            values.discard(None)
            if len(values) > 1:
                report.conflicts.append(msg('verify.event_documents_disagree_about', "event {id}: its documents disagree about the {what} ({value}): {value2}.", id=e.id, what=what, value=', '.join(sorted(map(str, values))), value2=', '.join(e.sources)))

    def stating(e) -> list:  # type: ignore[no-untyped-def, type-arg]
        """The documents that state the event's day."""
        return [docs[s] for s in e.sources if s in docs and docs[s].event_date == e.date
                and not docs[s].event_year_inferred]

    def said(e) -> str:  # type: ignore[no-untyped-def]
        d = stating(e)[0]
        return f"{e.date} in {d.id}" + (f" ({d.event_date_quote!r})" if d.event_date_quote else "")

    from .sources import series

    seen: dict[tuple, object] = {}
    for e in fb.events:
        if not (e.body and e.date and stating(e)):
            continue
        # the year its number counts in, where a document says one ("lần thứ nhất năm 2026")
        counted = next((series(docs[s].session_quote) for s in e.sources if s in docs and docs[s].session == e.number
                        and series(docs[s].session_quote)), None)
        other = seen.setdefault((e.body, e.date), e)
        if other is not e:
            report.conflicts.append(msg('verify.events_documents_same_day', "events {id} and {id2}: documents of the same day and body disagree about the session's number; record the right number in facts/corrections.yaml (documents:).", id=other.id, id2=e.id))
        if e.number:
            other = seen.setdefault((e.body, e.number, counted), e)
            if other is not e:
                report.conflicts.append(msg('verify.events_documents_give_two', "events {id} and {id2}: documents give two dates for session {number} of {body}: {said}, {said2}; record the right date or number in facts/corrections.yaml (documents:).", id=other.id, id2=e.id, number=e.number, body=e.body, said=said(other), said2=said(e)))


_KINDS = {"figure": msg("verify.kind.figures", "figures"), "target": msg("verify.kind.targets", "targets")}


def _conflicts(report: Report, fb: FactBase) -> None:
    rank = {d.id: 2 if d.official else 1 for d in fb.documents}
    groups: dict[tuple, list] = {}
    for f in fb.figures:
        if f.metric != UNCLASSIFIED and not f.change:
            groups.setdefault(("figure", f.metric, f.scope, f.as_of), []).append(f)
    for t in fb.targets:
        if t.metric != UNCLASSIFIED:
            groups.setdefault(("target", t.metric, t.scope, t.stated), []).append(t)
    for (kind, metric, scope, when), items in sorted(groups.items(), key=lambda kv: str(kv[0])):
        for i, a in enumerate(items):
            for b in items[i + 1:]:
                if not _disjoint(a, b):
                    continue
                line = msg("verify.values_disagree", "{kind} of {metric} ({scope}, {when}) disagree: {a} in {a_source} "
                           "({a_quote}) vs {b} in {b_source} ({b_quote})", kind=_KINDS[kind], metric=metric,
                           scope=msg("verify.scope_national", "national") if scope == "national" else scope,
                           when=when if when is not None else msg("verify.undated", "undated"), a=a.value, a_source=a.source, a_quote=repr(a.quote), b=b.value,
                           b_source=b.source, b_quote=repr(b.quote))
                if rank.get(a.source, 0) != rank.get(b.source, 0):
                    winner = a if rank.get(a.source, 0) > rank.get(b.source, 0) else b
                    report.resolved.append(msg("verify.resolved", "{line}; the official text {winner} is used.",
                                               line=line, winner=winner.source))
                else:
                    report.conflicts.append(msg("verify.conflict", "{line}.", line=line))
                    report.disputes.append((a, b))

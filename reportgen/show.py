"""`reportgen facts show`: the fact base as readable tables."""

from __future__ import annotations

from .i18n import msg, say

from rich.console import Console
from rich.markup import escape as _markup
from rich.table import Table

from datetime import date

from .briefing.nd30 import period_text, short_date
from .briefing.values import change_text, value_text
from .catalogue import Catalogue
from .factbase import FactBase
from .textnorm import printable


def escape(text: str) -> str:
    """Text from a document or the fact base for the console: neither markup nor terminal
    escape sequences."""
    return _markup(printable(text))


def _value(record, catalogue: Catalogue) -> str:  # type: ignore[no-untyped-def]
    """A figure's or target's value as the briefing writes it ("thứ 71/193", "ước đạt 18,3%",
    a change "tăng 15 bậc so với năm 2022")."""
    metric = catalogue.by_id.get(record.metric)
    if getattr(record, "change", False):
        return change_text(record, metric.unit if metric else record.unit)
    return value_text(record.value, record.unit, record.qualifier, record.upper, getattr(record, "of", None),
                      metric.kind if metric else "count", record.form, record.was)


# a statement's section (factbase.Statement.section) as the notice heads it
_SECTIONS = {"opening": msg("show.section.opening", "opening"), "results": msg("show.section.results", "results"),
             "shortcomings": msg("show.section.shortcomings", "shortcomings"),
             "causes": msg("show.section.causes", "causes"), "lessons": msg("show.section.lessons", "lessons"),
             "views": msg("show.section.views", "views"), "tasks": msg("show.section.tasks", "tasks"),
             "other": msg("show.section.other", "other")}


def _day(value: str | None) -> str:
    """A day, month or period of the fact base (ISO) as the briefing writes it: 06/02/2025,
    tháng 9/2024, 6 tháng đầu năm 2024."""
    if not value:
        return ""
    try:
        return short_date(date.fromisoformat(value))
    except ValueError:
        return period_text(value)


def _scope(scope: str) -> str:
    return say("verify.scope_national", "national") if scope == "national" else scope


def show(fb: FactBase, catalogue: Catalogue, metric: str | None = None, province: str | None = None) -> None:
    console = Console(highlight=False)
    scopes: set[str] | None = None
    if province:
        from .provinces import resolve

        resolution = resolve(province)
        scopes = set(resolution.names_in_documents)
        console.print(f"[bold]{escape(resolution.province.full_name)}[/]"
                      + (f" (gồm {', '.join(resolution.province.former)} cũ)" if resolution.province.former else ""))
    label = {m.id: m.label for m in catalogue.metrics}

    figures = [f for f in fb.figures if (metric is None or f.metric == metric) and (scopes is None or f.scope in scopes)]
    if not figures:
        console.print("Không có số liệu nào" + (" của tỉnh này." if scopes is not None else " cho chỉ tiêu này."))
    table = Table(title=f"Số liệu ({len(figures)})", show_lines=False)
    for col in ("Chỉ tiêu", "Giá trị", "Thời điểm", "Phạm vi", "Nguồn"):
        table.add_column(col)
    for f in figures:
        value = _value(f, catalogue)
        table.add_row(escape(label[f.metric]) if f.metric in label else f"[dim]{escape(f.metric)}[/]: {escape(f.quote)}",
                      escape(value), escape(period_text(f.as_of)), escape(_scope(f.scope)), escape(f.source[:3]))
    if figures:
        console.print(table)

    targets = [t for t in fb.targets if (metric is None or t.metric == metric) and (scopes is None or t.scope in scopes)]
    if targets:
        table = Table(title=f"Mục tiêu ({len(targets)})")
        for col in ("Chỉ tiêu", "Mục tiêu", "Thời hạn", "Nêu ngày", "Hiện hành", "Nguồn"):
            table.add_column(col)
        for t in targets:
            table.add_row(escape(label[t.metric]) if t.metric in label else f"[dim]{escape(t.metric)}[/]: {escape(t.quote)}",
                          escape(_value(t, catalogue)), _day(t.deadline),
                          _day(t.stated), "✓" if t.current else "", escape(t.source[:3]))
        console.print(table)

    if metric is None:
        tasks = [t for t in fb.tasks if scopes is None or t.provinces]
        table = Table(title=f"Nhiệm vụ ({len(tasks)})" + (" giao cho cấp tỉnh" if scopes is not None else ""))
        for col in ("Nhiệm vụ", "Chủ trì", "Thời hạn", "Nguồn"):
            table.add_column(col)
        party = {p.id: p.label for p in catalogue.parties}
        for t in tasks:
            table.add_row(escape(t.text), escape("; ".join(party.get(p, p) for p in t.responsible)), _day(t.deadline),
                          escape(t.source[:3]))
        console.print(table)
        bridges = [b for b in fb.bridge_points if scopes is None or b.province in scopes]
        table = Table(title=f"Điểm cầu ({len(bridges)})")
        for col in ("Tỉnh", "Phiên họp", "Ngày", "Chủ trì", "Nguồn"):
            table.add_column(col)
        for b in bridges:
            chair = f"{b.chaired_by.role or ''} {b.chaired_by.name}".strip() if b.chaired_by else ""
            table.add_row(escape(b.province), str(b.session or ""), _day(b.date), escape(chair), escape(b.source[:3]))
        console.print(table)
        if scopes is not None and not figures and not bridges:
            console.print("Các tài liệu không nêu số liệu riêng hay điểm cầu của tỉnh này.")


def show_document(fb: FactBase, catalogue: Catalogue, name: str, seeds, cache,  # type: ignore[no-untyped-def]
                  kinds: dict[str, str] | None = None) -> None:
    """One document as the fact base sees it: what it is, what was read from it, and every
    fact taken from it."""
    from .errors import InputError
    from .readers import read

    if not name.strip():
        raise InputError(msg("show.document_empty", "--document is empty; give a file name in seeds/ or its start."))
    matches = [d for d in fb.documents if d.id == name] or [d for d in fb.documents if d.id.startswith(name)]
    if not matches:
        raise InputError(msg("show.document_none", "--document {name}: no document of the fact base has this name; give "
                             "a file name in seeds/ or its start.", name=repr(name)))
    if len(matches) > 1:
        raise InputError(msg("show.document_several", "--document {name}: {count} documents match ({names}); give more "
                             "of the file name.", name=repr(name), count=len(matches),
                             names=", ".join(d.id for d in matches[:5]) + (", …" if len(matches) > 5 else "")))
    doc = matches[0]
    console = Console(highlight=False, soft_wrap=True)
    reading = read(seeds / doc.id, ocr=doc.ocr, cache=cache)
    kind = (kinds or {}).get(doc.kind) or (say("show.kind.press", "press report") if doc.kind == "press" else doc.kind)
    console.print(f"[bold]{escape(doc.id)}[/] — {escape(kind)}"
                  + (f" {escape(doc.number)}" if doc.number else "")
                  + "; " + say("show.read_by", "read by {reader}", reader=escape(doc.reader))
                  + ("; [yellow]" + say("show.ocr_text", "OCR text: check it against the scan") + "[/]" if doc.ocr else ""))
    fields = {"title": msg("show.field.title", "title"), "issuer": msg("show.field.issuer", "issuer"),
              "outlet": msg("show.field.outlet", "outlet"), "url": msg("show.field.url", "address"),
              "published": msg("show.field.published", "published"), "issued": msg("show.field.issued", "issued"),
              "event_date": msg("show.field.event_date", "event date"), "province": msg("show.field.province", "province"),
              "session": msg("show.field.session", "session")}
    for key, name in fields.items():
        value = getattr(doc, key)
        if value:
            shown = _day(value) if key in ("published", "issued", "event_date") else str(value)
            console.print(f"  {name}: {escape(shown)}")
    if reading.sha256 != doc.sha256:
        console.print("[red]" + say("show.changed", "The file has changed since the fact base was built: run `reportgen "
                                    "facts build`.") + "[/]")
    console.print(say("show.text_as_read", "[bold]Text as read[/] (every quote is checked against this):"))
    console.print(escape(reading.text))
    label = {m.id: m.label for m in catalogue.metrics}
    facts = [(f"số liệu {label.get(f.metric, f.metric)}", f.quote) for f in fb.figures if f.source == doc.id]
    facts += [(f"mục tiêu {label.get(t.metric, t.metric)}", t.quote) for t in fb.targets if t.source == doc.id]
    facts += [("nhiệm vụ", t.quote) for t in fb.tasks if t.source == doc.id]
    facts += [(f"trích đoạn ({_SECTIONS[s.section].text() if s.section in _SECTIONS else s.section})", s.quote)
              for s in fb.statements if s.source == doc.id]
    console.print(say("show.facts_taken", "[bold]Facts taken from it ({n})[/]:", n=len(facts)))
    for what, quote in facts:
        console.print(f"  - {escape(what)}: «{escape(quote)}»")

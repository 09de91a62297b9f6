"""fact base + province + date → briefing model.

Every sentence with a number is built from fact records and carries the references of
its source documents; narrative paragraphs are the official notice's own sections,
quoted. Where the documents say nothing, the briefing says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..catalogue import Catalogue
from ..errors import InputError
from ..extract.dates import day as _day, period_end
from ..factbase import DocumentFact, Event, FactBase, Figure, Target, Task
from ..registry import Registry
from ..provinces import Resolution
from ..vnnumber import format_scaled, format_vn
from . import nd30
from ..render.charts import worth_drawing
from .model import Appendix, Briefing, Chart, Para, Section, Source, Table

UNCLASSIFIED = "unclassified"
_ORDER_WORDS = re.compile(r"(?<!\w)(yêu cầu|đề nghị|giao|phải|cần|khẩn trương|hoàn thành|chỉ đạo|triển khai|"
                          r"rà soát|bảo đảm|đảm bảo|thực hiện)(?!\w)")
TASK_WINDOW = 90   # days: how long a task of an older document stays after its deadline


@dataclass
class Options:
    number: str | None = None
    issuer: list[str] | None = None
    signer_title: list[str] | None = None
    signer: str | None = None
    task_window: int = TASK_WINDOW



class _Refs:
    """Numbers the source documents in the order the briefing first cites them."""

    def __init__(self, docs: dict[str, DocumentFact], registry: Registry) -> None:
        self.docs, self.order, self.registry = docs, [], registry  # type: ignore[var-annotated]

    def __call__(self, *doc_ids: str) -> tuple[int, ...]:
        out = []
        for d in doc_ids:
            if d not in self.order:
                self.order.append(d)
            out.append(self.order.index(d) + 1)
        return tuple(sorted(set(out)))

    def copy(self) -> "_Refs":
        other = _Refs(self.docs, self.registry)
        other.order = list(self.order)
        return other

    def sources(self) -> list[Source]:
        return [Source(n=i + 1, document=d, description=_describe(self.docs[d], self.registry)) for i, d in enumerate(self.order)]


def _document_name(doc: DocumentFact, registry: Registry) -> str:
    """"Công điện số 180/CĐ-TTg ngày 22/10/2025 của Thủ tướng Chính phủ"."""
    kind = registry.kind.get(doc.kind)
    when = _day(doc.issued)
    return (f"{kind.label if kind else 'Văn bản'}" + (f" số {doc.number}" if doc.number else "")
            + (f" ngày {nd30.short_date(when)}" if when else "") + (f" của {doc.issuer}" if doc.issuer else ""))


def _describe(doc: DocumentFact, registry: Registry) -> str:
    parts = []
    if doc.official:
        parts.append(_document_name(doc, registry))
        if doc.title:
            parts.append(f"“{doc.title}”")
    else:
        parts.append(f"“{doc.title}”" if doc.title else "Tin, bài" + (f" về phiên họp lần thứ {doc.session}" if doc.session else ""))
    if doc.outlet:
        parts.append(doc.outlet)
    published = _day(doc.published)
    if published and doc.published and len(doc.published) >= 10:
        parts.append(f"đăng ngày {nd30.short_date(published)}")
    elif doc.published:
        parts.append(f"đăng tháng {doc.published[5:7]}/{doc.published[:4]}")
    parts.append(f"tệp {doc.id}")
    return "; ".join(parts)


def value_text(value: float, unit: str, qualifier: str | None = None, upper: float | None = None,
               of: float | None = None, kind: str = "count", form: str = "number", was: float | None = None) -> str:
    """A value as running text writes it, in the form the document stated it: "trên 87,7
    triệu thẻ", "ước đạt 18,3%", "thứ 71/193", "top 10", "cấp độ 6/10", "gấp 3,5 lần",
    "từ 0,48 lên 0,71"."""
    pct = unit.startswith("%")

    def number(x: float) -> str:
        return format_vn(x) if pct or of is not None or abs(x) < 10**6 else format_scaled(x)

    num = number(value)
    if upper is not None:
        num += " - " + number(upper)
    if of is not None:
        num += "/" + format_vn(of)
    if pct:
        text = num + unit
    elif kind == "rank" or form in ("rank", "level") or not unit:
        text = num
    else:
        text = f"{num} {unit}"
    if form == "from_to" and was is not None:
        text = f"từ {number(was)}{unit if pct else ''} {'lên' if value >= was else 'xuống'} {text}"
    elif form == "level":
        text = f"cấp độ {text}"
    elif form == "multiple":
        text = f"gấp {num} lần"
    elif form == "rank" and (qualifier or "").lower() != "top":
        text = f"thứ {text}"
    if qualifier:
        q = "ước đạt" if qualifier.lower() == "ước" else qualifier.lower()
        text = f"{q} {text}"
    return text


def _deadline_text(d: date) -> str:
    return f"đến hết năm {d.year}" if (d.month, d.day) == (12, 31) else f"trước ngày {nd30.short_date(d)}"


def _status(deadline: date, when: date) -> str:
    days = (deadline - when).days
    if days < 0:
        return f"đã quá hạn {-days} ngày"
    if days == 0:
        return "đến hạn trong ngày"
    return f"còn {days} ngày"


def _sentence(text: str) -> str:
    text = text.strip().rstrip(";,")
    if text.endswith("./."):
        text = text[:-2]
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?", ".”", ".\"", ":")) else text + "."


def province_label(name: str, code: str) -> str:
    if code == "ho_chi_minh":
        return "Thành phố Hồ Chí Minh"
    cities = {"ha_noi", "hai_phong", "hue", "da_nang", "can_tho"}
    return f"thành phố {name}" if code in cities else f"tỉnh {name}"


@dataclass
class National:
    """The part of a briefing that is the same for every province on a given date:
    composed once per date, then completed for each province."""
    when: date
    session_day: date
    meeting: str
    event: Event
    official: DocumentFact | None
    opening: Para
    sections: list[Section]          # 1–4
    theme: Para | None
    targets: Section                 # 5 a)
    tasks: Section                   # 5 b)
    refs: _Refs
    base_summary: str
    visible: set[str]                # documents dated on or before the briefing
    window: int
    registry: Registry
    parties: list                    # the catalogue's parties, for "Thực hiện:"
    metrics: dict                    # metric id → the catalogue's entry (label, kind)
    appendix_rows: list              # the Phụ lục's table: rows, and the document of each
    appendix_row_sources: list
    appendix_charts: list            # its charts, numbered; captions cite their sources per province


def compose(fb: FactBase, catalogue: Catalogue, registry: Registry, resolution: Resolution, when: date,
            options: Options) -> Briefing:
    return compose_province(compose_national(fb, catalogue, registry, when, options.task_window), fb, resolution,
                            options)


def meeting_name(event: Event, registry: Registry) -> str:
    """"Phiên họp lần thứ 3 của Ban Chỉ đạo của Chính phủ về …" (the body as the registry names it)."""
    kind = registry.event_kind.get(event.kind)
    label = kind.label if kind else "Phiên họp"
    if event.number and event.kind != "conference":
        label = f"Phiên họp lần thứ {event.number}"
    body = registry.body.get(event.body or "")
    return f"{label} của {body.name}" if body else label


def compose_national(fb: FactBase, catalogue: Catalogue, registry: Registry, when: date,
                     window: int = TASK_WINDOW) -> National:
    docs = {d.id: d for d in fb.documents}
    visible = _visible(fb, when)
    # The sessions of the registry's bodies: not a meeting of no known body, not a ceremony.
    events = [e for e in fb.events if e.date and _day(e.date) <= when  # type: ignore[operator]
              and any(src in visible for src in e.sources) and e.body in registry.body
              and getattr(registry.event_kind.get(e.kind), "briefing", True)]
    if not events:
        first = min((e.date for e in fb.events if e.date), default=None)
        raise InputError(f"no committee session on or before {when.isoformat()} in the fact base"
                         + (f" (the first is on {first})." if first else "."))
    event = max(events, key=lambda e: (e.date or "", e.notice is not None, len(e.sources)))
    session_day = _day(event.date)
    assert session_day is not None
    session_docs = [docs[s] for s in event.sources if s in visible]
    official = docs[event.notice] if event.notice and event.notice in visible else None
    refs = _Refs(docs, registry)
    label = {m.id: m.label for m in catalogue.metrics}
    kind = {m.id: m.kind for m in catalogue.metrics}
    meeting = meeting_name(event, registry)
    base_summary = official.title if official and official.title else (
        f"Kết luận {meeting}" if official else f"Kết quả {meeting}")

    chair = f", {event.chair.role} {event.chair.name}".replace(" None ", " ") if event.chair else ""
    kind_text = " (phiên họp tổng kết năm)" if event.kind == "year_end" and "tổng kết" not in meeting else ""
    day_text = nd30.long_date(session_day)
    text = (f"{day_text[:1].upper()}{day_text[1:]}{chair} {'đã chủ trì' if chair else 'đã diễn ra'} "
            f"{meeting}{kind_text}, trực tuyến với các bộ, ngành và các địa phương.")
    opening = Para(text.replace("  ", " "), refs(*[d.id for d in session_docs if d.official]
                                                  or [d.id for d in session_docs]))

    sections_of = ("results", "shortcomings", "lessons", "views", "tasks")
    if official:
        statements = {s: [st for st in fb.statements if st.section == s and st.source == official.id]
                      for s in sections_of}
    else:
        press = {d.id for d in session_docs if not d.official and not d.province}   # a province's news: section c)
        statements = {s: _distinct([st for st in fb.statements if st.section == s and st.source in press])[:4]
                      for s in sections_of}
        statements["tasks"] = []

    def quoted(section: str) -> list[Para]:
        items = statements[section]
        if not items:
            return [Para("Các tài liệu nguồn của Phiên họp không nêu nội dung này.", kind="note")]
        if official:
            return [Para(_sentence(st.text), refs(st.source)) for st in items]
        return [Para(f"{_outlet(docs[st.source])}: “{_sentence(st.text)}”", refs(st.source)) for st in items]

    # 1. Results: the notice's (or the press reports') words, then the latest national figures and the charts.
    national = _latest_figures(fb, visible, when, lambda f: f.scope == "national")
    results = Section("1. Những kết quả đạt được", blocks=[])
    if not official:
        results.blocks.append(Para("Thông báo kết luận của Phiên họp chưa được ban hành (hoặc chưa có trong các tài "
                                   "liệu nguồn); các nội dung tại mục 1 đến mục 4 trích nguyên văn tin, bài về "
                                   "Phiên họp, ghi rõ nguồn.", kind="note"))
    results.blocks += quoted("results")
    rows: list[list[str]] = []
    row_sources: list[str] = []
    if national:
        for f, change in national:
            value = value_text(f.value, f.unit, f.qualifier, f.upper, f.of, kind.get(f.metric, "count"), f.form, f.was)
            if change is not None:
                value += f" ({value_text(change.value, change.unit, change.qualifier)}" \
                         + (f" so với {'năm ' + change.baseline if change.baseline.isdigit() else change.baseline}"
                            if change.baseline else "") + ")"
                value = value.replace("(", "(tăng ", 1) if not value.split("(", 1)[1].startswith(("tăng", "giảm")) else value
            rows.append([label[f.metric], value, nd30.period_text(f.as_of)])
            row_sources.append(f.source)
    targets = _current_targets(fb, visible, when)
    charts: list[Chart] = []
    for spec in catalogue.charts:
        chart = (_targets_chart(spec, targets, national, label) if spec.kind == "targets"
                 else _series_chart(spec, fb, visible, when, label))
        if chart and worth_drawing(chart, spec.coverage):     # else left out, and nothing refers to it
            charts.append(chart)

    sections = [results,
                Section("2. Tồn tại, hạn chế", blocks=quoted("shortcomings")),
                Section("3. Bài học kinh nghiệm", blocks=quoted("lessons")),
                Section("4. Quan điểm chỉ đạo, điều hành", blocks=quoted("views"))]

    theme = None
    if statements["tasks"]:
        first = statements["tasks"][0]
        theme = Para(_sentence(first.text.split("Trong đó")[0]), refs(first.source))
    sub_a = Section("a) Mục tiêu", level=2)
    for t, earlier in targets:
        text = f"{label[t.metric]}: {value_text(t.value, t.unit, t.qualifier, t.upper, t.of, form=t.form, was=t.was)}"
        if t.deadline:
            text += f", {_deadline_text(_day(t.deadline))}"  # type: ignore[arg-type]
        ids = [t.source]
        if earlier is not None and earlier.value != t.value:
            text += (f" (điều chỉnh so với mục tiêu {value_text(earlier.value, earlier.unit, earlier.qualifier)}"
                     f" nêu ngày {nd30.short_date(_day(earlier.stated))})")  # type: ignore[arg-type]
            ids.append(earlier.source)
        sub_a.blocks.append(Para(f"- {text};", refs(*ids), kind="item"))
    if sub_a.blocks:
        last = sub_a.blocks[-1]
        assert isinstance(last, Para)
        last.text = last.text[:-1] + "."
    else:
        sub_a.blocks.append(Para("Các tài liệu nguồn không nêu mục tiêu định lượng.", kind="note"))

    groups = _province_tasks(fb, registry, visible, session_docs, official, when, window)
    sub_b = Section("b) Nhiệm vụ giao Chủ tịch Ủy ban nhân dân cấp tỉnh và các địa phương", level=2)
    party = {p.id: p.label for p in catalogue.parties}
    all_tasks: list[Task] = []
    for doc, tasks in groups:
        if len(groups) > 1 or doc.official:
            sub_b.blocks.append(Para(f"Theo {_document_name(doc, registry)}:" if doc.official else f"{_outlet(doc)}:",
                                     refs(doc.id), kind="lead"))
        for task in tasks:
            who = "; ".join(party.get(p, p) for p in task.responsible)
            sub_b.blocks.append(Para(f"- {_sentence(task.text)}{_status_text(task, when)} Thực hiện: {who}.",
                                     refs(task.source), kind="item"))
        all_tasks += tasks
    if not all_tasks:
        sub_b.blocks.append(Para("Các tài liệu nguồn không nêu nhiệm vụ giao cho cấp tỉnh còn hiệu lực.", kind="note"))
    timeline = _timeline_chart(all_tasks, when)
    if timeline and not worth_drawing(timeline):
        timeline = None
    if timeline:
        charts.append(timeline)
    for i, chart in enumerate(charts, start=1):
        chart.number = i
    # The figures and charts go to the Phụ lục; the body points to it.
    if rows or charts:
        where = ([f"bảng số liệu mới nhất về {len(rows)} chỉ tiêu"] if rows else []) \
            + ([f"{len(charts)} biểu đồ" if len(charts) > 1 else "biểu đồ"] if charts else [])
        results.blocks.append(Para(f"Một số kết quả cụ thể ({' và '.join(where)}) tại Phụ lục kèm theo.", kind="body"))
    if timeline:
        sub_b.blocks.append(Para(f"Thời hạn các nhiệm vụ nêu trên so với ngày {nd30.short_date(when)}: "
                                 f"Biểu đồ {timeline.number} tại Phụ lục kèm theo.", kind="note"))
    return National(when=when, session_day=session_day, meeting=meeting, event=event,
                    official=official, opening=opening, sections=sections, theme=theme, targets=sub_a,
                    tasks=sub_b, refs=refs, base_summary=base_summary, visible=visible, window=window,
                    registry=registry, parties=list(catalogue.parties), metrics=dict(catalogue.by_id),
                    appendix_rows=rows, appendix_row_sources=row_sources, appendix_charts=charts)


def _status_text(task: Task, when: date) -> str:
    deadline = _day(task.deadline)
    if not deadline:
        return " Thời hạn: không nêu."
    return f" Thời hạn: {nd30.short_date(deadline)}; tính đến {nd30.long_date(when)}: {_status(deadline, when)}."


def _outlet(doc: DocumentFact) -> str:
    """How a press report is attributed in running text."""
    if doc.outlet:
        return f"Theo {doc.outlet}"
    if not doc.title:
        return "Theo tin, bài"
    words = doc.title.split()
    return f"Theo bài “{' '.join(words[:12])}{'…' if len(words) > 12 else ''}”"


def _distinct(statements: list) -> list:  # type: ignore[type-arg]
    """Statements without near-repeats (the same sentence in several outlets' reports)."""
    from ..textnorm import fold

    out, seen = [], []  # type: ignore[var-annotated]
    for st in statements:
        words = set(fold(st.text).split())
        if any(len(words & w) >= 0.7 * min(len(words), len(w)) for w in seen):
            continue
        seen.append(words)
        out.append(st)
    return out


def compose_province(nat: National, fb: FactBase, resolution: Resolution, options: Options) -> Briefing:
    """Complete the national part for one province: header, its own part, closing."""
    province = resolution.province
    plabel = province_label(province.name, province.code)
    refs = nat.refs.copy()
    official = nat.official
    default_issuer = options.issuer is None
    issuer_lines = options.issuer or ["ỦY BAN NHÂN DÂN", plabel.upper() if province.code != "ho_chi_minh"
                                      else "THÀNH PHỐ HỒ CHÍ MINH"]
    number = f"Số: {options.number}" if options.number else "Số:\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0/TB-UBND"
    place = "Thành phố Hồ Chí Minh" if province.code == "ho_chi_minh" else province.name
    place_date = f"{place}, {nd30.long_date(nat.when)}"
    summary = f"{nat.base_summary} và nhiệm vụ triển khai trên địa bàn {plabel}"

    opening = [nat.opening]
    if official and official.number:
        when_notice = _day(official.issued)
        opening.append(Para(
            f"Kết luận của Phiên họp được {official.issuer or 'Văn phòng Chính phủ'} thông báo tại Thông báo số "
            f"{official.number}" + (f" ngày {nd30.short_date(when_notice)}" if when_notice else "")
            + f". Ủy ban nhân dân {plabel} thông báo kết quả, nhiệm vụ chủ yếu và việc triển khai trên địa bàn "
            "như sau:", refs(official.id)))
    else:
        opening.append(Para(f"Ủy ban nhân dân {plabel} thông báo kết quả, nhiệm vụ chủ yếu và việc triển khai "
                            "trên địa bàn như sau:"))
    sub_c = Section(f"c) Đối với {plabel}", level=2,
                    blocks=_province_part(fb, nat, resolution, plabel, refs))
    tasks_section = Section("5. Nhiệm vụ, giải pháp trọng tâm",
                            blocks=([nat.theme] if nat.theme else []) + [nat.targets, nat.tasks, sub_c])
    sections = list(nat.sections) + [tasks_section]

    closing = (f"Ủy ban nhân dân {plabel} thông báo để các sở, ban, ngành, Ủy ban nhân dân các xã, phường "
               "và các cơ quan, đơn vị liên quan biết, thực hiện./." if default_issuer else
               "Thông báo này gửi các cơ quan, đơn vị, địa phương liên quan biết, thực hiện./.")
    city = province.code in {"ha_noi", "hai_phong", "hue", "da_nang", "can_tho", "ho_chi_minh"}
    party_committee, level = ("Thành ủy", "thành phố") if city else ("Tỉnh ủy", "tỉnh")
    recipients = ["Văn phòng Chính phủ (để b/c);", f"Thường trực {party_committee} (để b/c);",
                  f"Thường trực HĐND {level};", f"Chủ tịch, các PCT UBND {level};",
                  f"Các sở, ban, ngành {level};", "UBND các xã, phường;", "Lưu: VT, KGVX."]
    signature = options.signer_title or ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]

    from ..render.fonts import text_width_mm

    rules = {
        "issuer": min(0.45 * max(text_width_mm(line, nd30.SIZE_ISSUER, "bold") for line in issuer_lines),
                      nd30.LEFT_COL * 0.5),
        "motto": text_width_mm(nd30.TIEU_NGU, nd30.SIZE_MOTTO_2, "bold"),
        "summary": min(text_width_mm(summary, nd30.SIZE_TITLE, "bold"), nd30.TEXT_W) / 3,
    }
    from ..provinces import sentence_case

    issuer_name = f"Ủy ban nhân dân {plabel}" if default_issuer else sentence_case(issuer_lines[-1])
    appendix = _appendix(nat, refs, options, issuer_name)
    if appendix:
        rules["appendix"] = appendix.rule_mm
    return Briefing(
        province_code=province.code, province_name=province.name, province_label=plabel,
        former_typed=resolution.former, date=nat.when, issuer_lines=issuer_lines, number=number,
        place_date=place_date, type_name="THÔNG BÁO", summary=summary, opening=opening, sections=sections,
        closing=closing, recipients=[f"- {r}" for r in recipients], signature_lines=signature,
        signer=options.signer, sources=refs.sources(), title=f"Thông báo: {summary}",
        author=" ".join(issuer_lines), keywords=["chuyển đổi số", "Đề án 06", province.name]
        + ([official.number] if official and official.number else []), rules_mm=rules, appendix=appendix)


def _appendix(nat: National, refs: _Refs, options: Options, issuer_name: str) -> Appendix | None:
    """The Phụ lục: the national figures and the charts, cited after the body's sources."""
    from dataclasses import replace

    if not nat.appendix_rows and not nat.appendix_charts:
        return None
    blocks: list = []
    if nat.appendix_rows:
        blocks.append(Para("Số liệu mới nhất của từng chỉ tiêu theo các tài liệu nguồn, đến ngày "
                           f"{nd30.short_date(nat.when)}:", kind="lead"))
        blocks.append(Table(["Chỉ tiêu", "Kết quả", "Thời điểm", "Nguồn"], [list(r) for r in nat.appendix_rows],
                            [refs(s) for s in nat.appendix_row_sources], [70.0, 48.0, 30.0, 17.0]))
    for chart in nat.appendix_charts:
        unit = f"{chart.unit}; " if chart.unit else ""
        blocks.append(replace(chart, caption=f"Biểu đồ {chart.number}: {chart.caption} "
                                             f"({unit}Nguồn: {_cite(refs(*chart.sources))})"))
    if options.number:
        d = nat.when
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
        which = f"số {options.number} ngày {d.day:02d} tháng {month} năm {d.year}"
    else:   # Decree 30: left to be filled where the document is numbered and dated
        which = "số …/TB-UBND ngày … tháng … năm …"
    note = f"(Kèm theo Thông báo {which} của {issuer_name})"
    from ..render.fonts import text_width_mm

    return Appendix(title="Phụ lục", name="MỘT SỐ KẾT QUẢ, CHỈ TIÊU VỀ CHUYỂN ĐỔI SỐ QUỐC GIA", note=note,
                    rule_mm=min(text_width_mm(note, nd30.SIZE_BODY, "italic"), nd30.TEXT_W) / 3, blocks=blocks)


def _visible(fb: FactBase, when: date) -> set[str]:
    """Documents a briefing dated `when` may use: those that existed on it (issued,
    published and the event they report all on or before it)."""
    return {d.id for d in fb.documents if d.dated() <= when}


def _walk(section: Section):  # type: ignore[no-untyped-def]
    for block in section.blocks:
        if isinstance(block, Section):
            yield from _walk(block)
        else:
            yield block


def _latest_figures(fb: FactBase, visible: set[str], upto: date, keep) -> list[tuple[Figure, Figure | None]]:  # type: ignore[no-untyped-def]
    """The latest level of each classified metric, with a change stated beside it."""
    rank = {d.id: 2 if d.official else 1 for d in fb.documents}
    best: dict[str, Figure] = {}
    for f in fb.figures:
        if f.metric == UNCLASSIFIED or f.change or f.source not in visible or not keep(f):
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


def _current_targets(fb: FactBase, visible: set[str], when: date) -> list[tuple[Target, Target | None]]:
    rank = {d.id: 2 if d.official else 1 for d in fb.documents}
    groups: dict[str, list[Target]] = {}
    for t in fb.targets:
        if t.metric != UNCLASSIFIED and t.source in visible and t.scope == "national":
            groups.setdefault(t.metric, []).append(t)
    out = []
    for metric, items in groups.items():
        items.sort(key=lambda t: (t.stated or "", rank[t.source]))
        current = items[-1]
        earlier = next((t for t in reversed(items[:-1]) if (t.stated or "") < (current.stated or "")), None)
        out.append((current, earlier))
    order = {t.metric: i for i, t in enumerate(fb.targets)}
    return sorted(out, key=lambda pair: order[pair[0].metric])


def _province_tasks(fb: FactBase, registry: Registry, visible: set[str], session_docs: list[DocumentFact],
                    official: DocumentFact | None, when: date, window: int) -> list[tuple[DocumentFact, list[Task]]]:
    """Tasks addressed to provinces, grouped by document, newest document first: those of
    the reported session (its notice, else its reports) and of every notice, dispatch,
    directive … on or before the briefing date. A task of an older document stays while
    its deadline is at most `window` days past (without a deadline: while the document
    is at most `window` days old)."""
    primary = {official.id} if official else {d.id for d in session_docs}
    horizon = when - timedelta(days=window)
    docs = [d for d in fb.documents if d.id in visible and not d.province
            and (d.id in primary or (d.official and registry.kind.get(d.kind) and registry.kind[d.kind].tasks))]
    docs.sort(key=lambda d: (d.dated(), d.id), reverse=True)
    seen: set[str] = set()
    out = []
    for d in docs:
        tasks = []
        for t in fb.tasks:
            if t.source != d.id or not t.provinces or t.scope != "national" or t.text in seen:
                continue
            if not d.official and not _ORDER_WORDS.search(t.text.lower()):
                continue   # a press report's praise or exhortation is no task
            if d.id not in primary:
                deadline = _day(t.deadline)
                if (deadline or d.dated()) < horizon:
                    continue
            seen.add(t.text)
            tasks.append(t)
        if tasks:
            out.append((d, tasks))
    return out


def _province_part(fb: FactBase, nat: National, resolution: Resolution, plabel: str, refs: _Refs) -> list[Para]:
    """What the documents say of this province and its former units: bridge points,
    its own figures (beside the national value), and its own documents' deadlines."""
    from ..provinces import former_provinces

    names = resolution.names_in_documents
    current = resolution.province.name
    visible, when = nat.visible, nat.when

    def unit(name: str) -> str:
        if name == current:
            return plabel
        former = next((f for f in former_provinces() if f.name == name), None)
        kind = former.type if former else "tỉnh"
        return f"{kind} {name} (cũ)"

    blocks: list[Para] = []
    if resolution.province.former and resolution.province.former != (current,):
        others = [n for n in resolution.province.former if n != current]
        if others:
            blocks.append(Para(f"Theo Nghị quyết số 202/2025/QH15 của Quốc hội, từ ngày 01/7/2025 {plabel} gồm "
                               f"cả địa bàn {', '.join(unit(n) for n in others)}; nội dung dưới đây gồm cả "
                               "các thông tin về các đơn vị này.", kind="note"))
    found = False
    recent = when - timedelta(days=365)
    seen_bridges: set[tuple] = set()
    bridges = sorted((b for b in fb.bridge_points if b.province in names and b.source in visible
                      and (b.event == nat.event.id or (_day(b.date) or date.min) >= recent)),
                     key=lambda b: (b.date or "", b.source), reverse=True)
    for b in bridges:
        key = (b.event or b.source, b.province)
        if key in seen_bridges:
            continue   # the same bridge point in several reports of the event
        seen_bridges.add(key)
        found = True
        day = _day(b.date)
        event = fb.event(b.event)
        head = "Tại " + (meeting_name(event, nat.registry) if event else
                         (f"Phiên họp lần thứ {b.session}" if b.session else "phiên họp")) \
            + (f" ngày {nd30.short_date(day)}" if day else "")
        if b.chaired_by:
            role = f"{b.chaired_by.role} " if b.chaired_by.role else ""
            text = f"{head}, {role}{b.chaired_by.name} chủ trì tại điểm cầu {unit(b.province)}"
        else:
            own = unit(b.province)
            text = f"{head}, {own} dự họp trực tuyến tại điểm cầu của {'thành phố' if own.lower().startswith('thành phố') else 'tỉnh'}"
        if b.attended:
            text += "; dự họp có " + "; ".join(b.attended)
        blocks.append(Para(text + ".", refs(b.source)))
    figures = _latest_figures(fb, visible, when, lambda f: f.scope in names)
    national = {f.metric: f for f, _ in _latest_figures(fb, visible, when, lambda f: f.scope == "national")}
    if figures:
        found = True
        blocks.append(Para(f"Số liệu riêng của {'các địa bàn' if len({f.scope for f, _ in figures}) > 1 else unit(figures[0][0].scope)} "
                           "nêu tại các tài liệu nguồn:", kind="lead"))
        several = len({f.scope for f, _ in figures}) > 1
        for f, _ in figures:
            metric = nat.metrics[f.metric]
            value = value_text(f.value, f.unit, f.qualifier, f.upper, f.of, metric.kind, f.form, f.was)
            where = f" ({unit(f.scope)})" if several else ""
            text = f"- {metric.label}{where}: {value} ({nd30.period_text(f.as_of)})"
            ids = [f.source]
            n = national.get(f.metric)
            if n is not None:
                text += (f"; cả nước: {value_text(n.value, n.unit, n.qualifier, n.upper, n.of, metric.kind, n.form, n.was)} "
                         f"({nd30.period_text(n.as_of)})")
                ids.append(n.source)
            blocks.append(Para(text + ";", refs(*ids), kind="item"))
        last = blocks[-1]
        last.text = last.text[:-1] + "."
    horizon = when - timedelta(days=nat.window)
    own_ids = {t.source for t in fb.tasks if t.scope in names}
    own = [d for d in fb.documents if d.id in visible and d.id in own_ids]
    own.sort(key=lambda d: (d.dated(), d.id), reverse=True)
    party = {p.id: p.label for p in nat.parties}
    for d in own:
        tasks = [t for t in fb.tasks if t.source == d.id and t.scope in names and t.deadline
                 and _day(t.deadline) >= horizon]  # type: ignore[operator]
        if not tasks:
            continue
        found = True
        source = _document_name(d, nat.registry) if d.official else f"tin, bài {_outlet(d)[5:]}".replace("tin, bài bài", "bài")
        blocks.append(Para(f"Nhiệm vụ có thời hạn nêu tại {source}:",
                           refs(d.id), kind="lead"))
        for t in tasks:
            who = "; ".join(party.get(p, p) for p in t.responsible)
            blocks.append(Para(f"- {_sentence(t.text)}{_status_text(t, when)}" + (f" Thực hiện: {who}." if who else ""),
                               refs(t.source), kind="item"))
    if not found:
        blocks.append(Para(f"Các tài liệu nguồn không nêu số liệu, điểm cầu hay hoạt động riêng của {plabel}"
                           + (" và các đơn vị hành chính cũ nay thuộc tỉnh" if len(names) > 1 else "")
                           + " tại các phiên họp. Các nhiệm vụ chung nêu tại điểm b áp dụng cho tỉnh.", kind="note"))
    return blocks


def _targets_chart(spec, targets, national, label) -> Chart | None:  # type: ignore[no-untyped-def]
    latest = {f.metric: f for f, _ in national}
    items, ids = [], []
    for t, _ in targets:
        # A 0–100 % completion scale: shares only (not "%/năm", not a growth rate, nothing above 100 %).
        if t.unit != "%" or t.upper is not None or t.value > 100 or (spec.metrics and t.metric not in spec.metrics):
            continue
        f = latest.get(t.metric)
        if f is not None and (f.unit != "%" or f.value > 100 or f.upper is not None):
            f = None
        items.append({"label": label[t.metric], "target": t.value, "value": f.value if f else None,
                      "as_of": f.as_of if f else None,
                      "deadline": t.deadline})
        ids.append(t.source)
        if f:
            ids.append(f.source)
    if not items:
        return None
    return Chart(id=f"chart-{spec.id}", number=0, kind="targets", data={"items": items}, caption=spec.caption,
                 height_mm=18 + 11 * len(items), sources=tuple(dict.fromkeys(ids)))


def _series_chart(spec, fb, visible, upto, label) -> Chart | None:  # type: ignore[no-untyped-def]
    series, ids = [], []
    for metric in spec.metrics:
        points = sorted({(f.as_of, f.value, f.source) for f in fb.figures
                         if f.metric == metric and not f.change and f.scope == "national"
                         and f.source in visible and len(f.as_of) == 10 and date.fromisoformat(f.as_of) <= upto})
        by_day: dict[str, tuple] = {}
        for p in points:   # one value a day: the largest figure reported for it
            by_day[p[0]] = max(by_day.get(p[0], p), p, key=lambda x: x[1])
        points = sorted(by_day.values())
        if points:
            series.append({"label": label[metric], "points": [(p[0], p[1]) for p in points]})
            ids += [p[2] for p in points]
    if not any(len(s["points"]) > 1 for s in series):
        return None
    return Chart(id=f"chart-{spec.id}", number=0, kind="series", data={"series": series}, caption=spec.caption,
                 sources=tuple(dict.fromkeys(ids)), unit=spec.unit or "")


def _timeline_chart(tasks: list[Task], when: date) -> Chart | None:
    dated = [t for t in tasks if t.deadline]
    if not dated:
        return None
    # The task's words whole: the chart wraps them between words, never cuts one.
    items = [{"deadline": t.deadline, "label": re.sub(r"\s+", " ", t.text).strip()} for t in dated]
    return Chart(id="chart-timeline", number=0, kind="timeline", data={"items": items, "today": when.isoformat()},
                 caption=f"Thời hạn các nhiệm vụ giao cấp tỉnh so với ngày {nd30.short_date(when)}",
                 sources=tuple(dict.fromkeys(t.source for t in dated)),
                 height_mm=20 + 12 * len(items))


def _cite(numbers: tuple[int, ...]) -> str:
    return ", ".join(f"[{n}]" for n in numbers)

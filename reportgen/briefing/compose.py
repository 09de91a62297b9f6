"""fact base + province + date → briefing model.

Every sentence with a number is built from fact records and carries the references of
its source documents; narrative paragraphs are the official notice's own sections,
quoted. Where the documents say nothing, the briefing says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ..catalogue import Catalogue
from ..errors import InputError
from ..extract.dates import period_end
from ..factbase import DocumentFact, FactBase, Figure, Target, Task
from ..provinces import Resolution
from ..vnnumber import format_scaled, format_vn
from . import nd30
from .model import Briefing, Chart, Para, Section, Source, Table

SERIES_METRICS = ("chip_id_cards", "eid_accounts_issued", "eid_accounts_activated")
UNCLASSIFIED = "unclassified"


@dataclass
class Options:
    number: str | None = None
    issuer: list[str] | None = None
    signer_title: list[str] | None = None
    signer: str | None = None


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10]) if len(text) >= 10 else date(int(text[:4]), int(text[5:7]), 1)
    except ValueError:
        return None


class _Refs:
    """Numbers the source documents in the order the briefing first cites them."""

    def __init__(self, docs: dict[str, DocumentFact]) -> None:
        self.docs, self.order = docs, []  # type: ignore[var-annotated]

    def __call__(self, *doc_ids: str) -> tuple[int, ...]:
        out = []
        for d in doc_ids:
            if d not in self.order:
                self.order.append(d)
            out.append(self.order.index(d) + 1)
        return tuple(sorted(set(out)))

    def copy(self) -> "_Refs":
        other = _Refs(self.docs)
        other.order = list(self.order)
        return other

    def sources(self) -> list[Source]:
        return [Source(n=i + 1, document=d, description=_describe(self.docs[d])) for i, d in enumerate(self.order)]


def _describe(doc: DocumentFact) -> str:
    parts = []
    if doc.kind == "official" and doc.notice:
        when = _day(doc.notice_date)
        parts.append(f"Thông báo số {doc.notice}" + (f" ngày {nd30.short_date(when)}" if when else "")
                     + (f" của {doc.issuer}" if doc.issuer else ""))
        if doc.title:
            parts.append(f"“{doc.title}”")
    else:
        parts.append(f"“{doc.title}”" if doc.title else
                     f"Bài viết về Phiên họp lần thứ {doc.session} của Ủy ban Quốc gia về chuyển đổi số"
                     if doc.session else "Bài viết về phiên họp của Ủy ban Quốc gia về chuyển đổi số")
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
               of: float | None = None, kind: str = "count") -> str:
    """A value as running text writes it: "trên 87,7 triệu thẻ", "ước đạt 18,3%", "71/193"."""
    pct = unit.startswith("%")
    num = format_vn(value) if pct or of is not None or abs(value) < 10**6 else format_scaled(value)
    if upper is not None:
        num += " - " + (format_vn(upper) if pct or abs(upper) < 10**6 else format_scaled(upper))
    if of is not None:
        num += "/" + format_vn(of)
    if pct:
        text = num + unit
    elif kind == "rank" or not unit:
        text = num
    else:
        text = f"{num} {unit}"
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
    official: DocumentFact | None
    opening: Para
    sections: list[Section]          # 1–4
    theme: Para | None
    targets: Section                 # 5 a)
    tasks: Section                   # 5 b)
    refs: _Refs
    base_summary: str
    visible: set[str]                # documents dated on or before the briefing


def compose(fb: FactBase, catalogue: Catalogue, resolution: Resolution, when: date, options: Options) -> Briefing:
    return compose_province(compose_national(fb, catalogue, when), fb, resolution, options)


def compose_national(fb: FactBase, catalogue: Catalogue, when: date) -> National:
    docs = {d.id: d for d in fb.documents}
    visible = _visible(fb, when)
    sessions = [s for s in fb.sessions if s.date and _day(s.date) <= when]  # type: ignore[operator]
    if not sessions:
        first = min((s.date for s in fb.sessions if s.date), default=None)
        raise InputError(f"no committee session on or before {when.isoformat()} in the fact base"
                         + (f" (the first is on {first})." if first else "."))
    session = sessions[-1]
    session_day = _day(session.date)
    assert session_day is not None
    session_docs = [docs[s] for s in session.sources if s in visible]
    official = next((d for d in session_docs if d.kind == "official"), None)
    refs = _Refs(docs)
    label = {m.id: m.label for m in catalogue.metrics}
    kind = {m.id: m.kind for m in catalogue.metrics}
    meeting = (f"Phiên họp lần thứ {session.number} của Ủy ban Quốc gia về chuyển đổi số"
               if session.number else "Phiên họp của Ủy ban Quốc gia về chuyển đổi số")
    base_summary = official.title if official and official.title else f"Kết luận {meeting}"

    chair = f", {session.chair.role} {session.chair.name}".replace(" None ", " ") if session.chair else ""
    kind_text = " (phiên họp tổng kết năm)" if session.kind == "year-end" else ""
    day_text = nd30.long_date(session_day)
    text = (f"{day_text[:1].upper()}{day_text[1:]}{chair} {'đã chủ trì' if chair else 'đã diễn ra'} "
            f"{meeting}{kind_text}, trực tuyến với các bộ, ngành và các địa phương.")
    opening = Para(text.replace("  ", " "), refs(*[d.id for d in session_docs if d.kind == "official"]
                                                  or [d.id for d in session_docs]))

    statements = {s: [st for st in fb.statements if st.section == s and official and st.source == official.id]
                  for s in ("results", "shortcomings", "lessons", "views", "tasks")}

    def quoted(section: str) -> list[Para]:
        items = statements[section]
        if not items:
            return [Para("Các tài liệu nguồn của Phiên họp không nêu nội dung này.", kind="note")]
        return [Para(_sentence(st.text), refs(st.source)) for st in items]

    # 1. Results: the notice's words, then the national figures and two charts.
    national = _latest_figures(fb, visible, session_day, lambda f: f.scope == "national")
    results = Section("1. Những kết quả đạt được", blocks=list(quoted("results")))
    if national:
        results.blocks.append(Para("Một số kết quả cụ thể theo báo cáo tại các phiên họp:", kind="lead"))
        rows, row_refs = [], []
        for f, change in national:
            value = value_text(f.value, f.unit, f.qualifier, f.upper, f.of, kind.get(f.metric, "count"))
            if change is not None:
                value += f" ({value_text(change.value, change.unit, change.qualifier)}" \
                         + (f" so với {'năm ' + change.baseline if change.baseline.isdigit() else change.baseline}"
                            if change.baseline else "") + ")"
                value = value.replace("(", "(tăng ", 1) if not value.split("(", 1)[1].startswith(("tăng", "giảm")) else value
            rows.append([label[f.metric], value, nd30.period_text(f.as_of)])
            row_refs.append(refs(f.source))
        results.blocks.append(Table(["Chỉ tiêu", "Kết quả", "Thời điểm", "Nguồn"], rows, row_refs,
                                    [70.0, 48.0, 30.0, 17.0]))
    targets = _current_targets(fb, visible, when)
    chart1 = _targets_chart(targets, national, label, refs)
    if chart1:
        results.blocks.append(chart1)
    chart2 = _series_chart(fb, visible, session_day, label, refs)
    if chart2:
        results.blocks.append(chart2)

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
        text = f"{label[t.metric]}: {value_text(t.value, t.unit, t.qualifier, t.upper)}"
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

    province_tasks = _province_tasks(fb, session_docs, official)
    sub_b = Section("b) Nhiệm vụ giao Chủ tịch Ủy ban nhân dân cấp tỉnh và các địa phương", level=2)
    party = {p.id: p.label for p in catalogue.parties}
    for task in province_tasks:
        deadline = _day(task.deadline)
        status = (f" Thời hạn: {nd30.short_date(deadline)}; tính đến {nd30.long_date(when)}: "
                  f"{_status(deadline, when)}." if deadline else " Thời hạn: không nêu.")
        who = "; ".join(party.get(p, p) for p in task.responsible)
        sub_b.blocks.append(Para(f"- {_sentence(task.text)}{status} Thực hiện: {who}.", refs(task.source), kind="item"))
    if not province_tasks:
        sub_b.blocks.append(Para("Các tài liệu nguồn của Phiên họp không nêu nhiệm vụ giao cho cấp tỉnh.", kind="note"))
    chart3 = _timeline_chart(province_tasks, when, refs)
    if chart3:
        sub_b.blocks.append(chart3)

    charts = [b for sec in sections + [sub_b] for b in _walk(sec) if isinstance(b, Chart)]
    for i, chart in enumerate(charts, start=1):
        chart.number = i
        chart.caption = f"Biểu đồ {i}: {chart.caption}"
    return National(when=when, session_day=session_day, meeting=meeting,
                    official=official, opening=opening, sections=sections, theme=theme, targets=sub_a,
                    tasks=sub_b, refs=refs, base_summary=base_summary, visible=visible)


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
    if official and official.notice:
        when_notice = _day(official.notice_date)
        opening.append(Para(
            f"Kết luận của Phiên họp được {official.issuer or 'Văn phòng Chính phủ'} thông báo tại Thông báo số "
            f"{official.notice}" + (f" ngày {nd30.short_date(when_notice)}" if when_notice else "")
            + f". Ủy ban nhân dân {plabel} thông báo kết quả, nhiệm vụ chủ yếu và việc triển khai trên địa bàn "
            "như sau:", refs(official.id)))
    else:
        opening.append(Para(f"Ủy ban nhân dân {plabel} thông báo kết quả, nhiệm vụ chủ yếu và việc triển khai "
                            "trên địa bàn như sau:"))
    sub_c = Section(f"c) Đối với {plabel}", level=2,
                    blocks=_province_part(fb, nat.visible, resolution, plabel, refs))
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
    return Briefing(
        province_code=province.code, province_name=province.name, province_label=plabel,
        former_typed=resolution.former, date=nat.when, issuer_lines=issuer_lines, number=number,
        place_date=place_date, type_name="THÔNG BÁO", summary=summary, opening=opening, sections=sections,
        closing=closing, recipients=[f"- {r}" for r in recipients], signature_lines=signature,
        signer=options.signer, sources=refs.sources(), title=f"Thông báo: {summary}",
        author=" ".join(issuer_lines), keywords=["chuyển đổi số", "Đề án 06", province.name]
        + ([official.notice] if official and official.notice else []), rules_mm=rules)


def _visible(fb: FactBase, when: date) -> set[str]:
    """Documents a briefing dated `when` may use: those dated on or before it."""
    return {d.id for d in fb.documents if (_day(d.event_date) or _day(d.published) or date.max) <= when}


def _walk(section: Section):  # type: ignore[no-untyped-def]
    for block in section.blocks:
        if isinstance(block, Section):
            yield from _walk(block)
        else:
            yield block


def _latest_figures(fb: FactBase, visible: set[str], upto: date, keep) -> list[tuple[Figure, Figure | None]]:  # type: ignore[no-untyped-def]
    """The latest level of each classified metric, with a change stated beside it."""
    rank = {d.id: 2 if d.kind == "official" else 1 for d in fb.documents}
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
    rank = {d.id: 2 if d.kind == "official" else 1 for d in fb.documents}
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


def _province_tasks(fb: FactBase, session_docs: list[DocumentFact], official: DocumentFact | None) -> list[Task]:
    ids = [official.id] if official else [d.id for d in session_docs]
    seen, out = set(), []
    for t in fb.tasks:
        if t.source in ids and t.provinces and t.text not in seen:
            seen.add(t.text)
            out.append(t)
    return out


def _province_part(fb: FactBase, visible: set[str], resolution: Resolution, plabel: str, refs: _Refs) -> list[Para]:
    names = resolution.names_in_documents
    current = resolution.province.name

    from ..provinces import former_provinces

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
    for b in fb.bridge_points:
        if b.province not in names or b.source not in visible:
            continue
        found = True
        when = _day(b.date)
        head = (f"Tại Phiên họp lần thứ {b.session}" if b.session else "Tại phiên họp") \
            + (f" ngày {nd30.short_date(when)}" if when else "")
        if b.chaired_by:
            role = f"{b.chaired_by.role} " if b.chaired_by.role else ""
            text = f"{head}, {role}{b.chaired_by.name} chủ trì tại điểm cầu {unit(b.province)}"
        else:
            text = f"{head}, {unit(b.province)} dự họp trực tuyến tại điểm cầu của tỉnh"
        if b.attended:
            text += "; dự họp có " + "; ".join(b.attended)
        blocks.append(Para(text + ".", refs(b.source)))
    figures = _latest_figures(fb, visible, date.max, lambda f: f.scope in names)
    if figures:
        found = True
        blocks.append(Para(f"Số liệu riêng của {'các địa bàn' if len({f.scope for f, _ in figures}) > 1 else unit(figures[0][0].scope)} "
                           "được nêu tại các phiên họp:", kind="lead"))
        for f, _ in figures:
            blocks.append(Para(f"- {unit(f.scope)[:1].upper()}{unit(f.scope)[1:]}: {f.quote} "
                               f"({nd30.period_text(f.as_of)});", refs(f.source), kind="item"))
        last = blocks[-1]
        last.text = last.text[:-1] + "."
    if not found:
        blocks.append(Para(f"Các tài liệu nguồn không nêu số liệu, điểm cầu hay hoạt động riêng của {plabel}"
                           + (" và các đơn vị hành chính cũ nay thuộc tỉnh" if len(names) > 1 else "")
                           + " tại các phiên họp. Các nhiệm vụ chung nêu tại điểm b áp dụng cho tỉnh.", kind="note"))
    return blocks


def _targets_chart(targets, national, label, refs) -> Chart | None:  # type: ignore[no-untyped-def]
    latest = {f.metric: f for f, _ in national}
    items, ids = [], []
    for t, _ in targets:
        if not t.unit.startswith("%") or t.upper is not None:
            continue
        f = latest.get(t.metric)
        items.append({"label": label[t.metric], "target": t.value, "value": f.value if f else None,
                      "as_of": f.as_of if f else None,
                      "deadline": t.deadline})
        ids.append(t.source)
        if f:
            ids.append(f.source)
    if not items:
        return None
    n = refs(*ids)
    return Chart(id="chart-targets", number=0, kind="targets", data={"items": items},
                 caption=f"Một số chỉ tiêu quốc gia so với mục tiêu (Nguồn: {_cite(n)})",
                 height_mm=18 + 11 * len(items))


def _series_chart(fb, visible, upto, label, refs) -> Chart | None:  # type: ignore[no-untyped-def]
    series, ids = [], []
    for metric in SERIES_METRICS:
        points = sorted({(f.as_of, f.value, f.source) for f in fb.figures
                         if f.metric == metric and not f.change and f.scope == "national"
                         and f.source in visible and len(f.as_of) == 10 and date.fromisoformat(f.as_of) <= upto})
        if points:
            series.append({"label": label[metric], "points": [(p[0], p[1]) for p in points]})
            ids += [p[2] for p in points]
    if not any(len(s["points"]) > 1 for s in series):
        return None
    n = refs(*ids)
    return Chart(id="chart-series", number=0, kind="series", data={"series": series},
                 caption=f"Thẻ căn cước gắn chíp và tài khoản định danh điện tử qua các phiên họp "
                         f"(triệu; Nguồn: {_cite(n)})")


def _timeline_chart(tasks: list[Task], when: date, refs: _Refs) -> Chart | None:
    dated = [t for t in tasks if t.deadline]
    if not dated:
        return None
    items = []
    for t in dated:
        words = re.sub(r"\s+", " ", t.text).split()
        items.append({"deadline": t.deadline, "label": " ".join(words[:14]) + ("…" if len(words) > 14 else "")})
    n = refs(*[t.source for t in dated])
    return Chart(id="chart-timeline", number=0, kind="timeline", data={"items": items, "today": when.isoformat()},
                 caption=f"Thời hạn các nhiệm vụ giao cấp tỉnh so với ngày {nd30.short_date(when)} (Nguồn: {_cite(n)})",
                 height_mm=20 + 12 * len(items))


def _cite(numbers: tuple[int, ...]) -> str:
    return ", ".join(f"[{n}]" for n in numbers)

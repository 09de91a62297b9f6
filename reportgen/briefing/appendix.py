"""The Phụ lục: one row per metric with the latest national value, and the charts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ..catalogue import Catalogue
from ..extract.dates import period_end
from ..factbase import FactBase
from ..vnnumber import written_scale
from .cite import Citations
from .model import Chart, Result
from .nd30 import period_text, short_date
from .values import change_text, value_text

STALE_DAYS = 365   # a figure whose period ended longer ago is marked as such


def results(national: list, catalogue: Catalogue, cite: Citations, when: date) -> list[Result]:  # type: ignore[type-arg]
    out = []
    for f, change in national:
        metric = catalogue.by_id[f.metric]
        # The value without its unit: the unit has its own column.
        # A rank or a multiple as a bare number too ("71/193" | thứ hạng, "3,5" | lần).
        form = "number" if f.form in ("rank", "multiple") else f.form
        unit = ("thứ hạng" if metric.kind == "rank" or f.form == "rank" else "cấp độ" if f.form == "level"
                else "lần" if f.form == "multiple" else f.unit or "")
        # The scale stands with the unit, as official tables write "Đơn vị tính: tỷ USD" ("25" | "tỷ USD").
        scale = written_scale(f.value) if form in ("number", "range", "from_to") and f.of is None \
            and not unit.startswith("%") else None

        def scaled(x: float | None) -> float | None:
            return None if x is None or scale is None else float(Decimal(str(x)) / scale[1])

        value = value_text(scaled(f.value) if scale else f.value, "", f.qualifier,
                           scaled(f.upper) if scale else f.upper, f.of, "count" if form == "number" else metric.kind,
                           form, scaled(f.was) if scale else f.was)
        if scale:
            unit = f"{scale[0]} {unit}".strip()
        end = period_end(f.as_of)
        # A running total dated by its report is "as of" that day; a period is named.
        period = f"tính đến {short_date(date.fromisoformat(f.as_of))}" if len(f.as_of) == 10 else period_text(f.as_of)
        out.append(Result(metric=f.metric, label=metric.label, unit=unit, value=value,
                          change=change_text(change, f.unit) if change is not None else None, period=period,
                          stale=end < when - timedelta(days=STALE_DAYS), source=cite(f.source)))
    return out


def targets_chart(spec, targets, national, label, cite: Citations) -> Chart | None:  # type: ignore[no-untyped-def]
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
                      "as_of": f.as_of if f else None, "deadline": t.deadline})
        ids.append(t.source)
        if f:
            ids.append(f.source)
    if not items:
        return None
    ids = list(dict.fromkeys(ids))
    return Chart(id=f"chart-{spec.id}", number=0, kind="targets", data={"items": items}, caption=spec.caption,
                 height_mm=18 + 11 * len(items), sources=tuple(ids), cited=cite.all(*ids))


def series_chart(spec, fb: FactBase, seen: set[str], upto: date, label, cite: Citations) -> Chart | None:  # type: ignore[no-untyped-def]
    series, ids = [], []
    for metric in spec.metrics:
        points = sorted({(f.as_of, f.value, f.source) for f in fb.figures
                         if f.metric == metric and not f.change and f.scope == "national"
                         and f.source in seen and len(f.as_of) == 10 and date.fromisoformat(f.as_of) <= upto})
        by_day: dict[str, tuple] = {}  # type: ignore[type-arg]
        for p in points:   # one value a day: the largest figure reported for it
            by_day[p[0]] = max(by_day.get(p[0], p), p, key=lambda x: x[1])
        points = sorted(by_day.values())
        if len(points) > 1:   # one point is no line: it would read as a rise or fall against another series
            series.append({"label": label[metric], "points": [(p[0], p[1]) for p in points]})
            ids += [p[2] for p in points]
    if not series:
        return None
    ids = list(dict.fromkeys(ids))
    return Chart(id=f"chart-{spec.id}", number=0, kind="series", data={"series": series}, caption=spec.caption,
                 sources=tuple(ids), unit=spec.unit or "", cited=cite.all(*ids))

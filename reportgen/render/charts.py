"""Charts with matplotlib: SVG for the PDF, 300 dpi palette PNG for the DOCX, the body font,
Vietnamese labels with a decimal comma, byte-identical from one run to the next.

SVG text stays text (svg.fonttype "none"): WeasyPrint sets it in the embedded body font,
it can be searched and copied, and the PDF draws a chart in a third of the time glyph
outlines take.

What a printed chart needs (issue 19): every text at least TEXT_PT (10 pt) at the size the
chart is placed at — the PDF places the SVG and the DOCX the PNG at the figure's own width,
so a figure point is a printed point; amounts on axes from zero; percentages of completion on
0–100 %; labels whole, wrapped between words by their measured width (never cut); every
colour and line style named in a legend; and a chart is drawn only when most of what it
shows has data (`worth_drawing`). `describe` says what a chart shows, value by value, for
its alt text."""

from __future__ import annotations

from ..i18n import msg

import io
import warnings
from dataclasses import dataclass
from datetime import date

from ..briefing.model import Chart
from ..briefing.nd30 import short_date
from ..errors import BuildError
from ..vnnumber import format_vn
from .drawn import ChartFiles
from .fonts import FAMILY, body_font, text_width_mm

MM = 1 / 25.4
PT_MM = 25.4 / 72
TEXT_PT = 10.0            # the smallest text of a chart, in printed points
LINE = 1.2                # line pitch of wrapped labels, × the size
INK, ACCENT, TARGET, LATE, GRID = "#1f3b73", "#4f79b7", "#b22222", "#b22222", "#d0d0d0"
TARGET_FILL = "#f6dede"   # a plain tint: hatching costs the PDF renderer a tenth of a second per chart
MUTED = "#555555"
SCALES = {"": 1, "nghìn": 1e3, "triệu": 1e6, "tỷ": 1e9}    # a series chart's unit divides its values
MIN_ITEMS = 2             # a chart of one bar, one line or one deadline says no more than a sentence


# -- what is worth drawing, and what a chart shows -------------------------------------------

def coverage(chart: Chart) -> tuple[int, int]:
    """(items with data, items) of what the chart shows: a target with its latest value; a
    series with two dates or more (a line); a task with its deadline."""
    if chart.kind == "targets":
        items = chart.data["items"]
        return sum(1 for i in items if i["value"] is not None), len(items)
    if chart.kind == "series":
        series = chart.data["series"]
        return sum(1 for s in series if len({d for d, _ in s["points"]}) > 1), len(series)
    items = chart.data["items"]
    return sum(1 for i in items if i.get("deadline")), len(items)


def worth_drawing(chart: Chart, share: float = 0.5) -> bool:
    """Drawn only when more than `share` of what it shows has data, and at least MIN_ITEMS
    items do: a chart of bars marked "no data" is left out (with nothing referring to it).
    And only when it fits on a page with its caption: its labels are whole, never shrunk
    below TEXT_PT, so a chart of many long labels would run off the page."""
    known, total = coverage(chart)
    return total > 0 and known >= MIN_ITEMS and known > share * total and height_mm(chart) <= MAX_HEIGHT_MM


def _pct(value: float) -> str:
    return format_vn(round(value, 2)) + "%"


def _day(iso: str | None) -> str:
    return short_date(date.fromisoformat(iso)) if iso and len(iso) == 10 else ""


def describe(chart: Chart) -> str:
    """The alt text: what the chart shows, value by value (its caption is read anyway)."""
    if chart.kind == "targets":
        parts = []
        for i in chart.data["items"]:
            by = f" đến {_day(i['deadline'])}" if i.get("deadline") else ""
            if i["value"] is None:
                parts.append(f"{i['label']}: chưa có số liệu, mục tiêu {_pct(i['target'])}{by}")
            else:
                when = f" ({_day(i['as_of'])})" if _day(i["as_of"]) else ""
                parts.append(f"{i['label']}: {_pct(i['value'])}{when}, mục tiêu {_pct(i['target'])}{by}")
        return ("Biểu đồ thanh, thang 0–100%, kết quả mới nhất so với mục tiêu của "
                f"{len(parts)} chỉ tiêu. " + "; ".join(parts) + ".")
    if chart.kind == "series":
        factor = SCALES.get(chart.unit, 1)
        unit = f" {chart.unit}" if chart.unit else ""
        parts = [f"{s['label']}: " + ", ".join(f"{format_vn(round(v / factor, 2))}{unit} ngày {_day(d)}"
                                               for d, v in s["points"]) for s in chart.data["series"]]
        return (f"Biểu đồ đường, {len(parts)} chỉ tiêu theo thời gian, trục tung từ 0"
                + (f" (đơn vị: {chart.unit})" if chart.unit else "") + ". " + "; ".join(parts) + ".")
    today = date.fromisoformat(chart.data["today"])
    items = chart.data["items"]
    late = sum(1 for i in items if date.fromisoformat(i["deadline"]) < today)
    parts = [f"{i['label']}: thời hạn {_day(i['deadline'])}, "
             + ("đã quá hạn" if date.fromisoformat(i["deadline"]) < today else "chưa đến hạn") for i in items]
    return (f"Biểu đồ thời hạn của {len(items)} nhiệm vụ so với ngày của Thông báo {short_date(today)}: {late} nhiệm vụ "
            f"đã quá hạn, {len(items) - late} nhiệm vụ chưa đến hạn. " + "; ".join(parts) + ".")


# -- drawing -----------------------------------------------------------------------------

_ready = False


def _setup() -> None:
    global _ready
    if _ready:
        return
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    for path in body_font().files.values():
        font_manager.fontManager.addfont(str(path))
    matplotlib.rcParams.update({
        "font.family": "serif", "font.serif": [FAMILY], "font.size": TEXT_PT,
        "axes.labelsize": TEXT_PT, "xtick.labelsize": TEXT_PT, "ytick.labelsize": TEXT_PT,
        "legend.fontsize": TEXT_PT, "svg.fonttype": "none", "svg.hashsalt": "reportgen",
        "axes.unicode_minus": False, "axes.spines.top": False, "axes.spines.right": False,
        "axes.edgecolor": "#444444", "path.simplify": True,
    })
    _ready = True


def render_all(charts: list[Chart], on_svg=None) -> tuple[dict[str, bytes], dict[str, bytes]]:  # type: ignore[no-untyped-def]
    """Every chart as SVG, then as PNG; a glyph missing from the body font is an error, not
    a box. `on_svg` gets the SVGs as soon as they exist, so the PDF can be laid out while
    the slower PNGs are still being drawn."""
    _setup()
    import matplotlib.pyplot as plt

    figures, svgs, pngs = {}, {}, {}
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing.*")
        try:
            for chart in charts:
                draw = {"targets": _targets, "series": _series, "timeline": _timeline}[chart.kind]
                fig = figures[chart.id] = draw(plt, chart)
                out = io.BytesIO()
                fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
                svgs[chart.id] = out.getvalue()
            if on_svg:
                on_svg(svgs)
            for chart in charts:
                pngs[chart.id] = _palette_png(figures[chart.id])
        except UserWarning as exc:
            raise BuildError(msg('charts.chart', "chart: {exc}", exc=exc)) from None
        finally:
            for fig in figures.values():
                plt.close(fig)
    return svgs, pngs


def _palette_png(fig) -> bytes:  # type: ignore[no-untyped-def]
    """The chart for Word: 300 dpi, on white, in a palette of 64 colours — a tenth of the
    RGBA size, as sharp (the charts are flat colours and black text)."""
    from PIL import Image

    raw = io.BytesIO()
    fig.savefig(raw, format="png", dpi=300, facecolor="white", metadata={"Software": None},
                pil_kwargs={"compress_level": 1})
    image = Image.open(io.BytesIO(raw.getvalue())).convert("RGB").quantize(colors=64, method=Image.Quantize.FASTOCTREE,
                                                                          dither=Image.Dither.NONE)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(300, 300))
    return out.getvalue()


def wrap(text: str, width_mm: float, size: float = TEXT_PT) -> list[str]:
    """The text in lines no wider than width_mm, broken only between words (a word wider
    than the line gets a line of its own, whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width_mm(f"{lines[-1]} {word}", size) <= width_mm:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


class _Page:
    """A figure laid out in millimetres from its top left corner."""

    def __init__(self, plt, width_mm: float, height_mm: float) -> None:  # type: ignore[no-untyped-def]
        self.w, self.h = width_mm, height_mm
        self.fig = plt.figure(figsize=(width_mm * MM, height_mm * MM))

    def axes(self, left: float, top: float, width: float, height: float):  # type: ignore[no-untyped-def]
        return self.fig.add_axes((left / self.w, 1 - (top + height) / self.h, width / self.w, height / self.h))

    def y(self, top: float) -> float:
        return 1 - top / self.h


def _pitch(size: float = TEXT_PT) -> float:
    return size * LINE * PT_MM


def _columns(width_mm: float, labels: list[str]) -> int:
    """How many legend entries fit side by side."""
    widths = [text_width_mm(t, TEXT_PT) + 12 for t in labels]
    ncol = len(labels)
    while ncol > 1 and sum(sorted(widths, reverse=True)[:ncol]) > width_mm - 6:
        ncol -= 1
    return ncol


def _legend(page: _Page, handles: list, top_mm: float) -> None:  # type: ignore[type-arg]
    """The legend under the chart, centred, in as many columns as fit the width."""
    ncol = _columns(page.w, [h.get_label() for h in handles])
    page.fig.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, page.y(top_mm)), ncol=ncol,
                    frameon=False, fontsize=TEXT_PT, handlelength=2.2, columnspacing=1.5, borderaxespad=0)


TOP, AXIS_H = 2.0, 9.0                      # mm above the plot; under it, for the axis' labels
TARGET_COLUMNS = (56.0, 3.0, 38.0)          # label, gap, figures (mm); the bars take the rest
TIMELINE_COLUMNS = (70.0, 4.0, 20.0)        # task, gap, deadline (mm); the time line takes the rest
SERIES_TOP, SERIES_PLOT = 8.0, 62.0
MAX_HEIGHT_MM = 220.0                       # a chart and its caption on one page (257 mm of text height)


@dataclass
class _Plan:
    """Where a chart's parts go: its rows (wrapped labels, their centres), the texts at the
    right of each row, the legend's labels, and the figure's height — all in mm."""
    height: float
    plot_h: float
    legend: list[str]
    labels: list[list[str]]
    texts: list[list[str]]
    centres: list[float]


def _rows(lines: list[int], gap: float) -> tuple[list[float], float]:
    """Each row's centre (mm from the top of the plot) and the plot's height."""
    centres, y = [], gap / 2
    for n in lines:
        h = max(n, 1) * _pitch()
        centres.append(y + h / 2)
        y += h + gap
    return centres, y - gap / 2


def _legend_height(width_mm: float, labels: list[str]) -> float:
    return -(-len(labels) // _columns(width_mm, labels)) * _pitch() * 1.25 + 2


def _plan(chart: Chart) -> _Plan:
    W = chart.width_mm
    if chart.kind == "series":
        legend = [s["label"] for s in chart.data["series"]]
        return _Plan(SERIES_TOP + SERIES_PLOT + AXIS_H + _legend_height(W, legend) + 1, SERIES_PLOT, legend,
                     [], [], [])
    items = chart.data["items"]
    if chart.kind == "targets":
        labels = [wrap(i["label"], TARGET_COLUMNS[0]) for i in items]
        texts = []
        for i in items:
            when = f" ({_day(i['as_of'])})" if _day(i["as_of"]) else ""
            first = f"{_pct(i['value'])}{when}" if i["value"] is not None else "chưa có số liệu"
            texts.append([first, f"mục tiêu {_pct(i['target'])}"])
        legend = ["Kết quả mới nhất", "Mục tiêu"]
        centres, plot_h = _rows([max(len(a), len(b)) for a, b in zip(labels, texts)], gap=3.0)
    else:
        today = date.fromisoformat(chart.data["today"])
        labels = [wrap(i["label"], TIMELINE_COLUMNS[0]) for i in items]
        texts = [[_day(i["deadline"])] for i in items]
        passed = {date.fromisoformat(i["deadline"]) < today for i in items}
        legend = [label for label, shown in (("Đã quá hạn", True in passed), ("Chưa đến hạn", False in passed))
                  if shown] + [f"Ngày Thông báo {short_date(today)}"]     # the colours the chart shows, only those
        centres, plot_h = _rows([len(x) for x in labels], gap=2.5)
    return _Plan(TOP + plot_h + AXIS_H + _legend_height(W, legend) + 1, plot_h, legend, labels, texts, centres)


def height_mm(chart: Chart) -> float:
    """The height the chart is drawn at (at its width): wrapped labels make it grow."""
    return _plan(chart).height


def _targets(plt, chart: Chart):  # type: ignore[no-untyped-def]
    """Each target as an outlined bar, the latest figure as a filled bar inside it, on a
    0–100 % scale; the figures and targets written in a column of their own at the right."""
    from matplotlib.patches import Patch

    items = chart.data["items"]
    if any(i["target"] > 100 or (i["value"] or 0) > 100 for i in items):
        raise BuildError(msg('charts.chart_targets_chart_completion', "chart {id}: a targets chart is a 0–100% completion scale; a value or target above 100% belongs elsewhere (list only shares in its `metrics`).", id=chart.id))
    plan, W = _plan(chart), chart.width_mm
    label_w, gap_w, right_w = TARGET_COLUMNS
    plot_w = W - label_w - gap_w - right_w - 3
    handles = [Patch(facecolor=INK, label=plan.legend[0]),
               Patch(facecolor=TARGET_FILL, edgecolor=TARGET, linewidth=0.8, label=plan.legend[1])]
    page = _Page(plt, W, plan.height)
    ax = page.axes(label_w + gap_w, TOP, plot_w, plan.plot_h)
    bar = min(5.0, plan.plot_h / len(items) * 0.6)
    for y, item, lines, text in zip(plan.centres, items, plan.labels, plan.texts):
        ax.barh(y, item["target"], height=bar, color=TARGET_FILL, edgecolor=TARGET, linewidth=0.8, zorder=1)
        if item["value"] is not None:
            ax.barh(y, item["value"], height=bar * 0.6, color=INK, zorder=2)
        ax.text(-(gap_w + label_w) / plot_w * 100, y, "\n".join(lines), ha="left", va="center", linespacing=LINE,
                fontsize=TEXT_PT, clip_on=False)
        ax.text(100 + 3 / plot_w * 100, y, "\n".join(text), ha="left", va="center", linespacing=LINE,
                fontsize=TEXT_PT, color=INK if item["value"] is not None else MUTED, clip_on=False)
    ax.set_xlim(0, 100)
    ax.set_ylim(plan.plot_h, 0)
    ax.set_xticks([0, 25, 50, 75, 100], [_pct(v) for v in (0, 25, 50, 75, 100)], fontsize=TEXT_PT)
    ax.set_yticks([])
    ax.grid(axis="x", color=GRID, linewidth=0.5, zorder=0)
    _legend(page, handles, TOP + plan.plot_h + AXIS_H)
    return page.fig


def _series(plt, chart: Chart):  # type: ignore[no-untyped-def]
    """Values over time, one line a metric, the amount axis from zero."""
    import matplotlib.dates as mdates

    data, factor, plan = chart.data, SCALES.get(chart.unit, 1), _plan(chart)
    styles = [(INK, "o", "-"), (ACCENT, "s", "--"), ("#6a8f3a", "^", "-.")]
    W, left = chart.width_mm, 16.0
    page = _Page(plt, W, plan.height)
    ax = page.axes(left, SERIES_TOP, W - left - 6, plan.plot_h)
    all_days, high = [], 0.0
    for (color, marker, line), s in zip(styles, data["series"]):
        days = [date.fromisoformat(d) for d, _ in s["points"]]
        values = [v / factor for _, v in s["points"]]
        all_days += days
        high = max([high, *values])
        ax.plot(days, values, color=color, marker=marker, linestyle=line, linewidth=1.2, markersize=4, label=s["label"])
        for d, v in zip(days, values):
            ax.annotate(format_vn(round(v, 2)), (d, v), textcoords="offset points", xytext=(0, 5), ha="center",
                        fontsize=TEXT_PT, color=color)
    ticks = sorted(set(all_days))
    # Dates too close to print side by side keep the later one's label (the points stay).
    span = max((ticks[-1] - ticks[0]).days, 1)
    shown: list[date] = []
    for d in reversed(ticks):
        if not shown or (shown[-1] - d).days >= span * 0.16:
            shown.append(d)
    shown.reverse()
    ax.set_xticks(shown, [short_date(d) for d in shown], fontsize=TEXT_PT)
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.tick_params(axis="x", which="minor", length=0)
    if len(ticks) > 1:
        pad = (ticks[-1] - ticks[0]) * 0.06
        ax.set_xlim(ticks[0] - pad, ticks[-1] + pad)
    ax.set_ylim(0, high * 1.15 if high > 0 else 1)          # amounts from zero
    ax.yaxis.set_major_formatter(lambda v, _pos: format_vn(round(v, 1)))
    ax.tick_params(axis="y", labelsize=TEXT_PT)
    if chart.unit:                                  # upright, above the axis: read without turning the page
        ax.text(-0.01, 1.03, chart.unit, transform=ax.transAxes, ha="right", va="bottom", fontsize=TEXT_PT,
                clip_on=False)
    ax.grid(axis="y", color=GRID, linewidth=0.5)
    _legend(page, ax.get_legend_handles_labels()[0], SERIES_TOP + plan.plot_h + AXIS_H)
    return page.fig


def _timeline(plt, chart: Chart):  # type: ignore[no-untyped-def]
    """Each task's deadline as a point on a time line (red when passed), its date in a column
    at the right, the briefing's date as a dashed line; the task's words at the left, whole."""
    from datetime import timedelta

    from matplotlib.lines import Line2D

    items, plan, W = chart.data["items"], _plan(chart), chart.width_mm
    today = date.fromisoformat(chart.data["today"])
    label_w, gap_w, date_w = TIMELINE_COLUMNS
    plot_w = W - label_w - gap_w - date_w - 2
    colours = {"Đã quá hạn": LATE, "Chưa đến hạn": INK}
    handles = [Line2D([], [], marker="D", color=colours[label], linestyle="none", markersize=5, label=label)
               for label in plan.legend[:-1]]
    handles.append(Line2D([], [], color="#333333", linestyle="--", linewidth=0.9, label=plan.legend[-1]))
    page = _Page(plt, W, plan.height)
    ax = page.axes(label_w + gap_w, TOP, plot_w, plan.plot_h)
    days = [date.fromisoformat(i["deadline"]) for i in items]
    low, high = min(days + [today]), max(days + [today])
    pad = timedelta(days=max((high - low).days * 0.08, 10))
    x0, x1 = low - pad, high + pad
    for y, d, lines in zip(plan.centres, days, plan.labels):
        colour = LATE if d < today else INK
        ax.plot([d], [y], marker="D", markersize=5, color=colour, zorder=3, clip_on=False)
        ax.axhline(y, color=GRID, linewidth=0.4, zorder=0)
        ax.text(-(gap_w + label_w) / plot_w, y, "\n".join(lines), transform=ax.get_yaxis_transform(), ha="left",
                va="center", linespacing=LINE, fontsize=TEXT_PT, clip_on=False)
        ax.text(1 + 2 / plot_w, y, short_date(d), transform=ax.get_yaxis_transform(), ha="left", va="center",
                fontsize=TEXT_PT, color=colour, clip_on=False)
    ax.axvline(today, color="#333333", linestyle="--", linewidth=0.9, zorder=2)
    ax.set_xlim(x0, x1)
    ax.set_ylim(plan.plot_h, 0)
    ax.set_yticks([])
    firsts, (y, m) = [], (x0.year, x0.month + 1)       # the first day of each month inside the axis
    while date(y + (m - 1) // 12, (m - 1) % 12 + 1, 1) <= x1:
        firsts.append(date(y + (m - 1) // 12, (m - 1) % 12 + 1, 1))
        m += 1
    fit = max(int(plot_w // 14), 1)                    # "03/2025" at 10 pt (12 mm) with room around it
    step = max(1, -(-len(firsts) // fit))
    ax.set_xticks(firsts[::step], [f"{d.month:02d}/{d.year}" for d in firsts[::step]])
    ax.tick_params(axis="x", labelsize=TEXT_PT)
    ax.grid(axis="x", color=GRID, linewidth=0.5)
    _legend(page, handles, TOP + plan.plot_h + AXIS_H)
    return page.fig

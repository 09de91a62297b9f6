"""Charts with matplotlib: SVG for the PDF, 300 dpi palette PNG for the DOCX, the body font,
Vietnamese labels with a decimal comma, byte-identical from one run to the next.

SVG text stays text (svg.fonttype "none"): WeasyPrint sets it in the embedded body font,
it can be searched and copied, and the PDF draws a chart in a third of the time glyph
outlines take."""

from __future__ import annotations

import io
import textwrap
import warnings
from dataclasses import dataclass
from datetime import date

from ..briefing.model import Chart
from ..briefing.nd30 import short_date
from ..errors import BuildError
from ..vnnumber import format_vn
from .fonts import FAMILY, body_font

MM = 1 / 25.4
INK, ACCENT, TARGET, LATE, GRID = "#1f3b73", "#4f79b7", "#b22222", "#b22222", "#d0d0d0"
TARGET_FILL = "#f6dede"   # a plain tint: hatching costs the PDF renderer a tenth of a second per chart


@dataclass(frozen=True)
class ChartFiles:
    svg: bytes
    png: bytes


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
        "font.family": "serif", "font.serif": [FAMILY], "font.size": 10,
        "svg.fonttype": "none", "svg.hashsalt": "reportgen", "axes.unicode_minus": False,
        "axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "#444444",
        "path.simplify": True,
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
                fig = figures[chart.id] = plt.figure(figsize=(chart.width_mm * MM, chart.height_mm * MM))
                draw(fig, chart.data)
                out = io.BytesIO()
                fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
                svgs[chart.id] = out.getvalue()
            if on_svg:
                on_svg(svgs)
            for chart in charts:
                pngs[chart.id] = _palette_png(figures[chart.id])
        except UserWarning as exc:
            raise BuildError(f"chart: {exc}") from None
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


def _pct(value: float) -> str:
    return format_vn(round(value, 2)) + "%"


def _targets(fig, data: dict) -> None:  # type: ignore[no-untyped-def]
    """Each target as an outlined bar, the latest figure as a filled bar inside it."""
    items = data["items"]
    ax = fig.add_axes((0.40, 0.12, 0.58, 0.84))
    n = len(items)
    ys = list(range(n))[::-1]
    for y, item in zip(ys, items):
        ax.barh(y, item["target"], height=0.56, color=TARGET_FILL, edgecolor=TARGET, linewidth=0.8, zorder=1)
        if item["value"] is not None:
            ax.barh(y, item["value"], height=0.56, color=INK, zorder=2)
            when = f" ({short_date(date.fromisoformat(item['as_of']))})" if len(item["as_of"] or "") == 10 else ""
            ax.text(item["value"] - 1.5, y, f"{_pct(item['value'])}{when}", va="center", ha="right", fontsize=7.5,
                    color="white", zorder=3)
            text = f"mục tiêu {_pct(item['target'])}"
        else:
            text = f"mục tiêu {_pct(item['target'])}; chưa có số liệu"
        ax.text(max(item["target"], item["value"] or 0) + 2, y, text, va="center", fontsize=7.5,
                color=INK if item["value"] is not None else "#555555", zorder=3)
    ax.set_yticks(ys, [textwrap.fill(i["label"], 46) for i in items], fontsize=7.5)
    ax.set_xlim(0, 175)
    ax.set_ylim(-0.6, n - 0.4)
    ax.set_xticks([0, 20, 40, 60, 80, 100], [_pct(v) for v in (0, 20, 40, 60, 80, 100)], fontsize=8)
    ax.spines["bottom"].set_bounds(0, 100)
    ax.grid(axis="x", color=GRID, linewidth=0.5, zorder=0)
    ax.tick_params(axis="y", length=0)


def _series(fig, data: dict) -> None:  # type: ignore[no-untyped-def]
    import matplotlib.dates as mdates

    ax = fig.add_axes((0.09, 0.28, 0.88, 0.66))
    styles = [(INK, "o", "-"), (ACCENT, "s", "--"), ("#6a8f3a", "^", "-.")]
    all_days = []
    for (color, marker, line), s in zip(styles, data["series"]):
        days = [date.fromisoformat(d) for d, _ in s["points"]]
        values = [v / 1e6 for _, v in s["points"]]
        all_days += days
        ax.plot(days, values, color=color, marker=marker, linestyle=line, linewidth=1.2, markersize=4, label=s["label"])
        for d, v in zip(days, values):
            ax.annotate(format_vn(round(v, 2)), (d, v), textcoords="offset points", xytext=(0, 5), ha="center",
                        fontsize=7.5, color=color)
    ticks = sorted(set(all_days))
    # Dates too close to print side by side keep the later one's label (the points stay).
    span = max((ticks[-1] - ticks[0]).days, 1)
    shown: list[date] = []
    for d in reversed(ticks):
        if not shown or (shown[-1] - d).days >= span * 0.09:
            shown.append(d)
    shown.reverse()
    ax.set_xticks(shown, [short_date(d) for d in shown], fontsize=8)
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.tick_params(axis="x", which="minor", length=0)
    low = min(v / 1e6 for s in data["series"] for _, v in s["points"])
    high = max(v / 1e6 for s in data["series"] for _, v in s["points"])
    ax.set_ylim(low * 0.9, high * 1.06)
    ax.yaxis.set_major_formatter(lambda v, _pos: format_vn(round(v, 1)))
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylabel("triệu", fontsize=8)
    ax.grid(axis="y", color=GRID, linewidth=0.5)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, fontsize=7.5, frameon=False)


def _timeline(fig, data: dict) -> None:  # type: ignore[no-untyped-def]
    """Each task's deadline as a point on a time line, the briefing date as a dashed line."""
    import matplotlib.dates as mdates
    from datetime import timedelta

    items = data["items"]
    today = date.fromisoformat(data["today"])
    ax = fig.add_axes((0.45, 0.16, 0.52, 0.80))
    n = len(items)
    ys = list(range(n))[::-1]
    days = [date.fromisoformat(i["deadline"]) for i in items]
    for y, d in zip(ys, days):
        late = d < today
        ax.plot([d], [y], marker="D", markersize=5, color=LATE if late else INK, zorder=3)
        ax.annotate(short_date(d), (d, y), textcoords="offset points", xytext=(6, -3), fontsize=7.5,
                    color=LATE if late else INK)
    ax.axvline(today, color="#333333", linestyle="--", linewidth=0.9)
    ax.annotate(f"ngày báo cáo {short_date(today)}", (today, n - 0.45), textcoords="offset points",
                xytext=(-3, 0), ha="right", fontsize=7.5, color="#333333")
    ax.set_yticks(ys, [textwrap.fill(i["label"], 52) for i in items], fontsize=7.5)
    low, high = min(days + [today]), max(days + [today])
    pad = max((high - low).days * 0.08, 15)
    ax.set_xlim(low - timedelta(days=pad * 3), high + timedelta(days=max(pad * 3, 75)))
    ax.set_ylim(-0.7, n - 0.1)
    span_months = (high.year - low.year) * 12 + high.month - low.month
    ax.xaxis.set_major_locator(mdates.MonthLocator(interval=max(1, span_months // 6 + 1)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%m/%Y"))
    ax.tick_params(axis="x", labelsize=7.5)
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", color=GRID, linewidth=0.5)

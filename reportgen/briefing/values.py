"""Values as running text writes them, in the form the document stated them.

A value's form is the document's ("ước đạt 18,3%", "thứ 71/193", "gấp 3,5 lần"), so it
is written here once, for the briefing and for the office's page alike; the sentences
around it are the templates'.
"""

from __future__ import annotations

from ..vnnumber import format_scaled, format_vn


def value_text(value: float, unit: str, qualifier: str | None = None, upper: float | None = None,
               of: float | None = None, kind: str = "count", form: str = "number", was: float | None = None) -> str:
    """"trên 87,7 triệu thẻ", "ước đạt 18,3%", "thứ 71/193", "top 10", "cấp độ 6/10",
    "gấp 3,5 lần", "từ 0,48 lên 0,71"."""
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


def change_text(change, level_unit: str) -> str:  # type: ignore[no-untyped-def]
    """A change stated beside a level: "tăng 5,62 điểm phần trăm so với năm 2023". A change
    of a percentage stated in % is a change in points of that percentage."""
    unit = change.unit
    if level_unit == "%" and unit == "%":
        text = f"{format_vn(change.value)} điểm phần trăm"
        if change.qualifier:
            text = f"{change.qualifier.lower()} {text}"
    else:
        text = value_text(change.value, unit, change.qualifier)
    if not text.startswith(("tăng", "giảm")):
        text = "tăng " + text
    if change.baseline:
        text += " so với " + ("năm " + change.baseline if change.baseline.isdigit() else change.baseline)
    return text

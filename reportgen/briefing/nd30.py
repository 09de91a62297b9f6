"""Decree 30 (Nghị định 30/2020/NĐ-CP) conventions a briefing follows: page geometry,
type sizes, and how dates and numbers are written. One place, read by both renderers."""

from __future__ import annotations

from datetime import date

# Page geometry, millimetres (ND30 Phụ lục I: top/bottom 20–25, left 30–35, right 15–20).
PAGE_W, PAGE_H = 210.0, 297.0
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 20.0, 20.0, 30.0, 15.0
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT          # 165 mm
HEADER_DISTANCE = 10.0                                  # page number sits in the top margin
LEFT_COL, RIGHT_COL = 62.0, TEXT_W - 62.0               # header/signature tables

# Type sizes, points.
SIZE_BODY = 14
SIZE_ISSUER = 12
SIZE_MOTTO_1 = 12      # Quốc hiệu (12–13), upper case, bold
SIZE_MOTTO_2 = 13      # Tiêu ngữ (13–14), bold; pairs with Quốc hiệu 12
SIZE_NUMBER = 13
SIZE_PLACE_DATE = 13   # italic
SIZE_TITLE = 14
SIZE_RECIPIENTS_LABEL = 12   # "Nơi nhận:" bold italic
SIZE_RECIPIENTS = 11
SIZE_SIGNATURE = 14
SIZE_PAGE_NUMBER = 14
SIZE_TABLE = 12
SIZE_CAPTION = 12
INDENT_CM = 1.0
SPACE_AFTER_PT = 6
LINE_SPACING = 1.15

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def long_date(d: date) -> str:
    """'ngày 06 tháng 02 năm 2025': day padded, months 1–2 padded, 3–12 not (ND30 II.4.b)."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def short_date(d: date) -> str:
    """'23/02/2025', '30/6/2025': the same padding rule in d/m/yyyy form."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{d.day:02d}/{month}/{d.year}"


def period_text(as_of: str) -> str:
    """A fact's period as a briefing writes it: '2024' → 'năm 2024', '2024-H1' → '6 tháng đầu năm 2024'."""
    if len(as_of) == 4 and as_of.isdigit():
        return f"năm {as_of}"
    if as_of.endswith("-H1"):
        return f"6 tháng đầu năm {as_of[:4]}"
    if len(as_of) == 7:
        month = int(as_of[5:])
        return f"tháng {month:02d}/{as_of[:4]}" if month < 3 else f"tháng {month}/{as_of[:4]}"
    try:
        return f"đến {short_date(date.fromisoformat(as_of))}"
    except ValueError:
        return as_of

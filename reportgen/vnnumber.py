"""Vietnamese numbers: read them as the press writes them, write them as Decree 30 wants.

Reading accepts the variants found in press text: decimal comma or point, thousands
dot, scale words (nghìn/ngàn, triệu, tỷ/tỉ and their compounds such as "triệu tỷ"),
and the number words một…mười before a scale word. Values are Decimals, fully scaled.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal

from .textnorm import fold

# A numeric literal as written: 4.475 / 87,7 / 18.3 / 1.234.567,5 / 2025
LITERAL = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"

SCALES: dict[str, Decimal] = {
    "nghin": Decimal(10) ** 3,
    "ngan": Decimal(10) ** 3,
    "trieu": Decimal(10) ** 6,
    "ty": Decimal(10) ** 9,
    "ti": Decimal(10) ** 9,
}
WORDS: dict[str, int] = {
    "mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
    "chin": 9, "muoi": 10,
}


def parse_literal(literal: str) -> Decimal:
    """The value of one literal, deciding what the dot and comma mean.

    A comma is a decimal mark (Vietnamese style) unless it separates 3-digit groups
    more than once (1,234,567); a dot separates thousands when every group after it
    has exactly three digits (4.475, 1.234.567), otherwise it is a decimal point
    (18.3, the press's English-style decimal).
    """
    s = literal.strip()
    if not s or not re.fullmatch(r"[\d.,]+", s) or not s[0].isdigit() or not s[-1].isdigit():
        raise ValueError(f"not a number: {literal!r}")
    try:
        if "." in s and "," in s:
            if s.rfind(",") > s.rfind("."):  # 1.234,5
                if not re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+", s):
                    raise ValueError(f"not a number: {literal!r}")
                return Decimal(s.replace(".", "").replace(",", "."))
            if not re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+", s):  # 1,234.5
                raise ValueError(f"not a number: {literal!r}")
            return Decimal(s.replace(",", ""))
        if "," in s:
            if re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", s):
                return Decimal(s.replace(",", ""))
            if s.count(",") != 1:
                raise ValueError(f"not a number: {literal!r}")
            return Decimal(s.replace(",", "."))
        if "." in s:
            if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
                return Decimal(s.replace(".", ""))
            if s.count(".") != 1:
                raise ValueError(f"not a number: {literal!r}")
            return Decimal(s)
        return Decimal(s)
    except InvalidOperation as exc:  # pragma: no cover - regexes above guard it
        raise ValueError(f"not a number: {literal!r}") from exc


def scale_of(words: str) -> Decimal:
    """Multiplier of a run of scale words ("triệu tỷ" → 10**15); 1 for none."""
    factor = Decimal(1)
    for word in fold(words).split():
        if word not in SCALES:
            raise ValueError(f"not a scale word: {word!r}")
        factor *= SCALES[word]
    return factor


def parse_amount(text: str) -> Decimal:
    """Parse a literal or number word followed by optional scale words: "87,7 triệu"."""
    folded = fold(text).strip()
    m = re.fullmatch(rf"({LITERAL}|{'|'.join(WORDS)})((?:\s+\S+)*)", folded)
    if not m:
        raise ValueError(f"not an amount: {text!r}")
    head, tail = m.group(1), m.group(2)
    base = Decimal(WORDS[head]) if head in WORDS else parse_literal(head)
    return normalise(base * scale_of(tail))


def normalise(value: Decimal) -> Decimal:
    """Drop a spurious exponent or trailing zeros: 87.7E+6 → 87700000, 70.80 → 70.8."""
    value = value.normalize()
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


def to_plain(value: Decimal) -> int | float:
    """The plain YAML number for a value: int when whole."""
    value = normalise(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def format_vn(value: Decimal | int | float, decimals: int | None = None) -> str:
    """Vietnamese style: thousands dot, decimal comma (4.475; 18,3; 87,7)."""
    number = Decimal(str(value))
    if decimals is None:
        text = format(normalise(number), "f")
        decimals = len(text.split(".")[1]) if "." in text else 0
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(number, format=pattern, locale="vi", decimal_quantization=True)


def written_scale(value: Decimal | int | float) -> tuple[str, Decimal] | None:
    """The scale word a briefing writes a large amount with, and its factor: 87700000 →
    ("triệu", 10⁶) for "87,7 triệu"; None when it is written in full."""
    number = Decimal(str(value))
    for word, factor in (("triệu tỷ", Decimal(10) ** 15), ("nghìn tỷ", Decimal(10) ** 12),
                         ("tỷ", Decimal(10) ** 9), ("triệu", Decimal(10) ** 6)):
        if abs(number) >= factor and (number / factor) * 100 == ((number / factor) * 100).to_integral_value():
            return word, factor
    return None


def format_scaled(value: Decimal | int | float, unit: str = "") -> str:
    """A large amount the way a briefing writes it: 87700000 → "87,7 triệu"."""
    number = Decimal(str(value))
    scale = written_scale(number)
    text = f"{format_vn(number / scale[1])} {scale[0]}" if scale else format_vn(number)
    return f"{text} {unit}".strip() if unit and unit != "%" else (text + unit if unit == "%" else text)

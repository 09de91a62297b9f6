"""The briefing as data: everything both renderers need, nothing they must work out.

The model is the boundary between the facts and the rendering: it holds final
Vietnamese text (numbers and dates already written the Decree 30 way), the source
references of each figure, and the data of each chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Source:
    n: int
    document: str          # file name in seeds/
    description: str       # how the sources list names it


@dataclass
class Para:
    text: str
    refs: tuple[int, ...] = ()
    kind: str = "body"     # body | item (a "- " line) | lead (a bold run-in label) | note


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    refs: list[tuple[int, ...]]   # per row, shown in the last column
    widths: list[float]           # column widths, mm


@dataclass
class Chart:
    id: str
    number: int
    caption: str                  # "Biểu đồ 1: … (Nguồn: …)"
    kind: str                     # targets | series | timeline
    data: dict
    width_mm: float = 150.0
    height_mm: float = 80.0
    sources: tuple[str, ...] = ()     # the documents it draws from (cited in the caption)
    unit: str = ""                    # said in the caption before the sources ("triệu")


@dataclass
class Section:
    heading: str                  # "1. Những kết quả đạt được"
    level: int = 1                # 1: numbered section, 2: lettered subsection
    blocks: list["Para | Table | Chart | Section"] = field(default_factory=list)


@dataclass
class Appendix:
    """Phụ lục (ND30 Phụ lục I, Mục III.1): after the signature, on pages numbered on their own."""
    title: str                    # "Phụ lục" (a Roman numeral only when there are two or more)
    name: str                     # upper case
    note: str                     # "(Kèm theo Thông báo số …/TB-UBND ngày … tháng … năm … của …)"
    rule_mm: float
    blocks: list["Para | Table | Chart"] = field(default_factory=list)


@dataclass
class Briefing:
    province_code: str
    province_name: str            # "Quảng Ngãi"
    province_label: str           # "tỉnh Quảng Ngãi" (as running text writes it)
    former_typed: str | None      # the former name the user typed, if any
    date: date
    issuer_lines: list[str]
    number: str                   # "Số:      /TB-UBND"
    place_date: str               # "Quảng Ngãi, ngày 06 tháng 02 năm 2025"
    type_name: str
    summary: str
    opening: list[Para]
    sections: list[Section]
    closing: str                  # ends with "./."
    recipients: list[str]
    signature_lines: list[str]    # "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    signer: str | None
    sources: list[Source]
    title: str                    # PDF/DOCX metadata
    author: str
    keywords: list[str]
    rules_mm: dict[str, float]    # lengths of the drawn short rules
    appendix: Appendix | None = None

    @property
    def charts(self) -> list[Chart]:
        def walk(blocks):  # type: ignore[no-untyped-def]
            for b in blocks:
                if isinstance(b, Section):
                    yield from walk(b.blocks)
                elif isinstance(b, Chart):
                    yield b
        return [c for s in self.sections for c in walk(s.blocks)] + list(walk(self.appendix.blocks if self.appendix else []))

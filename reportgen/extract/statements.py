"""Statements: the numbered sections of an official notice (results, shortcomings,
lessons, guiding views, tasks), kept verbatim so a briefing can quote them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..sources import Document
from ..textnorm import fold
from . import spans as sp

_HEADING = re.compile(r"^\s*(\d{1,2})\.\s+([^:.]{3,120}?)(?::\s+|\s*$)")
_KINDS = [("nguyen nhan", "causes"), ("bai hoc", "lessons"), ("quan diem", "views"),
          ("ton tai", "shortcomings"), ("han che", "shortcomings"), ("ket qua", "results"),
          ("nhiem vu", "tasks"), ("giai phap", "tasks")]
_FOOTNOTE_MARK = re.compile(r"(?<=[.;:])\d{1,2}$")


@dataclass
class StatementReading:
    section: str
    heading: str
    span: tuple[int, int]
    text: str


def section_kind(heading: str) -> str | None:
    f = fold(heading)
    return next((kind for word, kind in _KINDS if word in f), None)


def read_statements(doc: Document) -> list[StatementReading]:
    if doc.kind != "official":
        return []
    text = doc.text
    out: list[StatementReading] = []
    section, heading = "opening", ""
    for para in sp.paragraphs(text, doc.body_start, doc.body_end):
        line = text[para.start: para.end]
        start = para.start
        m = _HEADING.match(line)
        if m and section_kind(m.group(2)):
            section, heading = section_kind(m.group(2)) or "other", m.group(2).strip()
            start = para.start + m.end()
            if start >= para.end:
                continue
        elif section == "opening" and not re.search(r"[.:]\s*$", line.strip()):
            continue  # a title, a date line or a photo caption before the text
        a, b = start, para.end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if text[a:b].endswith("./."):
            b -= 3
        if b - a < 20:
            continue
        quote = text[a:b]
        out.append(StatementReading(section=section, heading=heading, span=(a, b),
                                    text=_FOOTNOTE_MARK.sub("", quote.rstrip()).rstrip()))
    return out

"""Statements: the numbered sections of an official notice (results, shortcomings,
lessons, guiding views, tasks), kept verbatim so a briefing can quote them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from typing import TYPE_CHECKING

from .. import patterns
from ..sources import Document
from .context import LOCAL

if TYPE_CHECKING:
    from ..registry import Registry
    from .context import Context
from ..textnorm import fold
from . import spans as sp

_HEADING = patterns.compile(r"^\s*(\d{1,2})\.\s+([^:.]{3,120}?)(?::\s+|\s*$)")
_KINDS = [("nguyen nhan", "causes"), ("bai hoc", "lessons"), ("quan diem", "views"),
          ("ton tai", "shortcomings"), ("han che", "shortcomings"), ("ket qua", "results"),
          ("nhiem vu", "tasks"), ("giai phap", "tasks")]
_ORDERS = patterns.compile(r"(thu tuong|lanh dao chinh phu|nguoi dung dau chinh phu|chu tich)[^.;]{0,60}?"
                     r"(yeu cau|de nghi|giao|chi dao|nhac nho|luu y)(?![a-z])")
_PROVINCIAL_AUTHORITY = patterns.compile(r"(?<![a-z])(ubnd|uy ban nhan dan) (tinh|thanh pho)(?![a-z])")
_FOOTNOTE_MARK = patterns.compile(r"(?<=[.;:])\d{1,2}$")


@dataclass
class StatementReading:
    section: str
    heading: str
    span: tuple[int, int]
    text: str


def section_kind(heading: str) -> str | None:
    f = fold(heading)
    return next((kind for word, kind in _KINDS if word in f), None)


def read_reported(ctx: "Context", registry: "Registry") -> list[StatementReading]:
    """What a press report says of an event, sentence by sentence, by the registry's cue
    words: results (with a number), shortcomings, lessons, views. Quoted whole, so a
    briefing can attribute them where no official notice exists yet."""
    text, folded = ctx.doc.text, ctx.folded
    out: list[StatementReading] = []
    for sentence in ctx.sentences:
        a, b = sp.trim(text, sentence.span.start, sentence.span.end)
        quote = text[a:b]
        words = len(quote.split())
        f = folded[a:b]
        if words < 8 or words > 90 or not text[a: sentence.span.end + 1].rstrip("”\"' \n").endswith((".", "!", ";")) \
                or "diem cau" in f or re.search(r"\(anh|anh:|xem them", f):
            continue
        ordered = _ORDERS.search(f)
        if LOCAL.search(f) or _PROVINCIAL_AUTHORITY.search(f):
            continue   # "… của tỉnh đạt 43,6%": a province's own, not what the session reported
        for section, rx in registry.section_patterns:
            if not rx.search(f):
                continue
            if ordered and section != "views":
                continue   # "Thủ tướng đề nghị các tỉnh … rà soát vướng mắc": a task, not a shortcoming
            if section == "results" and (not re.search(r"\d", quote) or sentence.directive or sentence.target_only):
                continue
            out.append(StatementReading(section=section, heading="", span=(a, b), text=quote.rstrip(";").rstrip()))
            break
    return out


def read_statements(doc: Document) -> list[StatementReading]:
    if doc.kind != "notice":
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

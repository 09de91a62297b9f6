"""Helpers that read the produced PDF and DOCX as a user's tools would."""

from __future__ import annotations

import re
from pathlib import Path

MM = 72 / 25.4


CHART_TEXT_PT = 8.5   # chart labels are 7–8 pt; body, tables, notes and references are 9 pt and up


def pdf_words(path: Path, charts: bool = False) -> list[str]:
    """Words of the PDF in reading order, without the page numbers in the top margin and,
    unless asked, without the labels inside charts (the DOCX has those in its PNGs)."""
    import pdfplumber

    words = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            if not charts:
                page = page.filter(lambda obj: obj.get("object_type") != "char" or obj["size"] >= CHART_TEXT_PT)
            for w in page.extract_words(keep_blank_chars=False, use_text_flow=True):
                if w["bottom"] < 20 * MM and re.fullmatch(r"\d+", w["text"]):
                    continue
                words.append(w["text"])
    return _normalise(words)


def docx_words(path: Path) -> list[str]:
    """Words of the DOCX body in document order: paragraphs and table cells."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(str(path))
    texts = []
    for el in doc.element.body:
        if el.tag == qn("w:p"):
            texts.append("".join(t.text or "" for t in el.iter(qn("w:t"))))
        elif el.tag == qn("w:tbl"):
            for row in el.iter(qn("w:tr")):
                for cell in row.iter(qn("w:tc")):
                    for p in cell.iter(qn("w:p")):
                        texts.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return _normalise(" ".join(texts).split())


def _normalise(words: list[str]) -> list[str]:
    return " ".join(words).replace("\u00a0", " ").split()


def joined(words: list[str]) -> str:
    """Words glued together: PDF text extraction and Word runs split words differently
    around superscript references ("tế.[1]"), so comparisons ignore where spaces fall."""
    return "".join(words)

"""Helpers that read the produced PDF and DOCX as a user's tools would."""

from __future__ import annotations

import re
from pathlib import Path

MM = 72 / 25.4


def in_chart(obj: dict) -> bool:
    """Whether a character is drawn inside a chart: its marked content is the /Figure the
    SVG is drawn in (chart text is 10 pt and up, as the body's, so size cannot tell)."""
    return obj.get("object_type") == "char" and obj.get("tag") == "Figure"


def pdf_words(path: Path, charts: bool = False) -> list[str]:
    """Words of the PDF in reading order, without the page numbers in the top margin and,
    unless asked, without the labels inside charts (the DOCX has those in its PNGs)."""
    import pdfplumber

    words = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            if not charts:
                page = page.filter(lambda obj: not in_chart(obj))
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


def pdf_charts(path: Path) -> list[dict]:
    """Each chart drawn in the PDF, in page order: what one /Figure marked-content sequence
    holds (the SVG is drawn inside it) — its characters, words, rects, lines and curves — and
    the page it is on (1-based)."""
    import pdfplumber

    charts = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            mcids = sorted({o["mcid"] for o in page.chars + page.rects + page.curves + page.lines
                            if o.get("tag") == "Figure" and o.get("mcid") is not None})
            for mcid in mcids:
                part = page.filter(lambda o, m=mcid: o.get("tag") == "Figure" and o.get("mcid") == m)
                objects = part.chars + part.rects + part.lines + part.curves
                charts.append({"page": number, "chars": part.chars, "rects": part.rects, "lines": part.lines,
                               "curves": part.curves, "words": part.extract_words(x_tolerance=1.5),   # a space is 2.5 pt, drawn as a gap
                               "text": "".join(c["text"] for c in part.chars),
                               "top": min(o["top"] for o in objects), "bottom": max(o["bottom"] for o in objects),
                               "x0": min(o["x0"] for o in objects), "x1": max(o["x1"] for o in objects)})
    return charts


def struct_elements(path: Path) -> list[dict]:
    """The structure tree of a tagged PDF, depth first: each element's type (/S), depth, alt
    text, and the text of the marked content it holds (read with pdfplumber by page and MCID)."""
    import pdfplumber
    import pikepdf

    with pdfplumber.open(path) as plumb:
        by_mcid: dict[tuple[int, int], str] = {}
        for i, page in enumerate(plumb.pages):
            for c in page.chars:
                if c.get("mcid") is not None:
                    by_mcid[(i, c["mcid"])] = by_mcid.get((i, c["mcid"]), "") + c["text"]
    out: list[dict] = []
    with pikepdf.open(path) as pdf:
        pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}

        def walk(el, depth: int, page: int | None) -> str:
            if isinstance(el, int):
                return by_mcid.get((page, el), "") if page is not None else ""
            if not isinstance(el, pikepdf.Dictionary):
                return ""
            if el.get("/Type") == "/MCR":
                return by_mcid.get((pages[el.Pg.objgen], int(el.MCID)), "")
            if "/S" not in el:
                return ""
            here = pages.get(el.Pg.objgen, page) if "/Pg" in el else page
            entry = {"S": str(el.S), "depth": depth, "alt": str(el.Alt) if "/Alt" in el else None,
                     "page": here + 1 if here is not None else None}
            out.append(entry)
            kids = el.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
            entry["text"] = "".join(walk(k, depth + 1, here) for k in kids)
            return entry["text"]

        root = pdf.Root.StructTreeRoot.K
        for top in (list(root) if isinstance(root, pikepdf.Array) else [root]):
            walk(top, 0, None)
    return out

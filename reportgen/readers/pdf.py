"""A PDF with a text layer (pdfplumber): words → lines → paragraphs in reading order.

- The two-column header of an official document (issuer and number on the left, national
  motto and place-date on the right) is read column by column, not across.
- Running headers and footers (a line repeated at the top or bottom of most pages) and
  page numbers are dropped.
- Lines are joined into paragraphs: a paragraph breaks at a wider gap, a first-line indent,
  an enumerator ("1.", "a)", "-"), or after a short line that ends a sentence.
- A PDF without a text layer (a scan) is refused by name; with `--ocr` and tesseract's
  Vietnamese data installed it is read by OCR and marked so in the fact base.
"""

from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from . import MAX_PAGES, Meta, tidy

_ENUM = re.compile(r"^(?:\d{1,2}\.|\d{1,2}\)|[a-zđ]\)|[IVX]{1,5}\.|[-–•+])\s")
_PAGE_NUMBER = re.compile(r"^\W*(?:trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?\W*$", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.:;!?…\"”)]$")


@dataclass
class _Line:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    segments: list[tuple[float, float, str]]

    @property
    def text(self) -> str:
        return " ".join(s[2] for s in self.segments)


def _reader() -> str:
    from . import reader_name

    return reader_name("pdf")


def _lines(page, number: int) -> list[_Line]:  # type: ignore[no-untyped-def]
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2.5, keep_blank_chars=False, extra_attrs=["size"])
    words.sort(key=lambda w: (round(w["top"], 1), w["x0"]))
    rows: list[list[dict]] = []
    for w in words:
        if rows and abs(rows[-1][0]["top"] - w["top"]) <= max(2.5, 0.3 * w["size"]):
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        size = statistics.median(w["size"] for w in row)
        segments: list[list] = []
        for w in row:
            if segments and w["x0"] - segments[-1][1] <= max(12.0, 1.6 * size):
                segments[-1][1] = w["x1"]
                segments[-1][2] += " " + w["text"]
            else:
                segments.append([w["x0"], w["x1"], w["text"]])
        out.append(_Line(number, min(w["top"] for w in row), max(w["bottom"] for w in row),
                         row[0]["x0"], row[-1]["x1"], size, [tuple(s) for s in segments]))  # type: ignore[misc]
    return out


def _drop_running(pages: list[list[_Line]], heights: list[float]) -> list[list[_Line]]:
    """Lines in the top or bottom tenth that repeat on most pages, and page numbers."""
    def zone(line: _Line, h: float) -> bool:
        return line.top < 0.1 * h or line.bottom > 0.9 * h

    def key(line: _Line) -> tuple[str, int]:
        # the same words at the same height (a short line's numbers aside: "Trang 2/5"): a
        # running line, not body text
        text = line.text.lower().strip()
        return (re.sub(r"\d+", "#", text) if len(text) <= 60 else text), round(line.top / 3)

    counts: dict[tuple[str, int], int] = {}
    for lines, h in zip(pages, heights):
        for k in {key(ln) for ln in lines if zone(ln, h)}:
            counts[k] = counts.get(k, 0) + 1
    repeated = {k for k, n in counts.items() if len(pages) > 1 and n >= max(2, len(pages) // 2)}
    sizes = [ln.size for lines in pages for ln in lines]
    body = statistics.median(sizes) if sizes else 0.0
    out = []
    for lines, h in zip(pages, heights):
        # in the margins: a repeated line, a page number, or (a one-page document) small print
        out.append([ln for ln in lines if not (zone(ln, h) and (
            key(ln) in repeated or _PAGE_NUMBER.match(ln.text) or ln.size < 0.8 * body))])
    return out


def _header_columns(lines: list[_Line], height: float) -> tuple[list[str], list[_Line]]:
    """The two-column header at the top of the first page, read column by column."""
    boundary = None
    for ln in lines:
        if ln.top > 0.45 * height:
            break
        if len(ln.segments) >= 2:
            boundary = (ln.segments[0][1] + ln.segments[1][0]) / 2
            break
    if boundary is None:
        return [], lines
    left: list[str] = []
    right: list[str] = []
    used = 0
    for ln in lines:
        if ln.top > 0.45 * height:
            break
        sides = [(s[1] <= boundary + 2, s[0] >= boundary - 2) for s in ln.segments]
        if not all(lft or rgt for lft, rgt in sides):
            break                       # a line across the boundary: the header is over
        for (lft, _), seg in zip(sides, ln.segments):
            (left if lft else right).append(seg[2])
        used += 1
    if not left or not right:
        return [], lines
    return left + right, lines[used:]


def _paragraphs(lines: list[_Line]) -> list[str]:
    if not lines:
        return []
    xs = sorted(ln.x0 for ln in lines)
    margin = xs[len(xs) // 20]           # where continuation lines start (indents and centred lines are right of it)
    right = max(ln.x1 for ln in lines)
    width = max(right - margin, 1.0)
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if a.page == b.page and 0 <= b.top - a.bottom < 2 * a.size]
    leading = statistics.median(gaps) if gaps else 2.0
    paras: list[str] = []
    prev: _Line | None = None
    for ln in lines:
        text = ln.text
        new = prev is None
        if prev is not None:
            gap = ln.top - prev.bottom if ln.page == prev.page else None
            indent = ln.x0 > margin + 0.8 * ln.size
            short = (prev.x1 < right - 3 * prev.size and _ENDS_SENTENCE.search(prev.text) is not None) \
                or prev.x1 < margin + 0.7 * width      # a heading, a title line, a paragraph's last line
            new = (indent or _ENUM.match(text) is not None or short
                   or (gap is not None and gap > leading + 0.35 * ln.size)
                   or len(prev.segments) > 1 or len(ln.segments) > 1)
        if new or not paras:
            paras.append(text)
        elif paras[-1].endswith("-") and len(paras[-1]) > 1 and paras[-1][-2].isalpha() and text[:1].islower():
            paras[-1] = paras[-1][:-1] + text     # a word split at the line's end
        elif paras[-1].endswith("/"):
            paras[-1] += text                     # "học sinh/" + "sinh viên": broken after the slash
        else:
            paras[-1] += " " + text
        prev = ln
    return paras


def _ocr(path: Path, pages: int) -> str:
    if not shutil.which("tesseract") or not shutil.which("pdftoppm"):
        raise InputError(f"{path}: --ocr needs tesseract with its Vietnamese data and poppler "
                         "(apt-get install tesseract-ocr-vie poppler-utils).")
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    if "vie" not in langs.split():
        raise InputError(f"{path}: --ocr needs tesseract's Vietnamese data (apt-get install tesseract-ocr-vie).")
    per_page: list[list[str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(1, pages + 1):
            out: list[str] = []
            image = Path(tmp) / f"p{n}"
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", str(n), "-l", str(n), "-singlefile", "-png",
                            str(path), str(image)], check=True, capture_output=True, timeout=120)
            done = subprocess.run(["tesseract", str(image) + ".png", "-", "-l", "vie"], capture_output=True,
                                  text=True, timeout=300)
            block: list[str] = []
            for line in done.stdout.split("\n"):
                if line.strip():
                    block.append(line.strip())
                elif block:
                    out.append(" ".join(block))
                    block = []
            if block:
                out.append(" ".join(block))
            per_page.append(out)
    # A page's first or last line repeated on most pages, or a page number: running lines.
    ends = [re.sub(r"\d+", "#", x.lower()) for page in per_page for x in page[:1] + page[-1:]]
    repeated = {x for x in ends if pages > 1 and ends.count(x) >= max(2, pages // 2)}
    kept = []
    for page in per_page:
        for i, x in enumerate(page):
            edge = i == 0 or i == len(page) - 1
            if edge and (re.sub(r"\d+", "#", x.lower()) in repeated or _PAGE_NUMBER.match(x)):
                continue
            kept.append(x)
    return tidy(kept)


def read_pdf(path: Path, raw: bytes, ocr: bool = False) -> tuple[str, str, Meta, bool]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
        count = len(pdf.pages)
    except PDFPasswordIncorrect:
        raise InputError(f"{path}: the PDF is encrypted with a password; save an unprotected copy.") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a broken file
        name = type(exc).__name__
        causes = [exc, exc.__cause__, exc.__context__, *[a for a in exc.args if isinstance(a, BaseException)]]
        if any(c is not None and ("Encrypt" in type(c).__name__ or "Password" in type(c).__name__) for c in causes):
            raise InputError(f"{path}: the PDF is encrypted; save an unprotected copy.") from None
        raise InputError(f"{path}: the PDF is damaged and cannot be read ({name}).") from None
    with pdf:
        if count > MAX_PAGES:
            raise InputError(f"{path}: the PDF has {count} pages; documents over {MAX_PAGES} pages are refused.")
        if count == 0:
            raise InputError(f"{path}: the PDF has no pages.")
        title = str((pdf.metadata or {}).get("Title") or "").strip()
        try:
            pages = [_lines(page, n) for n, page in enumerate(pdf.pages)]
            heights = [float(page.height) for page in pdf.pages]
        except Exception as exc:  # noqa: BLE001
            raise InputError(f"{path}: the PDF is damaged and cannot be read ({type(exc).__name__}).") from None
    chars = sum(len(ln.text) for lines in pages for ln in lines)
    meta = Meta(title=title if title and not title.lower().startswith(("microsoft word", "untitled")) else None)
    if chars < 25 * count:
        if ocr:
            return _ocr(path, count), f"{_reader()} + ocr (tesseract vie)", meta, True
        raise InputError(f"{path}: the PDF has no text layer (a scan: its words are pictures), so nothing can be "
                         "quoted from it. Ask for the text version, or run with --ocr where tesseract-ocr-vie "
                         "is installed.")
    pages = _drop_running(pages, heights)
    header, first = _header_columns(pages[0], heights[0]) if pages else ([], [])
    body = first + [ln for lines in pages[1:] for ln in lines]
    return tidy(header + _paragraphs(body)), _reader(), meta, False

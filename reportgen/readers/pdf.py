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

from ..i18n import msg

import io
import re
import shutil
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..budget import allow_pages
from ..errors import InputError
from . import MAX_PAGES, Meta, tidy

_ENUM = re.compile(r"^(?:\d{1,2}\.|\d{1,2}\)|[a-zđ]\)|[IVX]{1,5}\.|[-–•+])\s")
_PAGE_NUMBER = re.compile(r"^[-–\s]*(?:trang\s*)?\d{1,3}(?:\s*(?:/|trên|of)\s*\d{1,3})?[-–\s]*$", re.IGNORECASE)
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
    words: list[tuple[float, float, str]]

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
                         row[0]["x0"], row[-1]["x1"], size, [tuple(s) for s in segments],  # type: ignore[misc]
                         [(w["x0"], w["x1"], w["text"]) for w in row]))
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
        # right at its top or bottom edge
        out.append([ln for ln in lines if not (zone(ln, h) and (
            key(ln) in repeated or _PAGE_NUMBER.match(ln.text)
            or (len(pages) == 1 and ln.size < 0.8 * body and (ln.top < 0.06 * h or ln.bottom > 0.94 * h))))])
    return out


def _columns(lines: list[_Line]) -> tuple[list[str], int]:
    """A block of two columns at the start of `lines` (an official text's header: issuer and
    number | national motto and place-date; its closing: recipients | signature), read
    column by column. Returns the block's lines and how many of `lines` it took."""
    gaps = []          # each line's widest gap between words
    for ln in lines[:12]:
        spaces = [(b[0] - a[1], a[1], b[0]) for a, b in zip(ln.words, ln.words[1:])]
        if spaces:
            width, start, end = max(spaces)
            if width >= 6:
                gaps.append((start, end))
    if len(gaps) < 2:
        return [], 0
    # the boundary: inside as many lines' gaps as possible (their common part's middle)
    best = max(gaps, key=lambda g: sum(1 for o in gaps if o[0] <= (g[0] + g[1]) / 2 <= o[1]))
    mid = (best[0] + best[1]) / 2
    covering = [g for g in gaps if g[0] <= mid <= g[1]]
    if len(covering) < 2:
        return [], 0
    boundary = (max(g[0] for g in covering) + min(g[1] for g in covering)) / 2
    left: list[str] = []
    right: list[str] = []
    used, both, prev = 0, 0, None
    pitch = statistics.median([b.top - a.top for a, b in zip(lines[:12], lines[1:13]) if b.top > a.top] or [20.0])
    for ln in lines:
        lefts = [w for w in ln.words if w[1] <= boundary + 1]
        rights = [w for w in ln.words if w[0] >= boundary - 1]
        if len(lefts) + len(rights) != len(ln.words):
            break                           # a word across the boundary: the block is over
        if lefts and rights:
            both += 1
        elif prev is not None and ln.top - prev.top > 1.8 * pitch:
            break                           # one side only, after a wider gap: the title, not the block
        if lefts:
            left.append(" ".join(w[2] for w in lefts))
        if rights:
            right.append(" ".join(w[2] for w in rights))
        used, prev = used + 1, ln
    if both < 2:
        return [], 0
    return _rejoin(left) + _rejoin(right), used


def _rejoin(lines: list[str]) -> list[str]:
    """A list item wrapped in its column ("- Các bộ, cơ quan thuộc" / "Chính phủ;") is one line."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].startswith(("- ", "+ ")) and not out[-1].endswith((";", ".", ":")) \
                and not line.startswith(("-", "+")):
            out[-1] += " " + line
        else:
            out.append(line)
    return out


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
        raise InputError(msg('pdf.ocr_needs_tesseract_with', "{path}: --ocr needs tesseract with its Vietnamese data and poppler (apt-get install tesseract-ocr-vie poppler-utils).", path=path))
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    if "vie" not in langs.split():
        raise InputError(msg('pdf.ocr_needs_tesseract_s', "{path}: --ocr needs tesseract's Vietnamese data (apt-get install tesseract-ocr-vie).", path=path))
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


def _pdf_date(value: object) -> str | None:
    """The day of a PDF date ("D:20250924194000+07'00"), as YYYY-MM-DD; None for anything else."""
    if isinstance(value, bytes):
        value = value.decode("latin-1", errors="ignore")
    m = re.match(r"\s*(?:D:)?(\d{4})(\d{2})(\d{2})", str(value or ""))
    if not m:
        return None
    from datetime import date

    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def read_pdf(path: Path, raw: bytes, ocr: bool = False) -> tuple[str, str, Meta, bool]:
    """Read a PDF. It runs in a worker bounded in memory and time (reportgen.budget): a small
    file whose streams unpack to gigabytes (a decompression bomb) is refused instead of
    taking the machine; its time is set from its pages once its page tree is read."""
    try:
        return _read_pdf(path, raw, ocr)
    except (InputError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a broken file
        raise InputError(msg('pdf.pdf_damaged_cannot_read', "{path}: the PDF is damaged and cannot be read ({name}).", path=path, name=type(exc).__name__)) from None


def _read_pdf(path: Path, raw: bytes, ocr: bool = False) -> tuple[str, str, Meta, bool]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(raw))
        count = len(pdf.pages)
    except PDFPasswordIncorrect:
        raise InputError(msg('pdf.pdf_encrypted_with_password', "{path}: the PDF is encrypted with a password; save an unprotected copy.", path=path)) from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a broken file
        name = type(exc).__name__
        causes = [exc, exc.__cause__, exc.__context__, *[a for a in exc.args if isinstance(a, BaseException)]]
        if any(c is not None and ("Encrypt" in type(c).__name__ or "Password" in type(c).__name__) for c in causes):
            raise InputError(msg('pdf.pdf_encrypted_save_unprotected', "{path}: the PDF is encrypted; save an unprotected copy.", path=path)) from None
        raise InputError(msg('pdf.pdf_damaged_cannot_read_2', "{path}: the PDF is damaged and cannot be read ({name}).", path=path, name=name)) from None
    with pdf:
        if count > MAX_PAGES:
            raise InputError(msg('pdf.pdf_has_pages_documents', "{path}: the PDF has {count} pages; documents over {MAX_PAGES} pages are refused.", path=path, count=count, MAX_PAGES=MAX_PAGES))
        if count == 0:
            raise InputError(msg('pdf.pdf_has_no_pages', "{path}: the PDF has no pages.", path=path))
        allow_pages(path, count, ocr)     # its time: from the pages its page tree holds, not from its bytes
        title = str((pdf.metadata or {}).get("Title") or "").strip()
        created = _pdf_date((pdf.metadata or {}).get("CreationDate"))
        try:
            pages = [_lines(page, n) for n, page in enumerate(pdf.pages)]
            heights = [float(page.height) for page in pdf.pages]
            # a page that is a picture with little text on it: a scan (maybe with a signature's stamp)
            scanned = sum(1 for page, lines in zip(pdf.pages, pages)
                          if sum(len(ln.text) for ln in lines) < 400 and sum(
                              (min(float(i["x1"]), float(page.width)) - max(float(i["x0"]), 0.0))
                              * (min(float(i["bottom"]), float(page.height)) - max(float(i["top"]), 0.0))
                              for i in page.images) > 0.5 * float(page.width) * float(page.height))
        except Exception as exc:  # noqa: BLE001
            raise InputError(msg('pdf.pdf_damaged_cannot_read_3', "{path}: the PDF is damaged and cannot be read ({name}).", path=path, name=type(exc).__name__)) from None
    chars = sum(len(ln.text) for lines in pages for ln in lines)
    meta = Meta(title=title if title and not title.lower().startswith(("microsoft word", "untitled")) else None,
                created=created)
    if chars < 25 * count or scanned * 2 >= count:
        if ocr:
            return _ocr(path, count), f"{_reader()} + ocr (tesseract vie)", meta, True
        raise InputError(msg('pdf.pdf_has_no_text', "{path}: the PDF has no text layer (a scan: its words are pictures), so nothing can be quoted from it. Ask for the text version, or run with --ocr where tesseract-ocr-vie is installed.", path=path))
    pages = _drop_running(pages, heights)
    top = [ln for ln in pages[0] if ln.top < 0.45 * heights[0]]
    header, taken = _columns(top)
    body = pages[0][taken:] + [ln for lines in pages[1:] for ln in lines]
    # After the closing "./.", the recipients and the signature stand side by side.
    end = next((i for i in range(len(body) - 1, -1, -1) if body[i].text.rstrip().endswith("./.")), None)
    closing: list[str] = []
    if end is not None:
        closing, taken = _columns(body[end + 1:])
        tail = body[end + 1 + taken:]
        body = body[: end + 1]
        return tidy(header + _paragraphs(body) + closing + _paragraphs(tail)), _reader(), meta, False
    return tidy(header + _paragraphs(body)), _reader(), meta, False

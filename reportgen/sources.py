"""Source documents: reading the files in seeds/ and telling what each one is.

A document is kept as its NFC text plus the span that carries content (without header
lines, website boilerplate after an official text's "./.", or bylines), and what can be
told about it: title, dates, the committee session it reports, outlet or issuer, and
whether it is the text of an official notice or a press report.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .errors import InputError
from .textnorm import fold, nfc

HEADER_KEYS = ("title", "date", "published", "source", "session", "kind")
_HEADER = re.compile(r"^[ \t]*(" + "|".join(HEADER_KEYS) + r")[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_DATE_LINE = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}(?:-\d{2})?)[ \t]+", re.IGNORECASE)
_STAMP_LINE = re.compile(r"^[ \t]*(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?[ \t]*$", re.MULTILINE)
_PART_OF_DAY = re.compile(r"(?<![a-z])(sang|chieu|toi|trua|dem|ngay)\s+(?:nay\s+)?\(?(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?(?!\d)")
_SESSION_NO = re.compile(r"phien hop (?:lan )?thu (\d{1,2})(?!\d)")
_NOTICE = re.compile(r"(?<![\w/])(\d{1,4}/TB-VPCP)(?![\w])")
_BYLINE = re.compile(r"^\s*(nguon|tin, anh|tin va anh|anh|bai, anh)\s*:\s*(.+?)\s*$")
_YEAR = re.compile(r"(?<![\d/.,-])(19\d\d|20\d\d)(?![\d/]|[.,]\d)")
# Contexts in which a year names a deadline or a plan rather than the time of writing.
_FUTURE_YEAR = re.compile(r"(den|het|cuoi|trong|muc tieu|phan dau|giai doan|nhiem vu trong tam|chu de[^.]*)\s+(?:het\s+|cuoi\s+)?nam\s*$")

MAX_BYTES = 5 * 1024 * 1024


@dataclass
class Document:
    id: str
    path: Path
    text: str
    sha256: str
    body_start: int = 0
    body_end: int = 0
    title: str | None = None
    published: str | None = None
    event_date: date | None = None
    event_date_quote: str | None = None
    event_date_inferred_year: bool = False
    session: int | None = None
    session_kind: str = "regular"  # or "year-end"
    kind: str = "press"  # or "official"
    notice: str | None = None
    notice_date: date | None = None
    issuer: str | None = None
    outlet: str | None = None
    author: str | None = None
    report_year: int | None = None
    overrides: dict[str, str] = field(default_factory=dict)

    @property
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]

    @property
    def rank(self) -> int:
        """Official text outranks press text when they disagree."""
        return 2 if self.kind == "official" else 1


def list_sources(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(f"{folder}: the seeds folder does not exist (use --seeds DIR).")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise InputError(f"{folder}: the seeds folder holds no documents.")
    return files


def read_source(path: Path) -> str:
    """The NFC text of one document, refusing what is not a UTF-8 text document."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: the document is {size // 1024} KiB; documents over "
                             f"{MAX_BYTES // 1024 // 1024} MiB are refused.")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read the document ({exc.strerror}).") from None
    if not raw.strip():
        raise InputError(f"{path}: the document is empty.")
    if b"\x00" in raw:
        raise InputError(f"{path}: the document is a binary file, not text.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: the document is not UTF-8 text "
                         f"(invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}).") from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise InputError(f"{path}: the document looks binary ({controls} control characters).")
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def load_document(path: Path) -> Document:
    text = read_source(path)
    doc = Document(id=path.name, path=path, text=text,
                   sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    _read_header(doc)
    _find_body_end(doc)
    _describe(doc)
    return doc


def load_documents(folder: Path, skipped: list[str] | None = None) -> list[Document]:
    docs = []
    for path in list_sources(folder):
        try:
            docs.append(load_document(path))
        except InputError as exc:
            if skipped is None:
                raise
            skipped.append(f"{path.name}: {exc.message.split(': ', 1)[-1]}")
    if not docs:
        raise InputError(f"{folder}: no usable document in the seeds folder.")
    return docs


def _read_header(doc: Document) -> None:
    """Leading `key: value` lines override inference; a ` date YYYY-MM …` line dates it."""
    pos = 0
    text = doc.text
    while True:
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end < 0 else line_end
        line = text[pos:line_end]
        m = _HEADER.match(line)
        if m and m.group(2):
            doc.overrides[m.group(1).lower()] = m.group(2)
            pos = line_end + 1
            continue
        if not line.strip() and pos < len(text) and doc.overrides:
            pos = line_end + 1
            continue
        break
    m = _DATE_LINE.match(text, pos)
    if m:
        doc.published = m.group(1)
        pos = m.end()
    doc.body_start = min(pos, len(text))
    doc.body_end = len(text)


def _find_body_end(doc: Document) -> None:
    """Cut website boilerplate after an official text's closing "./." and final bylines."""
    text = doc.text
    close = text.find("./.", doc.body_start)
    if close >= 0:
        doc.body_end = close + 3
        return
    end = len(text.rstrip())
    while end > doc.body_start:
        start = text.rfind("\n", doc.body_start, end) + 1
        line = text[start:end]
        folded = fold(line)
        m = _BYLINE.match(folded)
        if m:
            value = line[m.start(2): m.end(2)].strip()
            if m.group(1) == "nguon":
                doc.outlet = doc.outlet or value
            else:
                doc.author = doc.author or value
        elif _looks_like_name(line):
            doc.author = doc.author or line.strip()
        else:
            break
        end = max(start - 1, doc.body_start)
    doc.body_end = end


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.isalpha() for w in words)


def _describe(doc: Document) -> None:
    text, body = doc.text, doc.body
    folded_body = fold(body)
    first_line = body.strip().split("\n", 1)[0].strip()
    if "title" in doc.overrides:
        doc.title = doc.overrides["title"]
    elif first_line and not first_line.endswith((".", ":", "|")) and len(first_line) < 300 \
            and not _STAMP_LINE.match(first_line):
        doc.title = first_line
    stamp = _STAMP_LINE.search(body)
    if stamp and not doc.published:
        doc.published = stamp.group(1)
    if "published" in doc.overrides:
        doc.published = doc.overrides["published"]
    if "source" in doc.overrides:
        doc.outlet = doc.overrides["source"]

    m = _SESSION_NO.search(folded_body)
    if m:
        doc.session = int(m.group(1))
    head = fold(doc.title or "") + " " + folded_body[:600]
    if "tong ket" in head:
        doc.session_kind = "year-end"
        ym = re.search(r"tong ket[^.]*?nam (20\d\d)", head)
        if ym:
            doc.report_year = int(ym.group(1))
    if "session" in doc.overrides:
        doc.session = int(re.sub(r"\D", "", doc.overrides["session"]) or 0) or None

    notice = _NOTICE.search(body)
    if notice and "./." in body and "ket luan nhu sau" in folded_body:
        doc.kind = "official"
        doc.notice = notice.group(1)
        when = re.search(r"ngày (\d{1,2})/(\d{1,2})/(\d{4})", body[notice.end(): notice.end() + 80])
        if when:
            doc.notice_date = _safe_date(int(when.group(3)), int(when.group(2)), int(when.group(1)))
        if "van phong chinh phu" in fold(body[notice.end(): notice.end() + 60]):
            doc.issuer = "Văn phòng Chính phủ"
    if "kind" in doc.overrides:
        doc.kind = "official" if fold(doc.overrides["kind"]).startswith("official") else "press"
    _find_event_date(doc)


def _find_event_date(doc: Document) -> None:
    if "date" in doc.overrides:
        try:
            doc.event_date = date.fromisoformat(doc.overrides["date"][:10])
        except ValueError:
            raise InputError(f"{doc.path}:1: the header line 'date: {doc.overrides['date']}' is "
                             "not a date (write YYYY-MM-DD).") from None
        doc.event_date_quote = doc.overrides["date"]
        return
    body = doc.body
    folded = fold(body)
    # A full date in the sentence that says who chaired the session.
    for m in re.finditer(r"(?<![a-z])ngay (\d{1,2})/(\d{1,2})/(\d{4})", folded):
        sentence_end = folded.find(".", m.end())
        sentence = folded[m.start(): sentence_end if sentence_end > 0 else len(folded)]
        if "chu tri" in sentence or "phien hop" in sentence:
            doc.event_date = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            doc.event_date_quote = body[m.start(): m.end()]
            if doc.event_date:
                return
    m = _PART_OF_DAY.search(folded)
    if not m:
        return
    day, month = int(m.group(2)), int(m.group(3))
    year = int(m.group(4)) if m.group(4) else None
    if year is None:
        year = _year_of_writing(doc)
        doc.event_date_inferred_year = True
    if year:
        doc.event_date = _safe_date(year, month, day)
        doc.event_date_quote = body[m.start(): m.end()]


def _year_of_writing(doc: Document) -> int | None:
    """The year a report without one was written in.

    The publication date decides when there is one. Otherwise: the latest year the text
    mentions, leaving out years that name a deadline or a plan ("đến hết năm 2025") or a
    comparison ("so với năm 2023" speaks from 2024 at the earliest) — a report mentions the
    present year, but not later; and a year-end review of year Y is held after Y.
    """
    if doc.published:
        return int(doc.published[:4])
    folded = fold(doc.body)
    years = []
    for m in _YEAR.finditer(folded):
        before = folded[max(0, m.start() - 40): m.start()]
        if _FUTURE_YEAR.search(before):
            continue
        if re.search(r"so voi\s+(voi\s+)?(nam\s+)?$", before):
            years.append(int(m.group(1)) + 1)   # compared with an earlier year: written later
            continue
        years.append(int(m.group(1)))
    year = max(years) if years else None
    if doc.report_year and (year is None or year <= doc.report_year):
        # A review of year Y reports on a finished year: it is held in Y+1 at the earliest.
        year = doc.report_year + 1
    return year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None

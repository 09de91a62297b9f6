"""Source documents: reading the files in seeds/ and telling what each one is.

A document is kept as its NFC text plus the span that carries content (without header
lines, website boilerplate after an official text's "./.", or bylines), and what can be
told about it: title, dates, the committee session it reports, outlet or issuer, and
whether it is the text of an official notice or a press report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

from .errors import InputError
from .extract.dates import day as day_of
from .textnorm import fold

if TYPE_CHECKING:
    from .registry import Registry

HEADER_KEYS = ("title", "date", "published", "source", "session", "kind", "province", "body")
_HEADER = re.compile(r"^[ \t]*(" + "|".join(HEADER_KEYS) + r")[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_DATE_LINE = re.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}(?:-\d{2})?)[ \t]+", re.IGNORECASE)
_STAMP_LINE = re.compile(r"^[ \t]*(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?[ \t]*$", re.MULTILINE)
_PART_OF_DAY = re.compile(r"(?<![a-z])(sang|chieu|toi|trua|dem|ngay)\s+(?:nay\s+)?\(?(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?(?!\d)")
_ORDINALS = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
             "muoi mot": 11, "muoi hai": 12, "muoi ba": 13, "muoi bon": 14, "muoi lam": 15}
_SESSION_NO = re.compile(r"(?:phien hop|hoi nghi)\s+(?:lan\s+)?thu\s+(\d{1,2}|muoi (?:mot|hai|ba|bon|lam)|nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi)(?![\w])")
_DOC_NUMBER = re.compile(r"(?<![\w/])(\d{1,5}(?:/\d{4})?/([A-ZĐ]{1,6}(?:-[A-Za-zĐđ]{1,8}){1,2}))(?![\w-])")
NUMBER_LINE = re.compile(r"^\s*(?:So|So hieu)\s*:\s*(\d{1,5}(?:/\d{4})?/[a-zđ0-9-]+)", re.IGNORECASE | re.MULTILINE)
_PLACE_DATE = re.compile(r"^[^\n,]{2,40},\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})", re.MULTILINE)
_STAMP_DMY = re.compile(r"^[ \t]*(?:[^\n\d]{0,20}?,\s*)?(\d{1,2})/(\d{1,2})/(\d{4})(?:\s*[-|,]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*\(?gmt\+7\)?)?)?(?:\s+\d{1,7})?[ \t]*$", re.MULTILINE)
_LOCAL_ISSUER = re.compile(r"^\s*(?:uy ban nhan dan|ubnd)\s+(?:tinh|thanh pho)\s+(.+?)\s*$", re.MULTILINE)
_BYLINE = re.compile(r"^\s*(nguon|tin, anh|tin va anh|anh|bai, anh)\s*:\s*(.+?)\s*$")
_BYLINE_OUTLET = re.compile(r"^([A-ZĐ][^\s()]*(?:\s+[A-ZĐ][^\s()]*){1,3})\s*\(([^()\n]{2,40})\)$")
# The outlet's tag that opens a press report: "(Chinhphu.vn) - Chiều 24/9, …", "(BKT) - …"
_LEAD_TAG = re.compile(r"^\s*\(([^()\n]{2,30})\)\s*[-–—]\s+", re.MULTILINE)
_SPACE_RUN = re.compile(r"\s*")
_YEAR = re.compile(r"(?<![\d/.,-])(19\d\d|20\d\d)(?![\d/]|[.,]\d)")
# Contexts in which a year names a deadline or a plan rather than the time of writing.
_FUTURE_YEAR = re.compile(r"(den|het|cuoi|trong|muc tieu|phan dau|giai doan|nhiem vu trong tam|chu de[^.]*)\s+(?:het\s+|cuoi\s+)?nam\s*$")



@dataclass
class Document:
    id: str
    path: Path
    text: str
    sha256: str                        # of the file's bytes
    reader: str = "text"               # what read it ("pdf (pdfplumber 0.11.10)")
    ocr: bool = False
    url: str | None = None
    body_start: int = 0
    body_end: int = 0
    title: str | None = None
    published: str | None = None
    event_date: date | None = None
    event_date_quote: str | None = None
    event_date_inferred_year: bool = False
    session: int | None = None         # the number of the event it reports
    session_quote: str | None = None
    event_kind: str | None = None      # registry event kind; None: it reports no event
    held_by: str | None = None         # registry body that held the event
    held_by_quote: str | None = None
    kind: str = "press"                # registry document kind
    official: bool = False
    notice: str | None = None          # the document's own number ("180/CĐ-TTg")
    notice_date: date | None = None    # the date it was issued
    issuer: str | None = None
    province: str | None = None        # the province it speaks for, if any
    province_quote: str | None = None
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
        return 2 if self.official else 1

    @property
    def speaks_on(self) -> date | None:
        """The day its figures and deadlines speak from: the event it reports, else its issue
        or publication date."""
        return self.event_date or self.notice_date or day_of(self.published)


def list_sources(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise InputError(f"{folder}: the seeds folder does not exist (use --seeds DIR).")
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    root = folder.resolve()
    for p in files:
        if root not in p.resolve().parents:
            raise InputError(f"{p}: a link to a file outside the seeds folder; copy the document in instead.")
    if not files:
        raise InputError(f"{folder}: the seeds folder holds no documents.")
    return files


def read_source(path: Path) -> str:
    """The NFC text of one document in any format the readers take (see reportgen.readers)."""
    from .readers import read

    return read(path).text


def load_document(path: Path, registry: "Registry", ocr: bool = False, cache: Path | None = None) -> Document:
    """One document read and described, within its budget of time and memory (reportgen.budget)."""
    from .budget import bounded

    return bounded(path, _load_document, path, registry, ocr, cache)


def _load_document(path: Path, registry: "Registry", ocr: bool = False, cache: Path | None = None) -> Document:
    from .budget import allow_finding
    from .readers import read
    from .textnorm import plain

    reading = read(path, ocr, cache)
    allow_finding(path, len(reading.text))    # from here on, its time is that of its text
    doc = Document(id=path.name, path=path, text=reading.text, sha256=reading.sha256, reader=reading.reader,
                   ocr=reading.ocr, url=reading.meta.url)
    _read_header(doc)
    _find_body_end(doc)
    # What the file itself says (a page's date and site, a Word file's creation date) serves
    # where the text says nothing; header lines and the text's own words come first.
    doc.outlet = doc.outlet or reading.meta.outlet
    doc.published = doc.published or reading.meta.published
    _describe(doc, registry)
    doc.title = doc.title or reading.meta.title
    if doc.speaks_on is None and not doc.published and reading.meta.created:
        doc.published = reading.meta.created    # a Word file's creation date, where nothing else dates it
    if doc.published:   # a day or a month, as the fact base writes it; a stamp that names no real day is none
        doc.published = (doc.published[:10] if len(doc.published) >= 10 else doc.published[:7]) \
            if day_of(doc.published) else None
    # What describes it is shown and printed: no control characters (a terminal's escape
    # sequences in a title), whatever the text holds. Quotes stay verbatim.
    doc.title, doc.outlet, doc.author, doc.issuer, doc.url = (plain(x) for x in (doc.title, doc.outlet, doc.author,
                                                                                doc.issuer, doc.url))
    return doc


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
        elif _BYLINE_OUTLET.match(line.strip()):
            m2 = _BYLINE_OUTLET.match(line.strip())
            doc.author = doc.author or m2.group(1)      # "Hùng Võ (TTXVN/Vietnam+)"
            doc.outlet = doc.outlet or m2.group(2)
        elif _looks_like_name(line):
            doc.author = doc.author or line.strip()
        else:
            break
        end = max(start - 1, doc.body_start)
    doc.body_end = end


def _looks_like_name(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() and w.isalpha() for w in words)


def _describe(doc: Document, registry: "Registry") -> None:
    body = doc.body
    folded_body = fold(body)
    first_line = body.strip().split("\n", 1)[0].strip()
    if "title" in doc.overrides:
        doc.title = doc.overrides["title"]
    elif first_line and not first_line.endswith((".", ":", "|")) and len(first_line) < 300 \
            and not _STAMP_LINE.match(first_line) and not _STAMP_DMY.match(fold(first_line)):
        doc.title = first_line
    stamp = _STAMP_LINE.search(body)
    if stamp and not doc.published:
        doc.published = stamp.group(1)
    if not doc.published:
        dmy = _STAMP_DMY.search(folded_body[:3000])
        if dmy and _safe_date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1))):
            doc.published = _safe_date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1))).isoformat()  # type: ignore[union-attr]
    if "published" in doc.overrides:
        doc.published = doc.overrides["published"]
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", doc.published) or day_of(doc.published) is None:
            raise InputError(f"{doc.path}:{_header_line(doc, 'published')}: the header line 'published: "
                             f"{doc.published}' is not a date (write YYYY-MM-DD or YYYY-MM).")
    if "source" in doc.overrides:
        doc.outlet = doc.overrides["source"]
    tag = _LEAD_TAG.search(body[:1500])
    if tag and not doc.outlet:
        doc.outlet = tag.group(1).strip()

    _kind(doc, registry)
    if doc.official:
        _official_header(doc, registry)
    kind = registry.kind[doc.kind]
    if kind.event:
        _event(doc, registry)
    if "session" in doc.overrides:
        written = fold(doc.overrides["session"]).strip()
        number = int(written) if written.isdigit() else _ORDINALS.get(written)
        if not number:
            raise InputError(f"{doc.path}:{_header_line(doc, 'session')}: the header line 'session: "
                             f"{doc.overrides['session']}' is not a session number (write 4, or bốn).")
        doc.session, doc.session_quote = number, None
    if "date" in doc.overrides and not kind.event:
        doc.notice_date = _override_date(doc)   # a dispatch's or a plan's own date
    if "body" in doc.overrides:
        wanted = fold(doc.overrides["body"])
        found = next((b for b in registry.bodies if fold(b.id) == wanted or fold(b.name) == wanted), None)
        if found is None:
            raise InputError(f"{doc.path}:1: the header line 'body: {doc.overrides['body']}' names no body of "
                             "the registry (facts/registry.yaml).")
        doc.held_by, doc.held_by_quote = found.id, None
    _home_province(doc, registry)
    if kind.event:
        _find_event_date(doc)


def _kind(doc: Document, registry: "Registry") -> None:
    """What the document is: the first registry kind whose signs it shows, else press."""
    if "kind" in doc.overrides:
        wanted = fold(doc.overrides["kind"])
        wanted = {"official": "notice"}.get(wanted, wanted)
        if wanted not in registry.kind:
            raise InputError(f"{doc.path}:1: the header line 'kind: {doc.overrides['kind']}' is not a document "
                             f"kind of the registry ({', '.join(registry.kind)}).")
        doc.kind = wanted
        doc.official = registry.kind[wanted].official
        symbols = {fold(sym) for sym in registry.kind[wanted].symbols}
        number_line = NUMBER_LINE.search(fold(doc.body[:1500]))
        if number_line is not None:
            doc.notice = doc.body[number_line.start(1): number_line.end(1)]
        else:
            cited = next((m for m in _DOC_NUMBER.finditer(doc.body) if fold(m.group(2)) in symbols), None)
            doc.notice = cited.group(1) if cited else None
        return
    body = doc.body
    top = body[:1500]
    top_lines = [fold(line.strip()) for line in top.split("\n")[:30] if line.strip()]
    number_line = NUMBER_LINE.search(fold(top))
    folded_body = fold(body)
    closes = body.rstrip().endswith("./.")
    for kind in registry.document_kinds:
        if not kind.official:
            continue
        symbols = [fold(sym) for sym in kind.symbols]
        headed = any(line == fold(h) or line.startswith(fold(h) + " ") and not line.endswith(".")
                     for h in kind.headings for line in top_lines)
        numbered = number_line is not None and any(number_line.group(1).endswith("/" + sym) for sym in symbols)
        cited = None
        if closes and kind.phrases and any(fold(p) in folded_body for p in kind.phrases):
            cited = next((m for m in _DOC_NUMBER.finditer(body) if fold(m.group(2)) in symbols), None)
        if not (numbered or (headed and (number_line or closes)) or cited):
            continue
        doc.kind, doc.official = kind.id, True
        if number_line is not None:
            doc.notice = body[number_line.start(1): number_line.end(1)]
        elif cited is not None:
            doc.notice = cited.group(1)
            when = re.search(r"ngày (\d{1,2})/(\d{1,2})/(\d{4})", body[cited.end(): cited.end() + 80])
            if when:
                doc.notice_date = _safe_date(int(when.group(3)), int(when.group(2)), int(when.group(1)))
            after = fold(body[cited.end(): cited.end() + 60])
            m = re.search(r"cua (van phong chinh phu|thu tuong chinh phu|ban chi dao)", after)
            if m:
                from .provinces import sentence_case

                doc.issuer = sentence_case(body[cited.end() + m.start(1): cited.end() + m.end(1)])
        return
    doc.kind, doc.official = "press", False


def _official_header(doc: Document, registry: "Registry") -> None:
    """Issuer and date of an official text from its header block."""
    from .provinces import sentence_case

    body = doc.body
    top = body[:1500]
    folded_top = fold(top)
    m = _PLACE_DATE.search(folded_top)
    if m and doc.notice_date is None:
        doc.notice_date = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    lines = [line.strip() for line in top.split("\n")]
    if doc.issuer is None:
        issuer: list[str] = []
        for line in lines[:8]:
            if line and line.upper() == line and any(c.isalpha() for c in line) \
                    and not fold(line).startswith(("cong hoa", "doc lap", "so:", "so ")):
                issuer.append(line.rstrip("|- ").strip())
            elif issuer or line:
                break
        if issuer:
            doc.issuer = sentence_case(" ".join(issuer))
    # The title: the summary line(s) under the kind's heading ("CÔNG ĐIỆN" / "Về việc …").
    if "title" not in doc.overrides:
        for i, line in enumerate(lines[:40]):
            if line and line.upper() == line and fold(line) in {fold(h) for k in registry.document_kinds for h in k.headings}:
                summary = []
                for nxt in lines[i + 1: i + 5]:
                    if not nxt or nxt.endswith((".", ":", ";")) or nxt.startswith(("-", "Kính gửi")) \
                            or (nxt.upper() == nxt and summary) or len(nxt) > 250 or len(summary) >= 3 \
                            or re.match(r"(Ngày|Sáng|Chiều|Căn cứ|Thực hiện|Năm|Thời gian)\s", nxt):
                        break
                    summary.append(nxt)
                if summary:
                    doc.title = " ".join(summary)
                break


def _event(doc: Document, registry: "Registry") -> None:
    """Which body held the event the document reports, what kind of event and its number."""
    folded = fold(doc.body)
    head = fold(doc.title or "") + "\n" + folded[:1500]
    event_at = None
    for kind, rx in registry.event_patterns:
        m = rx.search(head)
        if m:
            doc.event_kind = kind.id
            event_at = m.start()
            break
    if doc.event_kind is None:
        return
    # The body: the one named right after the event's words, else the first one the opening names.
    hits = sorted((m.start(), b.id, m) for b, rx in registry.body_patterns for m in rx.finditer(head))
    after = [h for h in hits if event_at is not None and 0 <= h[0] - event_at <= 160]
    chosen = after[0] if after else (hits[0] if hits else None)
    offset = len(fold(doc.title or "")) + 1

    def verbatim(start: int, end: int) -> str | None:
        """The words at head[start:end] as the document writes them; a title put together from
        several lines (an official text's summary) is not quoted."""
        if start >= offset:
            return doc.text[doc.body_start + start - offset: doc.body_start + end - offset]
        words = (doc.title or "")[start: end]
        return words if words and words in doc.text else None

    if chosen:
        doc.held_by = chosen[1]
        doc.held_by_quote = verbatim(chosen[0], chosen[2].end())
    m = _SESSION_NO.search(head)
    if m:
        word = m.group(1)
        doc.session = int(word) if word.isdigit() else _ORDINALS.get(word)
        doc.session_quote = verbatim(m.start(), m.end())
    ym = re.search(r"tong ket[^.]*?nam (20\d\d)", head)
    if ym and doc.event_kind != "session":
        doc.report_year = int(ym.group(1))


def _home_province(doc: Document, registry: "Registry") -> None:
    """The province a document speaks for: named on its header line, its issuer (a
    provincial People's Committee), its outlet (a provincial portal or newspaper), or its
    title when that names one province."""
    from .provinces import find_names, known_name, province_of_dateline, province_of_outlet

    if "province" in doc.overrides:
        name = known_name(doc.overrides["province"])
        if name is None:
            raise InputError(f"{doc.path}:1: the header line 'province: {doc.overrides['province']}' names no "
                             "province.")
        doc.province, doc.province_quote = name, None
        return
    top = doc.body[:800]
    m = _LOCAL_ISSUER.search(fold(top))
    if m and doc.official:
        names = find_names(top[m.start(): m.end()])
        if names:
            doc.province, doc.province_quote = names[0][2], top[m.start(): m.end()].strip()
            return
    if doc.official and doc.notice and doc.notice.upper().endswith("-UBND"):
        # a People's Committee's document whose issuer line a web page split: its dateline
        dated = province_of_dateline(doc.body[:1500])
        if dated:
            doc.province, doc.province_quote = dated
            return
    extra = {fold(n): o.province for o in registry.outlets for n in o.names}
    if doc.outlet:
        name = province_of_outlet(doc.outlet, extra)
        if name:
            doc.province, doc.province_quote = name, doc.outlet
            return
    if doc.title and not doc.official:
        names = {n for _, _, n in find_names(doc.title)}
        if len(names) == 1:
            doc.province, doc.province_quote = names.pop(), doc.title


def _header_line(doc: Document, key: str) -> int:
    for n, line in enumerate(doc.text.split("\n")[:20], start=1):
        if re.match(rf"\s*{key}\s*:", line):
            return n
    return 1


def _override_date(doc: Document) -> date:
    try:
        return date.fromisoformat(doc.overrides["date"][:10])
    except ValueError:
        raise InputError(f"{doc.path}:{_header_line(doc, 'date')}: the header line 'date: {doc.overrides['date']}' "
                         "is not a date (write YYYY-MM-DD).") from None


def _find_event_date(doc: Document) -> None:
    if "date" in doc.overrides:
        doc.event_date = _override_date(doc)
        doc.event_date_quote = doc.overrides["date"]
        return
    from bisect import bisect_left

    body = doc.body
    folded = fold(body)
    # Where lines start, full stops and the words of a session stand: looked up for each
    # date, not searched from it (that was quadratic in the dates of a long line).
    breaks = [m.start() for m in re.finditer("\n", folded)]
    stops = [m.start() for m in re.finditer(r"\.", folded)]
    words = {w: [m.start() for m in re.finditer(w, folded)] for w in ("chu tri", "phien hop", "hoi nghi")}
    # A full date in the sentence that says who chaired the session.
    for m in re.finditer(r"(?<![a-z])ngay (\d{1,2})(?:/|\s+thang\s+)(\d{1,2})(?:/|\s+nam\s+)(\d{4})", folded):
        k = bisect_left(breaks, m.start())
        line_start = breaks[k - 1] + 1 if k else 0
        comma = folded.find(",", line_start, min(m.start(), line_start + 41))
        if comma - line_start >= 2 and _SPACE_RUN.match(folded, comma + 1).end() == m.start():
            continue   # "Hà Nội, ngày 10 tháng 10 năm 2025": the date the text was issued
        k = bisect_left(stops, m.end())
        sentence_end = stops[k] if k < len(stops) else len(folded)
        if any(k < len(at) and at[k] + len(w) <= sentence_end
               for w, at in words.items() for k in [bisect_left(at, m.start())]):   # the words in its sentence
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

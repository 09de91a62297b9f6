"""Source documents: reading the files in seeds/ and telling what each one is.

A document is kept as its NFC text plus the span that carries content (without header
lines, website boilerplate after an official text's "./.", or bylines), and what can be
told about it: title, dates, the committee session it reports, outlet or issuer, and
whether it is the text of an official notice or a press report.
"""

from __future__ import annotations

from . import patterns
from .i18n import Message, msg

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from typing import TYPE_CHECKING

from .errors import InputError
from .extract.dates import day as day_of
from .textnorm import fold, fold_part

if TYPE_CHECKING:
    from .registry import Registry

HEADER_KEYS = ("title", "date", "published", "source", "session", "kind", "province", "body")
_HEADER = patterns.compile(r"^[ \t]*(" + "|".join(HEADER_KEYS) + r")[ \t]*:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_DATE_LINE = patterns.compile(r"^[ \t]*date[ \t]+(\d{4}-\d{2}(?:-\d{2})?)[ \t]+", re.IGNORECASE)
_STAMP_LINE = patterns.compile(r"^[ \t]*(\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?[ \t]*$", re.MULTILINE)
_PART_OF_DAY = patterns.compile(r"(?<![a-z])(sang|chieu|toi|trua|dem|ngay)\s+(?:nay\s+)?\(?(\d{1,2})[/.](\d{1,2})(?:[/.](\d{4}))?(?!\d)")
_ORDINALS = {"nhat": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9, "muoi": 10,
             "muoi mot": 11, "muoi hai": 12, "muoi ba": 13, "muoi bon": 14, "muoi lam": 15}
# The number of a session: "Phiên họp lần thứ 4", "Phiên họp trực tuyến lần thứ nhất", "họp
# phiên thứ 6", "Phiên họp thứ mười", "Phiên họp lần thứ IV", and the year it counts in where
# the numbers start again each year ("Phiên họp lần thứ nhất năm 2026").
_SESSION_NO = patterns.compile(r"(?<![a-z])(?:phien hop|hoi nghi|hop phien|phien)\s+(?:(?:truc tuyen|thuong ky|chuyen de|"
                         r"mo rong|toan the)\s+)?(?:lan\s+)?thu\s+(\d{1,2}|[ivx]{1,5}|muoi (?:mot|hai|ba|bon|lam)|"
                         r"nhat|hai|ba|tu|nam|sau|bay|tam|chin|muoi)(?![\w])(?:\s+nam\s+(20\d\d)(?!\d))?")
# A document's number and its symbol: "180/CĐ-TTg" (the State's), "17-TB/CQTTBCĐ" (the Party's: the
# kind before the issuer's symbol), the symbol in group "sym".
_DOC_NUMBER = patterns.compile(r"(?<![\w/])(\d{1,5}(?:(?:/\d{4})?/(?P<sym>[A-ZĐ]{1,6}(?:-[A-Za-zĐđ]{1,8}){1,2})"
                               r"|-(?P<party>[A-ZĐ]{1,6}/[A-ZĐ]{1,12})))(?![\w-])")
NUMBER_LINE = patterns.compile(r"^\s*(?:So|So hieu)\s*:?\s*(\d{1,5}(?:/\d{4})?/[a-zđ0-9-]+|\d{1,5}-[a-zđ]{1,6}/[a-zđ0-9]+)",
                               re.IGNORECASE | re.MULTILINE)


_REPRODUCES = patterns.compile(r"(?<![a-z])noi dung (?:cua )?(?:thong bao|ket luan|chi thi|cong dien|quyet dinh)"
                               r"[^.:\n]{0,60}\bnhu sau\s*:")


def _symbol(m: re.Match[str]) -> str:
    """The symbol of a number _DOC_NUMBER found ("CĐ-TTg", "TB/CQTTBCĐ"), folded."""
    return fold(m.group("sym") or m.group("party"))
_PLACE_DATE = patterns.compile(r"^[^\n,]{2,40},\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})", re.MULTILINE)
_STAMP_DMY = patterns.compile(r"^[ \t]*(?:[^\n\d]{0,20}?,\s*)?(\d{1,2})/(\d{1,2})/(\d{4})(?:\s*(?:[-|,]|luc)?\s*\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*\(?gmt\+7\)?)?)?(?:\s+\d{1,7})?[ \t]*$", re.MULTILINE)
# A page's date line in words under its title: "Ngày 30 tháng 11 năm 2021", "Thứ Ba, ngày 5 tháng 3 năm 2026"
# (a line of its own: an official text's "Hà Nội, ngày …" is its notice date, read elsewhere)
_STAMP_WORDS = patterns.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})[ \t]*$", re.MULTILINE)
_STAMP_WORDS_LEAD = re.compile(r"[ \t]*(?:(?:thu (?:hai|ba|tu|nam|sau|bay)|chu nhat),?\s*)?")


def _stamp_in_words(folded: str) -> "re.Match[str] | None":
    """The first line that is only a date in words (folded), or None. (The date is searched
    first, then what stands before it on its line: a search anchored at every line's start
    tried every position of the text.)"""
    for m in _STAMP_WORDS.finditer(folded):
        line = folded.rfind("\n", 0, m.start()) + 1
        if _STAMP_WORDS_LEAD.fullmatch(folded, line, m.start()):
            return m
    return None
_LOCAL_ISSUER = patterns.compile(r"^\s*(?:uy ban nhan dan|ubnd)\s+(?:tinh|thanh pho)\s+(.+?)\s*$", re.MULTILINE)
_BYLINE = patterns.compile(r"^\s*(nguon|tin, anh|tin va anh|anh|bai, anh)\s*:\s*(.+?)\s*$")
_BYLINE_OUTLET = patterns.compile(r"^([A-ZĐ][^\s()]*(?:\s+[A-ZĐ][^\s()]*){1,3})\s*\(([^()\n]{2,40})\)$")
# The outlet's tag that opens a press report: "(Chinhphu.vn) - Chiều 24/9, …", "(BKT) - …"
_LEAD_TAG = patterns.compile(r"^\s*\(([^()\n]{2,30})\)\s*[-–—]\s+", re.MULTILINE)
_SPACE_RUN = patterns.compile(r"\s*")
_YEAR = patterns.compile(r"(?<![\d/.,-])(19\d\d|20\d\d)(?![\d/]|[.,]\d)")
# Contexts in which a year names a deadline or a plan rather than the time of writing.
_FUTURE_YEAR = patterns.compile(r"(den|het|cuoi|trong|muc tieu|phan dau|giai doan|nhiem vu trong tam|chu de[^.]*)\s+(?:het\s+|cuoi\s+)?nam\s*$")
# The end of a period ("giai đoạn 2026 - 2030"), which is ahead of the time of writing too.
_PERIOD_END = patterns.compile(r"(?<![\d/.,])(?:19|20)\d\d\s*[-–—]\s*$")



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
    def folded_body(self) -> str:
        """fold(self.body), cut from the whole text's fold (kept for the texts seen last)."""
        return fold_part(self.text, self.body_start, self.body_end)

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
        raise InputError(msg('sources.seeds_folder_does_not', "{folder}: the seeds folder does not exist (use --seeds DIR).", folder=folder))
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    root = folder.resolve()
    for p in files:
        if root not in p.resolve().parents:
            raise InputError(msg('sources.link_file_outside_seeds', "{p}: a link to a file outside the seeds folder; copy the document in instead.", p=p))
        _check_name(p)
    if not files:
        raise InputError(msg('sources.seeds_folder_holds_no', "{folder}: the seeds folder holds no documents.", folder=folder))
    return files


def not_documents(folder: Path) -> list[Message]:
    """What the seeds folder holds besides documents, which `list_sources` passes over — a
    folder, a link that leads nowhere, a pipe or a device — each said by name (hidden files,
    such as a desktop's .DS_Store, are passed over unsaid)."""
    out: list[Message] = []
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return out
    from .textnorm import shown_name

    for p in entries:
        if p.name.startswith(".") or p.is_file():
            continue
        shown = folder / shown_name(p.name)
        if p.is_dir():
            out.append(msg("sources.left_out_folder", "{path}: a folder; documents in sub-folders are not read.", path=shown))
        elif p.is_symlink() and not p.exists():
            out.append(msg("sources.left_out_broken_link", "{path}: a link that leads to no file; left out.", path=shown))
        else:
            out.append(msg("sources.left_out_not_file", "{path}: not a file (a pipe or a device); left out.", path=shown))
    return out


def _check_name(path: Path) -> None:
    """A document's name is its id in the fact base, which holds NFC text: a name whose bytes
    are not UTF-8, or whose letters are written with separate marks (NFD: a Mac, some zip
    programs), is refused by name, with the way out (`facts add` gives a clean name)."""
    from .textnorm import is_nfc, shown_name

    name = path.name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        shown = path.parent / shown_name(name)
        raise InputError(msg("sources.name_not_utf8", "{path}: the file's name is not UTF-8 text (it was probably unpacked "
                             "from an archive made on another system); rename it, or add the document with `reportgen "
                             "facts add`, which gives it a clean name.", path=shown)) from None
    if not is_nfc(name):
        raise InputError(msg("sources.name_not_nfc", "{path}: the file's name writes its Vietnamese letters with separate "
                             "accent marks (Unicode NFD, as a Mac or some zip programs do); rename it, or add the "
                             "document with `reportgen facts add`, which gives it a clean name.", path=path))


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
    _describe(doc, registry, reading.meta.created)
    doc.title = doc.title or reading.meta.title
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


def _describe(doc: Document, registry: "Registry", created: str | None = None) -> None:
    """What the document is. `created`: the date the file says it was made (a Word file's
    core properties, a PDF's information), taken as its publication date where neither its
    header, its markup nor its text dates it, and only if the text does not name a later
    year as past (a Word template's date of 2013 under a text about 2025 is not when it was
    written)."""
    body = doc.body
    folded_body = doc.folded_body
    first_line = body.strip().split("\n", 1)[0].strip()
    if "title" in doc.overrides:
        doc.title = doc.overrides["title"]
    elif first_line and not first_line.endswith((".", ":", "|")) and len(first_line) < 300 \
            and not _STAMP_LINE.match(first_line) and not _STAMP_DMY.match(fold(first_line)) \
            and not _stamp_in_words(fold(first_line)):
        doc.title = first_line
    stamp = _STAMP_LINE.search(body)
    if stamp and not doc.published:
        doc.published = stamp.group(1)
    for find_stamp in (_STAMP_DMY.search, _stamp_in_words):
        if doc.published:
            break
        dmy = find_stamp(folded_body[:3000])
        day = _safe_date(int(dmy.group(3)), int(dmy.group(2)), int(dmy.group(1))) if dmy else None
        if day:
            doc.published = day.isoformat()
    if "published" in doc.overrides:
        doc.published = doc.overrides["published"]
        if not re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", doc.published) or day_of(doc.published) is None:
            raise InputError(msg('sources.header_line_published_not', "{path}:{header_line}: the header line 'published: {published}' is not a date (write YYYY-MM-DD or YYYY-MM).", path=doc.path, header_line=_header_line(doc, 'published'), published=doc.published))
    if "source" in doc.overrides:
        doc.outlet = doc.overrides["source"]
    tag = _LEAD_TAG.search(body[:1500])
    if tag and not doc.outlet:
        doc.outlet = tag.group(1).strip()

    _kind(doc, registry)
    if "date" in doc.overrides:
        # The document's own date: an official text's issue date, a page's publication date
        # (a `published:` line says the latter too) — never the day of the event it reports.
        if doc.official:
            doc.notice_date = _override_date(doc)
        elif "published" not in doc.overrides:
            doc.published = _override_date(doc).isoformat()
    if doc.official:
        _official_header(doc, registry)
    if not doc.published and created and day_of(created) and _plausible(doc, day_of(created)):  # type: ignore[arg-type]
        doc.published = created
    kind = registry.kind[doc.kind]
    if kind.event:
        _event(doc, registry)
    said = (doc.session, doc.held_by)      # as the text says them, before a header line overrides them
    if "session" in doc.overrides:
        written = fold(doc.overrides["session"]).strip()
        number = int(written) if written.isdigit() else _ORDINALS.get(written)
        if not number:
            raise InputError(msg('sources.header_line_session_not', "{path}:{header_line}: the header line 'session: {value}' is not a session number (write 4, or bốn).", path=doc.path, header_line=_header_line(doc, 'session'), value=doc.overrides['session']))
        doc.session, doc.session_quote = number, None
    if "body" in doc.overrides:
        wanted = fold(doc.overrides["body"])
        found = next((b for b in registry.bodies if fold(b.id) == wanted or fold(b.name) == wanted), None)
        if found is None:
            raise InputError(msg('sources.header_line_body_names', "{path}:1: the header line 'body: {value}' names no body of the registry (facts/registry.yaml).", path=doc.path, value=doc.overrides['body']))
        doc.held_by, doc.held_by_quote = found.id, None
    _home_province(doc, registry)
    if kind.event:
        _find_event_date(doc, registry, *said)


def _kind(doc: Document, registry: "Registry") -> None:
    """What the document is: the first registry kind whose signs it shows, else press."""
    if "kind" in doc.overrides:
        wanted = fold(doc.overrides["kind"])
        wanted = {"official": "notice"}.get(wanted, wanted)
        if wanted not in registry.kind:
            raise InputError(msg('sources.header_line_kind_not', "{path}:1: the header line 'kind: {value}' is not a document kind of the registry ({value2}).", path=doc.path, value=doc.overrides['kind'], value2=', '.join(registry.kind)))
        doc.kind = wanted
        doc.official = registry.kind[wanted].official
        symbols = {fold(sym) for sym in registry.kind[wanted].symbols}
        number_line = NUMBER_LINE.search(fold(doc.body[:1500]))
        if number_line is not None:
            doc.notice = doc.body[number_line.start(1): number_line.end(1)]
        else:
            cited = next((m for m in _DOC_NUMBER.finditer(doc.body) if _symbol(m) in symbols), None)
            doc.notice = cited.group(1) if cited else None
        return
    body = doc.body
    top = body[:1500]
    top_lines = [fold(line.strip()) for line in top.split("\n")[:30] if line.strip()]
    number_line = NUMBER_LINE.search(_folded_top(doc, 1500))
    folded_body = doc.folded_body
    closes = body.rstrip().endswith("./.")
    # a page that gives an official text whole after its announcement ("… vừa ban hành Thông báo
    # số 17-TB/CQTTBCĐ, ngày 29/12/2025 về Kết luận … / Nội dung Thông báo số 17-TB/CQTTBCĐ như sau:")
    reproduces = _REPRODUCES.search(folded_body[:3000]) is not None
    for kind in registry.document_kinds:
        if not kind.official:
            continue
        symbols, headings, phrases = registry.folded_signs[kind.id]
        headed = any(line == h or line.startswith(h + " ") and not line.endswith(".")
                     for h in headings for line in top_lines)
        numbered = number_line is not None and any(number_line.group(1).endswith(("/" + sym, "-" + sym)) for sym in symbols)
        cited = None
        if closes and phrases and any(p in folded_body for p in phrases) or reproduces:
            cited = next((m for m in _DOC_NUMBER.finditer(body) if _symbol(m) in symbols), None)
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


def _folded_top(doc: Document, length: int) -> str:
    """fold(doc.body[:length])."""
    return fold_part(doc.text, doc.body_start, min(doc.body_start + length, doc.body_end))


def _official_header(doc: Document, registry: "Registry") -> None:
    """Issuer and date of an official text from its header block."""
    from .provinces import sentence_case

    body = doc.body
    top = body[:1500]
    folded_top = _folded_top(doc, 1500)
    m = _PLACE_DATE.search(folded_top)
    if m and doc.notice_date is None:
        doc.notice_date = _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    lines = [line.strip() for line in top.split("\n")]
    if doc.issuer is None:
        issuer: list[str] = []
        for line in lines[:8]:
            # a law site's copy sets the header's two columns on one line: "BAN CHỈ ĐẠO TRUNG
            # ƯƠNG | ĐẢNG CỘNG SẢN VIỆT NAM |" (the issuer, then the Party's or the State's motto)
            line = line.split("|")[0].strip(" -") if "|" in line.strip("| ") else line
            if line and line.upper() == line and any(c.isalpha() for c in line) \
                    and not fold(line).startswith(("cong hoa", "doc lap", "dang cong san", "so:", "so ")):
                issuer.append(line.rstrip("|- ").strip())
            elif issuer or line:
                break
        if issuer:
            doc.issuer = sentence_case(" ".join(issuer))
    # A law site's or a paper's headline given as the title names the text by its kind (and
    # number, its year, who issued it): "Thông báo 624/TB-VPCP năm 2025 kết luận Phiên họp lần thứ
    # năm … do Văn phòng Chính phủ ban hành", "Thông báo Kết luận của Tổng Bí thư …". What it says
    # of the text is the rest ("Kết luận …"), cited after the kind and number the briefing writes.
    if "title" in doc.overrides and doc.title and doc.kind in registry.kind:
        label = registry.kind[doc.kind].label.casefold()
        at = doc.title.casefold().find(doc.notice.casefold()) if doc.notice else -1
        after = at + len(doc.notice) if 0 <= at <= 40 and doc.notice else (
            len(label) if doc.title.casefold().startswith(label + " ") else None)
        if after is not None:
            rest = re.sub(r"^\s*(?:năm\s+\d{4}\b)?[\s:,–-]*(?:[Vv]ề\s+)?", "", doc.title[after:])
            rest = re.sub(r"\s+do\s+[^,.;]{3,80}?\s+ban hành\s*$", "", rest).strip()
            if len(rest.split()) >= 2:
                doc.title = rest[:1].upper() + rest[1:]
    # The title: the summary line(s) under the kind's heading ("CÔNG ĐIỆN" / "Về việc …").
    if "title" not in doc.overrides:
        for i, line in enumerate(lines[:40]):
            if line and line.upper() == line and fold(line) in {fold(h) for k in registry.document_kinds for h in k.headings}:
                summary = []
                for nxt in lines[i + 1: i + 6]:
                    # a summary in capitals goes on in capitals, as a law site breaks it ("KẾT" /
                    # "LUẬN PHIÊN HỌP … VỀ" / "CHUYỂN ĐỔI SỐ"); one in lower case ends at a capital line
                    capitals = bool(summary) and summary[0].upper() == summary[0]
                    if not nxt or nxt.endswith((".", ":", ";")) or nxt.startswith(("-", "Kính gửi")) \
                            or (summary and (nxt.upper() == nxt) != capitals) or len(nxt) > 250 \
                            or len(summary) >= (4 if capitals else 3) \
                            or re.match(r"(Ngày|Sáng|Chiều|Căn cứ|Thực hiện|Năm|Thời gian)\s", nxt) \
                            or re.match(r"(?:PHẦN|Phần|CHƯƠNG|Chương|MỤC|[IVX]+[.)]|\d+[.)]|[A-ZĐ][.)])(?:\s|$)", nxt):
                        break           # (the body's first heading: "PHẦN I. …", "I. CĂN CỨ …")
                    summary.append(nxt)
                if summary:
                    doc.title = " ".join(summary)
                break


def _event(doc: Document, registry: "Registry") -> None:
    """Which body held the event the document reports, what kind of event and its number.

    The headline names the event the document reports; the opening may also name earlier
    ones ("Từ sau Phiên họp tổng kết … (ngày 06/02/2025) đến nay"), so the headline is read
    first, then the opening."""
    from .extract.held import ordinal

    title = fold(doc.title or "")
    folded = doc.folded_body
    head = title + "\n" + folded[:1500]
    parts = ((0, len(title)), (len(title) + 1, len(head)))

    def own(m: re.Match[str], lo: int) -> bool:
        """Not an event the text looks back to ("Từ sau Phiên họp tổng kết …")."""
        return not _LOOKS_BACK.search(head, max(lo, m.start() - 10), m.start())

    event_at = None
    for lo, hi in parts:
        for kind, rx in registry.event_patterns:
            m = next((m for m in rx.finditer(head, lo, hi) if own(m, lo)), None)
            if m:
                doc.event_kind, event_at = kind.id, m.start()
                break
        if doc.event_kind is not None:
            break
    if doc.event_kind is None:
        return
    offset = len(title) + 1

    def verbatim(start: int, end: int) -> str | None:
        """The words at head[start:end] as the document writes them; a title put together from
        several lines (an official text's summary) is not quoted."""
        if start >= offset:
            return doc.text[doc.body_start + start - offset: doc.body_start + end - offset]
        words = (doc.title or "")[start: end]
        return words if words and words in doc.text else None

    # The body: the one named right after the event's words ("Phiên họp thứ 4 Ban Chỉ đạo …"),
    # else the one whose head chairs it ("Thủ tướng …, Chủ tịch Ủy ban Quốc gia về chuyển
    # đổi số chủ trì"), else the first one named; where none is named in full, a short name
    # standing alone beside its head's title ("Thủ tướng …, Trưởng ban Chỉ đạo, …").
    hits = sorted((m.start(), b.id, m) for b, rx in registry.body_patterns for m in rx.finditer(head))
    assert event_at is not None
    after = [h for h in hits if 0 <= h[0] - event_at <= 160]
    lo, hi = _sentence_around(head, event_at)
    beside = [h for h in hits if lo <= h[0] < event_at]           # "Ban Chỉ đạo … họp phiên thứ nhất"
    led = [h for h in hits if re.search(r"(?<![a-z])(?:chu tich|truong ban|truong)\s+$", head[max(0, h[0] - 14): h[0]])]
    chosen = next((group[-1] if group is beside else group[0] for group in (after, beside, led, hits) if group), None)
    if chosen:
        doc.held_by = chosen[1]
        doc.held_by_quote = verbatim(chosen[0], chosen[2].end())
    else:
        short = _short_name(doc, registry)
        if short:
            doc.held_by, doc.held_by_quote = short
    for lo, hi in parts:
        # The number of the session the document says was held ("… chủ trì Phiên họp lần thứ
        # tư"), else the first it names that it does not look back to.
        numbered = [m for m in _SESSION_NO.finditer(head, lo, hi) if own(m, lo) and ordinal(m.group(1))]
        m = next((m for m in numbered if _HELD.search(head, *_sentence_around(head, m.start()))),
                 numbered[0] if numbered else None)
        if m:
            doc.session = ordinal(m.group(1))
            doc.session_quote = verbatim(m.start(), m.end())
            break
    ym = re.search(r"tong ket[^.]*?nam (20\d\d)", head)
    if ym and doc.event_kind != "session":
        doc.report_year = int(ym.group(1))


_LOOKS_BACK = patterns.compile(r"(?<![a-z])(?:tu sau|sau|truoc|ke tu)\s+$")
_HELD = patterns.compile(r"(?<![a-z])(?:chu tri|to chuc|dien ra|khai mac|hop phien)(?![a-z])")


def _sentence_around(text: str, at: int) -> tuple[int, int]:
    """The sentence of folded text around `at`: from after the last full stop or line break
    before it to the next."""
    lo = max(text.rfind(". ", 0, at) + 2, text.rfind("\n", 0, at) + 1)
    ends = [x for x in (text.find(". ", at), text.find("\n", at)) if x >= 0]
    return lo, min(ends) if ends else len(text)


def series(session_quote: str | None) -> int | None:
    """The year a session's number counts in, where the numbers start again each year:
    "Phiên họp lần thứ nhất năm 2026" is not the first session of 2025."""
    m = _SESSION_NO.search(fold(session_quote)) if session_quote else None
    return int(m.group(2)) if m and m.group(2) else None


def _short_name(doc: Document, registry: "Registry") -> tuple[str, str] | None:
    """A body named only by a short name ("Ban Chỉ đạo", "Ủy ban"), standing alone (a mark of
    punctuation after it, not more words of another body's name) in a sentence that names
    its head ("Thủ tướng"), in the headline or the opening."""
    text = (doc.title or "") + "\n" + doc.body[:1500]
    folded = fold(text)
    for body in registry.bodies:
        if not body.short_names or not body.head:
            continue
        names = "|".join(re.escape(fold(n)) for n in sorted(body.short_names, key=len, reverse=True))
        if any(_goes_on_as_name(text, folded, m.end()) for m in re.finditer(r"(?<![a-z])(?:" + names + r")", folded)):
            continue    # "Ban Chỉ đạo An ninh mạng quốc gia": the text names another body in full
        heads = patterns.compile(r"(?<![a-z])(?:" + "|".join(re.escape(fold(h)) for h in body.head) + r")(?![a-z])")
        for m in re.finditer(r"(?<![a-z])(?:" + names + r")(?=[ \t]*[,.;:)(]|[ \t]*$)", folded, re.MULTILINE):
            lo = max(folded.rfind(".", 0, m.start()), folded.rfind("\n", 0, m.start())) + 1
            hi = min([x for x in (folded.find(".", m.end()), folded.find("\n", m.end())) if x >= 0] or [len(folded)])
            if heads.search(folded, lo, hi):
                words = text[m.start(): m.end()]
                return body.id, (words if words in doc.text else None)  # type: ignore[return-value]
    return None


# Words that go on a short name into the full name of a body: "Ban Chỉ đạo An ninh mạng quốc
# gia", "Ban chỉ đạo chuyển đổi số tỉnh", "Ban Chỉ đạo về …", "Ủy ban nhân dân".
_NAME_GOES_ON = patterns.compile(r"[ \t]+(?:ve|cua|quoc gia|trung uong|nha nuoc|chuyen doi so|an ninh|an toan|phong|"
                           r"tinh|huyen|thanh pho|cap|nhan dan|dieu hanh|thi dua|cai cach|chinh phu dien tu)(?![a-z])")


def _goes_on_as_name(text: str, folded: str, at: int) -> bool:
    """Whether the words after a short name make it the full name of a body: a word of a
    name ("về", "quốc gia", "tỉnh" …) or a capitalised word that does not start a person's
    name ("Ban Chỉ đạo An ninh mạng", not "Phó Trưởng Ban Chỉ đạo Hồ Đức Phớc")."""
    from .extract.events import SURNAMES

    if _NAME_GOES_ON.match(folded, at):
        return True
    if not text[at: at + 1].isspace() or text[at: at + 2].strip() == "":
        return False
    word = text[at:].lstrip(" \t").split(" ", 1)[0]
    return word[:1].isupper() and word not in SURNAMES


def _home_province(doc: Document, registry: "Registry") -> None:
    """The province a document speaks for: named on its header line, its issuer (a
    provincial People's Committee), its outlet (a provincial portal or newspaper), or its
    title when that names one province."""
    from .provinces import find_names, known_name, province_of_dateline, province_of_outlet

    if "province" in doc.overrides:
        name = known_name(doc.overrides["province"])
        if name is None:
            raise InputError(msg('sources.header_line_province_names', "{path}:1: the header line 'province: {value}' names no province.", path=doc.path, value=doc.overrides['province']))
        doc.province, doc.province_quote = name, None
        return
    top = doc.body[:800]
    m = _LOCAL_ISSUER.search(_folded_top(doc, 800))
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
    extra = registry.folded_outlets
    titled = {n for _, _, n in find_names(doc.title)} if doc.title and not doc.official else set()
    if doc.outlet and not doc.official:     # (a national text a provincial paper gives whole is no province's)
        name = province_of_outlet(doc.outlet, extra)
        if name and not (len(titled) == 1 and name not in titled):
            doc.province, doc.province_quote = name, doc.outlet
            return
        # (a portal's article about another province, "Quảng Ninh ấn tượng chuyển đổi số" on
        # Quảng Nam's: the province its title names)
    if len(titled) == 1:
        doc.province, doc.province_quote = titled.pop(), doc.title


def _header_line(doc: Document, key: str) -> int:
    for n, line in enumerate(doc.text.split("\n")[:20], start=1):
        if re.match(rf"\s*{key}\s*:", line):
            return n
    return 1


def _override_date(doc: Document) -> date:
    try:
        return date.fromisoformat(doc.overrides["date"][:10])
    except ValueError:
        raise InputError(msg('sources.header_line_date_not', "{path}:{header_line}: the header line 'date: {value}' is not a date (write YYYY-MM-DD).", path=doc.path, header_line=_header_line(doc, 'date'), value=doc.overrides['date'])) from None


def _find_event_date(doc: Document, registry: "Registry", number: int | None, body: str | None) -> None:
    """The day the event was held, as its text states it (reportgen.extract.held): never the
    document's own date, a deadline, or the day of another document or event — one of
    another number or body than the text gives its own (`number`, `body`)."""
    from .extract.held import Reader, find_held

    def named(folded: str, start: int, end: int) -> str | None:
        hits = [(m.start(), b.id) for b, rx in registry.body_patterns for m in [rx.search(folded, start, end)] if m]
        return min(hits)[1] if hits else None

    own = day_of(doc.published) or doc.notice_date
    reader = Reader(number=number, body=body, bodies=named, published=own,
                    year_guess=None if own else _year_of_writing(doc))
    held = find_held(doc.text, fold(doc.text), doc.body_start, doc.body_end, reader)
    if held is None:
        return
    doc.event_date = held.day
    doc.event_date_quote = doc.text[held.start: held.end]
    doc.event_date_inferred_year = held.guessed


_HELD_DAY = patterns.compile(r"(?:^|[.\n]\s*)(?:sang|chieu|toi|trua|ngay)\s+(?:ngay\s+)?\d{1,2}/\d{1,2}/((?:19|20)\d\d)")


def _plausible(doc: Document, day: date) -> bool:
    """Whether the document can have been written on `day`: not before a year its text names
    as past (the template date of a Word file is not), nor before the day a sentence opens on
    ("Sáng 3/9/2025, Thủ tướng … chủ trì": a report is written after what it reports)."""
    year = _year_of_writing(doc)
    held = [int(m.group(1)) for m in _HELD_DAY.finditer(doc.folded_body)]
    if held:
        year = max(year or 0, *held)
    return year is None or day.year >= year


def _year_of_writing(doc: Document) -> int | None:
    """The year a report without one was written in.

    The publication date decides when there is one. Otherwise: the latest year the text
    mentions, leaving out years that name a deadline or a plan ("đến hết năm 2025") or a
    comparison ("so với năm 2023" speaks from 2024 at the earliest) — a report mentions the
    present year, but not later; and a year-end review of year Y is held after Y.
    """
    if doc.published:
        return int(doc.published[:4])
    folded = doc.folded_body
    years = []
    for m in _YEAR.finditer(folded):
        before = folded[max(0, m.start() - 40): m.start()]
        if _FUTURE_YEAR.search(before) or _PERIOD_END.search(before):
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

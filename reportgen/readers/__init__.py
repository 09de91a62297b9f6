"""Readers: a document file → the text the extractors take (NFC, one paragraph a line)
and what the file itself says about it (title, date, address).

Every reader is bounded: files over `MAX_BYTES` (text 5 MiB, others 20 MiB), PDFs over
`MAX_PAGES` pages, Word files that unpack to more than `MAX_UNZIPPED` bytes are refused
with the file's name, and every reading runs within the document's budget of time and
memory (reportgen.budget). The format is told from the content, not the name.
"""

from __future__ import annotations

from ..i18n import msg

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..files import open_regular, read_regular, room_for_cache, write_replacing

MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_BYTES = 20 * 1024 * 1024
MAX_PAGES = 300
MAX_UNZIPPED = 60 * 1024 * 1024
FORMATS = ("text", "html", "docx", "pdf")
# Raise when a reader's own rules change what it makes of a file (2: every space character
# squeezed; 3: a PDF's creation date read, the day a Word file or a PDF was made dates it;
# 4: a web page's lines broken inside a sentence joined, textnorm.rejoin_wrapped; 5: not before
# a lettered list item, "b) …").
REVISION = 5
SUFFIXES = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}


@dataclass
class Meta:
    title: str | None = None
    published: str | None = None     # YYYY-MM-DD, from a web page's own markup
    # YYYY-MM-DD, the day the file says it was made: a Word file's core properties, a PDF's
    # information (CreationDate). Its publication date where its header, markup and text give
    # none — unless the text names a later year as past (a template's date).
    created: str | None = None
    url: str | None = None
    outlet: str | None = None


@dataclass
class Reading:
    text: str
    reader: str                      # "pdf (pdfplumber 0.11.10)": what read it, to notice a change
    sha256: str                      # of the file's bytes
    meta: Meta = field(default_factory=Meta)
    ocr: bool = False


def sniff(raw: bytes) -> str:
    """The format of a file from its first bytes."""
    head = raw[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if raw.startswith(b"%PDF-") or b"%pdf-" in raw[:1024].lower():
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if raw.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<html" in head[:512] or b"<head" in head[:512]:
        return "html"
    return "text"


def reader_name(kind: str) -> str:
    """What reads a format today (name and version): a change is a reason to rebuild."""
    from importlib.metadata import version

    package = {"text": None, "html": "trafilatura", "docx": "python-docx", "pdf": "pdfplumber"}[kind]
    return kind if package is None else f"{kind} ({package} {version(package)}, rules {REVISION})"


def read(path: Path, ocr: bool = False, cache: Path | None = None) -> Reading:
    """Read one document of any supported format; bad files are refused by name (InputError).

    With `cache` (a folder), what a reader made of a file is kept under the file's sha256
    and the reader's name, so checking a fact base does not parse every PDF again. An entry
    is used only if it carries the tag made with this user's key (reportgen.sealed), so an
    entry edited by hand is read again from the document, never believed.

    A light plain-text document (budget.LIGHT_BYTES), in UTF-8 and already NFC, is read here
    and never kept: reading it (decoding, checking, squeezing spaces: each a pass over the text)
    costs less than finding, checking and writing its entry (`_plain_text`)."""
    plain = _plain_text(path)
    if plain is not None:
        return plain
    if cache is not None:
        hit = _cached(path, cache)
        if hit is not None:
            return hit
    reading = _read(path, ocr)
    if cache is not None:
        _store(reading, cache)
    return reading


def _plain_text(path: Path) -> Reading | None:
    """The reading of a light plain-text document, or None: another format, a larger file, not
    a regular file (opened without waiting: a pipe is declined, not read), one that cannot be
    opened or is not UTF-8 (the usual path names what is wrong), or a text not in NFC. Putting
    a text in NFC is the one step that is not a single pass: a run of combining marks out of
    order is sorted mark by mark (a crafted 256 KB file: about a minute). Such a text is read
    the usual way — in a worker within the document's budget — and its reading kept."""
    from ..budget import LIGHT_BYTES
    from ..textnorm import is_nfc

    try:
        with open_regular(path) as f:
            if os.fstat(f.fileno()).st_size > LIGHT_BYTES:
                return None
            raw = f.read(LIGHT_BYTES + 1)
    except OSError:
        return None
    if len(raw) > LIGHT_BYTES or sniff(raw[:4096]) != "text":
        return None
    try:
        # (the check is one pass: marks out of order answer "no" where they stand)
        if not is_nfc(raw.decode("utf-8-sig")):
            return None
    except UnicodeDecodeError:
        return None
    from .text import read_text_document

    text, reader, meta = read_text_document(path, raw)
    return Reading(text, reader, hashlib.sha256(raw).hexdigest(), meta)


# Part of a cache file's name: raise when a reader's rules change what it makes of a file
# without changing its name (the plain-text reader has none). 2: runs of spaces squeezed;
# 3: every entry tagged with the user's key (reportgen.sealed); 4: a PDF's creation date kept;
# 5: a web page's broken lines joined; 6: not before a lettered list item.
CACHE_RULES = 6


def _cache_file(cache: Path, digest: str) -> Path:
    return cache / f"{digest}.r{CACHE_RULES}.json"


def _cached(path: Path, cache: Path) -> Reading | None:
    """What a reader made of this file before — only if its entry still carries the tag
    made with this user's key (reportgen.sealed): an entry edited by hand is a miss."""
    from .. import sealed

    try:
        digest = file_sha256(path)
        data = sealed.load("texts", read_regular(_cache_file(cache, digest)).decode("utf-8"))
        if data is None:
            return None
        with open_regular(path) as f:
            kind = sniff(f.read(4096))
        if data.get("reader", "").split(" + ")[0] != reader_name(kind) or data.get("sha256") != digest:
            return None
        return Reading(data["text"], data["reader"], digest, Meta(**data.get("meta", {})), bool(data.get("ocr")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(reading: Reading, cache: Path) -> None:
    from dataclasses import asdict

    from .. import sealed

    text = sealed.dump("texts", {"sha256": reading.sha256, "reader": reading.reader, "ocr": reading.ocr,
                                 "meta": asdict(reading.meta), "text": reading.text})
    if text is None:
        return     # no key to sign with: nothing is cached, every reading is done again
    if not room_for_cache(cache, len(text.encode("utf-8"))):
        return     # the disk is nearly full: its room is for what the user asked for
    target = _cache_file(cache, reading.sha256)
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    try:
        cache.mkdir(parents=True, exist_ok=True)
        write_replacing(target, text.encode("utf-8"), tmp)
    except OSError:
        pass       # a cache that cannot be written only costs time


def _read(path: Path, ocr: bool = False) -> Reading:
    """_read_file within the document's budget of time and memory (reportgen.budget): in a
    worker process that is killed if it runs over."""
    from ..budget import bounded

    return bounded(path, _read_file, path, ocr)


def _read_file(path: Path, ocr: bool = False) -> Reading:
    try:
        with open_regular(path) as f:         # opened once: its head says what it is, then the rest
            head = f.read(4096)
            kind = sniff(head)
            _refuse_early(path, kind, os.fstat(f.fileno()).st_size)
            raw = head + f.read()
    except OSError as exc:
        raise InputError(msg('readers.cannot_read_document', "{path}: cannot read the document ({strerror}).", path=path, strerror=exc.strerror)) from None
    digest = hashlib.sha256(raw).hexdigest()
    if kind == "pdf":
        from .pdf import read_pdf

        text, reader, meta, used_ocr = read_pdf(path, raw, ocr)
        return Reading(text, reader, digest, meta, used_ocr)
    if kind == "docx":
        from .docx import read_docx

        text, reader, meta = read_docx(path, raw)
    elif kind == "html":
        from .html import read_html

        text, reader, meta = read_html(path, raw)
    else:
        from .text import read_text_document

        text, reader, meta = read_text_document(path, raw)
    return Reading(text, reader, digest, meta)


def _refuse_early(path: Path, kind: str, size: int) -> None:
    """What is refused from a file's first bytes and size, before the rest is read."""
    if kind == "rtf":
        raise InputError(msg('readers.document_rich_text_format', "{path}: the document is in Rich Text Format (RTF); open it in Word or LibreOffice and save it as .docx or PDF.", path=path))
    if kind == "ole":
        raise InputError(msg('readers.document_old_word_doc', "{path}: the document is an old Word (.doc) or Excel file; open it in Word or LibreOffice and save it as .docx.", path=path))
    limit = MAX_TEXT_BYTES if kind in ("text", "html") else MAX_BYTES
    if size > limit:
        raise InputError(msg('readers.document_kib_documents_over', "{path}: the document is {value} KiB; {kind} documents over {value2} MiB are refused.", path=path, value=size // 1024, kind=kind, value2=limit // 1024 // 1024))


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open_regular(path) as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tidy(paragraphs: list[str]) -> str:
    """One paragraph a line, spaces squeezed, NFC, no empty lines at the ends."""
    import re

    from ..textnorm import nfc

    out = []
    for p in paragraphs:
        p = re.sub(r"(?:[^\S\n]|\u200b)+", " ", nfc(p)).strip()   # any space character, as textnorm.squeeze_spaces
        if p:
            out.append(p)
    return "\n".join(out) + "\n"

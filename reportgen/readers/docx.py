"""A Word file: paragraphs and tables in reading order (a table's cells row by row, each
cell's paragraphs in turn: the two-column header of an official document reads issuer,
then national motto), and the core properties' title and creation date."""

from __future__ import annotations

from ..i18n import msg

import io
import zipfile
from pathlib import Path

from ..errors import InputError
from . import MAX_UNZIPPED, Meta, tidy

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _reader() -> str:
    from . import reader_name

    return reader_name("docx")


# What real documents need: a notice is a few hundred KB of document.xml, a 100-page report
# written in Word (a run of XML per formatting change, tables) a few MB. 16 MiB is a margin
# of three over that; a 58 MB document.xml held a worker for 22 minutes and 1.5 GB.
MAX_DOCUMENT_XML = 16 * 1024 * 1024
_CORE_XML = 1024 * 1024
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"


def _check_zip(path: Path, raw: bytes) -> zipfile.ZipFile:
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(msg('docx.word_file_damaged_not', "{path}: the Word file is damaged (not a readable .docx package).", path=path)) from None
    if len(infos) > 2000:
        raise InputError(msg('docx.word_file_holds_parts', "{path}: the Word file holds {len} parts; more than 2000 are refused.", path=path, len=len(infos)))
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise InputError(msg('docx.word_file_unpacks_mib', "{path}: the Word file unpacks to {value} MiB; more than {value2} MiB are refused (a zip bomb or a file of images).", path=path, value=total // 1024 // 1024, value2=MAX_UNZIPPED // 1024 // 1024))
    seen: dict[str, str] = {}
    for info in infos:
        key = info.filename.replace("\\", "/").lower()
        if key in seen:
            # Programs differ in which of two parts of one name they read (Python the last,
            # unzip the first): the file would say one thing here and another in Word.
            raise InputError(msg('docx.word_file_holds_two', "{path}: the Word file holds two parts named {filename}; a Word file holds each part once (this one was put together to show different text to different programs), so it is refused.", path=path, filename=f"{info.filename!r}"))
        seen[key] = info.filename
    if "word/document.xml" not in {i.filename for i in infos}:
        raise InputError(msg('docx.file_zip_package_but', "{path}: the file is a zip package but not a Word document (.docx).", path=path))
    return z


def _part(path: Path, z: zipfile.ZipFile, name: str, limit: int, what: str) -> bytes:
    info = z.getinfo(name)
    if info.file_size > limit:
        raise InputError(msg('docx.word_file_s_unpacks', "{path}: the Word file's {what} ({name}) unpacks to {value} MB; more than {value2} MiB are refused (no real document needs that much; save it again from Word, or split it).", path=path, what=what, name=name, value=f"{info.file_size / 1024 / 1024:.1f}", value2=limit // 1024 // 1024))
    return z.read(name)


def _related(path: Path, z: zipfile.ZipFile) -> dict[str, str]:
    """The package's parts by relationship type (_rels/.rels), as zip names."""
    from lxml import etree

    try:
        root = etree.fromstring(_part(path, z, "_rels/.rels", _CORE_XML, "list of parts"),
                                etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, etree.XMLSyntaxError):
        raise InputError(msg('docx.word_file_cannot_read_2', "{path}: the Word file cannot be read (its list of parts is missing or damaged).", path=path)) from None
    out: dict[str, str] = {}
    for rel in root.iter(_PKG_REL):
        target = (rel.get("Target") or "").lstrip("/")
        if rel.get("TargetMode") != "External" and rel.get("Type") and target:
            out.setdefault(rel.get("Type"), target)
    return out


# What an element inside a paragraph adds to its text: a tab or a line break reads as a
# space, a non-breaking hyphen as "-", a symbol (a Wingdings glyph) as nothing.
_MARKS = {_W + "tab": " ", _W + "br": " ", _W + "cr": " ", _W + "noBreakHyphen": "-"}
_HIDDEN = (_W + "del", _W + "moveFrom")
_BLOCKS = {_W + "p": "para", _W + "tbl": "tbl", _W + "sdt": "sdt", _W + "ins": "container",
           _W + "customXml": "container", _W + "smartTag": "container"}


def _lines(path: Path, stream) -> list[str]:  # type: ignore[no-untyped-def]
    """The document's paragraphs in reading order, read as a stream of XML events (the whole
    tree of a large file took gigabytes): paragraphs of the body, of a table's cells row by
    row (each cell once), of content controls, insertions, custom XML and smart tags; in a
    paragraph, the text Word shows — runs inside hyperlinks, fields, text boxes and tracked
    insertions — and not deleted or moved-away text."""
    from lxml import etree

    lines: list[str] = []
    roles: list[str] = []          # what each open element is to the reading
    out: list[str] = []            # the open paragraph's pieces
    slots: list[int | None] = []   # each open w:t: where its text goes in out (its text comes at its end)
    hidden = 0                     # open deleted or moved-away elements
    body_seen = False
    parser = etree.iterparse(stream, events=("start", "end"), remove_blank_text=True, resolve_entities=False,
                             no_network=True, huge_tree=False)
    for event, el in parser:
        tag = el.tag
        if event == "start":
            parent = roles[-1] if roles else None
            if parent is None:
                role = "root" if tag == _W + "document" else "skip"
            elif parent == "root":
                role = "container" if tag == _W + "body" and not body_seen else "skip"
                body_seen = body_seen or role == "container"
            elif parent == "container":
                role = _BLOCKS.get(tag, "skip")
                if role == "para":
                    out, hidden = [], 0
            elif parent == "tbl":
                role = "tr" if tag == _W + "tr" else "skip"
            elif parent == "tr":
                role = "container" if tag == _W + "tc" else "skip"
            elif parent == "sdt" and tag == _W + "sdtContent":
                role, roles[-1] = "container", "sdt read"       # its first content only
            elif parent in ("para", "in"):
                role = "in"
                if tag == _W + "t":
                    slots.append(len(out) if hidden == 0 else None)
                    out.append("")
                elif hidden == 0 and tag in _MARKS:
                    out.append(_MARKS[tag])
                if tag in _HIDDEN:
                    hidden += 1
            else:
                role = "skip"
            roles.append(role)
            continue
        role = roles.pop()
        if role == "in":
            if tag == _W + "t":
                at = slots.pop()
                if at is not None:
                    out[at] = el.text or ""
            if tag in _HIDDEN:
                hidden -= 1
        elif role == "para":
            lines.append("".join(out))
        # What has been read is let go: memory stays that of one paragraph, not of the tree.
        el.clear(keep_tail=False)
        while el.getprevious() is not None:
            del el.getparent()[0]
    if not body_seen:
        raise InputError(msg('docx.word_file_cannot_read', "{path}: the Word file cannot be read (its document part has no body).", path=path))
    return lines


class _Limited(io.RawIOBase):
    """A part read as a stream that stops at `limit` bytes (the zip says its size; this holds to it)."""

    def __init__(self, raw, limit: int) -> None:  # type: ignore[no-untyped-def]
        self.raw, self.left = raw, limit + 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        data = self.raw.read(min(len(buffer), self.left))
        self.left -= len(data)
        if self.left <= 0:
            raise _TooLong()
        buffer[: len(data)] = data
        return len(data)


class _TooLong(Exception):
    pass


def read_docx(path: Path, raw: bytes) -> tuple[str, str, Meta]:
    from lxml import etree

    z = _check_zip(path, raw)
    parts = _related(path, z)
    main = parts.get(_MAIN, "word/document.xml")
    try:
        info = z.getinfo(main)
    except KeyError:
        raise InputError(msg('docx.word_file_cannot_read_3', "{path}: the Word file cannot be read (its document part {main} is missing).", path=path, main=main)) from None
    _part_size(path, info)
    try:
        with z.open(info) as part:
            lines = _lines(path, io.BufferedReader(_Limited(part, MAX_DOCUMENT_XML)))
    except _TooLong:
        _part_size(path, info, MAX_DOCUMENT_XML + 1)
        raise
    except (etree.XMLSyntaxError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise InputError(msg('docx.word_file_cannot_read_4', "{path}: the Word file cannot be read ({name}).", path=path, name=type(exc).__name__)) from None
    title, created = _core(path, z, parts.get(_CORE))
    text = tidy(lines)
    if len(text.strip()) < 20:
        raise InputError(msg('docx.word_file_holds_no', "{path}: the Word file holds no text.", path=path))
    return text, _reader(), Meta(title=title, created=created)


def _part_size(path: Path, info: zipfile.ZipInfo, size: int | None = None) -> None:
    size = info.file_size if size is None else size
    if size > MAX_DOCUMENT_XML:
        raise InputError(msg('docx.word_file_s_text', "{path}: the Word file's text part ({filename}) unpacks to {value} MB; more than {value2} MiB are refused (a real document — a 100-page report — needs a few MB; save it again from Word, or split it).", path=path, filename=info.filename, value=f"{size / 1024 / 1024:.1f}", value2=MAX_DOCUMENT_XML // 1024 // 1024))


def _core(path: Path, z: zipfile.ZipFile, name: str | None) -> tuple[str | None, str | None]:
    """The title and creation date of the core properties, read as python-docx reads them."""
    if not name or name not in z.namelist():
        return None, None
    from docx.opc.coreprops import CoreProperties
    from docx.oxml import parse_xml
    from lxml import etree

    try:
        props = CoreProperties(parse_xml(_part(path, z, name, _CORE_XML, "properties")))  # type: ignore[arg-type]
    except (etree.XMLSyntaxError, ValueError, zipfile.BadZipFile, OSError):
        return None, None           # damaged properties: the document is read without them
    title = created = None
    try:
        title = (props.title or "").strip() or None
        created = props.created.date().isoformat() if props.created else None
    except (ValueError, TypeError, AttributeError):
        pass
    return title, created

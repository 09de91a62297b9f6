"""A Word file: paragraphs and tables in reading order (a table's cells row by row, each
cell's paragraphs in turn: the two-column header of an official document reads issuer,
then national motto), and the core properties' title and creation date."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..errors import InputError
from . import MAX_UNZIPPED, Meta, tidy

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _reader() -> str:
    from . import reader_name

    return reader_name("docx")


def _check_zip(path: Path, raw: bytes) -> None:
    try:
        z = zipfile.ZipFile(io.BytesIO(raw))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(f"{path}: the Word file is damaged (not a readable .docx package).") from None
    if len(infos) > 2000:
        raise InputError(f"{path}: the Word file holds {len(infos)} parts; more than 2000 are refused.")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise InputError(f"{path}: the Word file unpacks to {total // 1024 // 1024} MiB; more than "
                         f"{MAX_UNZIPPED // 1024 // 1024} MiB are refused (a zip bomb or a file of images).")
    if "word/document.xml" not in {i.filename for i in infos}:
        raise InputError(f"{path}: the file is a zip package but not a Word document (.docx).")


def _text(p) -> str:  # type: ignore[no-untyped-def]
    """A paragraph's text as Word shows it: runs inside hyperlinks, smart tags, content
    controls, fields and tracked insertions included; deleted and moved-away text left out;
    a tab or a line break (Shift+Enter) as a space."""
    out: list[str] = []
    for el in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "noBreakHyphen", _W + "sym"):
        if any(a.tag in (_W + "del", _W + "moveFrom") for a in el.iterancestors()):
            continue
        if el.tag == _W + "t":
            out.append(el.text or "")
        elif el.tag == _W + "noBreakHyphen":
            out.append("-")
        elif el.tag == _W + "br" and el.get(_W + "type") == "page":
            out.append(" ")
        elif el.tag != _W + "sym":
            out.append(" ")
    return "".join(out)


def _blocks(container, lines: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Paragraphs and tables in reading order; content controls opened; a table's cells row
    by row, each once (a merged cell spans several grid columns)."""
    for child in container.iterchildren():
        if child.tag == _W + "p":
            lines.append(_text(child))
        elif child.tag == _W + "tbl":
            for row in child.iterchildren(_W + "tr"):
                for cell in row.iterchildren(_W + "tc"):
                    _blocks(cell, lines)
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                _blocks(content, lines)
        elif child.tag in (_W + "ins", _W + "customXml", _W + "smartTag"):
            _blocks(child, lines)


def read_docx(path: Path, raw: bytes) -> tuple[str, str, Meta]:
    _check_zip(path, raw)
    try:
        import docx

        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a broken file
        raise InputError(f"{path}: the Word file cannot be read ({type(exc).__name__}).") from None
    lines: list[str] = []
    _blocks(document.element.body, lines)
    props = document.core_properties
    title = (props.title or "").strip() or None
    created = props.created.date().isoformat() if props.created else None
    text = tidy(lines)
    if len(text.strip()) < 20:
        raise InputError(f"{path}: the Word file holds no text.")
    return text, _reader(), Meta(title=title, created=created)

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


def _cell_lines(cell) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in cell.paragraphs]


def read_docx(path: Path, raw: bytes) -> tuple[str, str, Meta]:
    _check_zip(path, raw)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a broken file
        raise InputError(f"{path}: the Word file cannot be read ({type(exc).__name__}).") from None
    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag == _W + "p":
            lines.append(Paragraph(child, document).text)
        elif child.tag == _W + "tbl":
            table = Table(child, document)
            for row in table.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:      # a merged cell appears once
                        continue
                    seen.add(id(cell._tc))
                    lines.extend(_cell_lines(cell))
    props = document.core_properties
    title = (props.title or "").strip() or None
    created = props.created.date().isoformat() if props.created else None
    text = tidy(lines)
    if len(text.strip()) < 20:
        raise InputError(f"{path}: the Word file holds no text.")
    return text, _reader(), Meta(title=title, created=created)

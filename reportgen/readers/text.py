"""Plain text (.txt, .md): UTF-8, NFC, line breaks kept (but those inside a sentence), runs of spaces squeezed."""

from __future__ import annotations

import re

from ..i18n import msg

from pathlib import Path

from ..errors import InputError
from ..textnorm import nfc, rejoin_wrapped, squeeze_spaces
from . import Meta

READER = "text"


# Control characters other than line breaks, tabs and form feeds (U+0000–U+001F less \t \n \f \r).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def read_text_document(path: Path, raw: bytes) -> tuple[str, str, Meta]:
    if not raw.strip():
        raise InputError(msg('text.document_empty', "{path}: the document is empty.", path=path))
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(msg("text.document_utf16", "{path}: the document is text in UTF-16 (as Notepad's \"Unicode\" "
                             "saves it); save it again as UTF-8.", path=path))
    if b"\x00" in raw:
        raise InputError(msg('text.document_binary_file_not', "{path}: the document is a binary file, not text (nor a PDF, Word file or web page).", path=path))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(msg('text.document_not_utf_text', "{path}:{line}: the document is not UTF-8 text (invalid byte 0x{value} at offset {start}).", path=path, line=line, value=f"{raw[exc.start]:02x}", start=exc.start)) from None
    if not text.replace("\ufeff", "").strip():
        raise InputError(msg('text.document_empty_only_byte', "{path}: the document is empty (only a byte order mark and spaces).", path=path))
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise InputError(msg('text.document_looks_binary_control', "{path}: the document looks binary ({controls} control characters).", path=path, controls=controls))
    # Runs of spaces and tabs become one space, as the other readers' tidy() does: what a
    # quote is checked against stays the same for every command.
    # and a sentence broken across lines (a law site's copy) is one line again.
    return rejoin_wrapped(squeeze_spaces(nfc(text.replace("\r\n", "\n").replace("\r", "\n")))), READER, Meta()

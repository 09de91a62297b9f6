"""Plain text (.txt, .md): UTF-8, NFC, line breaks kept, runs of spaces squeezed."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..textnorm import nfc, squeeze_spaces
from . import Meta

READER = "text"


def read_text_document(path: Path, raw: bytes) -> tuple[str, str, Meta]:
    if not raw.strip():
        raise InputError(f"{path}: the document is empty.")
    if b"\x00" in raw:
        raise InputError(f"{path}: the document is a binary file, not text (nor a PDF, Word file or web page).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: the document is not UTF-8 text "
                         f"(invalid byte 0x{raw[exc.start]:02x} at offset {exc.start}).") from None
    if not text.replace("\ufeff", "").strip():
        raise InputError(f"{path}: the document is empty (only a byte order mark and spaces).")
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise InputError(f"{path}: the document looks binary ({controls} control characters).")
    # Runs of spaces and tabs become one space, as the other readers' tidy() does: what a
    # quote is checked against stays the same for every command.
    return squeeze_spaces(nfc(text.replace("\r\n", "\n").replace("\r", "\n"))), READER, Meta()

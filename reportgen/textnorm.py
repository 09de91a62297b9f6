"""Vietnamese text normalisation.

Everything is stored NFC. Matching is done on a *folded* copy (no diacritics, lower
case, đ→d) whose character offsets equal those of the NFC text, so a match found in the
folded text is a verbatim span of the original.
"""

from __future__ import annotations

import re
import unicodedata


# Old-style tone placement (hoà, thuý, quả) is a different NFC string from the
# new style (hòa, thúy); users type either. Map old → new for names.
_OLD_TONES = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def modern_tones(text: str) -> str:
    """Rewrite old-style tone placement (hoà → hòa) at the end of a syllable."""
    text = nfc(text)
    for old, new in _OLD_TONES.items():
        for o, n in ((old, new), (old.capitalize(), new.capitalize()), (old.upper(), new.upper())):
            text = re.sub(re.escape(o) + r"(?![^\W\d_])", n, text)
    return text


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    folded = base.lower()
    return folded if len(folded) == 1 else ch


def fold(text: str) -> str:
    """Same length as ``nfc(text)``: diacritics stripped, lower-cased, đ→d."""
    return "".join(_fold_char(c) for c in nfc(text))


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


# Control characters, unpaired surrogates, non-characters, and the invisible bidirectional
# controls (U+202A–202E, U+2066–2069, U+200E/F) that could show text reversed; the line and
# paragraph separators U+2028/2029 become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Text safe for a document: NFC, control characters removed, tabs and line breaks as
    spaces. Everything else (markup characters, right-to-left script, emoji) is kept and
    shown literally."""
    text = nfc(text).replace("\t", " ").replace("\r", " ").replace("\n", " ").replace("\u2028", " ").replace("\u2029", " ")
    return _CONTROL.sub("", text)

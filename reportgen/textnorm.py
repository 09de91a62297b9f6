"""Vietnamese text normalisation.

Everything is stored NFC. Matching is done on a *folded* copy (no diacritics, lower
case, đ→d) whose character offsets equal those of the NFC text, so a match found in the
folded text is a verbatim span of the original.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


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
    if _ANY_OLD_TONE.search(text) is None:      # most texts: none of the 90 rewrites applies
        return text
    for pattern, new in _TONE_REWRITES:
        text = pattern.sub(new, text)
    return text


_TONE_REWRITES = [(re.compile(re.escape(o) + r"(?![^\W\d_])"), n)
                  for old, new in _OLD_TONES.items()
                  for o, n in ((old, new), (old.capitalize(), new.capitalize()), (old.upper(), new.upper()))]
_ANY_OLD_TONE = re.compile("|".join(p.pattern for p, _ in _TONE_REWRITES))


def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    folded = base.lower()
    return folded if len(folded) == 1 else ch


class _FoldTable(dict):  # type: ignore[type-arg]
    """Code point → folded character for str.translate, filled as characters are met
    (those below U+3000: Latin, Vietnamese, punctuation; others are folded each time, so
    a hostile document cannot grow the table without bound)."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        if code < 0x3000:
            self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Same length as ``nfc(text)``: diacritics stripped, lower-cased, đ→d."""
    if len(text) > _LONG:
        return _fold_long(text)
    if len(text) > _SHORT:
        return _fold_medium(text)
    return _fold_now(text)


# A document's whole text, and each of its paragraphs and sentences, is folded by each step
# that reads it (its header, kind, dates, figures, places, tasks): done once for the texts
# seen last — in `facts build`, 2,900 distinct texts were folded 59,000 times. (A string's hash
# is kept by the string, so asking again costs a comparison with the text already folded.)
_SHORT, _LONG = 24, 4096


def _fold_now(text: str) -> str:
    return nfc(text).translate(_FOLD_TABLE)


_fold_long = lru_cache(maxsize=4)(_fold_now)
_fold_medium = lru_cache(maxsize=512)(_fold_now)     # at most 512 × 4,096 characters, and their folds


def fold_part(text: str, start: int, end: int) -> str:
    """``fold(text[start:end])``, cut from the fold of the whole text when both the text and
    the part are NFC (folding is then character by character, so the cut is the same
    string). A document's readers fold thousands of its sentences and clauses: each was
    folded again, the whole document's fold is kept (`fold`'s caches)."""
    part = text[start:end]
    if len(part) > _SHORT and _whole_is_nfc(text) and is_nfc(part):
        return fold(text)[start:end]
    return fold(part)


# Within a line: a run of spaces, or one tab, no-break space or other space character
# (U+2000…, U+3000, a form feed…); line breaks are kept.
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S \n]")


def squeeze_spaces(text: str) -> str:
    """Every run of spaces, tabs and other space characters within a line as one space.

    Readers apply it, so the text every command reads (extraction, verification, review)
    is the same, and a quote found in it is verbatim. A document written with 100,000
    spaces in a sentence or tabs between words reads as if written with single spaces."""
    if "  " not in text and _OTHER_SPACE.search(text) is None:
        return text      # most texts: nothing to squeeze (two searches faster than the substitution)
    return _SPACES.sub(" ", text)


_OTHER_SPACE = re.compile(r"[^\S \n]")

# A line that goes on in the next: it ends with a word, a number, a comma or a closing mark, and
# the next opens with a lower-case letter.
# (the line break first: the engine jumps from one to the next; not before a header line "date: …"
# nor before a list's lettered item, "…, khu vực," / "b) Các nền tảng …")
_WRAPPED = re.compile(r"\n(?<=[\w,)\"”’]\n)(?=[^\W\d_])(?![a-z]+:)(?![a-zđ][).]\s)")


def rejoin_wrapped(text: str) -> str:
    """Lines broken inside a sentence joined again ("… Thủ" / "tướng Chính phủ Phạm Minh Chính,
    Chủ tịch …"): law sites show an official text line by line as it was typed, and a page
    copied from one splits its sentences, names and titles where its lines ended. A line that
    ends a sentence (".", ":", ";"), a heading followed by a capital, a list item ("- …") keep
    their breaks: only a break before a lower-case letter after a word is joined."""
    if "\n" not in text or _WRAPPED.search(text) is None:
        return text
    return _WRAPPED.sub(lambda m: " " if m.string[m.end()].islower() else "\n", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


_whole_is_nfc = lru_cache(maxsize=8)(is_nfc)     # (a document's whole text, asked for each of its parts)


# Control characters, unpaired surrogates, non-characters, and the invisible bidirectional
# controls (U+202A–202E, U+2066–2069, U+200E/F) that could show text reversed; the line and
# paragraph separators U+2028/2029 become spaces.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# What a terminal acts on instead of showing: ESC (which opens its escape sequences: colours,
# moving the cursor, rewriting the title bar), the other C0 and C1 control characters (CR
# rewrites a line, BEL rings), and the bidirectional controls that show text reversed.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text for a terminal: those characters shown as escapes ("\\x1b", "\\u202e") instead
    of sent raw; line breaks and tabs are kept."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", text)


def shown_name(name: str) -> str:
    """A file name as text: the bytes of a name that are not UTF-8 (kept by Python as lone
    surrogates, which cannot be printed or written) shown as escapes ("\\xff")."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def plain(text: str | None) -> str | None:
    """A title or a name taken from a document, as the fact base keeps it: control and
    bidirectional characters removed, spaces squeezed."""
    if text is None:
        return None
    return re.sub(r"\s+", " ", _UNPRINTABLE.sub(" ", nfc(text))).strip() or None


def clean_text(text: str) -> str:
    """Text safe for a document: NFC, control characters removed, tabs and line breaks as
    spaces. Everything else (markup characters, right-to-left script, emoji) is kept and
    shown literally."""
    text = nfc(text).replace("\t", " ").replace("\r", " ").replace("\n", " ").replace("\u2028", " ").replace("\u2029", " ")
    return _CONTROL.sub("", text)

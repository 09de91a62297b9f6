"""The filters and functions the templates write Vietnamese with: dates the Decree 30 way,
lists, first capitals, text widths, and abbreviations spelled out at first use."""

from __future__ import annotations

from ..i18n import msg

import contextvars
import re
from datetime import date
from pathlib import Path

from ..briefing import nd30

# Abbreviations already spelled out in the briefing being rendered.
_SPELLED: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar("spelled", default=None)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def long_date(d: date) -> str:
    return nd30.long_date(d)


def short_date(d: date) -> str:
    return nd30.short_date(d)


def capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


# Words that keep their capital in running text: a sentence starting with one keeps it when a
# lead is put before it ("Đối với cả nước, Chính phủ …").
_PROPER_STARTS = ("Việt Nam", "Chính phủ", "Thủ tướng", "Đảng", "Nhà nước", "Quốc hội", "Bộ ", "Ủy ban", "Uỷ ban",
                  "Ban Chỉ đạo", "Tổng Bí thư", "Trung ương", "Văn phòng", "Hội đồng", "Đề án", "Nghị quyết")


def lower_first(text: str) -> str:
    """A sentence's first letter in lower case, to follow a lead: "Bên cạnh …" → "bên cạnh …";
    an abbreviation ("TTHC …") or a proper name ("Chính phủ …") keeps its capital."""
    first = text.split(" ", 1)[0]
    if text.startswith(_PROPER_STARTS) or len(first) > 1 and first[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def vn_list(items) -> str:  # type: ignore[no-untyped-def]
    """"A", "A và B", "A, B và C"."""
    items = [str(i) for i in items]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1] if items else ""


def measure(text: str, size: float, style: str = "regular") -> float:
    from .fonts import text_width_mm

    return text_width_mm(str(text), size, style)


def load_glossary(folder: Path) -> dict[str, str]:
    """glossary.yaml beside the template (none: nothing is spelled out)."""
    import yaml

    path = folder / "glossary.yaml"
    if not path.is_file():
        return {}
    from ..errors import BuildError

    try:
        data = yaml.safe_load(path.read_text("utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise BuildError(msg('words.not_yaml_mapping_abbreviations', "{path}: not a YAML mapping of abbreviations: {exc}", path=path, exc=exc)) from None
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise BuildError(msg('words.expected_lines_abbreviation_words', "{path}: expected lines 'ABBREVIATION: words spelled out'.", path=path))
    from ..textnorm import nfc

    return {nfc(k): nfc(v) for k, v in data.items()}


class Speller:
    """Spells each abbreviation of the glossary out at its first use in one rendering."""

    def __init__(self, glossary: dict[str, str]) -> None:
        self.glossary = glossary
        self.patterns = [(k, v, re.compile(rf"(?<![\w&]){re.escape(k)}(?![\w&])"))
                         for k, v in sorted(glossary.items(), key=lambda kv: -len(kv[0]))]

    def __call__(self, text) -> str:  # type: ignore[no-untyped-def]
        spelled = _SPELLED.get()
        if spelled is None or not isinstance(text, str):
            return text
        quoted = [m.span() for m in _QUOTED.finditer(text)]
        for abbr, words, pattern in self.patterns:
            if abbr in spelled or abbr not in text:      # (a match holds the abbreviation: no search)
                continue
            for m in pattern.finditer(text):
                if any(a <= m.start() < b for a, b in quoted):
                    continue
                spelled.add(abbr)
                before = text[:m.start()]
                if before.rstrip().endswith("(") or before.lower().rstrip(" (").endswith(words.lower()):
                    break    # already written "words (ABBR)"
                text = f"{before}{words} ({abbr}){text[m.end():]}"
                quoted = [q.span() for q in _QUOTED.finditer(text)]
                break
        return text


def start_rendering() -> contextvars.Token:  # type: ignore[type-arg]
    return _SPELLED.set(set())


def end_rendering(token) -> None:  # type: ignore[no-untyped-def]
    _SPELLED.reset(token)

"""Messages in the user's language. A message reportgen says to a person — an error, a line of
the CLI's report — is a `Message`: a stable code, its English text with named parameters, and
the parameters. Its words in another language come from a gettext catalogue
(reportgen/locale/<lang>/LC_MESSAGES/reportgen.po, read with Babel): msgctxt is the code, msgid
the English text, msgstr the translation. A translation whose msgid no longer matches the code's
English (the English changed) is not used: the English is shown until someone translates it again.

Language: Vietnamese by default — the CLI and the office's page — English when REPORTGEN_LANG,
LC_ALL, LC_MESSAGES or LANG says so (`LANG=en_US.UTF-8 reportgen …`).

Boundary: in — a code, an English template, parameters; out — text. Nothing here knows what the
messages are about; `tests/test_messages.py` checks every `msg(…)` of the code has its translation."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

LOCALE = Path(__file__).parent / "locale"
DOMAIN = "reportgen"


def language() -> str:
    """'vi' or 'en', from the environment (first of REPORTGEN_LANG, LC_ALL, LC_MESSAGES, LANG that
    is set and not C/POSIX); Vietnamese unless it names English."""
    for name in ("REPORTGEN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value and value.split(".")[0] not in ("C", "POSIX"):
            return "en" if value.lower().startswith("en") else "vi"
    return "vi"


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, tuple[str, str]]:
    """{code: (English msgid, translation)} of a language's catalogue (empty for English).
    What Babel read from a .po file is kept in the project's `.cache/locale/` under a hash of
    the file's bytes, signed like the other caches (reportgen.sealed, which like paths needs
    nothing of reportgen): reading the .po takes Babel 0.03 s, which a command that prints one
    Vietnamese line would wait for."""
    path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == "en" or not path.exists():
        return {}
    import hashlib
    import json

    from . import paths, sealed

    raw = path.read_bytes()
    name = hashlib.sha256(b"catalogue 1\x00" + raw).hexdigest()
    root = paths.project_root()
    # kept in a project's folder only: `reportgen --help` elsewhere writes nothing
    kept_in = root / ".cache" / "locale" if (root / "facts").is_dir() or (root / "seeds").is_dir() else None
    body = sealed.read_entry("locale", kept_in, name) if kept_in is not None else None
    if body is not None:
        try:
            return {code: (english, words) for code, english, words in json.loads(body)}
        except (ValueError, TypeError):
            pass
    import io

    from babel.messages.pofile import read_po

    po = read_po(io.BytesIO(raw))
    out: dict[str, tuple[str, str]] = {}
    for m in po:
        if m.id and m.context and m.string and not m.fuzzy:
            out[m.context] = (str(m.id), str(m.string))
    if kept_in is not None:
        sealed.write_entry("locale", kept_in, name, json.dumps([[c, e, w] for c, (e, w) in out.items()],
                                                               ensure_ascii=False).encode("utf-8"), limit=8)
    return out


@dataclass(frozen=True)
class Message:
    code: str
    english: str
    params: dict = field(default_factory=dict)     # type: ignore[type-arg]

    def text(self, lang: str | None = None) -> str:
        lang = lang or language()
        template = self.english
        found = catalogue(lang).get(self.code)
        if found and found[0] == self.english:
            template = found[1]
        return template.format(**{k: _shown(v, lang) for k, v in self.params.items()})

    def __str__(self) -> str:
        return self.text()


def _shown(value: object, lang: str) -> object:
    import re

    if lang == "vi" and isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        return "/".join(reversed(value.split("-")))          # 2025-03-10 → 10/03/2025
    if isinstance(value, Message):
        return value.text(lang)
    if isinstance(value, (list, tuple)) and any(isinstance(v, Message) for v in value):
        return " ".join(v.text(lang) if isinstance(v, Message) else str(v) for v in value)
    return value


def msg(code: str, english: str, **params: object) -> Message:
    """A message: `code` (stable, dotted: "pdf.no_text_layer"), its English text with {named}
    parameters, and their values."""
    return Message(code, english, params)


def say(code: str, english: str, **params: object) -> str:
    """The message's text in the user's language (for the CLI's own lines)."""
    return msg(code, english, **params).text()

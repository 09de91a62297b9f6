"""Keep the message catalogue in step with the code: every `msg(code, english, …)`,
`say(code, english, …)` and `words(code, english)` (the CLI's help texts) of reportgen/ goes into reportgen/locale/vi/LC_MESSAGES/reportgen.po
(msgctxt: the code, msgid: the English, the file and line as a comment); a translation is kept
while its English is unchanged, and a message without one is listed — translate it in the .po
(any PO editor, e.g. Poedit, or by hand). Run: .venv/bin/python scripts/messages.py"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "reportgen" / "locale" / "vi" / "LC_MESSAGES" / "reportgen.po"


def messages() -> dict[str, tuple[str, str, int]]:
    """{code: (English, file, line)} of every msg()/say() call with literal code and English."""
    found: dict[str, tuple[str, str, int]] = {}
    for path in sorted((ROOT / "reportgen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("msg", "say", "words") and len(node.args) >= 2:
                code, english = node.args[0], node.args[1]
                if isinstance(code, ast.Constant) and isinstance(english, ast.Constant):
                    where = (english.value, str(path.relative_to(ROOT)), node.lineno)
                    first = found.setdefault(code.value, where)
                    if first[0] != english.value:      # one code, one English: else one would show the other's words
                        raise SystemExit(f"{where[1]}:{where[2]}: code {code.value!r} is also used at "
                                         f"{first[1]}:{first[2]} with other English")
    return found


def main() -> int:
    old: dict[str, tuple[str, str]] = {}
    if PO.exists():
        with open(PO, "rb") as handle:
            old = {m.context: (str(m.id), str(m.string)) for m in read_po(handle) if m.context}
    catalog = Catalog(locale="vi", project="reportgen", domain="reportgen", charset="utf-8")
    missing = []
    for code, (english, file, line) in sorted(messages().items()):
        kept = old.get(code)
        text = kept[1] if kept and kept[0] == english else ""
        if not text:
            missing.append(f"{code} ({file}:{line})")
        catalog.add(english, text, locations=[(file, line)], context=code)
    with open(PO, "wb") as handle:
        write_po(handle, catalog, width=100)
    for m in missing:
        print("to translate:", m)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())

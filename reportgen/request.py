"""From what a person typed (the CLI's options, the web page's fields) to a build
Request: every value checked and cleaned here, once, for both."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from .errors import InputError


def check_path(path: Path, option: str = "--out") -> None:
    """Refuse at once what no file system can create, rather than fail after the work."""
    text = str(path)
    if "\x00" in text:
        raise InputError(f"{option} {text!r}: a file name cannot hold a NUL character.")
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        raise InputError(f"{option} {text!r}: not a valid file name (characters that cannot be encoded).") from None
    short = lambda t, n: t if len(t) <= n else t[:n] + "…"  # noqa: E731
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > 255:
            raise InputError(f"{option} {short(text, 80)}: the name '{short(part, 40)}' is {size} bytes; file name too "
                             "long (a file system allows 255 bytes for one name).")
    try:
        size = len(os.fsencode(str(path.absolute())))
    except OSError:              # the current folder is gone: the write will say so
        size = 0
    if size > 4000:
        raise InputError(f"{option} {short(text, 80)}: the path is {size} bytes; path too long (4096 at most).")




def check_file_out(out: Path) -> None:
    """--out of facts build: a file name, in a folder (or where one can be made)."""
    check_path(out)
    if out.is_dir():
        raise InputError(f"{out}: is a folder; --out takes a file name.")
    for p in out.absolute().parents:
        if p.exists():
            if not p.is_dir():
                raise InputError(f"{p}: exists and is not a folder; --out must name a file in a folder.")
            break




def parse_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        when = date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--date {text!r} is not a date; write YYYY-MM-DD, e.g. 2025-03-10.") from None
    if not date(2000, 1, 1) <= when <= date(2100, 12, 31):
        raise InputError(f"--date {text}: a briefing's date lies between 2000-01-01 and 2100-12-31.")
    return when




def lines(text: str | None, what: str) -> list[str] | None:
    if text is None:
        return None
    lines = [line.strip() for line in text.replace("\n", "/").split(" / ") if line.strip()]
    if not lines:
        raise InputError(f"{what} is empty.")
    return lines




def make_request(province, when, out, fmt, facts, number, issuer, signer_title, signer, templates=None, task_window=90, review=False):  # type: ignore[no-untyped-def]
    from .briefing.compose import Options
    from .build import FORMATS, Request
    from .textnorm import clean_text, nfc

    formats = {"both": FORMATS, "pdf": ("pdf",), "docx": ("docx",)}.get(fmt.lower())
    if formats is None:
        raise InputError(f"--format {fmt!r}: use pdf, docx or both.")

    clean = lambda v: clean_text(v) if v is not None else None  # noqa: E731
    if number is not None and not clean(number).strip():
        raise InputError("--number is empty: give the document's number, e.g. 12/TB-UBND, or leave the option out "
                         "to leave it blank for the clerk.")
    options = Options(number=clean(number), issuer=lines(clean(issuer), "--issuer"),
                      signer_title=lines(clean(signer_title), "--signer-title"), signer=clean(signer),
                      task_window=task_window, review=review)
    if templates is not None and not (templates / "briefing.html.j2").is_file():
        raise InputError(f"{templates}: a template folder must hold briefing.html.j2 (copy templates/ to start).")
    check_path(out)
    return Request(province=nfc(province), when=parse_date(when), out=out, formats=formats, facts=facts,
                   options=options, templates=templates.resolve() if templates else None)

"""From what a person typed (the CLI's options, the web page's fields) to a build
Request: every value checked and cleaned here, once, for both."""

from __future__ import annotations

from .i18n import msg

import os
from datetime import date
from pathlib import Path

from .errors import InputError


def check_path(path: Path, option: str = "--out") -> None:
    """Refuse at once what no file system can create, rather than fail after the work."""
    text = str(path)
    if "\x00" in text:
        raise InputError(msg('request.file_name_cannot_hold', "{option} {text}: a file name cannot hold a NUL character.", option=option, text=f"{text!r}"))
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        raise InputError(msg('request.not_valid_file_name', "{option} {text}: not a valid file name (characters that cannot be encoded).", option=option, text=f"{text!r}")) from None
    short = lambda t, n: t if len(t) <= n else t[:n] + "…"  # noqa: E731
    for part in path.parts:
        size = len(os.fsencode(part))
        if size > 255:
            raise InputError(msg('request.name_bytes_file_name', "{option} {short}: the name '{short2}' is {size} bytes; file name too long (a file system allows 255 bytes for one name).", option=option, short=short(text, 80), short2=short(part, 40), size=size))
    try:
        size = len(os.fsencode(str(path.absolute())))
    except OSError:              # the current folder is gone: the write will say so
        size = 0
    if size > 4000:
        raise InputError(msg('request.path_bytes_path_too', "{option} {short}: the path is {size} bytes; path too long (4096 at most).", option=option, short=short(text, 80), size=size))




def check_file_out(out: Path) -> None:
    """--out of facts build: a file name, in a folder (or where one can be made)."""
    check_path(out)
    if out.is_dir():
        raise InputError(msg('request.folder_out_takes_file', "{out}: is a folder; --out takes a file name.", out=out))
    for p in out.absolute().parents:
        if p.exists():
            if not p.is_dir():
                raise InputError(msg('request.exists_not_folder_out', "{p}: exists and is not a folder; --out must name a file in a folder.", p=p))
            break




def parse_date(text: str | None) -> date:
    if text is None:
        return date.today()
    try:
        when = date.fromisoformat(text)
    except ValueError:
        raise InputError(msg('request.date_not_date_write', "--date {text} is not a date; write YYYY-MM-DD, e.g. 2025-03-10.", text=f"{text!r}")) from None
    if not date(2000, 1, 1) <= when <= date(2100, 12, 31):
        raise InputError(msg('request.date_briefing_s_date', "--date {text}: a briefing's date lies between 2000-01-01 and 2100-12-31.", text=repr(text)))   # as typed (a bare ISO day would be shown dd/mm/yyyy)
    return when




def lines(text: str | None, what: str) -> list[str] | None:
    if text is None:
        return None
    lines = [line.strip() for line in text.replace("\n", "/").split(" / ") if line.strip()]
    if not lines:
        raise InputError(msg('request.empty', "{what} is empty.", what=what))
    return lines




def make_request(province, when, out, fmt, facts, number, issuer, signer_title, signer, templates=None, task_window=90, review=False):  # type: ignore[no-untyped-def]
    from .briefing.options import Options
    from .build import FORMATS, Request
    from .textnorm import clean_text, nfc

    formats = {"both": FORMATS, "pdf": ("pdf",), "docx": ("docx",)}.get(fmt.lower())
    if formats is None:
        raise InputError(msg('request.format_use_pdf_docx', "--format {fmt}: use pdf, docx or both.", fmt=f"{fmt!r}"))

    clean = lambda v: clean_text(v) if v is not None else None  # noqa: E731
    if number is not None and not clean(number).strip():
        raise InputError(msg('request.number_empty_give_document', "--number is empty: give the document's number, e.g. 12/TB-UBND, or leave the option out to leave it blank for the clerk."))
    options = Options(number=clean(number), issuer=lines(clean(issuer), "--issuer"),
                      signer_title=lines(clean(signer_title), "--signer-title"), signer=clean(signer),
                      task_window=task_window, review=review)
    if templates is not None and not (templates / "briefing.html.j2").is_file():
        raise InputError(msg('request.template_folder_must_hold', "{templates}: a template folder must hold briefing.html.j2 (copy templates/ to start).", templates=templates))
    check_path(out)
    return Request(province=nfc(province), when=parse_date(when), out=out, formats=formats, facts=facts,
                   options=options, templates=templates.resolve() if templates else None)

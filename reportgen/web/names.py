"""How the office's page names things: a date as the office writes it, a document by what a
clerk knows it by. Used by the pages and by the jobs' messages (web.jobs), so both say the same."""

from __future__ import annotations

import re


def vndate(text: str | None) -> str:
    """'2025-03-10' → '10/03/2025', '2025-03' → '03/2025' (as the office writes dates)."""
    if not text:
        return ""
    period = re.fullmatch(r"(\d{4})-(H[12]|Q[1-4])", text)
    if period:
        year, part = period.groups()
        return {"H1": f"6 tháng đầu năm {year}", "H2": f"6 tháng cuối năm {year}"}.get(
            part, f"quý {['I', 'II', 'III', 'IV'][int(part[1]) - 1]}/{year}")
    parts = text[:10].split("-")
    return "/".join(reversed(parts)) if all(p.isdigit() for p in parts) else text


def doc_name(doc) -> str:  # type: ignore[no-untyped-def]
    """A document as a clerk knows it: its title, or what and whose it is and its date — never
    the archive's file name."""
    if doc.title:
        return doc.title
    day = vndate(doc.issued or doc.event_date or doc.published)
    what = "Văn bản" if doc.official else "Bài viết"
    where = f" trên {doc.outlet}" if doc.outlet else (f" của {doc.issuer}" if getattr(doc, "issuer", None) else "")
    return f"{what}{where}" + (f" ngày {day}" if day else "")

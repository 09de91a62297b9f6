"""A web page saved from a browser: only the article's main text (trafilatura), and the
page's own title, publication date and address. Nothing in the page is run or fetched."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from . import Meta, tidy


def _reader() -> str:
    from . import reader_name

    return reader_name("html")


def read_html(path: Path, raw: bytes) -> tuple[str, str, Meta]:
    import trafilatura

    try:
        markup = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        markup = raw.decode("cp1258", errors="replace")   # old Vietnamese pages: Windows-1258
    try:
        found = trafilatura.bare_extraction(markup, with_metadata=True, include_tables=True,
                                            include_comments=False, include_images=False,
                                            favor_precision=True, deduplicate=False,
                                            # a date from the page's markup only, never guessed from its text
                                            date_extraction_params={"extensive_search": False,
                                                                    "original_date": True})
    except Exception as exc:  # noqa: BLE001 - a page the extractor cannot parse is bad input
        raise InputError(f"{path}: the web page cannot be read ({type(exc).__name__}).") from None
    data = found.as_dict() if found is not None and hasattr(found, "as_dict") else (found or {})
    text = (data.get("text") or "").strip()
    if len(text) < 40:
        raise InputError(f"{path}: the web page has no article text that could be found "
                         "(save the article's page itself, or copy its text into a .txt file).")
    lines = text.split("\n")
    title = (data.get("title") or "").strip() or None
    if title and lines and lines[0].strip() != title:
        lines.insert(0, title)     # the headline opens the document, as in a copied text
    date = data.get("date")
    meta = Meta(title=title, published=date if date and len(date) == 10 else None,
                url=data.get("url") or None, outlet=data.get("sitename") or data.get("hostname") or None)
    return tidy(lines), _reader(), meta

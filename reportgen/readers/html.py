"""A web page saved from a browser: only the article's main text (trafilatura, with a
fallback for old table-layout portals), its lead paragraph (sapo), and the page's own
title, publication date and address — the date only from the page's markup, never guessed
from its text. Nothing in the page is run or fetched."""

from __future__ import annotations

from ..i18n import msg

import json
import re
from pathlib import Path

from ..errors import InputError
from ..textnorm import rejoin_wrapped
from . import Meta, tidy

_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "select", "button")
_NOISE = re.compile(r"(menu|nav|footer|banner|sidebar|side-bar|other|related|lien-?quan|comment|share|social|"
                    r"breadcrumb|advert|ads?-|tag-?list|copyright)", re.IGNORECASE)
_LEAD = re.compile(r"(sapo|lead|chapeau|summary|description|excerpt|intro|desc\b)", re.IGNORECASE)
_DATE_META = ("article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
              "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "article.published")


def _reader() -> str:
    from . import reader_name

    return reader_name("html")


def _decode(raw: bytes) -> str:
    head = raw[:2048].decode("ascii", errors="ignore").lower()
    declared = re.search(r"charset=[\"']?([a-z0-9_-]+)", head)
    for encoding in ([declared.group(1)] if declared else []) + ["utf-8-sig", "cp1258"]:
        try:
            return raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace")


def _iso(value: str) -> str | None:
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return m.group(0)
    m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if m:
        return f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"
    return None


def _page_date(tree) -> str | None:  # type: ignore[no-untyped-def]
    """The publication date the page's markup states: meta tags, JSON-LD, <time> in the article."""
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATE_META and meta.get("content") and _iso(meta.get("content")):
            return _iso(meta.get("content"))
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() == "application/ld+json" and script.text:
            try:
                data = json.loads(script.text)
            except ValueError:
                continue
            for item in data if isinstance(data, list) else [data]:
                if isinstance(item, dict) and isinstance(item.get("datePublished"), str) and _iso(item["datePublished"]):
                    return _iso(item["datePublished"])
    for scope in list(tree.iter("article", "main")) or [tree]:
        for t in scope.iter("time"):
            when = t.get("datetime") or t.get("content")
            if when and _iso(when):
                return _iso(when)
    return None


def _text_of(el) -> list[str]:  # type: ignore[no-untyped-def]
    """An element's paragraphs: <p>, headings and list items, or its own text broken at <br>."""
    blocks = [b for b in el.iter("p", "h1", "h2", "h3", "h4", "li", "blockquote")
              if not any(a.tag in ("p", "li", "blockquote") for a in b.iterancestors() if a is not el)]
    if not blocks:
        return [part for part in re.split(r"\n+", el.text_content()) if part.strip()]
    return [b.text_content() for b in blocks]


def _densest(tree):  # type: ignore[no-untyped-def]
    """The element holding the most paragraph text that is not links (an old portal's article cell)."""
    best, score = None, 0.0
    for el in tree.iter("div", "td", "article", "section", "main"):
        text = sum(len(p.text_content()) for p in el.iter("p"))
        links = sum(len(a.text_content()) for p in el.iter("p") for a in p.iter("a"))
        value = text - 3 * links
        if value > score * 1.05 or (value >= score * 0.95 and best is not None and best in el.iterancestors()):
            best, score = el, max(value, score)
    return best


def read_html(path: Path, raw: bytes) -> tuple[str, str, Meta]:
    import lxml.html
    import trafilatura

    markup = _decode(raw)
    try:
        tree = lxml.html.document_fromstring(markup.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except Exception as exc:  # noqa: BLE001 - a page lxml cannot parse is bad input
        raise InputError(msg('html.web_page_cannot_read', "{path}: the web page cannot be read ({name}).", path=path, name=type(exc).__name__)) from None
    date = _page_date(tree)
    refresh = next((m.get("content") for m in tree.iter("meta") if (m.get("http-equiv") or "").lower() == "refresh"),
                   None)
    try:
        found = trafilatura.bare_extraction(markup, with_metadata=True, include_tables=True,
                                            include_comments=False, include_images=False,
                                            favor_precision=True, deduplicate=False,
                                            date_extraction_params={"extensive_search": False,
                                                                    "original_date": True})
    except Exception:  # noqa: BLE001 - fall back to the page's densest block below
        found = None
    data = found.as_dict() if found is not None and hasattr(found, "as_dict") else (found or {})
    lines = [ln for ln in (data.get("text") or "").split("\n") if ln.strip()]
    title = (data.get("title") or "").strip() or None
    if not title:
        h1 = next(tree.iter("h1"), None)
        title = (h1.text_content().strip() if h1 is not None else "") or \
            (tree.findtext(".//title") or "").strip() or None
    layout = lines and lines[0].startswith("|") and sum(ln.startswith("|") for ln in lines) > 0.3 * len(lines)
    if layout or sum(len(ln) for ln in lines) < 40:
        # an old portal laid out with tables, or nothing found: the densest block of paragraphs
        for el in list(tree.iter(*_DROP)):
            el.drop_tree()
        for el in [e for e in tree.iter() if isinstance(e.tag, str)
                   and _NOISE.search(f"{e.get('class') or ''} {e.get('id') or ''}")]:
            if el.getparent() is not None:
                el.drop_tree()
        block = _densest(tree)
        lines = _text_of(block) if block is not None else []
    if refresh and sum(len(ln) for ln in lines) < 400:
        raise InputError(msg('html.page_only_redirects_elsewhere', "{path}: the page only redirects elsewhere ({value}); save the article's own page.", path=path, value=refresh.strip()[:80]))
    if sum(len(ln) for ln in lines) < 40:
        raise InputError(msg('html.web_page_has_no', "{path}: the web page has no article text that could be found (save the article's page itself, or copy its text into a .txt file).", path=path))
    # A table in the article: its rows as text, cells separated by semicolons.
    rows = []
    for ln in lines:
        if re.fullmatch(r"[\s|:\-]+", ln):
            continue
        if ln.startswith("|"):
            ln = "; ".join(c.strip() for c in ln.strip().strip("|").split("|") if c.strip())
        rows.append(ln)
    lines = rows
    # The lead paragraph (sapo) that some sites keep outside the article's body.
    lead = next((el.text_content().strip() for el in tree.iter("div", "p", "h2")
                 if _LEAD.search(el.get("class") or "") and len(el.text_content().strip()) > 60), None)
    if lead and not any(lead[:60] in ln for ln in lines):
        lines.insert(0, lead)
    if title and lines[0].strip() != title:
        lines.insert(0, title)     # the headline opens the document, as in a copied text
    meta = Meta(title=title, published=date, url=data.get("url") or None,
                outlet=data.get("sitename") or data.get("hostname") or None)
    return rejoin_wrapped(tidy(lines)), _reader(), meta     # (a law site's page: one line of the text a line)

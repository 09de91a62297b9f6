"""HTML → PDF with WeasyPrint: PDF/A-2b, the body font embedded, and nothing fetched
but the project's own template files, the font and the charts in memory."""

from __future__ import annotations

from ..i18n import msg

import hashlib
import io
import re
from pathlib import Path
from typing import Callable

from ..errors import BuildError
from .drawn import ChartFiles
from . import parsed, rebreak, repaint, retext, written
from .engine import warnings_heard, weasyprint
from .fonts import body_font


REFUSED = "reportgen fetches nothing outside its own files"


def _fetcher(templates: Path, charts: Callable[[], dict[str, ChartFiles]], fallbacks: list[Path] | None = None):  # type: ignore[no-untyped-def]
    """`charts()` gives the drawn charts, waiting for them the first time one is asked for."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    fonts = dict(body_font().files)
    fonts.update({f"fallback-{i}": path for i, path in enumerate(fallbacks or [])})
    root = templates.resolve()

    class LocalOnly(URLFetcher):
        """Serves fonts, charts and files under templates/; refuses everything else."""

        def fetch(self, url, headers=None):  # type: ignore[no-untyped-def]
            if url.startswith("font:") and url[5:] in fonts:
                return URLFetcherResponse(url, fonts[url[5:]].read_bytes(), {"Content-Type": "font/ttf"})
            if url.startswith("chart:"):
                name = url[6:]
                stem, _, ext = name.rpartition(".")
                drawn = charts()
                if stem in drawn and ext == "svg":
                    return URLFetcherResponse(url, drawn[stem].svg, {"Content-Type": "image/svg+xml"})
            if url.startswith("file:"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url[5:].split("?")[0])).resolve()
                if path.is_relative_to(root) and path.is_file():
                    kind = "text/css" if path.suffix == ".css" else "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
            raise ValueError(f"{REFUSED}: {url[:80]}")

    return LocalOnly()


_font_config = None


def font_config():  # type: ignore[no-untyped-def]
    """One FontConfiguration per process: WeasyPrint caches fonts in it."""
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


# The Phụ lục as the template writes it: its own pages (page numbers restart there), the same for
# every province of a batch but for the note that names the issuer ("(Kèm theo Thông báo … của
# Ủy ban nhân dân tỉnh …)") and the short rule under it, both on its first page.
_APPENDIX = re.compile(r'<section class="appendix"[^>]*>.*?</section>', re.S)
_ISSUER_NOTE = re.compile(r'<p class="appendix-note">.*?</p>\s*<p class="rule"[^>]*>.*?</p>', re.S)
_METADATA = re.compile(r'<title>.*?</title>\n?|<meta name="[^"]*" content="[^"]*">\n?', re.S)
_ROW = re.compile(r"<tr><td[^>]*>.*?</tr>", re.S)


def _parts(html: str) -> tuple[str, str] | None:
    """(the notice without its appendix, the appendix as a document of its own), or None."""
    m = _APPENDIX.search(html)
    if not m:
        return None
    # Its head without the notice's metadata (the PDF's come from the notice's): what lays it out.
    head = _METADATA.sub("", html[:html.index("<body>") + len("<body>")])
    return html[:m.start()] + html[m.end():], head + m.group(0) + "</body>\n</html>"


def _body_rows_on(page) -> int:  # type: ignore[no-untyped-def]
    """How many rows of a table body a laid-out page holds."""
    from weasyprint.formatting_structure import boxes

    return sum(1 for box in page._page_box.descendants() if isinstance(box, boxes.TableRowGroupBox)
               and not box.is_header and not box.is_footer for _ in box.children)


def _appendix_pages(appendix: str, lay, shared: dict | None, drawings: bytes = b"") -> list:  # type: ignore[no-untyped-def, type-arg]
    """The appendix's laid-out pages. With `shared` (a batch worker's store), pages after the
    first come from an earlier province whose appendix differs only in the issuer's note. This
    province's first page is the earlier one with this note and rule put in, when they measure
    the same (_with_note); else it is laid out with the table's rows up to the first of the next
    page, and taken only when it breaks the table exactly where the earlier one did — so the
    pages are those a full layout gives, and the PDF's bytes do not depend on the order of the batch.
    `drawings` identifies what its layout reads besides its HTML: the charts it shows (their
    URLs do not say) and the template's stylesheets."""
    if shared is None:
        return list(lay(appendix).pages)
    key = hashlib.sha256(_ISSUER_NOTE.sub("", appendix, count=1).encode("utf-8") + drawings).hexdigest()
    earlier = shared.get(key)
    if earlier is not None:
        document, rows = earlier
        grafted = _with_note(document.pages[0], appendix, lay)
        if grafted is not None:
            return [grafted, *document.pages[1:]]
        ends = [m.end() for m in _ROW.finditer(appendix)]
        if 0 < rows < len(ends):
            first = lay(appendix[:ends[rows]] + "\n</tbody>\n</table>\n</section></body>\n</html>")
            if len(first.pages) >= 2 and _body_rows_on(first.pages[0]) == rows:
                return [first.pages[0], *document.pages[1:]]
    document = lay(appendix)
    rows = _body_rows_on(document.pages[0]) if len(document.pages) >= 2 else 0
    if rows:
        shared[key] = (document, rows)
        repaint.shared(document.pages[1:])      # painted once for all (render/repaint.py)
    return list(document.pages)


def _note_path(page_box) -> list | None:  # type: ignore[no-untyped-def, type-arg]
    """The boxes from the page box down to the issuer's note's parent, then the note's index
    among that parent's children; None unless there is exactly one note, a block followed by
    its rule."""
    from weasyprint.formatting_structure import boxes

    def classed(box, name: str) -> bool:  # type: ignore[no-untyped-def]
        element = getattr(box, "element", None)
        return isinstance(box, boxes.BlockBox) and element is not None and name in (element.get("class") or "").split()

    found = []

    def walk(box, path):  # type: ignore[no-untyped-def]
        for i, child in enumerate(getattr(box, "children", ())):
            if classed(child, "appendix-note") and child.element_tag == "p":
                found.append([*path, box, i])
            elif isinstance(child, boxes.BlockContainerBox) and not isinstance(child, boxes.LineBox):
                walk(child, [*path, box])

    walk(page_box, [])
    if len(found) != 1:
        return None
    *_, parent, i = found[0]
    following = parent.children[i + 1] if i + 1 < len(parent.children) else None
    return found[0] if classed(following, "rule") else None


def _placed(box) -> tuple:  # type: ignore[no-untyped-def, type-arg]
    """Where a block box sits and what room it takes: what decides where the boxes after it go."""
    return (box.position_x, box.position_y, box.margin_width(), box.margin_height(),
            box.margin_top, box.margin_bottom, type(box), box.element_tag)


def _alone(box) -> bool:  # type: ignore[no-untyped-def]
    """Whether a box and everything in it act on nothing but their own place: in the flow
    (no float, no positioned box, no footnote), text and inline boxes only, no counter or
    quote changed (a later box would show another value). The note's words change from one
    province to the next; only their height may show outside them, and that is compared."""
    from weasyprint.formatting_structure import boxes

    if type(box) not in (boxes.BlockBox, boxes.LineBox, boxes.InlineBox, boxes.TextBox, boxes.InlineBlockBox):
        return False
    style = box.style
    if style["float"] != "none" or style["position"] != "static" or style["counter_increment"] != "auto" \
            or style["counter_reset"] or style["counter_set"]:
        return False
    content = style["content"]
    if content not in ("normal", "none", "inhibit", "contents") and \
            any(kind not in ("string", "attr()") for kind, _ in content):
        return False
    return all(_alone(child) for child in getattr(box, "children", ()))


def _no_footnotes(page_box) -> bool:  # type: ignore[no-untyped-def]
    from weasyprint.formatting_structure import boxes

    return not any(isinstance(c, boxes.FootnoteAreaBox) and c.children for c in page_box.children)


def _with_note(page, appendix: str, lay):  # type: ignore[no-untyped-def]
    """The first page of a shared Phụ lục with this briefing's issuer's note and rule in place of
    the earlier province's, or None. Only the Phụ lục's heading, note and rule are laid out
    (about a sixth of the time of laying out the table's first page again); the page is taken
    when the two boxes sit and measure exactly as the earlier ones did, under the same heading,
    so everything after them is where a full layout puts it."""
    from weasyprint.document import Page

    m = _ISSUER_NOTE.search(appendix)
    if m is None:
        return None
    short = lay(appendix[:m.end()] + "\n</section></body>\n</html>")
    if len(short.pages) != 1:
        return None
    theirs, ours = _note_path(page._page_box), _note_path(short.pages[0]._page_box)
    if theirs is None or ours is None or len(theirs) != len(ours) or ours[-1] != theirs[-1]:
        return None
    for a, b in zip(theirs[:-1], ours[:-1]):
        if (type(a), getattr(a, "element_tag", None), a.position_x, a.position_y) != \
                (type(b), getattr(b, "element_tag", None), b.position_x, b.position_y):
            return None
    i = theirs[-1]
    parent, short_parent = theirs[-2], ours[-2]
    if len(short_parent.children) != i + 2:      # the heading, the note and its rule, nothing else
        return None
    if not (_no_footnotes(page._page_box) and _no_footnotes(short.pages[0]._page_box)
            and all(_alone(b) for b in (*parent.children[i:i + 2], *short_parent.children[i:]))):
        return None
    for a, b in zip(parent.children[:i + 2], short_parent.children):
        if _placed(a) != _placed(b):
            return None
    # New boxes along the path only: the store's page, shared by every province, is not changed.
    child = parent.copy()
    child.children = [*parent.children[:i], *short_parent.children[i:], *parent.children[i + 2:]]
    path = theirs[:-1]
    for box, below in zip(reversed(path[:-1]), reversed(path[1:])):
        index = next(k for k, c in enumerate(box.children) if c is below)
        copy = box.copy()
        copy.children = [*box.children[:index], child, *box.children[index + 1:]]
        child = copy
    return Page(child)


# What makes a page of the Phụ lục depend on more than the part of it the store's key holds:
# the number of its own pages (the first page's layout is cut short), text carried from the issuer's
# note to other pages (a fixed box is repeated on every page; a footnote may run on), or a page
# painted otherwise each time (a line-clamp's ellipsis is added to its box when painted).
_PAGE_DEPENDENT = re.compile(r"counters?\(\s*pages\b|target-(?:counters?|text)|string-set|running\(|element\("
                             r"|footnote|position\s*:\s*fixed"
                             r"|line-clamp|max-lines|block-ellipsis|continue\s*:", re.I)


def _shareable(html: str, templates: Path) -> bytes | None:
    """Whether the Phụ lục's layout may be shared with other briefings: none of the template's
    stylesheets (its own files, the page's <style> and style attributes) uses what _PAGE_DEPENDENT
    names. If so, the digest of the template's stylesheet files, for the store's key: an office
    that edits them while the page runs gets a new layout."""
    styles = [m.group(1) or m.group(2) or "" for m in
              re.finditer(r"<style[^>]*>(.*?)</style>|\sstyle=\"([^\"]*)\"", html, re.S)]
    try:
        files = [(p.relative_to(templates).as_posix(), p.read_bytes()) for p in sorted(templates.rglob("*.css"))]
    except (OSError, ValueError):
        return None
    styles += [data.decode("utf-8", "replace") for _, data in files]
    if any(_PAGE_DEPENDENT.search(css) for css in styles):
        return None
    digest = hashlib.sha256()
    for name, data in files:
        digest.update(name.encode("utf-8") + b"\x00" + hashlib.sha256(data).digest())
    return digest.digest()


def identifier_of(html: str, charts: dict[str, ChartFiles]) -> bytes:
    """The PDF's /ID: the same text and drawings give the same identifier."""
    return hashlib.sha256(html.encode("utf-8") + b"".join(c.svg for c in charts.values())).digest()[:16]


def render_pdf(html: str, templates: Path, charts: dict[str, ChartFiles] | Callable[[], dict[str, ChartFiles]],
               identifier: bytes | None = None, fallbacks: list[Path] | None = None,
               shared: dict | None = None) -> tuple[bytes, int, list[str]]:  # type: ignore[type-arg]
    """The PDF bytes, the page count and the references the fetcher refused. Any other
    WeasyPrint warning (a missing glyph, a bad CSS rule) fails the build instead of
    degrading the document.

    The notice and its Phụ lục are laid out as two documents and written as one (WeasyPrint's
    Document.copy). `shared`: a store kept by a batch worker, where a laid-out appendix waits
    for the next province with the same (see _appendix_pages); its charts must be those of
    the same drawings. `charts` may be a function that waits for charts drawn elsewhere: it is
    called when the layout first asks for a chart (the notice shows none: it is laid out
    meanwhile) or, at the latest, before the Phụ lục. `identifier`: the PDF's /ID, by default
    identifier_of(html, charts)."""
    HTML = weasyprint().HTML

    from .pdftags import install

    install()
    repaint.install()
    retext.install()
    rebreak.install()
    written.install()
    parsed.install()
    if shared is not None:      # a worker that writes the day's briefings one after another
        from . import deflated

        deflated.install()
    drawn: dict[str, ChartFiles] = {}          # the fetcher's: filled before anything shows a chart
    pending = [charts] if callable(charts) else []
    if not callable(charts):
        drawn.update(charts)

    def draw_now() -> dict[str, ChartFiles]:
        while pending:
            drawn.update(pending.pop()())
        return drawn

    fetcher = _fetcher(templates, draw_now, fallbacks)
    base_url = templates.resolve().as_uri() + "/"

    def lay(text: str):  # type: ignore[no-untyped-def]
        return HTML(string=text, base_url=base_url, url_fetcher=fetcher).render(font_config=font_config())

    with warnings_heard() as heard:
        parts = _parts(html)
        if parts is None:
            document = lay(html)
        else:
            notice = lay(parts[0])
            charts = draw_now()
            styles = _shareable(html, templates) if shared is not None else None
            drawings = b"".join(hashlib.sha256(charts[k].svg).digest() for k in sorted(charts))
            store = shared if styles is not None else None
            document = notice.copy([*notice.pages, *_appendix_pages(parts[1], lay, store, drawings + (styles or b""))])
        out = io.BytesIO()
        # PDF/A-2b, tagged: a structure tree (headings, paragraphs, tables, figures with their alt
        # text) in the document language, for screen readers and reflow.
        document.write_pdf(out, pdf_variant="pdf/a-2b", pdf_identifier=identifier or identifier_of(html, drawn), uncompressed_pdf=False, pdf_tags=True)
    refused = [m for m in heard if REFUSED in m]
    serious = [m for m in heard if "fontTools" not in m and REFUSED not in m]
    if serious:
        raise BuildError(msg("pdf.renderer_reported", "the PDF renderer reported: {what}", what="; ".join(serious[:3])))
    return out.getvalue(), len(document.pages), refused

"""HTML → PDF with WeasyPrint: PDF/A-2b, the body font embedded, and nothing fetched
but the project's own template files, the font and the charts in memory."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from ..errors import BuildError
from .charts import ChartFiles
from .fonts import body_font


REFUSED = "reportgen fetches nothing outside its own files"


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _fetcher(templates: Path, charts: dict[str, ChartFiles], fallbacks: list[Path] | None = None):  # type: ignore[no-untyped-def]
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
                if stem in charts and ext == "svg":
                    return URLFetcherResponse(url, charts[stem].svg, {"Content-Type": "image/svg+xml"})
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


def render_pdf(html: str, templates: Path, charts: dict[str, ChartFiles], identifier: bytes,
               fallbacks: list[Path] | None = None) -> tuple[bytes, int, list[str]]:
    """The PDF bytes, the page count and the references the fetcher refused. Any other
    WeasyPrint warning (a missing glyph, a bad CSS rule) fails the build instead of
    degrading the document."""
    from weasyprint import HTML

    from .pdftags import install

    install()
    handler = _Warnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        document = HTML(string=html, base_url=templates.resolve().as_uri() + "/",
                        url_fetcher=_fetcher(templates, charts, fallbacks)).render(font_config=font_config())
        out = io.BytesIO()
        # PDF/A-2b, tagged: a structure tree (headings, paragraphs, tables, figures with their alt
        # text) in the document language, for screen readers and reflow.
        document.write_pdf(out, pdf_variant="pdf/a-2b", pdf_identifier=identifier, uncompressed_pdf=False, pdf_tags=True)
    finally:
        logger.removeHandler(handler)
    refused = [m for m in handler.messages if REFUSED in m]
    serious = [m for m in handler.messages if "fontTools" not in m and REFUSED not in m]
    if serious:
        raise BuildError("the PDF renderer reported: " + "; ".join(serious[:3]))
    return out.getvalue(), len(document.pages), refused

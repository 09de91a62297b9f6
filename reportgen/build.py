"""reportgen build: province + date → DOCX and PDF under output/<slug>/, written atomically."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from . import paths
from .briefing.compose import Options, compose
from .briefing.model import Briefing
from .errors import BuildError, InputError
from .provinces import Resolution, resolve

FORMATS = ("pdf", "docx")


@dataclass
class Request:
    province: str
    when: date
    out: Path
    formats: tuple[str, ...] = FORMATS
    facts: Path | None = None
    options: Options = field(default_factory=Options)
    templates: Path | None = None


@dataclass
class Result:
    resolution: Resolution
    planned: list[Path]
    written: list[Path] = field(default_factory=list)
    pages: int | None = None


def slug(resolution: Resolution) -> str:
    return resolution.province.code.replace("_", "-")


def planned_paths(req: Request, resolution: Resolution) -> list[Path]:
    folder = req.out / slug(resolution)
    stem = f"thong-bao-{slug(resolution)}-{req.when.isoformat()}"
    return [folder / f"{stem}.{fmt}" for fmt in req.formats]


def created_at(when: date) -> datetime:
    """Document timestamps: SOURCE_DATE_EPOCH when set, else the briefing date (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise InputError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds.") from None
    return datetime(when.year, when.month, when.day, tzinfo=timezone.utc)


def load_checked_facts(facts: Path | None):  # type: ignore[no-untyped-def]
    """The fact base, refused unless every fact in it still traces to its source."""
    from .catalogue import load_catalogue
    from .factbase import load_factbase
    from .verify import verify

    facts = facts or paths.facts_file()
    catalogue = load_catalogue(paths.catalogue_file())
    fb = load_factbase(facts)
    report = verify(fb, catalogue, paths.seeds_dir())
    if report.errors:
        raise InputError(f"{facts}: the fact base does not verify, so no briefing is built from it: "
                         + " ".join(report.errors[:3]) + " Run `reportgen facts verify` for the full list.")
    return fb, catalogue


def prepare(req: Request) -> tuple[Result, Briefing]:
    resolution = resolve(req.province)
    fb, catalogue = load_checked_facts(req.facts)
    briefing = compose(fb, catalogue, resolution, req.when, req.options)
    return Result(resolution=resolution, planned=planned_paths(req, resolution)), briefing


def build(req: Request) -> Result:
    result, briefing = prepare(req)
    outputs = render(briefing, req.formats, req.templates)
    folder = result.planned[0].parent
    _check_folder(req.out, folder)
    from .yamlio import write_atomic

    for path in result.planned:
        data, pages = outputs[path.suffix[1:]]
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise BuildError(f"{path}: cannot write the briefing ({exc.strerror or exc}).") from None
        result.written.append(path)
        if pages:
            result.pages = pages
    return result


def _check_folder(out: Path, folder: Path) -> None:
    for p in (out, folder):
        if p.exists() and not p.is_dir():
            raise BuildError(f"{p}: exists and is not a folder; --out must name a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{folder}: cannot create the output folder ({exc.strerror or exc}).") from None
    if not os.access(folder, os.W_OK):
        raise BuildError(f"{folder}: the output folder is not writable.")


def render(b: Briefing, formats: tuple[str, ...], templates: Path | None = None) -> dict[str, tuple[bytes, int | None]]:
    """All requested formats as bytes, from one HTML document; nothing touches the disk."""
    from .render.charts import render as render_chart
    from .render.fonts import check_glyphs
    from .render.html import render_html, templates_dir

    folder = templates or templates_dir()
    created = created_at(b.date)
    html = render_html(b, created.isoformat(), folder)
    check_glyphs(re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[-1]), "the briefing text")
    charts = {c.id: render_chart(c) for c in b.charts}
    out: dict[str, tuple[bytes, int | None]] = {}
    if "pdf" in formats:
        from .render.pdf import render_pdf

        digest = hashlib.sha256(html.encode("utf-8") + b"".join(c.svg for c in charts.values())).digest()[:16]
        out["pdf"] = render_pdf(html, folder, charts, digest)
    if "docx" in formats:
        from .render.docx import render_docx

        out["docx"] = (render_docx(html, charts, b.title, b.summary, b.author, b.keywords, created), None)
    return out

"""reportgen build: province + date → DOCX and PDF under output/<slug>/, written atomically."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths
from .briefing.compose import Options, compose
from .briefing.model import Briefing
from .errors import BuildError, InputError, ReportgenError
from .provinces import Resolution, resolve

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .factbase import FactBase
    from .registry import Registry

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
    notes: list[str] = field(default_factory=list)   # for the user: fallback faces, ignored references


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


@dataclass
class Checked:
    """A fact base that verified, with the catalogue and registry that read it."""
    fb: "FactBase"
    catalogue: "Catalogue"
    registry: "Registry"


def load_checked_facts(facts: Path | None) -> Checked:
    """The fact base, refused unless every fact in it still traces to its source."""
    from .catalogue import load_catalogue
    from .factbase import load_factbase
    from .registry import load_registry
    from .verify import verify

    facts = facts or paths.facts_file()
    catalogue = load_catalogue(paths.catalogue_file())
    registry = load_registry(paths.registry_file())
    fb = load_factbase(facts)
    stamp = _verified_stamp(facts)
    if stamp is not None and stamp.exists():
        return Checked(fb, catalogue, registry)     # these very bytes verified before
    report = verify(fb, catalogue, paths.seeds_dir(), paths.cache_dir(), registry=registry)
    if report.errors:
        raise InputError(f"{facts}: the fact base does not verify, so no briefing is built from it: "
                         + " ".join(report.errors[:3]) + " Run `reportgen facts verify` for the full list.")
    if report.conflicts:
        raise InputError(f"{facts}: the documents disagree, so no briefing is built from this fact base: "
                         + " ".join(report.conflicts[:2]) + " Run `reportgen facts verify` for the full list.")
    if stamp is not None:
        try:
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
        except OSError:
            pass   # a read-only project verifies every time
    return Checked(fb, catalogue, registry)


def _verified_stamp(facts: Path) -> Path | None:
    """A file named by the hash of everything verification reads — the fact base, the
    catalogue, corrections and registry, every file in seeds/, and reportgen's own code —
    that exists once these inputs verified. Any change to any of them is a new name."""
    import hashlib

    h = hashlib.sha256()
    try:
        for path in (facts, paths.catalogue_file(), paths.corrections_file(), paths.registry_file()):
            h.update(path.read_bytes() if path.is_file() else b"-")
            h.update(b"\x00")
        seeds = paths.seeds_dir()
        for path in sorted(seeds.iterdir()) if seeds.is_dir() else []:
            h.update(path.name.encode("utf-8", "surrogateescape") + b"\x00")
            h.update(path.read_bytes() if path.is_file() else (b"link" if path.is_symlink() else b"other"))
            h.update(b"\x00" + (str(path.resolve()).encode("utf-8", "surrogateescape") if path.is_symlink() else b""))
        code = Path(__file__).resolve().parent
        for path in sorted(code.rglob("*.py")) + sorted((code / "data").glob("*")):
            h.update(path.read_bytes())
    except OSError:
        return None
    return paths.cache_dir().parent / "verified" / h.hexdigest()


def prepare(req: Request) -> tuple[Result, Briefing]:
    resolution = resolve(req.province)
    checked = load_checked_facts(req.facts)
    briefing = compose(checked.fb, checked.catalogue, checked.registry, resolution, req.when, req.options)
    return Result(resolution=resolution, planned=planned_paths(req, resolution)), briefing


def build(req: Request) -> Result:
    result, briefing = prepare(req)
    outputs = render_in_two(briefing, req, result.notes)
    folder = result.planned[0].parent
    check_folder(req.out, folder)
    write_outputs(result, outputs)
    write_manifest(folder, input_key(req), result.written)
    return result


def write_outputs(result: Result, outputs: dict[str, tuple[bytes, int | None]]) -> None:
    """Both files or neither (see yamlio.write_all_atomic): a failure leaves the previous
    briefing whole."""
    from .yamlio import write_all_atomic

    try:
        write_all_atomic([(path, outputs[path.suffix[1:]][0]) for path in result.planned])
    except OSError as exc:
        raise BuildError(f"{result.planned[0].parent}: cannot write the briefing ({exc.strerror or exc}); "
                         "the previous files are unchanged.") from None
    result.written = list(result.planned)
    result.pages = next((pages for _, pages in outputs.values() if pages), None)


def check_folder(out: Path, folder: Path) -> None:
    for p in (out, folder):
        if p.exists() and not p.is_dir():
            raise BuildError(f"{p}: exists and is not a folder; --out must name a folder.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"{folder}: cannot create the output folder ({exc.strerror or exc}).") from None
    if not os.access(folder, os.W_OK):
        raise BuildError(f"{folder}: the output folder is not writable.")


def render_in_two(b: Briefing, req: Request, notes: list[str]) -> dict[str, tuple[bytes, int | None]]:
    """One briefing on two cores: a forked helper draws the charts — handing over the SVGs
    as soon as they exist — and then writes the DOCX, while this process lays out the PDF.
    A single build then takes about the longer of the two paths, not their sum."""
    import multiprocessing

    if "pdf" not in req.formats or "docx" not in req.formats or not b.charts:
        return render(b, req.formats, req.templates, notes=notes)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    helper = ctx.Process(target=_helper, args=(b, req, send), daemon=True)
    helper.start()
    send.close()
    try:
        warm_renderers(req.templates)
        svgs = _receive(receive)
        from .render.charts import ChartFiles

        outputs = render(b, ("pdf",), req.templates, charts={k: ChartFiles(svg=v, png=b"") for k, v in svgs.items()},
                         notes=notes)
        outputs.update(_receive(receive))
    finally:
        receive.close()
        helper.join(timeout=30)
        if helper.is_alive():
            helper.kill()
    return outputs


def _helper(b: Briefing, req: Request, send) -> None:  # type: ignore[no-untyped-def]
    try:
        from .render.charts import ChartFiles, render_all

        svgs, pngs = render_all(b.charts, on_svg=lambda svgs: send.send(("ok", svgs)))
        charts = {k: ChartFiles(svg=svgs[k], png=pngs[k]) for k in svgs}
        send.send(("ok", render(b, ("docx",), req.templates, charts=charts)))
    except BaseException as exc:  # noqa: BLE001 - the parent reports it
        message = exc.message if isinstance(exc, ReportgenError) else f"{type(exc).__name__}: {exc}"
        try:
            send.send(("error", message))
        except OSError:
            pass
    finally:
        send.close()


def _receive(conn) -> dict:  # type: ignore[no-untyped-def, type-arg]
    try:
        status, payload = conn.recv()
    except EOFError:
        raise BuildError("the chart and DOCX helper process stopped without an answer.") from None
    if status == "error":
        raise BuildError(payload)
    return payload


def charts_beside(b: Briefing, req: Request) -> dict:  # type: ignore[type-arg]
    """Draw the charts in a forked process while this one loads the PDF and DOCX engines:
    on two cores a single build takes the longer of the two, not their sum."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if not b.charts:
        return {}
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
    except (OSError, ValueError):
        return render_charts(b)
    with pool:
        future = pool.submit(render_charts, b)
        warm_renderers(req.templates)
        return future.result()


def warm_renderers(templates: Path | None = None) -> None:
    """Import the engines and compile the template (before forking workers, or while
    charts are drawn elsewhere)."""
    import docx  # noqa: F401
    import weasyprint  # noqa: F401

    from .render import docx as _docx  # noqa: F401
    from .render import pdf as _pdf  # noqa: F401
    from .render.html import _environment, templates_dir

    from jinja2 import TemplateError

    try:
        _environment(str(templates or templates_dir())).get_template("briefing.html.j2")
    except TemplateError:
        pass   # reported, with its line, when the template is rendered


def render_charts(b: Briefing) -> dict:  # type: ignore[type-arg]
    from .render.charts import ChartFiles, render_all

    svgs, pngs = render_all(b.charts)
    return {k: ChartFiles(svg=svgs[k], png=pngs[k]) for k in svgs}


def render(b: Briefing, formats: tuple[str, ...], templates: Path | None = None, charts: dict | None = None,  # type: ignore[type-arg]
           timings: dict[str, float] | None = None, notes: list[str] | None = None
           ) -> dict[str, tuple[bytes, int | None]]:
    """All requested formats as bytes, from one HTML document; nothing touches the disk.

    `charts` lets a batch draw the charts once for every province; `timings` collects
    seconds per stage for the benchmark; `notes` collects what the user must be told
    (a fallback face, a reference the template makes that was not fetched).
    """
    import time

    from .render.fonts import check_glyphs
    from .render.html import render_html, templates_dir

    clock = timings if timings is not None else {}

    def lap(stage: str, start: float) -> float:
        now = time.perf_counter()
        clock[stage] = clock.get(stage, 0.0) + now - start
        return now

    t = time.perf_counter()
    folder = templates or templates_dir()
    created = created_at(b.date)
    html = render_html(b, created.isoformat(), folder)
    import html as html_module

    text = html_module.unescape(re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[-1]))
    fallbacks = check_glyphs(text, "the briefing text")
    told = notes if notes is not None else []
    if fallbacks:
        html = render_html(b, created.isoformat(), folder, fallbacks)
        for f in fallbacks:
            told.append(f"{len(f.characters)} characters the body font lacks ({f.characters[:20]}) "
                        f"are set in {f.family}" + (", embedded in the PDF." if "pdf" in formats else "."))
    t = lap("html", t)
    if charts is None:
        charts = render_charts(b)
        t = lap("charts", t)
    out: dict[str, tuple[bytes, int | None]] = {}
    if "pdf" in formats:
        from .render.pdf import render_pdf

        digest = hashlib.sha256(html.encode("utf-8") + b"".join(c.svg for c in charts.values())).digest()[:16]
        pdf, pages, refused = render_pdf(html, folder, charts, digest, [f.path for f in fallbacks])
        out["pdf"] = (pdf, pages)
        told += [f"ignored a reference the template makes to a resource outside the project ({m[:160]})"
                 for m in refused]
        t = lap("pdf", t)
    if "docx" in formats:
        from .render.docx import render_docx

        out["docx"] = (render_docx(html, charts, b.title, b.summary, b.author, b.keywords, created, folder), None)
        t = lap("docx", t)
    return out


def input_key(req: Request) -> str:
    """What a briefing depends on besides the province: facts, catalogue, templates,
    options, date, formats and the package version. Equal keys → the files are up to date."""
    from . import __version__
    from .render.html import templates_dir

    h = hashlib.sha256()
    for path in [req.facts or paths.facts_file(), paths.catalogue_file(), paths.registry_file()]:
        h.update(path.read_bytes())
    folder = req.templates or templates_dir()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    h.update(repr((req.when.isoformat(), req.formats, req.options, __version__,
                   os.environ.get("SOURCE_DATE_EPOCH"))).encode("utf-8"))
    return h.hexdigest()


MANIFEST = ".reportgen.json"


def write_manifest(folder: Path, key: str, files: list[Path]) -> None:
    import json

    from .yamlio import write_atomic

    data = {"key": key, "files": sorted(p.name for p in files)}
    write_atomic(folder / MANIFEST, json.dumps(data, sort_keys=True).encode("utf-8"))


def up_to_date(folder: Path, key: str, files: list[Path]) -> bool:
    import json

    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("key") == key and all(p.is_file() and p.stat().st_size > 0 for p in files)

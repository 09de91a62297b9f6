"""What the web application runs in its worker processes: the CLI's own library
functions (build, facts add, facts build), never a second implementation. Each job
returns plain data (dicts of strings) so it crosses the process boundary whole."""

from __future__ import annotations

import os
from pathlib import Path


def _home(root: str) -> None:
    os.environ["REPORTGEN_HOME"] = root


def build_briefing(root: str, folder: str, fields: dict[str, str]) -> dict:  # type: ignore[type-arg]
    """One briefing into `folder` (the build's own folder under output/web/), as `reportgen
    build` makes it; the first page also as a PNG for the result page."""
    _home(root)
    from ..build import build
    from ..errors import ReportgenError
    from ..request import make_request

    try:
        req = make_request(fields["province"], fields.get("date") or None, Path(folder), fields.get("format") or "both",
                       None, fields.get("number") or None, fields.get("issuer") or None,
                       fields.get("signer_title") or None, fields.get("signer") or None)
        result = build(req)
    except ReportgenError as exc:
        return {"ok": False, "error": exc.message, "exit": exc.exit_code}
    files = [str(p.relative_to(folder)) for p in result.written]
    pdf = next((p for p in result.written if p.suffix == ".pdf"), None)
    if pdf is not None:
        _first_page_png(pdf, Path(folder) / "page1.png")
    return {"ok": True, "province": result.resolution.province.name, "files": files, "pages": result.pages,
            "notes": list(result.notes), "date": req.when.isoformat()}


def _first_page_png(pdf: Path, out: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=1.25).to_pil()
        image.save(out, "PNG", optimize=True)
    finally:
        doc.close()


def add_and_rebuild(root: str, files: list[str], force: bool = False) -> dict:  # type: ignore[type-arg]
    """`reportgen facts add FILES` then `reportgen facts build`: what was found in each
    document, and the fact base rebuilt (or why not)."""
    _home(root)
    from .. import paths
    from ..errors import ReportgenError
    from ..intake import add_documents
    from ..registry import load_registry

    try:
        added = add_documents([Path(f) for f in files], paths.seeds_dir(), load_registry(paths.registry_file()),
                              cache=paths.cache_dir(), force=force)
    except ReportgenError as exc:
        return {"ok": False, "error": exc.message, "added": []}
    found = [{"name": a.target.name, "summary": a.summary} for a in added]
    rebuilt = rebuild_facts(root)
    return {**rebuilt, "added": found}


def rebuild_facts(root: str) -> dict:  # type: ignore[type-arg]
    """`reportgen facts build` with the project's files; the fact base is written only if it verifies."""
    _home(root)
    from .. import paths
    from ..errors import ReportgenError
    from ..update_facts import update_fact_base
    from .store import locked

    try:
        with locked("facts"):
            update_fact_base(paths.seeds_dir(), paths.facts_file(), paths.catalogue_file(), paths.corrections_file(),
                             registry_path=paths.registry_file())
    except ReportgenError as exc:
        return {"ok": False, "error": exc.message, "disputes": _disputes()}
    from ..factbase import load_factbase

    fb = load_factbase(paths.facts_file())
    open_figures = sum(1 for f in fb.figures if f.metric == "unclassified")
    message = (f"{len(fb.documents)} tài liệu, {len(fb.figures)} số liệu ({len(fb.figures) - open_figures} đã có "
               f"chỉ tiêu), {len(fb.targets)} mục tiêu, {len(fb.tasks)} nhiệm vụ, {len(fb.statements)} đoạn trích, "
               f"{len(fb.events)} sự kiện, {len(fb.bridge_points)} điểm cầu")
    if open_figures:
        message += f"; {open_figures} số liệu chưa có chỉ tiêu cần rà soát"
    return {"ok": True, "message": message + "."}


def _disputes() -> list[dict]:  # type: ignore[type-arg]
    """The two records of each value two documents disagree about, for the review page."""
    from .. import paths
    from ..build_facts import build
    from ..catalogue import load_catalogue
    from ..corrections import load_corrections
    from ..errors import ReportgenError
    from ..registry import load_registry
    from ..verify import verify

    try:
        catalogue = load_catalogue(paths.catalogue_file())
        corrections = load_corrections(paths.corrections_file())
        registry = load_registry(paths.registry_file())
        fb = build(paths.seeds_dir(), catalogue, corrections, registry, cache=paths.cache_dir())
        report = verify(fb, catalogue, paths.seeds_dir(), paths.cache_dir(), corrections, registry, derived=fb)
    except ReportgenError:
        return []
    return [{"metric": a.metric, "sides": [{"source": r.source, "quote": r.quote, "value": r.value, "unit": r.unit}
                                           for r in (a, b)]} for a, b in report.disputes]

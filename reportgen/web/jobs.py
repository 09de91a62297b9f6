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
    p = result.resolution.province
    notes = list(result.notes)
    if result.resolution.former:
        notes.insert(0, f"«{result.resolution.typed}» là tỉnh {result.resolution.former} cũ, nay thuộc "
                        f"{p.full_name[:1].lower()}{p.full_name[1:]} theo Nghị quyết số 202/2025/QH15: thông báo "
                        f"được lập cho {p.full_name[:1].lower()}{p.full_name[1:]}.")
    return {"ok": True, "province": p.name, "files": files, "pages": result.pages, "notes": notes,
            "date": req.when.isoformat()}


def _first_page_png(pdf: Path, out: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=1.25).to_pil()
        image.save(out, "PNG", optimize=True)
    finally:
        doc.close()


def add_and_rebuild(root: str, files: list[str], force: bool = False) -> dict:  # type: ignore[type-arg]
    """`reportgen facts add` (a file that cannot be added is named, the others are added),
    then `reportgen facts build` if any was added."""
    _home(root)
    from .. import paths
    from ..errors import ReportgenError
    from ..intake import add_documents
    from ..registry import load_registry

    left_out: list[tuple[Path, str]] = []
    try:
        added = add_documents([Path(f) for f in files], paths.seeds_dir(), load_registry(paths.registry_file()),
                              cache=paths.cache_dir(), force=force, refused=left_out)
    except ReportgenError as exc:          # the seeds folder or the registry itself
        return {"ok": False, "error": exc.message, "added": [], "refused": []}
    found = [{"name": a.target.name, "summary": a.summary} for a in added]
    refused = [{"file": str(path), "error": message} for path, message in left_out]
    if not found:
        return {"ok": None, "added": [], "refused": refused}       # nothing added: the fact base is as it was
    return {**rebuild_facts(root), "added": found, "refused": refused}


def rebuild_facts(root: str) -> dict:  # type: ignore[type-arg]
    """`reportgen facts build` with the project's files; the fact base is written only if it
    verifies. When documents disagree, the two sides of each conflict come back too."""
    _home(root)
    from .. import paths
    from ..errors import ReportgenError
    from ..update_facts import Disagreement, update_fact_base
    from .store import locked

    try:
        with locked("facts"):
            fb = update_fact_base(paths.seeds_dir(), paths.facts_file(), paths.catalogue_file(),
                                  paths.corrections_file(), registry_path=paths.registry_file()).fb
    except Disagreement as exc:
        disputes = [{"metric": a.metric, "sides": [{"source": r.source, "quote": r.quote, "value": r.value,
                                                    "unit": r.unit} for r in (a, b)]} for a, b in exc.disputes]
        return {"ok": False, "error": exc.message, "disputes": disputes}
    except ReportgenError as exc:
        return {"ok": False, "error": exc.message, "disputes": []}
    open_figures = sum(1 for f in fb.figures if f.metric == "unclassified")
    message = (f"{len(fb.documents)} tài liệu, {len(fb.figures)} số liệu ({len(fb.figures) - open_figures} đã có "
               f"chỉ tiêu), {len(fb.targets)} mục tiêu, {len(fb.tasks)} nhiệm vụ, {len(fb.statements)} đoạn trích, "
               f"{len(fb.events)} sự kiện, {len(fb.bridge_points)} điểm cầu")
    if open_figures:
        message += f"; {open_figures} số liệu chưa có chỉ tiêu cần rà soát"
    return {"ok": True, "message": message + "."}

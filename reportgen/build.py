"""reportgen build: province + date → DOCX and PDF under output/<slug>/, written atomically."""

from __future__ import annotations

from .i18n import msg

import hashlib
import os
import re
import signal
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths, sealed
from .budget import (Interrupts, check_interrupt, collector_paused, done_with_interrupts, interrupts_held,
                     watch_interrupts)
from .briefing.options import Options
from .errors import BuildError, InputError, ReportgenError
from .provinces import Resolution, resolve

if TYPE_CHECKING:
    from collections.abc import Callable

    from .briefing.model import Briefing
    from .catalogue import Catalogue
    from .factbase import FactBase
    from .i18n import Message
    from .registry import Registry

FORMATS = ("pdf", "docx")
VERIFIED_LIMIT = 100     # verified marks kept (.cache/verified): an evicted one costs one verification more


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
    about: dict = field(default_factory=dict)         # type: ignore[type-arg]  # what it reports (the page's result)


def slug(resolution: Resolution) -> str:
    return resolution.province.code.replace("_", "-")


REVIEW_SUFFIX = "-ban-theo-doi-nguon"


def planned_paths(req: Request, resolution: Resolution) -> list[Path]:
    """The files of a briefing; the review copy (sources marked, kept by the office) has its own names."""
    folder = req.out / slug(resolution)
    stem = f"thong-bao-{slug(resolution)}-{req.when.isoformat()}" + (REVIEW_SUFFIX if req.options.review else "")
    return [folder / f"{stem}.{fmt}" for fmt in req.formats]


def created_at(when: date) -> datetime:
    """Document timestamps: SOURCE_DATE_EPOCH when set, else the briefing date (reproducible)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise InputError(msg('build.source_date_epoch_not', "SOURCE_DATE_EPOCH={epoch} is not a number of seconds.", epoch=f"{epoch!r}")) from None
    return datetime(when.year, when.month, when.day, tzinfo=timezone.utc)


@dataclass
class Checked:
    """A fact base that verified, with the catalogue and registry that read it."""
    fb: "FactBase"
    catalogue: "Catalogue"
    registry: "Registry"


@dataclass
class Warm:
    """What a long-lived process (a build worker of the office's page) keeps between builds, each
    keyed by what it depends on: the checked fact base (by the verified stamp, the hash of every
    input and of reportgen's code), the drawn charts (by chart_key), the laid-out appendices
    (render/pdf.py). A build with it is the same bytes as one without, sooner."""
    facts: dict = field(default_factory=dict)         # type: ignore[type-arg]
    charts: dict = field(default_factory=dict)        # type: ignore[type-arg]
    appendices: dict = field(default_factory=dict)    # type: ignore[type-arg]
    LIMIT = 64                                        # entries of each, then it starts afresh

    def trim(self) -> None:
        cleared = False
        for store in (self.facts, self.charts, self.appendices):
            if len(store) > self.LIMIT:
                store.clear()
                cleared = True
        import gc

        if cleared and gc.get_freeze_count():
            # what the worker froze at warm-up (budget.freeze_kept) may be among what was let
            # go: back in the collector's sight, collected, and the rest frozen again
            from .budget import freeze_kept

            gc.unfreeze()
            freeze_kept()


def load_checked_facts(facts: Path | None, warm: Warm | None = None) -> Checked:
    """The fact base, refused unless every fact in it still traces to its source. With `warm`,
    the fact base read and checked for the same inputs before is taken again."""
    from .catalogue import load_catalogue
    from .factbase import load_factbase
    from .registry import load_registry
    from .verify import verify

    facts = facts or paths.facts_file()
    stamp = _verified_stamp(facts)
    if warm is not None and stamp is not None and stamp.name in warm.facts and _stamp_good(stamp):
        return warm.facts[stamp.name]               # read and checked in this process before
    catalogue = load_catalogue(paths.catalogue_file())
    registry = load_registry(paths.registry_file())
    fb = load_factbase(facts)
    if stamp is not None and _stamp_good(stamp):
        checked = Checked(fb, catalogue, registry)     # these very bytes verified before
        if warm is not None:
            warm.facts[stamp.name] = checked
        return checked
    report = verify(fb, catalogue, paths.seeds_dir(), paths.cache_dir(), registry=registry)
    if report.errors:
        raise InputError(msg("build.does_not_verify", "{facts}: the fact base does not verify, so no briefing is built "
                             "from it: {errors} Run `reportgen facts verify` for the full list.", facts=facts,
                             errors=tuple(report.errors[:3])))
    if report.conflicts:
        raise InputError(msg("build.documents_disagree", "{facts}: the documents disagree, so no briefing is built from "
                             "this fact base: {conflicts} Run `reportgen facts verify` for the full list.", facts=facts,
                             conflicts=tuple(report.conflicts[:2])))
    if stamp is not None:          # (a read-only project, or no key, verifies every time)
        sealed.write_entry("verified", stamp.parent, stamp.name, b"", VERIFIED_LIMIT)
    checked = Checked(fb, catalogue, registry)
    if warm is not None and stamp is not None and _stamp_good(stamp):
        warm.facts[stamp.name] = checked
    return checked


def _stamp_good(stamp: Path) -> bool:
    """The mark is a signed entry under its own name made with this user's key (sealed): a
    mark written by hand (or copied from another machine) does not skip verification."""
    return sealed.read_entry("verified", stamp.parent, stamp.name) is not None


def _verified_stamp(facts: Path) -> Path | None:
    """A file named by the hash of everything verification reads — the fact base, the
    catalogue, corrections and registry, every file in seeds/, and reportgen's own code —
    that exists once these inputs verified. Any change to any of them is a new name. It
    holds a tag made with the user's key (reportgen.sealed): only reportgen can write one."""
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
        h.update(paths.code_digest())
    except OSError:
        return None
    return paths.cache_dir().parent / "verified" / h.hexdigest()


def prepare(req: Request, warm: Warm | None = None) -> tuple[Result, Briefing]:
    from .briefing.compose import compose

    resolution = resolve(req.province, req.when)      # the unit of the briefing's day
    checked = load_checked_facts(req.facts, warm)
    briefing = compose(checked.fb, checked.catalogue, checked.registry, resolution, req.when, req.options)
    result = Result(resolution=resolution, planned=planned_paths(req, resolution))
    note = stale_note(briefing)
    if note:
        result.notes.append(note)
    fb = checked.fb
    sources = {s for r in (*fb.figures, *fb.targets, *fb.tasks, *fb.statements, *fb.bridge_points)
               for s in (r.source, *r.also_in)} | {s for e in fb.events for s in e.sources}
    own_day = lambda d: (d.issued or d.event_date or d.published or "")[:10]  # noqa: E731 - the day the archive lists
    used = [d for d in fb.documents if d.id in sources and own_day(d) and own_day(d) <= req.when.isoformat()]
    newest = max(used, key=lambda d: (own_day(d), d.id), default=None)      # a document that gave the briefing facts
    result.about = {"session": briefing.session.meeting, "session_day": briefing.session.day.isoformat(),
                    "months_before": briefing.session.months_before, "stale": briefing.stale,
                    "newest": {k: getattr(newest, k) for k in ("id", "title", "outlet", "issuer", "official", "issued",
                                                               "event_date", "published")} if newest else None,
                    "newest_day": own_day(newest) if newest else ""}
    return result, briefing


def stale_note(b: Briefing) -> str | None:
    """A warning for the clerk when the latest session is more than three months old."""
    if not b.stale:
        return None
    from .briefing.nd30 import short_date

    return (f"Cảnh báo: phiên họp mới nhất trong các tài liệu nguồn là {b.session.meeting} ngày "
            f"{short_date(b.session.day)}, trước ngày của thông báo ({short_date(b.date)}) {b.session.months_before} "
            "tháng. Hãy bổ sung văn bản, tin bài về các phiên họp sau đó (reportgen facts add) hoặc kiểm tra lại "
            "ngày của thông báo.")


def build(req: Request, warm: Warm | None = None) -> Result:
    """One briefing, written all or none. `warm`: a long-lived process's stores (Warm): the
    build runs in this process with them, instead of drawing the charts in a forked helper."""
    with watch_interrupts() as interrupts:
        try:
            if warm is None and "pdf" in req.formats and "docx" in req.formats:
                result, outputs = build_in_two(req, interrupts)
            else:
                result, briefing = prepare(req, warm)
                interrupts.check()
                if warm is not None:
                    warm.trim()
                outputs = render(briefing, req.formats, req.templates, notes=result.notes,
                                 drawn=warm.charts if warm is not None else None,
                                 shared=warm.appendices if warm is not None else None)
            interrupts.check()
            folder = result.planned[0].parent
            check_folder(req.out, folder)
            write_outputs(result, outputs, input_key(req))
        except Exception:
            if interrupts.seen and not interrupts.done:   # an error Ctrl-C caused ("Failed to render SVG image")
                raise KeyboardInterrupt from None
            raise
    return result


def write_outputs(result: Result, outputs: dict[str, tuple[bytes, int | None]], key: str | None = None) -> None:
    """Both files or neither (see yamlio.write_all_atomic), and with `key` the manifest
    (.reportgen.json) with them, renamed last: a failure anywhere — a full disk at the
    manifest included — leaves the previous briefing and its manifest whole. A Ctrl-C
    before the renames calls the write off; during them it waits for the last one."""
    from .yamlio import os_error_text, write_all_atomic

    folder = result.planned[0].parent
    files = [(path, outputs[path.suffix[1:]][0]) for path in result.planned]
    if key is not None:
        files.append((folder / MANIFEST, _manifest(key, result.planned)))
    try:
        with interrupts_held():
            write_all_atomic(files, before_commit=check_interrupt)
            done_with_interrupts()
    except OSError as exc:
        raise BuildError(msg('build.cannot_write_briefing_previous', "{folder}: cannot write the briefing ({os_error_text}); the previous files are unchanged.", folder=folder, os_error_text=os_error_text(exc))) from None
    result.written = list(result.planned)
    result.pages = next((pages for _, pages in outputs.values() if pages), None)


def check_out(folder: Path) -> None:
    """What can be told without writing (a dry run too): the province folder, or else the
    nearest part of its path that exists, is a folder."""
    for p in [folder, *folder.absolute().parents]:
        try:
            p.lstat()
        except OSError:
            continue                 # not there (or under a file: found further up)
        if not p.is_dir():
            raise InputError(msg('build.exists_not_folder_out', "{p}: exists and is not a folder; --out must name a folder.", p=p))
        return


def check_folder(out: Path, folder: Path) -> None:
    check_out(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(msg('build.cannot_create_output_folder', "{folder}: cannot create the output folder ({value}).", folder=folder, value=exc.strerror or exc)) from None
    if not os.access(folder, os.W_OK):
        raise BuildError(msg('build.output_folder_not_writable', "{folder}: the output folder is not writable.", folder=folder))


@collector_paused()
def build_in_two(req: Request, interrupts: Interrupts) -> tuple[Result, dict[str, tuple[bytes, int | None]]]:
    """One briefing on two cores, from a cold start. A forked helper reads the fact base,
    composes the briefing and makes its HTML (html_page), hands that over, draws the charts —
    handing over the SVGs as soon as they exist — and then writes the DOCX; meanwhile this
    process loads the PDF engine, then lays out the notice, which shows no chart; the Phụ lục
    waits for the SVGs. A single build then takes about the longer of the two paths, not their
    sum. The cycle collector waits meanwhile (budget.collector_paused)."""
    import multiprocessing

    resolve(req.province, req.when)     # a name that is no province is said at once (the helper has it too)
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    # not a daemon: reading a fact base not verified yet runs worker processes of its own
    helper = ctx.Process(target=_helper, args=(req, send, receive, os.getpid()), daemon=False)
    helper.start()
    send.close()
    done = False
    try:
        warm_renderers(req.templates, docx=False)
        result, page = _receive(receive)
        interrupts.check()
        from .render.drawn import ChartFiles

        received: list[dict] = []  # type: ignore[type-arg]

        def charts() -> dict:  # type: ignore[type-arg]
            if not received:
                received.append({k: ChartFiles(svg=v, png=b"") for k, v in _receive(receive).items()})
            return received[0]

        outputs = {"pdf": page_pdf(page, req.templates or paths.templates_dir(), charts, result.notes)}
        charts()    # a briefing without a Phụ lục shows no chart, but the helper sends its (empty) drawings
        outputs.update(_receive(receive))
        done = True
    finally:
        with interrupts_held():
            receive.close()
            _ended(helper, done)
    return result, outputs


def _ended(helper, done: bool) -> None:  # type: ignore[no-untyped-def]
    """A helper process waited for; when its work is not wanted (Ctrl-C, a failure: not
    `done`), or it does not end, killed."""
    if not done:
        helper.kill()
    helper.join(timeout=30 if done else 5)
    if helper.is_alive():
        helper.kill()
        helper.join(timeout=5)


def die_with_parent(parent: int | None = None) -> None:
    """A forked helper or worker is killed when its parent dies (see budget.die_with_parent)."""
    from .budget import die_with_parent as die

    die(parent)


def _helper(req: Request, send, receive=None, parent: int | None = None) -> None:  # type: ignore[no-untyped-def]
    # Ctrl-C is the parent's to handle (it kills this process); the parent's end of the pipe
    # is closed here, or a send blocked on a full pipe would never see the parent go.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    if receive is not None:
        receive.close()
    try:
        result, b = prepare(req)
        page = html_page(b, req.formats, req.templates or paths.templates_dir())
        result.notes += page.notes
        send.send(("ok", (result, page)))
        charts = render_charts(b, on_svgs=lambda svgs: send.send(("ok", svgs)))
        send.send(("ok", render(b, ("docx",), req.templates, charts=charts, page=page)))
    except BaseException as exc:  # noqa: BLE001 - the parent reports it
        try:
            send.send(_as_sent(exc))
        except OSError:
            pass
    finally:
        send.close()


def _as_sent(exc: BaseException, helper: str = "build.build_in_two") -> tuple[str, object]:
    """An error of the helper as the parent raises it: the same class and message, with the
    helper's traceback as a note (shown with REPORTGEN_DEBUG=1). One that cannot cross the pipe
    whole keeps its words and what the CLI makes of it: an InputError or BuildError its exit
    code (2 for input the user can fix, 1 otherwise), anything else its name, as an internal error."""
    import pickle
    import traceback

    where = f"in the helper process ({helper}):\n" + "".join(traceback.format_exception(exc)).rstrip()
    try:
        exc.add_note(where)
        pickle.loads(pickle.dumps(exc))
        return ("raise", exc)
    except Exception:  # noqa: BLE001 - an exception that does not pickle is said in words
        pass
    if isinstance(exc, ReportgenError):
        said = (InputError if isinstance(exc, InputError) else BuildError)(exc.said)
        said.add_note(where)
        return ("raise", said)
    return ("crash", (type(exc).__name__, str(exc), where))


def _receive(conn, lost: "Message | None" = None):  # type: ignore[no-untyped-def]
    """The helper's next answer (`lost`: what to say if it stopped without one)."""
    try:
        status, payload = conn.recv()
    except EOFError:
        raise BuildError(lost or msg('build.chart_docx_helper_process', "the chart and DOCX helper process stopped without an answer.")) from None
    if status == "raise":
        raise payload
    if status == "crash":            # an exception that did not pickle: one of its name and words
        name, words, where = payload
        crash = type(name, (Exception,), {})(words)
        crash.add_note(where)
        raise crash
    return payload


def composed_beside(compose: "Callable[[], list[Briefing]]", req: Request) -> "tuple[list[Briefing], dict]":  # type: ignore[type-arg]
    """A batch's briefings composed and their charts drawn in a forked helper while this
    process loads the PDF and DOCX engines: on two cores the batch's setup takes the longer of
    the two, not their sum. `compose` runs in the helper (what it reads is inherited, not
    sent); the briefings come back, then their charts by chart_key, each distinct chart drawn
    once, so the workers never draw."""
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    try:
        receive, send = ctx.Pipe(duplex=False)
        helper = ctx.Process(target=_composer, args=(compose, send, receive, os.getpid()), daemon=False)
        helper.start()
    except (OSError, ValueError):      # no process to spare: one after the other, here
        briefings = compose()
        return briefings, _draw_keyed(_distinct_charts(briefings))
    send.close()
    done = False
    try:
        warm_renderers(req.templates)
        lost = msg('build.batch_helper_process', "the helper process that composes the briefings and draws their charts stopped without an answer.")
        briefings = _receive(receive, lost)
        charts = _receive(receive, lost)
        done = True
    finally:
        receive.close()
        _ended(helper, done)
    return briefings, charts


def _distinct_charts(briefings: "list[Briefing]") -> list:  # type: ignore[type-arg]
    return list({chart_key(c): c for b in briefings for c in b.charts}.values())


def _composer(compose, send, receive, parent: int) -> None:  # type: ignore[no-untyped-def]
    # As build_in_two's helper: Ctrl-C is the parent's; the parent's end of the pipe closed here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    receive.close()
    try:
        briefings = compose()
        unique = _distinct_charts(briefings)
        charts = _draw_keyed(unique) if unique else {}
        # sent after the drawing: a send larger than the pipe holds waits for the parent, which
        # reads only when its engines are loaded — the charts are drawn meanwhile
        send.send(("ok", briefings))
        send.send(("ok", charts))
    except BaseException as exc:  # noqa: BLE001 - the parent reports it
        try:
            send.send(_as_sent(exc, "build.composed_beside"))
        except OSError:
            pass
    finally:
        send.close()


def _draw_keyed(charts: list, on_svgs=None) -> dict:  # type: ignore[type-arg, no-untyped-def]
    """The charts by chart_key: kept from an earlier run (render/kept.py), else drawn and kept.
    `on_svgs` gets every chart's SVG (by chart_key) as soon as they all exist, before the slower
    PNGs are drawn."""
    from .render import kept
    from .render.charts import ChartFiles, render_all

    out: dict = {}  # type: ignore[type-arg]
    for c in charts:
        key = chart_key(c)
        if key not in out and (found := kept.get(key)) is not None:
            out[key] = found
    svgs = {key: files.svg for key, files in out.items()}
    wanted = {chart_key(c) for c in charts}

    def got(batch: list, drawn: dict) -> None:  # type: ignore[type-arg]
        svgs.update({chart_key(c): drawn[c.id] for c in batch})
        if on_svgs and svgs.keys() >= wanted:
            on_svgs(svgs)

    # render_all draws by id: distinct drawings of one chart id go in separate calls
    pending = [c for c in charts if chart_key(c) not in out]
    if not pending:
        got([], {})
    while pending:
        batch = list({c.id: c for c in pending}.values())
        drawn, pngs = render_all(batch, on_svg=lambda drawn, batch=batch: got(batch, drawn))
        for c in batch:
            out[chart_key(c)] = ChartFiles(svg=drawn[c.id], png=pngs[c.id])
            kept.put(chart_key(c), out[chart_key(c)])
        pending = [c for c in pending if chart_key(c) not in out]
    return out


def warm_renderers(templates: Path | None = None, docx: bool = True) -> None:
    """Import the engines and compile the template (before forking workers, or while
    charts are drawn elsewhere); `docx=False`: only what the PDF of an html_page needs."""
    from .render.engine import weasyprint

    weasyprint()
    from .render import pdf as _pdf  # noqa: F401

    if not docx:
        return
    import docx as _python_docx  # noqa: F401

    from .render import docx as _docx  # noqa: F401
    from .render.html import _environment

    from jinja2 import TemplateError

    try:
        _environment(str(templates or paths.templates_dir())).get_template("briefing.html.j2")
    except TemplateError:
        pass   # reported, with its line, when the template is rendered


def chart_key(chart) -> str:  # type: ignore[no-untyped-def]
    """What a chart's drawing depends on: two briefings with equal keys share the drawing."""
    return hashlib.sha256(repr((chart.id, chart.kind, chart.data, chart.width_mm, chart.height_mm,
                                chart.unit)).encode("utf-8")).hexdigest()


def render_charts(b: Briefing, on_svgs=None) -> dict:  # type: ignore[type-arg, no-untyped-def]
    """A briefing's charts drawn (or kept from an earlier run), by chart id; `on_svgs` gets
    their SVGs by chart id as soon as they exist."""
    by_id = (lambda svgs: on_svgs({c.id: svgs[chart_key(c)] for c in b.charts})) if on_svgs else None
    drawn = _draw_keyed(b.charts, by_id)
    return {c.id: drawn[chart_key(c)] for c in b.charts}


@dataclass
class Page:
    """A briefing as the one HTML document both formats are made from (html_page)."""
    html: str
    created: datetime
    fallbacks: list  # type: ignore[type-arg]  # render.fonts.Fallback: faces for characters the body font lacks
    notes: list[str]  # for the user (the fallback faces)


def html_page(b: Briefing, formats: tuple[str, ...], folder: Path) -> Page:
    """The briefing's HTML, with the fallback faces its text needs (told in `notes`)."""
    import html as html_module

    from .render.fonts import check_glyphs
    from .render.html import render_html

    created = created_at(b.date)
    html = render_html(b, created.isoformat(), folder)
    text = html_module.unescape(re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[-1]))
    fallbacks = check_glyphs(text, "the briefing text")
    if fallbacks:
        html = render_html(b, created.isoformat(), folder, fallbacks)
    notes = [f"{len(f.characters)} characters the body font lacks ({f.characters[:20]}) are set in {f.family}"
             + (", embedded in the PDF." if "pdf" in formats else ".") for f in fallbacks]
    return Page(html, created, fallbacks, notes)


def render(b: Briefing, formats: tuple[str, ...], templates: Path | None = None, charts: dict | None = None,  # type: ignore[type-arg]
           timings: dict[str, float] | None = None, notes: list[str] | None = None, drawn: dict | None = None,  # type: ignore[type-arg]
           shared: dict | None = None, page: Page | None = None) -> dict[str, tuple[bytes, int | None]]:  # type: ignore[type-arg]
    """All requested formats as bytes, from one HTML document; nothing touches the disk.

    `charts` gives this briefing's charts already drawn (by id); `drawn` lets a batch draw each
    chart once for every province that shows the same (by chart_key; what is missing is drawn
    here and added to it: a city's task chart names "Công an thành phố"); `timings` collects
    seconds per stage for the benchmark; `shared` is a batch worker's store of laid-out
    appendices (render/pdf.py: the same bytes, less work); `notes` collects what the user must be told
    (a fallback face, a reference the template makes that was not fetched); `page`: the
    briefing's html_page when it was made already (its notes were told then).
    """
    import time

    clock = timings if timings is not None else {}

    def lap(stage: str, start: float) -> float:
        now = time.perf_counter()
        clock[stage] = clock.get(stage, 0.0) + now - start
        return now

    t = time.perf_counter()
    folder = templates or paths.templates_dir()
    told = notes if notes is not None else []
    if page is None:
        page = html_page(b, formats, folder)
        told += page.notes
    t = lap("html", t)
    if charts is None:
        drawn = {} if drawn is None else drawn
        missing = [c for c in b.charts if chart_key(c) not in drawn]
        if missing:
            drawn.update(_draw_keyed(missing))
            t = lap("charts", t)
        charts = {c.id: drawn[chart_key(c)] for c in b.charts}
    out: dict[str, tuple[bytes, int | None]] = {}
    if "pdf" in formats:
        out["pdf"] = page_pdf(page, folder, charts, told, shared)
        t = lap("pdf", t)
    if "docx" in formats:
        from .render.docx import render_docx

        out["docx"] = (render_docx(page.html, charts, b.author, b.keywords, page.created, folder), None)
        t = lap("docx", t)
    return out


def page_pdf(page: Page, folder: Path, charts, told: list[str],  # type: ignore[no-untyped-def]
             shared: dict | None = None) -> tuple[bytes, int | None]:  # type: ignore[type-arg]
    """The PDF of an html_page and its page count; what the user must be told is added to `told`."""
    from .render.pdf import render_pdf

    pdf, pages, refused = render_pdf(page.html, folder, charts, None, [f.path for f in page.fallbacks], shared)
    told += [f"ignored a reference the template makes to a resource outside the project ({m[:160]})"
             for m in refused]
    return pdf, pages


def input_key(req: Request) -> str:
    """What a briefing depends on besides the province: facts, catalogue, templates,
    options, date, formats and the package version. Equal keys → the files are up to date."""
    from . import __version__

    h = hashlib.sha256()
    for path in [req.facts or paths.facts_file(), paths.catalogue_file(), paths.registry_file(),
                 paths.assignments_file()]:
        h.update(path.read_bytes())
    folder = req.templates or paths.templates_dir()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    h.update(repr((req.when.isoformat(), req.formats, req.options, __version__,
                   os.environ.get("SOURCE_DATE_EPOCH"))).encode("utf-8"))
    return h.hexdigest()


MANIFEST = ".reportgen.json"


def _manifest(key: str, files: list[Path]) -> bytes:
    import json

    return json.dumps({"key": key, "files": sorted(p.name for p in files)}, sort_keys=True).encode("utf-8")


def write_manifest(folder: Path, key: str, files: list[Path]) -> None:
    """The manifest alone; a build writes it with its files (write_outputs with a key)."""
    from .yamlio import write_atomic

    write_atomic(folder / MANIFEST, _manifest(key, files))


def up_to_date(folder: Path, key: str, files: list[Path]) -> bool:
    import json

    try:
        data = json.loads((folder / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return data.get("key") == key and all(p.is_file() and p.stat().st_size > 0 for p in files)

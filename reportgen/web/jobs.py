"""What the web application runs in its worker processes: the CLI's own library
functions (build, facts add, facts build), never a second implementation. Each job
returns plain data (dicts of strings) so it crosses the process boundary whole.

A job that changes the archive works under the facts lock in a stage of its own
(output/web/.stage-*: seeds/ as hard links, and a fact base), and only what verifies is
committed — the new files linked into seeds/, the fact base renamed into place — in one
short step under the archive lock, which builds hold shared while they read. A worker
dies with the server (Linux: PR_SET_PDEATHSIG) and does not commit once the server has
gone; Ctrl-C is the server's to handle (it stops the workers with SIGTERM, which waits
while a commit runs). So a job stopped at any point leaves seeds/ and the fact base as
they were."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

_PARENT: int | None = None      # the server, in a worker process


def _home(root: str) -> None:
    os.environ["REPORTGEN_HOME"] = root


def worker_init(parent: int) -> None:
    """Run first in each worker process."""
    global _PARENT
    _PARENT = parent
    os.environ["REPORTGEN_LANG"] = "vi"                  # what a job says is for the page: Vietnamese
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # Ctrl-C reaches the whole group: the server decides
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGTERM))     # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:          # the server died before the line above
        os._exit(1)


def server_gone() -> bool:
    return _PARENT is not None and os.getppid() != _PARENT


@contextmanager
def _committing():  # type: ignore[no-untyped-def]
    """The last step of a job: not begun once the server has gone; SIGTERM waits for it."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        if server_gone():
            os._exit(1)
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


_WARM = None   # a build worker's reportgen.build.Warm: what it keeps between the page's builds


def _warm():  # type: ignore[no-untyped-def]
    global _WARM
    if _WARM is None:
        from ..build import Warm

        _WARM = Warm()
    return _WARM


def warm_up(root: str) -> None:
    """Sent to each build worker when the page starts: the engines imported, the template
    compiled, the fact base read and checked and today's briefings rehearsed before the first
    clerk presses the button."""
    _home(root)
    from ..build import load_checked_facts, warm_renderers
    from ..errors import ReportgenError

    warm_renderers()
    try:
        load_checked_facts(None, _warm())
        _rehearse()
    except ReportgenError:
        pass          # the first build says what is wrong, in the page's words
    from ..budget import freeze_kept

    freeze_kept()      # engines, fact base, today's charts and Phụ lục (Warm.trim lets go of them)


def _rehearse() -> None:
    """Briefings of today for a province and a city, thrown away: today's national charts are
    drawn and the Phụ lục laid out in this worker (a city's task chart names its own bodies), and
    the first page's preview made, so the clerk's first build takes what a later one does."""
    from datetime import date

    from ..build import build
    from ..provinces import units_of_day
    from ..request import make_request

    units = units_of_day(date.today())
    for kind in ("tỉnh", "thành phố"):
        unit = next((u for u in units if u.kind == kind), None)
        if unit is None:
            continue
        with tempfile.TemporaryDirectory(prefix="reportgen-warm-") as folder:
            result = build(make_request(unit.name, None, Path(folder), "both", None, None, None, None, None), _warm())
            pdf = next((p for p in result.written if p.suffix == ".pdf"), None)
            if pdf is not None:          # the preview's engine too (pdfium: 0.07 s to load)
                _first_page_png(pdf, Path(folder) / "page1.png")


def build_briefing(root: str, folder: str, fields: dict[str, str]) -> dict:  # type: ignore[type-arg]
    """One briefing into `folder` (the build's own folder under output/web/), as `reportgen
    build` makes it; the first page also as a PNG for the result page. The collector waits
    until the page has its answer (budget.collected_after)."""
    from ..budget import collected_after

    with collected_after():
        return _build_briefing(root, folder, fields)


def _build_briefing(root: str, folder: str, fields: dict[str, str]) -> dict:  # type: ignore[type-arg]
    _home(root)
    from ..build import build
    from ..errors import ReportgenError
    from ..request import make_request

    from .store import locked

    try:
        req = make_request(fields["province"], fields.get("date") or None, Path(folder), fields.get("format") or "both",
                       None, fields.get("number") or None, fields.get("issuer") or None,
                       fields.get("signer_title") or None, fields.get("signer") or None)
        with locked("archive", shared=True):        # seeds/ and the fact base stay one pair while it reads them
            result = build(req, _warm())
    except ReportgenError as exc:
        return {"ok": False, "error": exc.message, "exit": exc.exit_code}
    files = [str(p.relative_to(folder)) for p in result.written]
    pdf = next((p for p in result.written if p.suffix == ".pdf"), None)
    if pdf is not None:
        _first_page_png(pdf, Path(folder) / "page1.png")
    p = result.resolution.province
    notes = list(result.notes)
    if result.resolution.former_note:
        label = p.full_name[:1].lower() + p.full_name[1:]
        notes.insert(0, f"«{result.resolution.typed}» là {result.resolution.former_note}: thông báo "
                        f"được lập cho {label}.")
    about = dict(result.about)
    if about.get("newest"):                     # named as the clerk knows it (web.app.doc_name)
        from types import SimpleNamespace

        from .names import doc_name

        about["newest"] = doc_name(SimpleNamespace(**about["newest"]))
    return {"ok": True, "province": p.name, "files": files, "pages": result.pages, "notes": notes,
            "date": req.when.isoformat(), "about": about}


def _first_page_png(pdf: Path, out: Path) -> None:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        image = doc[0].render(scale=1.25).to_pil()
        # Grey: the first page is black type (its preview 2.5 times smaller, written in 10 ms
        # where an "optimized" colour PNG took 160 ms of the clerk's wait).
        image.convert("L").save(out, "PNG")
    finally:
        doc.close()


def add_and_rebuild(root: str, files: list[str], force: bool = False,
                    labels: dict[str, str] | None = None, ocr: bool = False) -> dict:  # type: ignore[type-arg]
    """`reportgen facts add` (a file that cannot be read, or is already there, is named and
    left out), then `reportgen facts build`, all under the facts lock: two uploads never
    pick one name. A new file whose presence makes the rebuild fail — two documents
    disagree, the extraction fails or crashes — is set aside (store.set_aside) with the
    reason, and the others are added; the archive changes only if what is left verifies."""
    _home(root)
    from .. import paths
    from ..errors import ReportgenError
    from ..intake import add_documents
    from ..registry import load_registry
    from . import store

    labels = labels or {}
    with store.locked("facts"):
        stage = _Stage(link_seeds=True)
        stage.ocr = stage.ocr or ocr
        try:
            registry = load_registry(paths.registry_file())
            left_out: list[tuple[Path, str]] = []
            crashed: list[tuple[Path, str]] = []
            try:
                added = add_documents([Path(f) for f in files], stage.seeds, registry, ocr=ocr, cache=paths.cache_dir(),
                                      force=force, refused=left_out)
            except ReportgenError as exc:          # the seeds folder or the registry itself
                return {"ok": False, "error": exc.message, "added": [], "refused": [], "set_aside": []}
            except Exception:  # noqa: BLE001 - a reader crashed on one of them: add them one by one
                added, left_out = [], []
                for f in files:
                    try:
                        added += add_documents([Path(f)], stage.seeds, registry, ocr=ocr, cache=paths.cache_dir(),
                                               force=force, refused=left_out)
                    except Exception as exc:  # noqa: BLE001
                        crashed.append((Path(f), f"{type(exc).__name__}: {exc}"))
            refused = [{"file": str(path), "error": message} for path, message in left_out]
            aside = [_aside(path, path.name, labels.get(str(path), path.name), _crash_why(error), error, [])
                     for path, error in crashed]
            if not added:
                return {"ok": None, "added": [], "refused": refused, "set_aside": aside}
            names = {a.target.name: a for a in added}

            def label(name: str) -> str:
                return labels.get(str(names[name].source), names[name].source.name)

            fb, failed, archive = _settle(stage, list(names))
            for name, failure in failed.items():
                aside.append(_aside(stage.held / name, name, label(name), failure["why"], failure["error"],
                                    failure["disputes"]))
            kept = [n for n in names if n not in failed]
            if archive is not None:
                return {"ok": False, "error": archive["error"], "disputes": archive["disputes"], "added": [],
                        "refused": refused, "set_aside": aside}
            if kept:
                try:
                    stage.commit(kept)
                except ReportgenError as exc:
                    for name in kept:
                        aside.append(_aside(stage.seeds / name, name, label(name), exc.message, exc.message, []))
                    return {"ok": None, "added": [], "refused": refused, "set_aside": aside}
                return {**_rebuilt(fb), "added": [{"name": n, "summary": names[n].summary, "label": label(n)} for n in kept],
                        "refused": refused, "set_aside": aside}
            return {"ok": None, "added": [], "refused": refused, "set_aside": aside}
        finally:
            stage.remove()


def rebuild(root: str) -> dict:  # type: ignore[type-arg]
    """`reportgen facts build` from the page: the fact base read again from seeds/ as it is now
    (files added with the CLI's `facts add`, or changed or removed by hand, outside the page),
    under the facts lock; written only if it verifies, else the archive stays as it was and
    the page says why (two documents that disagree are shown side by side)."""
    _home(root)
    from ..errors import ReportgenError
    from . import store

    with store.locked("facts"):
        stage = _Stage(link_seeds=False)
        try:
            try:
                fb = _rebuild(stage)
            except Exception as exc:  # noqa: BLE001 - the page says why; nothing written
                failure = _failure(exc, [])
                return {"ok": False, "error": failure["error"], "disputes": failure["disputes"]}
            try:
                stage.commit([])
            except ReportgenError as exc:
                return {"ok": False, "error": exc.message}
            return _rebuilt(fb)
        finally:
            stage.remove()


def titles(root: str, names: list[str]) -> dict[str, str]:
    """The titles of files of seeds/ as the fact base would read them (reportgen.sources: a
    `title:` header line, an official text's summary, a page's headline); one that cannot be
    read has none."""
    _home(root)
    from .. import paths
    from ..errors import ReportgenError
    from ..registry import load_registry
    from ..sources import load_document

    registry = load_registry(paths.registry_file())
    out = {}
    for name in names:
        try:
            out[name] = (load_document(paths.seeds_dir() / name, registry, cache=paths.cache_dir()).title or "")[:160]
        except ReportgenError:
            out[name] = ""
    return out


def _rebuilt(fb) -> dict:  # type: ignore[no-untyped-def, type-arg]
    open_figures = sum(1 for f in fb.figures if f.metric == "unclassified")
    message = (f"{len(fb.documents)} tài liệu, {len(fb.figures)} số liệu ({len(fb.figures) - open_figures} đã có "
               f"chỉ tiêu), {len(fb.targets)} mục tiêu, {len(fb.tasks)} nhiệm vụ, {len(fb.statements)} đoạn trích, "
               f"{len(fb.events)} sự kiện, {len(fb.bridge_points)} điểm cầu")
    if open_figures:
        message += f"; {open_figures} số liệu chưa có chỉ tiêu cần rà soát"
    return {"ok": True, "message": message + "."}


class _Stage:
    """Where a job reads, adds and rebuilds: output/web/.stage-<server pid>-*/ with seeds/
    (hard links to the archive's files, or the archive's own folder when nothing is added),
    held/ (new files taken out) and factbase.yaml."""

    def __init__(self, link_seeds: bool, current=None) -> None:  # type: ignore[no-untyped-def]
        from .. import paths
        from . import store

        self.dir = store.temporary_folder("stage", _PARENT)
        self.held = self.dir / "held"
        self.held.mkdir()
        self.facts = self.dir / "factbase.yaml"
        self.seeds = paths.seeds_dir()
        self.current = current if current is not None else _current()    # the fact base before the job, read once
        # an archive holding a scan read by OCR is rebuilt with OCR
        self.ocr = bool(self.current and any(d.ocr for d in self.current.documents))
        if link_seeds and self.seeds.is_dir():
            archive = self.seeds.resolve()
            self.seeds = self.dir / "seeds"
            self.seeds.mkdir()
            for p in sorted(paths.seeds_dir().iterdir()):
                if p.name.startswith("."):
                    continue
                if p.is_dir():
                    (self.seeds / p.name).mkdir()          # a name taken
                elif p.is_symlink() and archive not in p.resolve().parents:
                    os.symlink(p.resolve(), self.seeds / p.name)      # refused here as in seeds/
                elif p.is_file():
                    _place(p.resolve(), self.seeds / p.name)

    def hold(self, name: str) -> None:
        os.replace(self.seeds / name, self.held / name)

    def unhold(self, name: str) -> None:
        os.replace(self.held / name, self.seeds / name)

    def commit(self, new: list[str], also: list[tuple[Path, str]] | None = None, gone: list[str] | None = None) -> None:
        """The new files into seeds/ and the stage's fact base into place, as one step; `also`:
        reviewed files' new texts written with them; `gone`: files of seeds/ this job moved out
        (already gone from the stage's seeds)."""
        from .. import paths
        from ..errors import BuildError, InputError
        from ..yamlio import os_error_text, write_atomic
        from .store import locked

        data = self.facts.read_bytes()
        seeds = paths.seeds_dir()
        with locked("archive"), _committing():
            taken = [n for n in new if os.path.lexists(seeds / n)]
            if taken:
                raise InputError(f"{', '.join(taken)}: a file of this name was put in the seeds folder meanwhile; "
                                 "nothing was added.")
            placed: list[Path] = []
            try:
                for name in new:
                    _place(self.seeds / name, seeds / name)
                    placed.append(seeds / name)
                for name in gone or []:
                    (seeds / name).unlink(missing_ok=True)
                for path, text in also or []:
                    write_atomic(path, text.encode("utf-8"))
                write_atomic(paths.facts_file(), data)
            except OSError as exc:
                for path in placed:
                    path.unlink(missing_ok=True)
                raise BuildError(f"cannot write the seeds folder or the fact base ({os_error_text(exc)}); nothing "
                                 "was added.") from None

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def _place(source: Path, target: Path) -> None:
    """`source` at `target` (a hard link, else a copy), never over an existing file."""
    try:
        os.link(source, target)
        return
    except FileExistsError:
        raise
    except OSError:
        pass
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:80]}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.link(tmp, target)
    finally:
        os.unlink(tmp)


def _rebuild(stage: _Stage, catalogue: Path | None = None, corrections: Path | None = None):  # type: ignore[no-untyped-def]
    from .. import paths
    from ..update_facts import update_fact_base

    return update_fact_base(stage.seeds, stage.facts, catalogue or paths.catalogue_file(),
                            corrections or paths.corrections_file(), registry_path=paths.registry_file(),
                            ocr=stage.ocr).fb


# --- review decisions (reportgen.decisions) --------------------------------------------------------

def decide(root: str, change: dict, meta: dict, confirm: bool = False) -> dict:  # type: ignore[type-arg]
    """A reviewer's decision: its entry written into the reviewed file, the fact base rebuilt
    with it, and the decision logged — all or nothing, under the facts lock. Its effect on the
    fact base is measured first; when it reaches beyond the item (`meta["item"]`: the document
    and sentence decided about) and `confirm` is not set, nothing is written and the effect
    comes back to be shown ({"ok": "preview"})."""
    _home(root)
    from .. import decisions as d
    from ..errors import ReportgenError
    from . import store

    c = d.Change(change["file"], change["key"], change["entry"])
    with store.locked("facts"), d.locked(c.file):
        current = _current()
        item = meta.get("item") or {}
        if item.get("quote"):        # decided on an unplaced number: still unplaced now that it is our turn?
            if not any(r.source == item["source"] and r.quote == item["quote"] and r.metric == "unclassified"
                       for r in (list(current.figures) + list(current.targets) if current else [])):
                return {"ok": False, "error": "con số này đã được xử lý (có thể bởi một người rà soát khác); "
                                              "hãy tải lại trang Rà soát."}
        try:
            text, lines = d.with_change(c)
        except ReportgenError as exc:
            return {"ok": False, "error": exc.message}
        stage = _Stage(link_seeds=False, current=current)
        try:
            try:
                fb = _rebuilt_with(stage, c.file, c.path(), text)
            except Exception as exc:  # noqa: BLE001 - the page says why; nothing written
                return {"ok": False, "error": _failure(exc, [])["error"]}
            effect = _effect(stage.current, fb, meta.get("item"))
            if meta.get("item") and meta["action"] in ("attach", "create", "not_figure") and not effect["mine"]:
                return {"ok": False, "error": _missed(meta["action"]), "effect": effect}
            if (effect["wider"] or meta["action"] == "rule") and not confirm:     # a rule also reaches future documents
                return {"ok": "preview", "effect": effect}
            decision = d.new_decision(meta["by"], meta["action"], meta["what"], c, lines, effect["summary"])
            failed = _commit_review(stage, c.path(), text, d.load_log() + [decision])
            return failed or {**_rebuilt(fb), "effect": effect, "decision": decision.id}
        finally:
            stage.remove()


def undo(root: str, decision_id: str, by: str) -> dict:  # type: ignore[type-arg]
    """Undo a logged decision: its lines taken out of the reviewed file, the fact base rebuilt,
    the history line marked undone (who, when) — all or nothing."""
    _home(root)
    from datetime import datetime, timezone

    from .. import decisions as d
    from ..errors import ReportgenError
    from . import store

    with store.locked("facts"):
        try:
            log = d.load_log()
        except ReportgenError as exc:
            return {"ok": False, "error": exc.message}
        decision = next((x for x in log if x.id == decision_id), None)
        if decision is None or decision.undone_at:
            return {"ok": False, "error": "quyết định này không có trong lịch sử hoặc đã được hoàn tác."}
        with d.locked(decision.file):
            try:
                path, text = d.without(decision)
            except ReportgenError as exc:
                return {"ok": False, "error": exc.message}
            stage = _Stage(link_seeds=False)
            try:
                try:
                    fb = _rebuilt_with(stage, decision.file, path, text)
                except Exception as exc:  # noqa: BLE001
                    return {"ok": False, "error": _failure(exc, [])["error"]}
                effect = _effect(stage.current, fb, None)
                decision.undone_at = datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")
                decision.undone_by = by
                failed = _commit_review(stage, path, text, log)
                return failed or {**_rebuilt(fb), "effect": effect, "what": decision.what}
            finally:
                stage.remove()


def _rebuilt_with(stage: _Stage, file: str, path: Path, text: str):  # type: ignore[no-untyped-def]
    """The fact base rebuilt in `stage` with the reviewed file (`file`: "catalogue" or
    "corrections", at `path`) as `text` would make it — nothing of the project written yet."""
    trial = stage.dir / path.name
    trial.write_text(text, "utf-8")
    return _rebuild(stage, **{file: trial})


def _commit_review(stage: _Stage, path: Path, text: str, log: list) -> dict | None:  # type: ignore[type-arg]
    """The reviewed file's new text, the review history and the stage's fact base, as one step;
    the page's message if it could not be written (nothing is)."""
    from .. import decisions as d
    from ..errors import ReportgenError

    try:
        stage.commit([], also=[(path, text), (d.decisions_file(), d.log_text(log).decode("utf-8"))])
    except ReportgenError as exc:
        return {"ok": False, "error": exc.message}
    return None


def _missed(action: str) -> str:
    if action == "not_figure":
        return "con số này không còn trong cơ sở dữ kiện; hãy tải lại trang Rà soát."
    return ("cụm từ chưa khớp với câu nên con số vẫn chưa được gắn: hãy ghi đúng những từ đứng ngay trước hoặc "
            "ngay sau con số trong câu, và kiểm tra đơn vị của chỉ tiêu (ví dụ % hay số lượng) và câu nói số liệu "
            "của toàn quốc hay của một tỉnh.")


def _current():  # type: ignore[no-untyped-def]
    from .. import paths
    from ..factbase import load_factbase

    try:
        return load_factbase(paths.facts_file())
    except Exception:  # noqa: BLE001 - no fact base yet: everything is new
        return None


def _effect(before, after, item: dict | None) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """What a change did to the fact base's figures and targets, in three counts: placed (now
    under an indicator, or under another one), dropped (had an indicator: gone, or has none now)
    and cleared (had none and is gone: no longer to review). A number re-read with longer words
    once placed ("19,6%" → "kinh tế số … 19,6%") is one placed, not one cleared too. `item`
    ({source, sentence}): the records of that sentence are the decision's own; any other makes
    it `wider`."""
    from .names import doc_name

    def records(fb) -> dict[tuple[str, str], tuple[str, object, str]]:  # type: ignore[no-untyped-def]
        return {(r.source, r.quote): (r.metric, r.value, r.unit) for r in list(fb.figures) + list(fb.targets)} if fb else {}

    old, new = records(before), records(after)
    placed = [(k, v) for k, v in new.items() if v[0] != "unclassified" and old.get(k, ("",))[0] != v[0]]
    renamed = {(k[0], v[1]) for k, v in placed if k not in old}          # (document, value) placed under new words
    dropped = [(k, v) for k, v in old.items()
               if v[0] != "unclassified" and (k not in new or new[k][0] == "unclassified")]
    cleared = [(k, v) for k, v in old.items()
               if v[0] == "unclassified" and k not in new and (k[0], v[1]) not in renamed]
    dropped_keys = {(k[0], v[1]) for k, v in dropped}
    reopened = [(k, v) for k, v in new.items()       # back to review (an undone rule, say)
                if v[0] == "unclassified" and old.get(k, ("",))[0] != "unclassified" and (k[0], v[1]) not in dropped_keys]

    def mine(k: tuple[str, str]) -> bool:
        return bool(item) and k[0] == item["source"] and k[1] in item["sentence"]   # type: ignore[index]

    names = {doc.id: doc_name(doc) for fb in (before, after) if fb for doc in fb.documents}
    examples = [{"how": how, "document": names.get(k[0], "tài liệu"), "quote": k[1], "metric": v[0]}
                for how, group in (("thêm", placed), ("bỏ", dropped), ("thôi rà soát", cleared), ("rà soát lại", reopened))
                for k, v in group if not mine(k)][:12]
    parts = [f"{len(placed)} số liệu được gắn chỉ tiêu" if placed else "",
             f"{len(dropped)} số liệu đã có chỉ tiêu bị bỏ" if dropped else "",
             f"{len(cleared)} con số chưa có chỉ tiêu được bỏ qua" if cleared else "",
             f"{len(reopened)} con số trở lại danh sách cần rà soát" if reopened else ""]
    everything = placed + dropped + cleared + reopened
    return {"placed": len(placed), "dropped": len(dropped), "cleared": len(cleared),
            "mine": sum(1 for k, _ in everything if mine(k)), "wider": any(not mine(k) for k, _ in everything),
            "examples": examples, "summary": ", ".join(x for x in parts if x) or "không thay đổi số liệu nào"}


def _settle(stage: _Stage, new: list[str]):  # type: ignore[no-untyped-def]
    """Rebuild with the new files. A failure that names new files (the documents they
    disagree with, a quote that does not verify) takes those out; one that names none (a
    crash) is traced by rebuilding the archive alone, then adding the new files one at a
    time. Returns (the last fact base that verified, {file: failure}, the archive's own
    failure or None); the stage's factbase.yaml is that fact base."""
    failed: dict[str, dict] = {}             # type: ignore[type-arg]
    pending = list(new)
    while True:
        try:
            return _rebuild(stage), failed, None
        except Exception as exc:  # noqa: BLE001 - a crash sets the file aside, not the server down
            failure = _failure(exc, pending)
        blamed = [n for n in pending if n in failure["names"]]
        if not blamed:
            break
        for name in blamed:
            failed[name] = failure | {"why": _why(failure, name, stage.current)}
            stage.hold(name)
            pending.remove(name)
    if pending:
        for name in pending:
            stage.hold(name)
        try:
            fb = _rebuild(stage)
        except Exception as exc:  # noqa: BLE001
            failure = _failure(exc, [])
        else:
            failure = None
    if failure is not None:                  # the archive itself does not rebuild: nothing is added
        for name in pending:
            failed[name] = failure | {"why": "cơ sở dữ kiện hiện có không dựng lại được, nên chưa thêm tài liệu này — "
                                             + _vi_error(failure["error"]) + " Hãy xử lý ở trang Rà soát rồi thêm lại."}
        return None, failed, failure
    for name in pending:
        stage.unhold(name)
        try:
            fb = _rebuild(stage)
        except Exception as exc:  # noqa: BLE001
            failure = _failure(exc, [name])
            failed[name] = failure | {"why": _why(failure, name, stage.current)}
            stage.hold(name)
    return fb, failed, None


def _failure(exc: Exception, new: list[str]) -> dict:  # type: ignore[type-arg]
    from ..errors import ReportgenError
    from ..update_facts import Disagreement

    if isinstance(exc, Disagreement):
        disputes = [{"metric": a.metric, "sides": [{"source": r.source, "quote": r.quote, "value": r.value,
                                                    "unit": r.unit} for r in (a, b)]} for a, b in exc.disputes]
        names = {side["source"] for d in disputes for side in d["sides"]} | {n for n in new if n in exc.message}
        return {"error": exc.message, "disputes": disputes, "names": names, "crash": False}
    if isinstance(exc, ReportgenError):
        return {"error": exc.message, "disputes": [], "names": {n for n in new if n in exc.message}, "crash": False}
    return {"error": f"{type(exc).__name__}: {exc}", "disputes": [], "names": set(), "crash": True}


def _why(failure: dict, name: str, current) -> str:  # type: ignore[no-untyped-def, type-arg]
    """Why a new file was set aside, in Vietnamese, naming the other document and both
    sentences when they disagree."""
    if failure["crash"]:
        return _crash_why(failure["error"])
    lines = []
    for d in failure["disputes"]:
        mine = next((s for s in d["sides"] if s["source"] == name), None)
        other = next((s for s in d["sides"] if s is not mine), None)
        if mine and other:
            lines.append(f"tài liệu ghi «{mine['quote']}» nhưng tài liệu đã có «{_title(current, other['source'])}» ghi "
                         f"«{other['quote']}» ({_metric_label(d['metric'])})")
    if lines:
        return ("mâu thuẫn với tài liệu đã có: " + "; ".join(lines) + ". Nếu tài liệu mới đúng, hãy loại bỏ con số cũ "
                "ở trang của tài liệu đã có (phần «Loại bỏ một dữ kiện sai») rồi bấm «Đưa lại vào kho».")
    return "cơ sở dữ kiện không dựng lại được khi có tài liệu này — " + _vi_error(failure["error"])


def _title(current, name: str) -> str:  # type: ignore[no-untyped-def]
    """A document of the archive (`current`: the fact base before the job) as the page names it
    (web.names.doc_name), never by its file name."""
    from .names import doc_name

    doc = current.document(name) if current else None
    return doc_name(doc) if doc else "tài liệu trong kho"


def _crash_why(error: str) -> str:
    from .. import paths
    from ..errors import logged

    return f"có lỗi khi xử lý tài liệu này (mã {logged(error, str(paths.project_root()))}); hãy báo cho người quản trị."


def _vi_error(message: str) -> str:
    from .. import paths
    from ..errors import vi

    return vi(message, str(paths.project_root()))


def _metric_label(metric: str) -> str:
    from .. import paths
    from ..catalogue import load_catalogue

    try:
        m = load_catalogue(paths.catalogue_file()).by_id.get(metric)
    except Exception:  # noqa: BLE001 - only a label
        m = None
    return m.label if m else metric


def _aside(path: Path, name: str, label: str, why: str, error: str, disputes: list) -> dict:  # type: ignore[type-arg]
    from . import store

    folder = store.set_aside(path, name, label, why, error, disputes)
    return {"label": label, "name": name, "folder": folder, "why": why}


# --- documents an office manages --------------------------------------------------------------------

def remove_document(root: str, name: str, title: str, by: str, why: str) -> dict:  # type: ignore[type-arg]
    """Take a document out of the archive into the bin (store.set_aside, kept there until
    restored or swept), the fact base rebuilt without it — all or nothing: if the archive does
    not rebuild without it (a correction names it, say), seeds/ and the fact base stay as they were."""
    _home(root)
    from .. import paths
    from ..errors import ReportgenError
    from . import store

    with store.locked("facts"):
        if not (paths.seeds_dir() / name).is_file():
            return {"ok": False, "error": "tài liệu này không còn trong kho."}
        stage = _Stage(link_seeds=True)
        try:
            stage.hold(name)
            try:
                fb = _rebuild(stage)
            except Exception as exc:  # noqa: BLE001 - the page says why; nothing changed
                return {"ok": False, "error": _vi_error(_failure(exc, [])["error"])}
            try:
                stage.commit([], gone=[name])
            except ReportgenError as exc:
                return {"ok": False, "error": exc.message}
            reason = f"{by} để riêng: {why}" if why else f"{by} để riêng"
            folder = store.set_aside(stage.held / name, name, title, reason, "", [], removed=True)
            return {**_rebuilt(fb), "folder": folder}
        finally:
            stage.remove()


def restore_document(root: str, folder: str) -> dict:  # type: ignore[type-arg]
    """Put a document of the bin back into the archive, as an upload is added (add_and_rebuild):
    added, or set aside again with the new reason (its old folder goes), or refused as it is."""
    _home(root)
    from . import store

    record = store.set_aside_record(folder)
    if record is None:
        return {"ok": False, "error": "không có tài liệu này trong thùng để riêng."}
    source = store.set_aside_dir() / folder / record["file"]
    outcome = add_and_rebuild(root, [str(source)], False, {str(source): record.get("original") or record["file"]})
    if outcome.get("added") or outcome.get("set_aside"):
        store.drop_set_aside(folder)
    return outcome

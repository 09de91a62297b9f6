"""reportgen serve: the office's page for building briefings, adding documents and
reviewing what they brought. Plain HTML forms over the CLI's library functions; the long
work (a build, reading documents, rebuilding the fact base) runs in worker processes so
the server keeps answering: builds in a pool of `workers`, the jobs that change the archive
in one more (they take the facts lock one at a time anyway, so they never hold a build's
worker while they wait)."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import os
import shutil
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import paths
from ..errors import InputError
from . import jobs, store
from .names import doc_name, vndate as _vndate
from .security import CSRF_COOKIE, LOOPBACK_NAMES, BodyStalled, BodyTooLarge, Fences, Hosts, cookies, new_token, same

HERE = Path(__file__).resolve().parent
MAX_FILES = 20
MAX_FILE = 20 * 2**20            # one document
MAX_BODY = 50 * 2**20            # one request
KINDS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html", "j2"]),
                   trim_blocks=True, lstrip_blocks=True)


_env.filters["vndate"] = _vndate
_env.globals["docname"] = doc_name
_env.tests["stale_note"] = lambda note: str(note).startswith("Cảnh báo: phiên họp mới nhất")   # the result page says it


def _sniff(data: bytes) -> str | None:
    """What a file is by its first bytes — never by its name."""
    head = data[:2048]
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        import io
        import zipfile

        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                return "docx" if "word/document.xml" in z.namelist() else None
        except zipfile.BadZipFile:
            return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    lowered = text[:2048].lstrip().lower()
    return "html" if lowered.startswith(("<!doctype html", "<html")) or "<body" in lowered else "text"


class WorkerLost(Exception):
    """A job's worker process ended before the job did: stopped with the server, or died."""

    def __init__(self, stopping: bool) -> None:
        super().__init__("stopping" if stopping else "died")
        self.stopping = stopping


class Web:
    def __init__(self, token: str | None, workers: int = 2) -> None:
        self.token = token
        self.workers = workers
        self.pools: dict[str, ProcessPoolExecutor] = {}
        self.stopping = False
        self.flashes = store.Flashes()
        self.posted: dict[str, asyncio.Future] = {}      # type: ignore[type-arg]  # a form's `once` → where it led

    def _pool(self, name: str) -> ProcessPoolExecutor:
        import multiprocessing

        if name not in self.pools:
            self.pools[name] = ProcessPoolExecutor(max_workers=self.workers if name == "build" else 1,
                                                   mp_context=multiprocessing.get_context("spawn"),
                                                   initializer=jobs.worker_init, initargs=(os.getpid(),))
        return self.pools[name]

    def warm(self) -> None:
        """Start the build workers and have each load what a build needs (jobs.warm_up)."""
        executor = self._pool("build")
        for _ in range(self.workers):
            executor.submit(jobs.warm_up, str(paths.project_root()))

    async def run(self, fn, *args, pool: str = "build"):  # type: ignore[no-untyped-def]
        """`fn(*args)` in a worker process. A worker that dies (or is stopped) fails the job
        with WorkerLost, and the next job gets a new pool."""
        if self.stopping:
            raise WorkerLost(True)
        executor = self._pool(pool)
        try:
            return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)
        except BrokenProcessPool:
            if self.pools.get(pool) is executor:
                del self.pools[pool]
                executor.shutdown(wait=False, cancel_futures=True)
            raise WorkerLost(self.stopping) from None

    def stop_workers(self) -> None:
        """SIGTERM to every worker process: at Ctrl-C, from the signal handler (so it only
        sends signals); a worker committing finishes that step first."""
        self.stopping = True
        for executor in list(self.pools.values()):
            for process in list((getattr(executor, "_processes", None) or {}).values()):
                try:
                    os.kill(process.pid, signal.SIGTERM)
                except (ProcessLookupError, TypeError):
                    pass

    def close(self) -> None:
        self.stop_workers()
        for executor in list(self.pools.values()):
            processes = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.join(10)
                if process.is_alive():
                    process.kill()
                    process.join(5)
        self.pools.clear()
        store.sweep(own=os.getpid())

    # --- pages ------------------------------------------------------------------------

    def page(self, request: Request, name: str, status: int = 200, **context) -> HTMLResponse:  # type: ignore[no-untyped-def]
        csrf = cookies(request.scope).get(CSRF_COOKIE) or new_token()
        context.setdefault("reviewer", _reviewer(request))      # this browser's reviewer, not the office's
        html = _env.get_template(name).render(csrf=csrf, path=request.url.path, once=secrets.token_hex(8), **context)
        response = HTMLResponse(html, status_code=status)
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
        return response

    async def form(self, request: Request) -> dict:  # type: ignore[type-arg]
        """The posted form, refused with 403 unless its address carries the page's CSRF token
        (checked before the body is read)."""
        if not same(request.query_params.get("csrf"), cookies(request.scope).get(CSRF_COOKIE)):
            raise HTTPException(403, "Trang này đã cũ hoặc không phải của máy chủ này (thiếu mã bảo vệ biểu mẫu, CSRF); "
                                     "hãy tải lại trang rồi gửi lại.")
        try:
            form = await request.form(max_files=10 * MAX_FILES, max_fields=40, max_part_size=MAX_FILE + 1)
        except HTTPException as exc:
            raise HTTPException(exc.status_code, "Biểu mẫu gửi lên không đọc được (quá nhiều phần hoặc một phần "
                                                 "quá lớn); hãy gửi ít tệp hơn.") from None
        return form  # type: ignore[return-value]

    async def once(self, form, work, remember: str = "") -> Response:  # type: ignore[no-untyped-def]
        """Post/redirect/get: `work()` runs once per rendered form (its `once` field) and gives the
        address to go to; a second post of the same form (a double click, a resend) waits for the
        first and goes where it went."""
        key = str(form.get("once") or "")[:32]
        if key in self.posted:
            return RedirectResponse(await asyncio.shield(self.posted[key]), status_code=303)
        future: asyncio.Future = asyncio.get_running_loop().create_future()   # type: ignore[type-arg]
        if key:
            self.posted[key] = future
            while len(self.posted) > 500:
                del self.posted[next(iter(self.posted))]
        try:
            url = await work()
        except BaseException as exc:
            self.posted.pop(key, None)
            future.set_exception(exc)
            future.exception()           # retrieved: no "never retrieved" warning
            raise
        future.set_result(url)
        response = RedirectResponse(url, status_code=303)
        if remember:           # the reviewer's name, for this browser's next form
            from urllib.parse import quote

            response.set_cookie(REVIEWER_COOKIE, quote(remember), max_age=180 * 86400, httponly=True,
                                samesite="strict", path="/")
        return response

    def flash(self, url: str, **data) -> str:  # type: ignore[no-untyped-def]
        """The address that shows what a post did (`data`), kept under a key of its own."""
        return f"{url}?r={self.flashes.put(data)}"

    def flashed(self, request: Request) -> dict:  # type: ignore[type-arg]
        return self.flashes.get(request.query_params.get("r"))

    async def home(self, request: Request) -> Response:
        shown = self.flashed(request)
        fields = shown.get("fields") or {**store.load_settings(), "date": _vndate(date.today().isoformat())}
        for key in ("province", "date"):               # a suggestion followed: /?province=…&date=…
            if request.query_params.get(key):
                fields = {**fields, key: request.query_params[key][:100]}
        return self.page(request, "build.html.j2", status=422 if shown.get("error") else 200, fields=fields,
                         error=shown.get("error"), suggestions=shown.get("suggestions", []),
                         provinces=_province_names(_iso(fields.get("date"))), history=store.history()[:30])

    async def post_build(self, request: Request) -> Response:
        form = await self.form(request)
        fields = {k: str(form.get(k) or "").strip() for k in ("province", "date", "number", "issuer", "signer_title",
                                                              "signer", "format")}

        async def work() -> str:
            problem, suggestions = _check_fields(fields)
            if problem:
                return self.flash("/", error=problem, suggestions=suggestions, fields=fields)
            build_id, folder = store.new_build()
            asked = {**fields, "date": _iso(fields["date"]) or ""}
            try:
                outcome = await self.run(jobs.build_briefing, str(paths.project_root()), str(folder), asked)
            except WorkerLost as exc:
                outcome = {"ok": False, "error": _lost(exc)}
            if not outcome["ok"]:
                shutil.rmtree(folder, ignore_errors=True)
                return self.flash("/", error=_vi_text(outcome["error"]), fields=fields)
            store.save_settings(fields)
            store.record(build_id, outcome)
            return f"/builds/{build_id}"

        return await self.once(form, work)

    async def result(self, request: Request) -> Response:
        built = store.find_build(request.path_params["build_id"])
        if built is None:
            raise HTTPException(404, f"Không có bản này: chỉ {store.KEEP_BUILDS} lần tạo thông báo gần nhất được giữ lại, "
                                     "bản cũ hơn đã bị xóa. Hãy tạo lại.")
        return self.page(request, "result.html.j2", built=built)

    async def download(self, request: Request) -> Response:
        built = store.find_build(request.path_params["build_id"])
        path = store.build_file(built, request.path_params["name"]) if built else None
        if path is None:
            raise HTTPException(404)
        media = {".pdf": "application/pdf", ".png": "image/png",
                 ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}[path.suffix]
        if path.suffix == ".png":
            return FileResponse(path, media_type=media)
        return FileResponse(path, media_type=media, filename=path.name)

    # --- documents ----------------------------------------------------------------------

    def _fb(self):  # type: ignore[no-untyped-def]
        from ..factbase import load_factbase

        try:
            return load_factbase(paths.facts_file())
        except InputError:
            return None

    async def documents(self, request: Request) -> Response:
        fb = self._fb()
        from ..briefing.national import meeting_name
        from ..registry import load_registry

        registry = load_registry(paths.registry_file())
        docs = sorted(fb.documents, key=lambda d: (d.dated(), d.id), reverse=True) if fb else []
        events = {e.id: meeting_name(e, registry) + (f", ngày {_vndate(e.date)}" if e.date else "")
                  for e in fb.events} if fb else {}
        kinds = {k.id: k.label for k in registry.document_kinds}
        return self.page(request, "documents.html.j2", docs=docs, events=events, kinds=kinds, max_files=MAX_FILES,
                         max_mb=MAX_FILE // 2**20, aside=store.set_aside_records(50), ocr=_ocr_ready(),
                         keep_days=store.KEEP_SET_ASIDE_DAYS,
                         **self.flashed(request))

    async def upload(self, request: Request) -> Response:
        form = await self.form(request)
        uploads = [f for f in form.getlist("files") if hasattr(f, "read")]
        if len(uploads) > MAX_FILES:
            raise HTTPException(413, f"Tối đa {MAX_FILES} tệp mỗi lần gửi.")
        files = []
        for n, up in enumerate(uploads, start=1):
            data = await up.read(MAX_FILE + 1)
            if len(data) > MAX_FILE:
                raise HTTPException(413, f"Tệp quá lớn (tối đa {MAX_FILE // 2**20} MB).")
            files.append((Path(up.filename or f"tệp {n}").name[:120], data))
        force = str(form.get("force") or "") == "1"
        ocr = str(form.get("ocr") or "") == "1" and _ocr_ready()

        async def work() -> str:
            if not files:
                return self.flash("/documents", error="Hãy chọn ít nhất một tệp.")
            return self.flash("/documents", **await self._add(files, force, ocr))

        return await self.once(form, work)

    async def _add(self, files: list[tuple[str, bytes]], force: bool, ocr: bool) -> dict:  # type: ignore[type-arg]
        folder = store.temporary_folder("upload")
        try:
            saved, refused, labels = [], [], {}
            for n, (label, data) in enumerate(files, start=1):
                kind = _sniff(data)
                if kind is None:
                    refused.append(f"{label}: không phải PDF, Word (.docx), trang web hay văn bản UTF-8.")
                    continue
                # the stem only names it in messages; the extension comes from the content
                path = folder / f"{n:02d}-{_safe_stem(label)}{KINDS[kind]}"
                path.write_bytes(data)
                saved.append(str(path))
                labels[str(path)] = label
            try:
                outcome = await self.run(jobs.add_and_rebuild, str(paths.project_root()), saved, force, labels, ocr,
                                         pool="facts") if saved else {"ok": None, "added": [], "refused": []}
            except WorkerLost as exc:
                outcome = {"ok": None, "added": [], "refused": [], "set_aside": []}
                if exc.stopping:
                    refused += [f"{labels[f]}: chưa thêm — {_lost(exc)}" for f in saved]
                else:   # it died on one of them: they are kept aside, the archive is as it was
                    why = ("tiến trình xử lý dừng đột ngột khi đọc tài liệu hoặc dựng lại cơ sở dữ kiện; cơ sở dữ kiện "
                           "giữ nguyên. Hãy báo cho người quản trị.")
                    outcome["set_aside"] = [{"label": labels[f], "name": Path(f).name, "why": why,
                                             "folder": store.set_aside(Path(f), Path(f).name, labels[f], why,
                                                                       "worker process died", [])}
                                            for f in saved if Path(f).exists()]
            titles = _titles(self._fb())
            for item in outcome.get("refused", []):
                label = labels.get(item["file"], Path(item["file"]).name)
                message = item["error"].replace(item["file"], label).replace(
                    "hãy thêm với --force", "hãy đánh dấu ô «Thêm cả khi trùng nội dung»")
                message = _vi_text(message.removeprefix(label + ': '), titles)
                refused.append(f"{label}: không thêm được — {message}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if outcome.get("ok") is not None:      # a rebuild ran
            _remember_rebuild(outcome)
        return {"added": outcome.get("added", []), "refused": refused, "outcome": _shown(outcome),
                "set_aside": outcome.get("set_aside", [])}

    async def remove(self, request: Request) -> Response:
        form = await self.form(request)
        doc_id = request.path_params["doc_id"]
        by, why = _who(form), str(form.get("why") or "").strip()[:300]

        async def work() -> str:
            fb = self._fb()
            doc = fb.document(doc_id) if fb else None
            if not by:
                return self.flash(f"/documents/{doc_id}", error="Hãy ghi tên người để riêng tài liệu.")
            title = doc_name(doc) if doc else "tài liệu"
            if doc is None and not (paths.seeds_dir() / doc_id).is_file():
                raise HTTPException(404)
            try:
                outcome = await self.run(jobs.remove_document, str(paths.project_root()), doc_id, title, by, why,
                                         pool="facts")
            except WorkerLost as exc:
                outcome = {"ok": False, "error": _lost(exc)}
            if not outcome["ok"]:
                return self.flash(f"/documents/{doc_id}", error=f"chưa để riêng «{title}» — {_vi_text(outcome['error'])}"
                                  " Tài liệu vẫn ở trong kho, cơ sở dữ kiện giữ nguyên.")
            _remember_rebuild(outcome)
            return self.flash("/documents", removed=title, outcome=_shown(outcome))

        return await self.once(form, work, remember=by)

    async def aside(self, request: Request) -> Response:
        """A document of the bin: why it is there, its text, and the button that puts it back."""
        from ..readers import read

        record = store.set_aside_record(request.path_params["folder"])
        if record is None:
            raise HTTPException(404, "Không có tài liệu này trong danh sách «Tài liệu để riêng» (đã được đưa lại vào "
                                     "kho, hoặc đã quá hạn giữ).")
        text, unreadable = "", ""
        try:
            text = read(store.set_aside_dir() / record["folder"] / record["file"]).text
        except InputError as exc:
            unreadable = _vi_text(exc.text("vi")).split(": ", 1)[-1]
        return self.page(request, "aside.html.j2", record=record, text=text, unreadable=unreadable)

    async def restore(self, request: Request) -> Response:
        form = await self.form(request)
        folder = request.path_params["folder"]

        async def work() -> str:
            record = store.set_aside_record(folder)
            if record is None:
                raise HTTPException(404)
            try:
                outcome = await self.run(jobs.restore_document, str(paths.project_root()), folder, pool="facts")
            except WorkerLost as exc:
                return self.flash("/documents", error=_lost(exc))
            if outcome.get("ok") is False and not outcome.get("set_aside"):
                return self.flash("/documents", error=_vi_text(outcome.get("error", "")))
            if outcome.get("ok") is not None:
                _remember_rebuild(outcome)
            refused = [f"{record.get('original') or record['file']}: không đưa lại được — {_vi_text(r['error'])}"
                       for r in outcome.get("refused", [])]
            return self.flash("/documents", added=outcome.get("added", []), refused=refused,
                              outcome=_shown(outcome), set_aside=outcome.get("set_aside", []))

        return await self.once(form, work)

    async def document(self, request: Request) -> Response:
        fb = self._fb()
        doc_id = request.path_params["doc_id"]
        doc = fb.document(doc_id) if fb else None
        from ..readers import read

        if doc is None:
            return self._pending_document(request, doc_id)

        text = read(paths.seeds_dir() / doc.id, cache=paths.cache_dir()).text
        from ..briefing.national import meeting_name
        from ..registry import load_registry

        registry = load_registry(paths.registry_file())
        marks = _facts_of(fb, doc.id)
        event = fb.event(doc.event)
        kinds = {k.id: k.label for k in registry.document_kinds}
        return self.page(request, "document.html.j2", doc=doc, body=_highlight(text, marks), count=len(marks), marks=marks,
                         event=event, event_name=meeting_name(event, registry) if event else None,
                         kind=kinds.get(doc.kind, doc.kind), **self.flashed(request))

    def _pending_document(self, request: Request, doc_id: str) -> Response:
        """A document in seeds/ that the fact base does not hold yet (its rebuild failed):
        its text, without facts. Only a plain name of a file in seeds/ is looked up."""
        from ..factbase import DocumentFact
        from ..readers import read

        seeds = paths.seeds_dir().resolve()
        try:
            DocumentFact.model_validate({"id": doc_id, "kind": "press", "sha256": "-"})   # a plain file name
        except Exception:  # noqa: BLE001 - anything else is no document
            raise HTTPException(404) from None
        path = seeds / doc_id
        if not path.is_file() or path.resolve().parent != seeds:
            if any(r.get("file") == doc_id for r in store.set_aside_records(200)):
                raise HTTPException(404, "Tài liệu này đã được để riêng khỏi kho; xem danh sách «Tài liệu để riêng» ở "
                                         "trang Tài liệu nguồn để đưa lại.")
            raise HTTPException(404)
        try:
            text = read(path, cache=paths.cache_dir()).text
        except InputError:
            raise HTTPException(404) from None
        return self.page(request, "document.html.j2", doc=None, name=doc_id, body=escape(text), count=0, marks=[],
                         event=None, event_name=None, kind="", **self.flashed(request))

    async def fix_document(self, request: Request) -> Response:
        """The document's record corrected from its page (facts/corrections.yaml, documents:)."""
        form = await self.form(request)
        doc_id = request.path_params["doc_id"]
        fields = {k: str(form.get(k) or "").strip()[:300] for k in ("event_date", "session", "title", "reason")}
        by = _who(form)

        async def work() -> str:
            fb = self._fb()
            doc = fb.document(doc_id) if fb else None
            if doc is None:
                raise HTTPException(404)
            here = f"/documents/{doc_id}"
            fix: dict[str, object] = {}
            said = []
            if fields["event_date"]:
                iso = _iso(fields["event_date"])
                if iso is None:
                    shape = re.fullmatch(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}", fields["event_date"])
                    return self.flash(here, error=(f"Ngày «{fields['event_date'][:20]}» không có trên lịch." if shape else
                                                   f"Ngày «{fields['event_date'][:20]}» không đúng: hãy ghi ngày/tháng/"
                                                   "năm, ví dụ 10/03/2025."), fix=fields)
                fix["event_date"] = iso
                said.append(f"ngày sự kiện {_vndate(iso)}")
            if fields["session"]:
                if not fields["session"].isdigit() or int(fields["session"]) < 1:
                    return self.flash(here, error=f"Phiên họp «{fields['session'][:10]}» phải là một số (1, 2, …).",
                                      fix=fields)
                fix["session"] = int(fields["session"])
                said.append(f"phiên họp thứ {int(fields['session'])}")
            if fields["title"]:
                fix["title"] = fields["title"]
                said.append(f"tiêu đề «{fields['title']}»")
            if not fix:
                return self.flash(here, error="Hãy ghi ít nhất một điều cần sửa (ngày, phiên họp hoặc tiêu đề).", fix=fields)
            if not by or not fields["reason"]:
                return self.flash(here, error="Hãy ghi người sửa và lý do (căn cứ) của việc sửa.", fix=fields)
            fix |= {"reviewed_by": by, "reason": fields["reason"]}
            what = f"Sửa thông tin tài liệu «{doc_name(doc)}»: " + ", ".join(said)
            return await self._decide(here, {"file": "corrections", "key": "documents", "entry": {doc_id: fix}},
                                      {"by": by, "action": "document", "what": what}, True, fix=fields)

        return await self.once(form, work, remember=by)

    async def reject(self, request: Request) -> Response:
        """A fact a reviewer says is wrong (corrections reject:), from a document's page or a dispute."""
        form = await self.form(request)
        source = str(form.get("source") or request.path_params.get("doc_id") or "")
        quote, reason = str(form.get("quote") or ""), str(form.get("reason") or "").strip()[:300]
        back = str(form.get("back") or "")
        back = back if back in ("/review",) else f"/documents/{source}"
        by = _who(form)

        async def work() -> str:
            fb = self._fb()
            doc = fb.document(source) if fb else None
            if doc is None and not _in_seeds(source):      # a document the last rebuild could not take
                raise HTTPException(404)
            if not quote:
                return self.flash(back, error="Hãy chọn dữ kiện cần loại bỏ.")
            if not by or not reason:
                return self.flash(back, error="Hãy ghi người quyết định và lý do loại bỏ.")
            what = f"Loại bỏ «{quote[:80]}» của «{doc_name(doc) if doc else 'tài liệu mới thêm'}»: {reason}"
            return await self._decide(back, {"file": "corrections", "key": "reject",
                                             "entry": {"source": source, "quote": quote, "reviewed_by": by,
                                                       "reason": reason}},
                                      {"by": by, "action": "reject", "what": what}, True)

        return await self.once(form, work, remember=by)

    async def _decide(self, back: str, change: dict, meta: dict, confirm: bool, anchor: str = "",  # type: ignore[no-untyped-def, type-arg]
                      **keep) -> str:
        """Run a decision (jobs.decide) and say what it did on the page `back` leads to; a refusal
        keeps `keep` (what was typed) and goes to `anchor` (its item)."""
        try:
            outcome = await self.run(jobs.decide, str(paths.project_root()), change, meta, confirm, pool="facts")
        except WorkerLost as exc:
            return self.flash(back, error=_lost(exc), **keep) + anchor
        if outcome["ok"] == "preview":
            return self.flash("/review", preview={"effect": outcome["effect"], "what": meta["what"], "change": change,
                                                  "meta": meta})
        if outcome["ok"] is False:
            return self.flash(back, error=f"chưa lưu — {_vi_text(outcome['error'])}", **keep) + anchor
        _remember_rebuild(outcome)
        return self.flash(back, done=meta["what"], outcome=_shown(outcome))

    # --- review -------------------------------------------------------------------------

    async def review(self, request: Request) -> Response:
        from ..catalogue import load_catalogue
        from ..decisions import load_log
        from ..registry import load_registry
        from ..readers import read

        fb = self._fb()
        catalogue = load_catalogue(paths.catalogue_file())
        registry = load_registry(paths.registry_file())
        items, others = (_review_items(fb, catalogue, registry) if fb is not None else ([], []))
        last = _last_rebuild()
        disputes = []
        for d in (last or {}).get("disputes", []):
            sides = []
            for side in d["sides"]:
                try:
                    text = read(paths.seeds_dir() / side["source"], cache=paths.cache_dir()).text
                except InputError:
                    text = side["quote"]
                paragraph = next((line for line in text.split("\n") if side["quote"] in line), side["quote"])
                doc = fb.document(side["source"]) if fb else None
                sides.append({**side, "title": doc_name(doc) if doc else "tài liệu mới thêm",
                              "paragraph": _highlight(paragraph, [(side["quote"], "con số khác nhau")])})
            metric = catalogue.by_id.get(d["metric"])
            disputes.append({"metric": metric.label if metric else d["metric"], "sides": sides})
        try:
            history = load_log()[::-1][:40]
        except InputError:
            history = []
        return self.page(request, "review.html.j2", items=items, others=others, last=last, disputes=disputes,
                         stale=await self._stale_documents(fb) if fb is not None else [],
                         metrics=_metric_choices(fb, catalogue), history=history, kinds=_KIND_CHOICES,
                         scopes=_SCOPE_CHOICES,
                         preview_key=request.query_params.get("r", ""), **self.flashed(request))

    async def _stale_documents(self, fb) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
        """The documents of seeds/ added, changed or removed since the fact base was built — with
        the CLI's `facts add`, or by hand, outside the page — by title: what the review lists is of
        them as they were. A new one is read in a worker, as the fact base would read it."""
        from ..verify import changed_documents, unread_documents

        seeds = paths.seeds_dir()
        if not seeds.is_dir():
            return []
        out = []
        for name in changed_documents(fb, seeds):
            gone = not (seeds / name).is_file()
            out.append({"id": name, "title": doc_name(fb.document(name)), "link": not gone,
                        "how": "đã bị xóa khỏi kho" if gone else "đã thay đổi"})
        new = unread_documents(fb, seeds)
        titles: dict[str, str] = {}
        if new:
            try:
                titles = await self.run(jobs.titles, str(paths.project_root()), new, pool="facts")
            except WorkerLost:
                pass        # named without their titles
        for name in new:
            out.append({"id": name, "title": titles.get(name) or "một tài liệu chưa đọc được", "link": True,
                        "how": "mới thêm"})
        return out

    async def place(self, request: Request) -> Response:
        """One unplaced number: attached to an indicator, a new indicator, or not a figure."""
        form = await self.form(request)
        f = {k: str(form.get(k) or "").strip()[:300] for k in ("source", "quote", "choice", "metric", "words", "label",
                                                               "unit", "kind", "scope")}
        by, confirm = _who(form), str(form.get("confirm") or "") == "1"
        f["by"] = by

        anchor = f"#muc-{_item_key(f['source'], f['quote'])}"

        def refused(message: str) -> str:         # back to the item, as typed
            return self.flash("/review", error=message, open=f) + anchor

        async def work() -> str:
            from ..catalogue import load_catalogue
            from ..textnorm import fold

            fb = self._fb()
            record = next((r for r in (list(fb.figures) + list(fb.targets) if fb else [])
                           if r.source == f["source"] and r.quote == f["quote"] and r.metric == "unclassified"), None)
            if record is None:
                return self.flash("/review", error="con số này đã được xử lý hoặc không còn trong cơ sở dữ kiện.")
            if not by:
                return refused("Hãy ghi tên người rà soát.")
            doc = fb.document(record.source)
            title = doc_name(doc) if doc else "tài liệu"
            sentence = _sentence_of(record)
            item = {"source": record.source, "sentence": sentence, "quote": record.quote}
            number = _number_in(record.quote)
            catalogue = load_catalogue(paths.catalogue_file())
            if f["choice"] in ("attach", "create"):
                if not f["words"]:
                    return refused("Hãy ghi những từ trong câu gọi tên chỉ tiêu.")
                phrase = _phrase(sentence, record.quote, f["words"])
                if phrase is None:
                    return refused(f"«{f['words'][:80]}» không có trong câu; hãy ghi những từ gọi tên chỉ tiêu "
                                   "đứng ngay trước hoặc sau con số.")
            if f["choice"] == "attach":
                metric = next((m for m in catalogue.metrics if fold(m.label) == fold(f["metric"])), None)
                if metric is None:
                    return refused(f"không có chỉ tiêu «{f['metric'][:80]}»; hãy chọn một chỉ tiêu trong danh "
                                   "sách gợi ý.")
                change = {"file": "catalogue", "key": "wording", "entry": {"metric": metric.id, "phrase": phrase}}
                what = f"Gắn «{number}» ({title}) vào chỉ tiêu «{metric.label}», theo cụm từ «{f['words']}»"
            elif f["choice"] == "create":
                if not f["label"] or not f["unit"] or f["kind"] not in dict(_KIND_CHOICES) \
                        or f["scope"] not in dict(_SCOPE_CHOICES):
                    return refused("Hãy ghi tên chỉ tiêu, đơn vị, chọn loại chỉ tiêu và số liệu của toàn quốc hay của tỉnh.")
                entry: dict[str, object] = {"id": _new_id(f["label"], catalogue), "label": f["label"], "unit": f["unit"],
                                            "kind": f["kind"], **({"scope": f["scope"]} if f["scope"] != "any" else {}),
                                            "phrases": [phrase]}
                change = {"file": "catalogue", "key": "metrics", "entry": entry}
                what = (f"Tạo chỉ tiêu «{f['label']}» ({f['unit']}, {dict(_SCOPE_CHOICES)[f['scope']].lower()}) "
                        f"từ «{number}» ({title})")
            elif f["choice"] == "not_figure":
                change = {"file": "corrections", "key": "reject",
                          "entry": {"source": record.source, "quote": record.quote, "reviewed_by": by,
                                    "reason": "không phải số liệu (rà soát trên trang)"}}
                what = f"«{number}» trong câu «{_short(sentence)}» ({title}) không phải số liệu"
            elif f["choice"] == "rule":
                pattern = _ignore_pattern(record.quote)
                change = {"file": "catalogue", "key": "ignore", "entry": pattern}
                what = f"Bỏ qua mọi con số viết «{pattern.replace('{n}', '…')}» ở mọi tài liệu"
            else:
                return refused("Hãy chọn một cách xử lý con số này.")
            return await self._decide("/review", change, {"by": by, "action": f["choice"], "what": what,
                                                          "item": item}, confirm, anchor=anchor, open=f)

        return await self.once(form, work, remember=by)

    async def confirm(self, request: Request) -> Response:
        """A decision whose effect reaches beyond its item, confirmed after its preview."""
        form = await self.form(request)
        key = str(form.get("preview") or "")

        async def work() -> str:
            shown = self.flashes.get(key).get("preview")
            if not shown:
                return self.flash("/review", error="bản xem trước đã hết hạn; hãy chọn lại cách xử lý.")
            return await self._decide("/review", shown["change"], shown["meta"], True)

        return await self.once(form, work)

    async def rebuild(self, request: Request) -> Response:
        """The fact base built again from the documents as they are now (changed outside the page)."""
        form = await self.form(request)

        async def work() -> str:
            try:
                outcome = await self.run(jobs.rebuild, str(paths.project_root()), pool="facts")
            except WorkerLost as exc:
                return self.flash("/review", error=_lost(exc))
            _remember_rebuild(outcome)
            if not outcome["ok"]:
                return self.flash("/review", error=f"chưa dựng lại được cơ sở dữ kiện — {_vi_text(outcome['error'])}")
            return self.flash("/review", rebuilt=_shown(outcome)["message"])

        return await self.once(form, work)

    async def undo(self, request: Request) -> Response:
        form = await self.form(request)
        decision, by = str(form.get("decision") or "")[:40], _who(form)

        async def work() -> str:
            if not by:
                return self.flash("/review", error="Hãy ghi tên người hoàn tác.")
            try:
                outcome = await self.run(jobs.undo, str(paths.project_root()), decision, by, pool="facts")
            except WorkerLost as exc:
                return self.flash("/review", error=_lost(exc))
            if not outcome["ok"]:
                return self.flash("/review", error=f"chưa hoàn tác — {_vi_text(outcome['error'])}")
            _remember_rebuild(outcome)
            return self.flash("/review", done=f"hoàn tác quyết định «{outcome.get('what', '')}»", outcome=_shown(outcome))

        return await self.once(form, work, remember=by)




def _in_seeds(name: str) -> bool:
    """A plain file name of seeds/ (nothing else the client sends is looked up)."""
    seeds = paths.seeds_dir().resolve()
    if not name or "/" in name or name.startswith("."):
        return False
    path = seeds / name
    return path.is_file() and path.resolve().parent == seeds


def _lost(exc: WorkerLost) -> str:
    if exc.stopping:
        return "máy chủ đang dừng, công việc bị dừng giữa chừng và không ghi gì; hãy gửi lại sau khi khởi động lại"
    return "tiến trình làm việc dừng đột ngột, không ghi gì; hãy thử lại hoặc báo cho người quản trị"


def _safe_stem(name: str) -> str:
    from ..intake import clean_name

    return clean_name(Path(name).stem, "tai-lieu")


def _remember_rebuild(outcome: dict) -> None:  # type: ignore[type-arg]
    from ..yamlio import write_atomic

    write_atomic(store.web_dir() / "last-rebuild.json", json.dumps(outcome, ensure_ascii=False).encode("utf-8"))


def _last_rebuild() -> dict | None:  # type: ignore[type-arg]
    try:
        data = json.loads((store.web_dir() / "last-rebuild.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("ok") is False else None


def _ignore_pattern(quote: str) -> str:
    """An ignore: pattern from a figure's words ("mức độ 2 được" → "mức độ {n} được"): for a
    number that is no figure (a level, a name, a slogan)."""
    import re

    return re.sub(r"\d[\d.,]*", "{n}", quote, count=1)


REVIEWER_COOKIE = "reviewer"


def _reviewer(request: Request) -> str:
    from urllib.parse import unquote

    return unquote(cookies(request.scope).get(REVIEWER_COOKIE) or "")[:120]


def _titles(fb) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The archive's files by the names a clerk knows them by."""
    return {d.id: doc_name(d) for d in fb.documents} if fb else {}


def _who(form) -> str:  # type: ignore[no-untyped-def]
    from ..textnorm import nfc

    return " ".join(nfc(str(form.get("by") or "")).split())[:120]


def _shown(outcome: dict) -> dict:  # type: ignore[type-arg]
    """What the page says of a rebuild: its message, or why it failed, in Vietnamese."""
    if outcome.get("ok") is True:
        return {"ok": True, "message": outcome.get("message", ""), "effect": outcome.get("effect")}
    if outcome.get("ok") is False:
        return {"ok": False, "error": _vi_text(outcome.get("error", ""))}
    return {}


def _vi_text(message: str, titles: dict[str, str] | None = None) -> str:
    """A job's message for the page (errors.vi): no server path, documents by title."""
    from ..errors import vi

    return vi(message, str(paths.project_root()), titles)


@lru_cache(maxsize=1)
def _ocr_ready() -> bool:
    """OCR of scans is offered when tesseract with its Vietnamese data is installed (asked once
    per server, not at every page)."""
    import subprocess

    if not shutil.which("tesseract") or not shutil.which("pdftoppm"):
        return False
    try:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in langs.split()


_KIND_CHOICES = [("percent", "Tỷ lệ (%)"), ("count", "Số lượng"), ("money", "Số tiền"),
                 ("rate", "Tốc độ tăng (%/năm)"), ("rank", "Xếp hạng")]
# whose figure a new indicator holds (catalogue.Metric.scope)
_SCOPE_CHOICES = [("national", "Toàn quốc"), ("province", "Một tỉnh, thành phố"),
                  ("any", "Cả toàn quốc và từng tỉnh")]


def _item_key(source: str, quote: str) -> str:
    import hashlib

    return hashlib.sha256(f"{source}\x00{quote}".encode("utf-8")).hexdigest()[:10]


def _number_in(quote: str) -> str:
    import re

    m = re.search(r"\d[\d.,]*%?", quote)
    return m.group(0).rstrip(".,") if m else quote


def _short(text: str, n: int = 90) -> str:
    return text if len(text) <= n else text[: n - 1].rsplit(" ", 1)[0] + " …"


def _sentence_of(record) -> str:  # type: ignore[no-untyped-def]
    from ..readers import read
    from ..review import _sentence

    try:
        text = read(paths.seeds_dir() / record.source, cache=paths.cache_dir()).text
    except InputError:
        return record.quote
    return _sentence(text, record.quote)


def _naming_words(sentence: str, quote: str) -> str:
    """The words that name a figure next to its number, for the reviewer to keep or edit: up to
    four before it (not a verb such as "đạt", "chiếm"), or else up to four after it."""
    import re

    from ..review import _VERBS
    from ..textnorm import fold

    at = sentence.find(quote)
    number = re.search(r"\d[\d.,]*%?", quote)
    if at < 0 or number is None:
        return ""
    start, end = at + number.start(), at + number.end()
    before = re.split(r"[,;:()]", sentence[:start])[-1].split()
    while before and fold(before[-1]).strip(".") in _VERBS:
        before.pop()
    from ..review import _STOP

    after = []
    for word in re.split(r"[,;:.()]", sentence[end:])[0].split()[:7]:
        if fold(word) in _STOP or fold(word) in _VERBS or re.search(r"\d", word):
            break                                           # "… thiết yếu | của đề án": a word ends there
        after.append(word)
    if after and not number.group(0).endswith("%"):     # a count names itself after the number: "25 dịch vụ công"
        return " ".join(after)
    return " ".join(before[-4:] or after)


def _phrase(sentence: str, quote: str, words: str) -> str | None:
    """A catalogue phrase from the reviewer's words: "{words} {n}" when they stand before the
    number in the sentence, "{n} {words}" after it; None when the sentence does not hold them."""
    import re

    from ..textnorm import fold, nfc

    words = " ".join(nfc(words).replace("{", "").replace("}", "").split())
    if not words or not re.search(r"[^\W\d_]", words):
        return None
    at = sentence.find(quote)
    number = re.search(r"\d[\d.,]*%?", quote)
    if at < 0 or number is None:
        return None
    start, end = at + number.start(), at + number.end()
    if fold(words) in fold(sentence[:start]):
        return words + " {n}"
    if fold(words) in fold(sentence[end:]):
        return "{n} " + words
    return None


def _new_id(label: str, catalogue) -> str:  # type: ignore[no-untyped-def]
    from ..review import _slug

    base = _slug(label.split())
    base = base if base[:1].isalpha() else "m_" + base
    taken = set(catalogue.by_id)
    out, n = base, 2
    while out in taken:
        out, n = f"{base}_{n}", n + 1
    return out


def _metric_choices(fb, catalogue) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    """Every indicator by its Vietnamese label with its latest value, for the search list."""
    from ..briefing.values import value_text

    latest: dict[str, object] = {}
    for f in (fb.figures if fb else []):
        if f.metric in catalogue.by_id and (f.metric not in latest or f.as_of >= latest[f.metric].as_of):  # type: ignore[attr-defined]
            latest[f.metric] = f
    out = []
    for m in catalogue.metrics:
        f = latest.get(m.id)
        value = value_text(f.value, f.unit, f.qualifier, f.upper, f.of, m.kind, f.form, f.was) if f else ""  # type: ignore[attr-defined]
        out.append({"label": m.label, "latest": f"mới nhất: {value} ({_vndate(f.as_of)})" if f else "chưa có số liệu"})  # type: ignore[attr-defined]
    return sorted(out, key=lambda x: x["label"])


def _review_items(fb, catalogue, registry) -> tuple[list[dict], list[dict]]:  # type: ignore[no-untyped-def, type-arg]
    """Each unplaced number as one item (its sentence with the number marked, its document by
    title and date), and the other things to review in plain words."""
    from ..readers import read
    from ..review import _Sentences, review

    texts: dict[str, _Sentences] = {}
    items = []
    for r in list(fb.figures) + list(fb.targets):
        if r.metric != "unclassified":
            continue
        if r.source not in texts:
            try:
                texts[r.source] = _Sentences(read(paths.seeds_dir() / r.source, cache=paths.cache_dir()).text)
            except InputError:
                texts[r.source] = _Sentences(r.quote)
        sentence = texts[r.source].sentence(r.quote)
        doc = fb.document(r.source)
        number = _number_in(r.quote)
        at = sentence.find(r.quote)
        n_at = at + r.quote.find(number) if at >= 0 else -1
        marked = (escape(sentence[:n_at]) + Markup("<mark>{}</mark>").format(number) + escape(sentence[n_at + len(number):])
                  if n_at >= 0 else escape(sentence))
        kind = "percent" if r.unit.startswith("%") else "count"
        items.append({"key": _item_key(r.source, r.quote), "source": r.source, "quote": r.quote, "number": number,
                      "sentence": marked,
                      "title": doc_name(doc) if doc else "tài liệu",
                      "date": _vndate((doc.issued or doc.event_date or doc.published) if doc else None),
                      "words": _naming_words(sentence, r.quote), "unit": r.unit or "", "kind": kind,
                      "scope": "national" if r.scope == "national" else "province",
                      "rule": _ignore_pattern(r.quote).replace("{n}", "…")})
        if len(items) >= 60:
            break
    others = []
    for item in review(fb, catalogue, registry, paths.seeds_dir(), paths.cache_dir()):
        if item.what == "figure":
            continue
        doc = fb.document(item.document)
        title = doc_name(doc) if doc else "tài liệu"
        text = {"body": "Sự kiện của một cơ quan chưa có trong danh mục cơ quan; hãy báo người quản trị bổ sung.",
                "kind": f"Ký hiệu văn bản «{item.sentence}» chưa thuộc loại văn bản nào trong danh mục; hãy báo người "
                        "quản trị bổ sung.",
                "date": "Chưa có tài liệu nào ghi ngày họp của sự kiện này; hãy ghi ngày ở trang của tài liệu "
                        "(phần «Sửa thông tin tài liệu»)."}.get(item.what, "")
        others.append({"document": item.document, "title": title, "text": text})
    return items, others


def _province_names(day: str | None = None) -> list[str]:
    """The form's list: the provinces and cities of the form's date (the 63 before
    01/7/2025, the 34 from it), today's when the date is missing or not a date."""
    from ..provinces import units_of_day
    from ..request import parse_date
    from ..textnorm import fold

    try:
        when = parse_date(day or None)
    except InputError:
        when = date.today()
    return sorted({u.name for u in units_of_day(when)}, key=lambda n: (fold(n), n))


LIMITS = {"province": 100, "number": 40, "issuer": 200, "signer_title": 200, "signer": 80}
_LABELS = {"province": "Tỉnh, thành phố", "number": "Số, ký hiệu", "issuer": "Cơ quan ban hành",
           "signer_title": "Chức vụ người ký", "signer": "Họ và tên người ký"}


def _iso(text: str | None) -> str | None:
    """A date as the office types it — 10/3/2025, 10-03-2025, 10.03.2025 — or as a browser's date
    box sends it (2025-03-10): 'YYYY-MM-DD', or None when it is no date."""
    import re

    text = (text or "").strip()
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if m:
        day, month, year = (int(g) for g in m.groups())
    else:
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        if not m:
            return None
        year, month, day = (int(g) for g in m.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _check_fields(fields: dict[str, str]) -> tuple[str | None, list[str]]:
    """The build form's fields, checked where a person can be told in Vietnamese: (the problem,
    the provinces it may have meant); what passes goes to the same request checks as the CLI's."""
    from ..provinces import resolve
    from ..request import parse_date

    for name, limit in LIMITS.items():
        if len(fields.get(name, "")) > limit:
            return f"«{_LABELS[name]}» dài {len(fields[name])} ký tự; tối đa {limit} ký tự.", []
    for name in ("issuer", "signer_title"):
        if fields.get(name) and not fields[name].replace("/", "").strip():
            fields[name] = ""                       # only separators: the default lines
    if not fields["province"]:
        return "Hãy nhập tên tỉnh, thành phố.", []
    try:
        resolve(fields["province"])       # the name alone; its unit depends on the date, checked below
    except InputError as exc:
        names = list(getattr(exc.said, "params", {}).get("close") or [])
        return f"Không xác định được tỉnh, thành phố «{fields['province'][:60]}».", names[:6]
    iso = _iso(fields.get("date")) if fields.get("date") else None
    try:
        if fields.get("date") and iso is None:
            raise InputError("no date")
        parse_date(iso)        # the CLI's own rule for --date
    except InputError:
        return (f"Ngày «{fields['date'][:20]}» không dùng được: hãy ghi ngày/tháng/năm (ví dụ 10/03/2025), "
                "một ngày có thật trong khoảng 01/01/2000 đến 31/12/2100."), []
    return None, []


_SECTIONS = {"opening": "mở đầu", "results": "kết quả", "shortcomings": "tồn tại, hạn chế", "causes": "nguyên nhân",
             "lessons": "bài học kinh nghiệm", "views": "quan điểm chỉ đạo", "tasks": "nhiệm vụ, giải pháp",
             "other": "nội dung khác"}


def _facts_of(fb, doc_id: str) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(quote, what it is, in the briefing's words) for every fact taken from a document."""
    from ..briefing.values import value_text
    from ..catalogue import load_catalogue

    metrics = load_catalogue(paths.catalogue_file()).by_id

    def figure(f) -> str:  # type: ignore[no-untyped-def]
        m = metrics.get(f.metric)
        label = m.label if m else "chưa có chỉ tiêu"
        return f"{label}: {value_text(f.value, f.unit, f.qualifier, f.upper, f.of, m.kind if m else 'count', f.form, f.was)}"

    out: list[tuple[str, str]] = []
    for f in fb.figures:
        if doc_id in (f.source, *f.also_in):
            out.append((f.quote, "số liệu · " + figure(f)))
    for t in fb.targets:
        if doc_id in (t.source, *t.also_in):
            out.append((t.quote, "mục tiêu · " + figure(t) + (f", đến {_vndate(t.deadline)}" if t.deadline else "")))
    for t in fb.tasks:
        if doc_id in (t.source, *t.also_in):
            out.append((t.quote, "nhiệm vụ" + (f" · thời hạn {_vndate(t.deadline)}" if t.deadline else "")))
    for s in fb.statements:
        if doc_id in (s.source, *s.also_in):
            out.append((s.quote, f"đoạn trích · {_SECTIONS.get(s.section, s.section)}"))
    for b in fb.bridge_points:
        if doc_id in (b.source, *b.also_in):
            out.append((b.quote, f"điểm cầu · {b.province}"))
    return out


def _highlight(text: str, marks: list[tuple[str, str]]) -> Markup:
    """The text, escaped, with each quote marked where it stands; a fact inside another
    (a figure inside a quoted sentence) is marked inside it, partial overlaps are left out."""
    spans: list[tuple[int, int, str]] = []
    for quote, title in sorted(marks, key=lambda m: -len(m[0])):
        start = text.find(quote) if quote else -1
        while start >= 0:
            end = start + len(quote)
            if not any((a < end and start < b) and not (a <= start and end <= b) for a, b, _ in spans) \
                    and (start, end) not in {(a, b) for a, b, _ in spans}:
                spans.append((start, end, title))
                break
            start = text.find(quote, start + 1)
    spans.sort(key=lambda s: (s[0], -s[1]))

    def render(lo: int, hi: int, inside: list[tuple[int, int, str]]) -> Markup:
        out, pos, i = [], lo, 0
        while i < len(inside):
            a, b, title = inside[i]
            j = i + 1
            while j < len(inside) and inside[j][0] >= a and inside[j][1] <= b:
                j += 1
            out.append(escape(text[pos:a]))
            body = render(a, b, inside[i + 1: j])
            out.append(Markup('<mark title="{}">{}</mark>').format(title, body) if title else
                       Markup("<mark>{}</mark>").format(body))
            pos, i = b, j
        out.append(escape(text[pos:hi]))
        return Markup("").join(out)

    return render(0, len(text), spans)


def create_app(token: str | None = None, workers: int = 2, hosts: Hosts | None = None) -> Starlette:
    """The page. `hosts`: the Host names it answers (default: the loopback names on port 8000)."""
    web = Web(token, workers)

    @asynccontextmanager
    async def lifespan(app):  # type: ignore[no-untyped-def]
        store.sweep()                 # what a killed server left
        store.prune_set_aside()       # the bin keeps a document set aside for KEEP_SET_ASIDE_DAYS
        web.warm()                    # the build workers start and import the engines now, not at the first build
        try:
            yield
        finally:
            web.close()

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        detail = getattr(exc, "detail", "")
        if status == 404 and detail in ("", "Not Found"):
            detail = "Không có trang hoặc tệp này."
        return web.page(request, "error.html.j2", status=status, status_code=status, detail=detail)

    async def stalled(request: Request, exc: Exception) -> Response:
        return web.page(request, "error.html.j2", status=408, status_code=408,
                        detail="Dữ liệu gửi lên bị ngừng giữa chừng; hãy gửi lại.")

    async def too_large(request: Request, exc: Exception) -> Response:
        return web.page(request, "error.html.j2", status=413, status_code=413,
                        detail=f"Dữ liệu gửi lên quá lớn (tối đa {MAX_BODY // 2**20} MB mỗi lần, "
                               f"{MAX_FILE // 2**20} MB mỗi tệp).")

    async def failed(request: Request, exc: Exception) -> Response:
        return web.page(request, "error.html.j2", status=500, status_code=500,
                        detail="Có lỗi khi xử lý yêu cầu; hãy thử lại hoặc báo cho người quản trị.")

    routes = [
        Route("/", web.home),
        Route("/build", web.post_build, methods=["POST"]),
        Route("/build", lambda request: RedirectResponse("/", status_code=303)),   # a reload or a shared link
        Route("/builds/{build_id}", web.result),
        Route("/builds/{build_id}/{name}", web.download),
        Route("/documents", web.documents),
        Route("/documents", web.upload, methods=["POST"]),
        Route("/documents/{doc_id}", web.document),
        Route("/documents/{doc_id}/fix", web.fix_document, methods=["POST"]),
        Route("/documents/{doc_id}/reject", web.reject, methods=["POST"]),
        Route("/documents/{doc_id}/remove", web.remove, methods=["POST"]),
        Route("/set-aside/{folder}", web.aside),
        Route("/set-aside/{folder}/restore", web.restore, methods=["POST"]),
        Route("/review", web.review),
        Route("/review/place", web.place, methods=["POST"]),
        Route("/review/confirm", web.confirm, methods=["POST"]),
        Route("/review/undo", web.undo, methods=["POST"]),
        Route("/review/rebuild", web.rebuild, methods=["POST"]),
        Route("/review/reject", web.reject, methods=["POST"]),
        Route("/favicon.ico", lambda request: FileResponse(HERE / "static" / "favicon.ico", media_type="image/x-icon")),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: not_found, BodyTooLarge: too_large, BodyStalled: stalled,
                                        Exception: failed})
    fences = Fences(app, token, MAX_BODY, hosts or Hosts(LOOPBACK_NAMES, 8000))
    fences.stop_workers = web.stop_workers        # type: ignore[attr-defined]  # for serve's Ctrl-C
    return fences  # type: ignore[return-value]

"""reportgen serve: the office's page for building briefings, adding documents and
reviewing what they brought. Plain HTML forms over the CLI's library functions; the long
work (a build, reading documents, rebuilding the fact base) runs in worker processes so
the server keeps answering: builds in a pool of `workers`, the jobs that change the archive
in one more (they take the facts lock one at a time anyway, so they never hold a build's
worker while they wait)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from datetime import date
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
from .security import CSRF_COOKIE, LOOPBACK_NAMES, BodyStalled, BodyTooLarge, Fences, Hosts, cookies, new_token, same

HERE = Path(__file__).resolve().parent
MAX_FILES = 20
MAX_FILE = 20 * 2**20            # one document
MAX_BODY = 50 * 2**20            # one request
KINDS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "text": ".txt"}

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html", "j2"]),
                   trim_blocks=True, lstrip_blocks=True)


def _vndate(text: str | None) -> str:
    """'2025-03-10' → '10/03/2025', '2025-03' → '03/2025' (as the office writes dates)."""
    if not text:
        return ""
    parts = text[:10].split("-")
    return "/".join(reversed(parts)) if all(p.isdigit() for p in parts) else text


_env.filters["vndate"] = _vndate


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
        html = _env.get_template(name).render(csrf=csrf, path=request.url.path, **context)
        response = HTMLResponse(html, status_code=status)
        response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict", path="/")
        return response

    async def form(self, request: Request) -> dict:  # type: ignore[type-arg]
        """The posted form, refused with 403 unless its address carries the page's CSRF token
        (checked before the body is read)."""
        if not same(request.query_params.get("csrf"), cookies(request.scope).get(CSRF_COOKIE)):
            raise HTTPException(403, "Biểu mẫu thiếu mã bảo vệ (CSRF) hoặc mã không đúng; hãy tải lại trang và gửi lại.")
        try:
            form = await request.form(max_files=10 * MAX_FILES, max_fields=40, max_part_size=MAX_FILE + 1)
        except HTTPException as exc:
            raise HTTPException(exc.status_code, "Biểu mẫu gửi lên không đọc được (quá nhiều phần hoặc một phần "
                                                 "quá lớn); hãy gửi ít tệp hơn.") from None
        return form  # type: ignore[return-value]

    async def home(self, request: Request) -> Response:
        return self.page(request, "build.html.j2", fields={**store.load_settings(), "date": date.today().isoformat()},
                         provinces=_province_names(date.today().isoformat()), history=store.history()[:30])

    async def post_build(self, request: Request) -> Response:
        form = await self.form(request)
        fields = {k: str(form.get(k) or "").strip() for k in ("province", "date", "number", "issuer", "signer_title",
                                                              "signer", "format")}
        problem = _check_fields(fields)
        if problem:
            return self.page(request, "build.html.j2", status=422, error=problem, fields=fields,
                             provinces=_province_names(fields.get("date")), history=store.history()[:30])
        build_id, folder = store.new_build()
        try:
            outcome = await self.run(jobs.build_briefing, str(paths.project_root()), str(folder), fields)
        except WorkerLost as exc:
            outcome = {"ok": False, "error": _lost(exc)}
        if not outcome["ok"]:
            shutil.rmtree(folder, ignore_errors=True)
            return self.page(request, "build.html.j2", status=422, error=outcome["error"], fields=fields,
                             provinces=_province_names(fields.get("date")), history=store.history()[:30])
        store.save_settings(fields)
        built = store.record(build_id, outcome)
        return self.page(request, "result.html.j2", built=built)

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

    async def documents(self, request: Request, **context) -> Response:  # type: ignore[no-untyped-def]
        fb = self._fb()
        from ..briefing.national import meeting_name
        from ..registry import load_registry

        registry = load_registry(paths.registry_file())
        docs = sorted(fb.documents, key=lambda d: (d.dated(), d.id), reverse=True) if fb else []
        events = {e.id: meeting_name(e, registry) + (f", ngày {_vndate(e.date)}" if e.date else "")
                  for e in fb.events} if fb else {}
        kinds = {k.id: k.label for k in registry.document_kinds}
        return self.page(request, "documents.html.j2", docs=docs, events=events, kinds=kinds, max_files=MAX_FILES,
                         max_mb=MAX_FILE // 2**20, aside=store.set_aside_records(20), **context)

    async def upload(self, request: Request) -> Response:
        form = await self.form(request)
        uploads = [f for f in form.getlist("files") if hasattr(f, "read")]
        if not uploads:
            return await self.documents(request, error="Hãy chọn ít nhất một tệp.")
        if len(uploads) > MAX_FILES:
            raise HTTPException(413, f"Tối đa {MAX_FILES} tệp mỗi lần gửi.")
        folder = store.temporary_folder("upload")
        try:
            saved, refused, labels = [], [], {}
            for n, up in enumerate(uploads, start=1):
                data = await up.read(MAX_FILE + 1)
                if len(data) > MAX_FILE:
                    raise HTTPException(413, f"Tệp quá lớn (tối đa {MAX_FILE // 2**20} MB).")
                kind = _sniff(data)
                label = Path(up.filename or f"tệp {n}").name[:120]
                if kind is None:
                    refused.append(f"{label}: không phải PDF, Word (.docx), trang web hay văn bản UTF-8.")
                    continue
                # the stem only names it in messages; the extension comes from the content
                path = folder / f"{n:02d}-{_safe_stem(label)}{KINDS[kind]}"
                path.write_bytes(data)
                saved.append(str(path))
                labels[str(path)] = label
            force = str(form.get("force") or "") == "1"
            try:
                outcome = await self.run(jobs.add_and_rebuild, str(paths.project_root()), saved, force, labels,
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
            for item in outcome.get("refused", []):
                label = labels.get(item["file"], Path(item["file"]).name)
                message = item["error"].replace(item["file"], label).replace(
                    "add it with --force", "đánh dấu ô «Thêm cả khi trùng nội dung»")
                refused.append(f"{label}: không thêm được — {_vi(message.removeprefix(label + ': '))}")
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if outcome.get("ok") is not None:      # a rebuild ran
            _remember_rebuild(outcome)
        return await self.documents(request, added=outcome.get("added", []), refused=refused, outcome=outcome,
                                    set_aside=outcome.get("set_aside", []))

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
                         kind=kinds.get(doc.kind, doc.kind))

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
            raise HTTPException(404)
        try:
            text = read(path, cache=paths.cache_dir()).text
        except InputError:
            raise HTTPException(404) from None
        return self.page(request, "document.html.j2", doc=None, name=doc_id, body=escape(text), count=0, marks=[],
                         event=None, event_name=None, kind="")

    # --- review -------------------------------------------------------------------------

    async def review(self, request: Request, **context) -> Response:  # type: ignore[no-untyped-def]
        from ..catalogue import load_catalogue
        from ..registry import load_registry
        from ..review import review

        from ..readers import read

        fb = self._fb()
        catalogue = load_catalogue(paths.catalogue_file())
        items = []
        if fb is not None:
            for item in review(fb, catalogue, load_registry(paths.registry_file()),
                               paths.seeds_dir(), paths.cache_dir()):
                paragraph = ""
                if item.sentence:
                    try:
                        text = read(paths.seeds_dir() / item.document, cache=paths.cache_dir()).text
                    except InputError:
                        text = item.sentence
                    paragraph = next((line for line in text.split("\n") if item.sentence in line), item.sentence)
                items.append({"item": item, "what": _WHAT.get(item.what, item.message),
                              "paragraph": _highlight(paragraph, [(item.sentence, "câu cần rà soát")])
                              if paragraph else "", "target": _target(item.what), "entry": item.suggestion,
                              "ignore": _ignore_entry(item.quote) if item.what == "figure" and item.quote else ""})
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
                entry = (f"- source: {side['source']}\n  quote: {json.dumps(side['quote'], ensure_ascii=False)}\n"
                         "  reviewed_by: \n  reason: ")
                sides.append({**side, "paragraph": _highlight(paragraph, [(side["quote"], "con số khác nhau")]),
                              "entry": entry})
            metric = catalogue.by_id.get(d["metric"])
            disputes.append({"metric": metric.label if metric else d["metric"], "sides": sides})
        return self.page(request, "review.html.j2", items=items, last=last, disputes=disputes, **context)

    async def save_review(self, request: Request) -> Response:
        form = await self.form(request)
        which, key, entry = (str(form.get(k) or "") for k in ("which", "key", "entry"))
        try:
            written = store.add_entry(which, key, entry)
        except InputError as exc:
            message = exc.message.replace("Input should be a valid string", "cần điền (không để trống)")
            return await self.review(request, error=f"mục chưa được lưu — {message}",
                                     draft={"which": which, "key": key, "entry": entry})
        try:
            outcome = await self.run(jobs.rebuild_facts, str(paths.project_root()), pool="facts")
        except WorkerLost as exc:
            return await self.review(request, saved=written.name, error=f"chưa dựng lại cơ sở dữ kiện — {_lost(exc)}")
        _remember_rebuild(outcome)
        return await self.review(request, saved=written.name, outcome=outcome)


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


def _ignore_entry(quote: str) -> str:
    """An ignore: pattern from a figure's words ("mức độ 2 được" → "mức độ {n} được"): for a
    number that is no figure (a level, a name, a slogan)."""
    import re

    return "- " + json.dumps(re.sub(r"\d[\d.,]*", "{n}", quote, count=1), ensure_ascii=False)


def _target(what: str) -> tuple[str, str]:
    return {"figure": ("catalogue", "metrics"), "body": ("registry", "bodies"), "kind": ("registry", "document_kinds"),
            "date": ("corrections", "documents")}.get(what, ("catalogue", "metrics"))


_WHAT = {"figure": "Số liệu chưa có chỉ tiêu trong danh mục (facts/catalogue.yaml)",
         "body": "Sự kiện của một cơ quan chưa có trong danh mục cơ quan (facts/registry.yaml)",
         "kind": "Ký hiệu văn bản thuộc loại văn bản chưa có trong danh mục (facts/registry.yaml)",
         "date": "Sự kiện chưa xác định được ngày; ghi ngày vào facts/corrections.yaml"}


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


def _check_fields(fields: dict[str, str]) -> str | None:
    """The build form's fields, checked where a person can be told in Vietnamese; what
    passes goes to the same request checks as the CLI's options."""
    from ..provinces import resolve
    from ..request import parse_date

    for name, limit in LIMITS.items():
        if len(fields.get(name, "")) > limit:
            return f"«{_LABELS[name]}» dài {len(fields[name])} ký tự; tối đa {limit} ký tự."
    for name in ("issuer", "signer_title"):
        if fields.get(name) and not fields[name].replace("/", "").strip():
            fields[name] = ""                       # only separators: the default lines
    if not fields["province"]:
        return "Hãy nhập tên tỉnh, thành phố."
    try:
        resolve(fields["province"])       # the name alone; its unit depends on the date, checked below
    except InputError as exc:
        tail = exc.message.split("Did you mean:", 1)
        hint = f" Có phải: {tail[1].strip().rstrip('?').strip()}?" if len(tail) == 2 else ""
        return f"Không xác định được tỉnh, thành phố «{fields['province'][:60]}».{hint}"
    try:
        parse_date(fields.get("date") or None)        # the CLI's own rule for --date
    except InputError:
        return (f"Ngày «{fields['date'][:20]}» không dùng được: ngày thông báo là một ngày có thật, "
                "trong khoảng 01/01/2000 đến 31/12/2100.")
    return None


def _vi(message: str) -> str:
    """The library's most common messages to a person, in Vietnamese; others as they are."""
    table = (("the document is empty.", "tài liệu rỗng."),
             ("the document looks binary", "tài liệu có vẻ là tệp nhị phân, không phải văn bản"),
             ("the PDF is damaged and cannot be read", "tệp PDF bị hỏng, không đọc được"),
             ("it is the same document as", "trùng nội dung với"),
             ("the same content is already in the seeds folder as", "nội dung này đã có trong thư mục tài liệu, tệp"),
             ("nothing was added.", "không thêm gì."),
             ("in the seeds folder (in another format or copy);", "(bản khác định dạng hoặc bản sao);"),
             ("If it is a different document,", "Nếu là tài liệu khác,"))
    for en, vi in table:
        message = message.replace(en, vi)
    return message


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
        Route("/review", web.review),
        Route("/review", web.save_review, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan,
                    exception_handlers={HTTPException: not_found, BodyTooLarge: too_large, BodyStalled: stalled,
                                        Exception: failed})
    fences = Fences(app, token, MAX_BODY, hosts or Hosts(LOOPBACK_NAMES, 8000))
    fences.stop_workers = web.stop_workers        # type: ignore[attr-defined]  # for serve's Ctrl-C
    return fences  # type: ignore[return-value]

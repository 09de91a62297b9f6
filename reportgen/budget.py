"""Every document is read and its facts found within a budget of time and memory,
whatever its format, and one that goes over it is set aside by name (an InputError).

The work runs in forked worker processes — a small pool for `facts build` (one document
per task, both cores busy), one process for a single document read elsewhere — each
limited in address space (RLIMIT_AS) and killed when its document's wall-clock time runs
out, so a regular expression or a library call that never returns is stopped too; a
killed worker is replaced.

The time budget is set in steps, as what decides it becomes known: from the file's size
and format to begin with, then from a PDF's page count once its page tree is parsed, then
from the length of the text when the facts are looked for. A slow machine (or a test) can
change it: REPORTGEN_BUDGET_TIME_SCALE multiplies every time (2: twice as long), and
REPORTGEN_BUDGET_MEMORY_MB is the memory a document may take.
"""

from __future__ import annotations

from .i18n import msg

import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from .errors import BuildError, InputError, ReportgenError

LIGHT_BYTES = 256 * 1024          # a text or web page up to this size is read in milliseconds
MEMORY_MB = 1024                   # address space a document may take beyond the worker's own
OPEN_SECONDS = 60.0                # to open a file and learn its size in pages (PDF) or text (others)
SECONDS_PER_MB_READ = 10.0         # a text or web page, beyond OPEN_SECONDS
PDF_SECONDS, SECONDS_PER_PAGE = 30.0, 3.0
OCR_SECONDS, SECONDS_PER_OCR_PAGE = 120.0, 30.0
FIND_SECONDS, SECONDS_PER_MB_FOUND = 30.0, 30.0    # to find the facts in the text (measured: ~10 s a MB)


def memory_mb() -> int:
    return int(_env("REPORTGEN_BUDGET_MEMORY_MB", MEMORY_MB))


def _seconds(normal: float) -> float:
    return normal * _env("REPORTGEN_BUDGET_TIME_SCALE", 1.0)


def _env(name: str, normal: float) -> float:
    value = os.environ.get(name)
    try:
        number = float(value) if value else normal
    except ValueError:
        number = -1.0
    if not number > 0 or number == float("inf"):
        raise InputError(msg('budget.not_positive_number', "{name}={value} is not a positive number.", name=name, value=f"{value!r}"))
    return number


def _shown(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds >= 10 else f"{seconds:.1f} s"


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def reading_budget(path: Any, kind: str, size: int) -> tuple[float, str]:  # noqa: ANN401 - a Path
    """Seconds to read a file of this format and size (a PDF: to open it and count its pages),
    and the message if it takes longer."""
    seconds = _seconds(OPEN_SECONDS + (SECONDS_PER_MB_READ * size / 1024 / 1024 if kind in ("text", "html") else 0))
    what = {"pdf": "PDF", "docx": "Word file", "html": "web page"}.get(kind, "text")
    return seconds, (f"{path}: the {what} ({_size(size)}) could not be read within the document's time budget of "
                     f"{_shown(seconds)}, so it is set aside (it is damaged, or built to be slow); save it again from "
                     "its program, or as text.")


def allow_pages(path: Any, pages: int, ocr: bool) -> None:  # noqa: ANN401 - a Path
    """A PDF whose page tree holds `pages` pages: its time from now on."""
    seconds = _seconds(PDF_SECONDS + SECONDS_PER_PAGE * pages + ((OCR_SECONDS + SECONDS_PER_OCR_PAGE * pages) if ocr else 0))
    allow(seconds, f"{path}: the PDF ({pages} page{'s' if pages != 1 else ''}) could not be read within the "
                   f"document's time budget of {_shown(seconds)} for its pages, so it is set aside (its pages unpack to too much data, or it is "
                   "built to be slow); save it again from its program, or as text.")


def allow_finding(path: Any, chars: int) -> None:  # noqa: ANN401 - a Path
    """A document read into `chars` characters of text: the time to find its facts."""
    seconds = _seconds(FIND_SECONDS + SECONDS_PER_MB_FOUND * chars / 1024 / 1024)
    allow(seconds, f"{path}: finding the facts in its text ({chars} characters) took longer than the document's "
                   f"time budget of {_shown(seconds)}, so it is set aside; split it into smaller documents.")


def over_memory(path: Any) -> str:  # noqa: ANN401 - a Path
    return (f"{path}: reading it took more than the document's memory budget of {memory_mb()} MiB (a decompression "
            "bomb or a damaged file), so it is set aside.")


# --- inside a worker ---------------------------------------------------------------------

def die_with_parent(parent: int | None = None) -> None:
    """A forked helper or worker is killed when its parent dies, even by SIGKILL (Linux:
    PR_SET_PDEATHSIG); one whose parent is already gone exits."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)          # 1 = PR_SET_PDEATHSIG
        if parent is not None and os.getppid() != parent:
            os._exit(1)                                   # the parent died before prctl took hold
    except (OSError, AttributeError):
        pass


_channel = None          # the worker's connection to its parent; None outside a worker


def in_worker() -> bool:
    return _channel is not None


def allow(seconds: float, message: str) -> None:
    """From now on the document has `seconds`; over them, the parent kills the worker and
    sets the document aside with `message`. Nothing outside a worker."""
    if _channel is not None:
        _channel.send(("allow", seconds, message))


# --- the parent --------------------------------------------------------------------------

@dataclass
class Job:
    args: tuple               # type: ignore[type-arg]  # for the pool's work function
    seconds: float            # the first step's time
    over_time: str            # what is said if it runs over
    over_memory: str
    light: bool = False       # a small text or web page: quick to read, so it may be sent ahead (Workers)


@dataclass
class Outcome:
    value: Any = None
    error: Any = None         # an InputError's message (str or i18n.Message): the document is set aside


class WorkerError(Exception):
    """A fault in reportgen's own code while it read a document (not the document's)."""


class Workers:
    """Up to `size` forked processes that each run `work(*job.args)` for one job at a time,
    within the job's budget; `work` is inherited, only the arguments and results cross.

    A worker busy with a light job (a small text or web page) is sent the next light job
    before it ends the one it runs, so it goes on at once instead of waiting for the parent
    (which shares the cores with the workers) to read the result and answer; that job's time
    starts when the one before it ends. Only while more jobs wait than there are workers, and
    never behind a heavy one: a job sent ahead cannot move to a worker that falls idle. If the
    worker dies, the job sent ahead goes to another."""

    def __init__(self, work: Callable[..., Any], size: int = 2) -> None:
        self.work, self.size = work, max(1, size)
        self.idle: list[_Worker] = []
        self.busy: dict[Any, tuple[_Worker, int, float, str, str]] = {}    # connection -> job's state
        self.ahead: dict[Any, int] = {}       # connection -> the job sent to it before its current one ends
        self.jobs: list[Job] = []
        self.waiting: list[int] = []
        self.started: list[_Worker] = []      # every worker started: close() kills any still there

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def map(self, jobs: list[Job]) -> list[Outcome]:
        """Each job's outcome, in order; the jobs run side by side."""
        from multiprocessing.connection import wait

        outcomes: list[Outcome | None] = [None] * len(jobs)
        self.jobs = jobs
        self.waiting = waiting = list(range(len(jobs)))[::-1]
        lost = 0
        try:
            while waiting or self.busy:
                while waiting and (self.idle or len(self.busy) < self.size):
                    n = waiting.pop()
                    worker = self.idle.pop() if self.idle else self._start()
                    job = jobs[n]
                    try:
                        worker.conn.send(job.args)
                    except (BrokenPipeError, EOFError, OSError):
                        worker.kill()                      # died while idle: another takes the job
                        lost += 1
                        if lost > 3 * self.size:
                            raise WorkerError("the worker processes that read documents keep dying at start.")
                        waiting.append(n)
                        continue
                    self.busy[worker.conn] = (worker, n, time.monotonic() + job.seconds, job.over_time,
                                              job.over_memory)
                if not self.busy:
                    continue
                for conn, (_, running, *_) in list(self.busy.items()):
                    if len(waiting) > self.size and conn not in self.ahead and jobs[running].light \
                            and jobs[waiting[-1]].light:
                        n = waiting.pop()
                        try:
                            conn.send(jobs[n].args)
                            self.ahead[conn] = n
                        except (BrokenPipeError, EOFError, OSError):
                            waiting.append(n)         # dying: its current job says how
                soonest = min(state[2] for state in self.busy.values())
                for conn in wait(list(self.busy), timeout=max(0.0, soonest - time.monotonic())):
                    self._receive(conn, outcomes)
                now = time.monotonic()
                for conn, (worker, n, deadline, over_time, _) in list(self.busy.items()):
                    if now >= deadline:
                        del self.busy[conn]
                        self._kill(worker)
                        outcomes[n] = Outcome(error=over_time)
        except BaseException:
            self.close()
            raise
        return outcomes  # type: ignore[return-value]

    def _receive(self, conn: Any, outcomes: list[Outcome | None]) -> None:  # noqa: ANN401
        worker, n, deadline, over_time, over_memory = self.busy[conn]
        try:
            message = conn.recv()
        except (EOFError, OSError):                         # killed: out of its memory (or a crash)
            del self.busy[conn]
            self._kill(worker)
            outcomes[n] = Outcome(error=over_memory)
            return
        if message[0] == "allow":
            self.busy[conn] = (worker, n, time.monotonic() + message[1], message[2], over_memory)
            return
        del self.busy[conn]
        status, value = message
        if status == "ok":
            outcomes[n] = Outcome(value=value)
        elif status == "input":
            outcomes[n] = Outcome(error=value)
        elif status == "build":
            self.close()
            raise BuildError(value)
        elif status == "memory":
            outcomes[n] = Outcome(error=over_memory)
        else:
            self.close()
            error = WorkerError(value[0])
            error.add_note(value[1])
            raise error
        if status == "memory":
            self._kill(worker)                               # its heap is not to be trusted
        elif conn in self.ahead:                             # it goes on with the job sent ahead
            n = self.ahead.pop(conn)
            job = self.jobs[n]
            self.busy[conn] = (worker, n, time.monotonic() + job.seconds, job.over_time, job.over_memory)
        else:
            self.idle.append(worker)

    def _start(self) -> _Worker:
        worker = _Worker(self)
        self.started.append(worker)
        return worker

    def _kill(self, worker: _Worker) -> None:
        """Kill a worker; a job sent ahead to it goes back to the waiting ones."""
        if worker.conn in self.ahead:
            self.waiting.append(self.ahead.pop(worker.conn))
        worker.kill()

    def close(self) -> None:
        """Kill every worker still there: idle, busy, or one taken out of the books when it
        failed the build (it may have begun a job sent ahead)."""
        for worker in self.started:
            worker.kill()
        self.idle, self.busy, self.ahead, self.started = [], {}, {}, []


class _Worker:
    def __init__(self, pool: Workers) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe()
        others = [w.conn for w in pool.idle] + list(pool.busy)
        self.process = ctx.Process(target=_serve, args=(pool.work, child, self.conn, others, os.getpid()),
                                   daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


def _serve(work: Callable[..., Any], conn: Any, parent_end: Any, others: list[Any], parent: int) -> None:  # noqa: ANN401
    """A worker: one job after another until its parent closes the pipe."""
    import resource
    import traceback

    global _channel
    import gc

    gc.enable()                 # a document's garbage is collected here, whatever the parent does
    signal.signal(signal.SIGINT, signal.SIG_IGN)       # Ctrl-C is the parent's: it kills the workers
    die_with_parent(parent)
    for c in [parent_end, *others]:                     # or a pipe would not close when its owner dies
        c.close()
    try:
        with open("/proc/self/statm") as f:
            own = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = own + memory_mb() * 1024 * 1024
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
        quiet = os.open(os.devnull, os.O_WRONLY)          # an interpreter dying of memory says so on stderr
        os.dup2(quiet, 2)
    except (ValueError, OSError):
        pass
    _channel = conn
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            answer: tuple = ("ok", work(*args))  # type: ignore[type-arg]
        except InputError as exc:
            answer = ("input", exc.said)           # its code and parameters cross whole
        except ReportgenError as exc:
            answer = ("build", exc.said)
        except MemoryError:
            answer = ("memory", None)
        except BaseException as exc:  # noqa: BLE001 - the parent reports it as reportgen's own fault
            answer = ("error", (f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        try:
            conn.send(answer)
        except MemoryError:
            os._exit(1)                                   # the parent reads EOF: over its memory
        except Exception as exc:  # noqa: BLE001 - a result that cannot be sent
            conn.send(("error", (f"{type(exc).__name__}: {exc}", traceback.format_exc())))
        if answer[0] == "memory":
            os._exit(1)


def job(path: Any, args: tuple) -> Job:  # type: ignore[type-arg]  # noqa: ANN401 - a Path
    """The job of reading the document at `path` (and finding its facts) with `args`."""
    from .files import open_regular
    from .readers import sniff

    try:
        with open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            kind = sniff(f.read(4096))
    except OSError:
        size, kind = 0, "text"          # the reader says what is wrong
    seconds, over_time = reading_budget(path, kind, size)
    return Job(args, seconds, over_time, over_memory(path), light=kind in ("text", "html") and size <= LIGHT_BYTES)


def bounded(path: Any, work: Callable[..., Any], *args: Any) -> Any:  # noqa: ANN401
    """work(*args) — reading the document at `path` — within the document's budget: directly
    inside a worker (whose budget it is already), else in a worker of its own."""
    if in_worker():
        return work(*args)
    with Workers(lambda: work(*args), 1) as pool:      # the arguments are inherited, not sent
        outcome = pool.map([job(path, ())])[0]
    if outcome.error is not None:
        raise InputError(outcome.error)
    return outcome.value



class Beside:
    """work() started in a forked child, on the other core, while this process goes on; `result()`
    waits for it. Whatever goes wrong there — it cannot fork, it raises, it dies, its result does
    not pickle — result() does the work itself: the answer is the same, only later. The child
    ignores Ctrl-C (the parent's to handle) and dies with its parent. Used as a context manager:
    a child whose result was not asked for (the parent failed meanwhile) is killed on leaving."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.work = work
        self.pid: int | None = None
        self.read_end: int | None = None
        try:
            read_end, write_end = os.pipe()
        except OSError:
            return
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            return
        if pid == 0:                                    # the child
            code = 1
            try:
                import pickle

                signal.signal(signal.SIGINT, signal.SIG_IGN)
                die_with_parent(parent)
                os.close(read_end)
                data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
                code = 0
            except BaseException:  # noqa: BLE001 - the parent does the work itself
                pass
            finally:
                os._exit(code)
        os.close(write_end)
        self.pid, self.read_end = pid, read_end

    def result(self) -> Any:  # noqa: ANN401
        import pickle

        if self.pid is None:
            return self.work()
        try:
            channel, self.read_end = os.fdopen(self.read_end, "rb"), None
            with channel:
                data = channel.read()
        except BaseException:
            self._reap(kill=True)
            raise
        status = self._reap(kill=False)
        if status == 0 and data:
            try:
                return pickle.loads(data)
            except Exception:  # noqa: BLE001 - done here instead
                pass
        return self.work()

    def _reap(self, kill: bool) -> int:
        pid, self.pid = self.pid, None
        if pid is None:
            return -1
        if kill:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.read_end is not None:
            os.close(self.read_end)
            self.read_end = None
        try:
            return os.waitpid(pid, 0)[1]
        except ChildProcessError:
            return -1

    def __enter__(self) -> "Beside":
        return self

    def __exit__(self, *exc: object) -> None:
        self._reap(kill=True)


@contextmanager
def collector_paused(resume: bool = True) -> Iterator[None]:
    """Python's cycle collector waits while a short, allocation-heavy step runs, and collects
    as usual after it. A collection walks every object kept so far, and such a step keeps
    many: a cold single build walked the engines' objects some 400 times (0.18 s of 1.4 s,
    measured with gc.callbacks, for 5 MB more at the peak); `facts build` on 3,000 documents
    with nothing changed, its fact base's (4.7 -> 3.7 s, the same peak: there is little
    cyclic garbage). Forked children inherit the pause; budget's workers collect as usual.
    `resume=False`: the process ends after the step (the CLI's single build), so the collector
    stays off — turned on again, it would at once walk all the step kept (0.06 s) for nothing."""
    import gc

    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was and resume:
            gc.enable()


_ENDS_WITH_COMMAND = False   # set by the console entry point: this process ends when its command does


def ends_with_command() -> None:
    """Say that this process ends with its command (the console entry point): once the
    command's files are in place, a Ctrl-C is then ignored until it ends (watch_interrupts)."""
    global _ENDS_WITH_COMMAND
    _ENDS_WITH_COMMAND = True


class Interrupts:
    """Ctrl-C during a command that writes files (a build, `facts build`). SIGINT raises KeyboardInterrupt where the build is, as
    Python's own handler does, and is remembered: libraries swallow the exception
    (WeasyPrint catches any while drawing an SVG and logs "Failed to render SVG image"; an
    import lock's callback ignores it), so a remembered one is raised again at the next
    check, and wins over an error it caused. While the files are renamed into place it is
    only remembered, so that they are put in place all or none; once they are in place
    (`done`) it undoes nothing, and the build ends as it would have without it."""

    def __init__(self) -> None:
        self.count = 0           # how many (build --all: the first lets the running finish, the second stops them)
        self.held = 0
        self.done = False

    def handler(self, signum, frame) -> None:  # type: ignore[no-untyped-def]
        self.count += 1
        if not self.held and not self.done:
            raise KeyboardInterrupt

    @property
    def seen(self) -> bool:
        return self.count > 0

    def check(self) -> None:
        if self.seen:
            raise KeyboardInterrupt


_interrupts: Interrupts | None = None


@contextmanager
def watch_interrupts() -> Iterator[Interrupts]:
    global _interrupts
    import threading

    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler):
        yield Interrupts()          # SIGINT is someone else's (a worker that ignores it, a thread)
        return
    watch = Interrupts()
    previous = signal.signal(signal.SIGINT, watch.handler)
    _interrupts = watch
    try:
        yield watch
    finally:
        _interrupts = None
        # Once the files are in place, a console command ignores a Ctrl-C until it ends: it
        # would say "nothing was written" of files that were, or be raised in a callback at
        # exit. Elsewhere (a test, a library caller) the handler before is put back.
        signal.signal(signal.SIGINT, signal.SIG_IGN if watch.done and _ENDS_WITH_COMMAND else previous)


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Within watch_interrupts, Ctrl-C waits until the block is done."""
    watch = _interrupts
    if watch is None:
        yield
        return
    watch.held += 1
    try:
        yield
    finally:
        watch.held -= 1


def check_interrupt() -> None:
    if _interrupts is not None:
        _interrupts.check()


def done_with_interrupts() -> None:
    """The files are in place: from now on a Ctrl-C undoes nothing (Interrupts.done)."""
    if _interrupts is not None:
        _interrupts.done = True


def interrupt_handled() -> None:
    """CPython 3.11 remembers a KeyboardInterrupt that passed through exec() of a string (a
    dataclass being made while Ctrl-C came, say) even when it is caught, and at exit kills
    itself with SIGINT instead of returning 130. The interrupt was handled: forget it."""
    try:
        import ctypes

        ctypes.c_int.in_dll(ctypes.pythonapi, "_Py_UnhandledKeyboardInterrupt").value = 0
    except (AttributeError, ValueError, OSError):
        pass   # another Python: its exit code is its own


@contextmanager
def collected_after(delay: float = 0.05) -> Iterator[None]:
    """A step of a long-lived process that someone waits for (a clerk's build on the office's
    page): the cycle collector waits while it runs, and collects once it is over, `delay`
    seconds later on a thread of its own — when the process has answered and waits for its next
    job. A warm build made some 60 small collections and, every other build, a full one:
    0.01–0.04 s of the clerk's wait (measured with gc.callbacks)."""
    import gc
    import threading

    was = gc.isenabled()
    try:
        with collector_paused(resume=False):
            yield
    finally:
        if was:
            def collect() -> None:
                gc.collect()
                gc.enable()

            later = threading.Timer(delay, collect)
            later.daemon = True
            later.start()


def freeze_kept() -> None:
    """What this process holds now (engines, fact base, what a batch or the page keeps) stays
    for as long as it runs: collected once, then out of the cycle collector's sight, so that
    later collections do not walk it again and again (a full one took 0.1 s of every other page
    build) and forked workers do not write to the memory they share with it."""
    import gc

    gc.collect()
    gc.freeze()

"""reportgen build --all: every provincial unit of the briefing's day (the 63 before
01/7/2025, the 34 from it), in parallel worker processes.

The work common to all provinces is done once before the workers start: the fact base is
loaded and verified, the briefings composed and their charts drawn (in a helper, while the
parent loads the engines), the template compiled; the workers, forked after that, only render
their provinces. Each worker keeps one WeasyPrint FontConfiguration and the Phụ lục it laid out;
a worker that needs another's Phụ lục is replaced by a clone of that one (_in_workers). A province that fails does not stop the
others, and one that runs over its time (UNIT_SECONDS) is stopped and fails; Ctrl-C lets
running provinces finish their files, cancels the rest and reports (a second Ctrl-C stops
the running ones too).
"""

from __future__ import annotations

import os
import resource
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from glob import escape as glob_escape

from .briefing.model import Briefing
from .budget import freeze_kept, interrupts_held, watch_interrupts
from .build import (Request, Result, Warm, check_folder, composed_beside, die_with_parent,
                    input_key, planned_paths, render, up_to_date, write_outputs)
from .errors import ReportgenError
from .provinces import Resolution, UnitOfDay, resolution_of, units_of_day


@dataclass
class Outcome:
    code: str
    name: str
    status: str                    # built | up to date | failed | cancelled
    pages: int | None = None
    files: list[str] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None
    worker: int | None = None
    peak_mb: float | None = None
    stages: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass
class BatchReport:
    outcomes: list[Outcome]
    interrupted: bool
    setup: dict[str, float]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def stats(self, wall: float, jobs: int) -> dict:  # type: ignore[type-arg]
        """Figures for the benchmark: peak memory per worker, seconds per stage summed."""
        workers: dict[int, float] = {}
        stages: dict[str, float] = {}
        for o in self.outcomes:
            if o.worker:
                workers[o.worker] = max(workers.get(o.worker, 0.0), o.peak_mb or 0.0)
            for k, v in o.stages.items():
                stages[k] = stages.get(k, 0.0) + v
        return {"wall": wall, "jobs": jobs, "setup": self.setup, "stages": stages,
                "worker_peak_mb": sorted(workers.values()),
                "built": sum(o.status == "built" for o in self.outcomes)}


_shared: dict = {}   # set in the parent before the workers fork: request, key, warm (build.Warm: the
                     # charts drawn in the parent; each worker's copy keeps its laid-out Phụ lục)


def _work(unit: UnitOfDay, briefing: Briefing) -> Outcome:
    req: Request = _shared["request"]
    start = time.perf_counter()
    stages: dict[str, float] = {}
    code = unit.code
    resolution: Resolution = resolution_of(unit)
    result = Result(resolution=resolution, planned=planned_paths(req, resolution))
    try:
        warm = _shared["warm"]
        outputs = render(briefing, req.formats, req.templates, drawn=warm.charts, timings=stages,
                         notes=result.notes, shared=warm.appendices)
        t = time.perf_counter()
        check_folder(req.out, result.planned[0].parent)
        write_outputs(result, outputs, _shared["key"])     # the manifest with the files, all or none
        stages["write"] = time.perf_counter() - t
        status, error = "built", None
    except ReportgenError as exc:
        status, error = "failed", exc.message
    except Exception as exc:  # noqa: BLE001 - one province's fault must not stop the batch
        status, error = "failed", f"{type(exc).__name__}: {exc}"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Outcome(code=code, name=unit.full_name, status=status, pages=result.pages,
                   files=[str(p) for p in result.written], seconds=time.perf_counter() - start, error=error,
                   worker=os.getpid(), peak_mb=peak, stages=stages, notes=list(dict.fromkeys(result.notes)))


def _ignore_sigint(parent: int | None = None) -> None:
    # The parent decides what happens on Ctrl-C; a worker finishes the file it is writing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.set_wakeup_fd(-1)       # (the batch's, inherited with the fork)
    # A worker dies with its parent, even a parent killed with SIGKILL.
    die_with_parent(parent)


def build_all(req: Request, jobs: int, force: bool, on_done=None) -> BatchReport:  # type: ignore[no-untyped-def]
    from .briefing.compose import compose_national, compose_province
    from .build import load_checked_facts

    setup: dict[str, float] = {}
    t = time.perf_counter()
    checked = load_checked_facts(req.facts)
    fb = checked.fb
    t = _lap(setup, "facts", t)
    key = input_key(req)
    outcomes: dict[str, Outcome] = {}
    units = units_of_day(req.when)
    pending: list[tuple[UnitOfDay, Resolution]] = []
    for unit in units:
        resolution = resolution_of(unit)
        files = planned_paths(req, resolution)
        if not force and up_to_date(files[0].parent, key, files):
            outcomes[unit.code] = Outcome(code=unit.code, name=unit.full_name, status="up to date",
                                          files=[str(f) for f in files])
            if on_done:
                on_done(outcomes[unit.code])
            continue
        pending.append((unit, resolution))
    _shared.update(request=req, key=key, warm=Warm())
    todo: list[tuple[UnitOfDay, Briefing]] = []
    if pending:
        def compose() -> list[Briefing]:
            national = compose_national(fb, checked.catalogue, checked.registry, req.when, req.options.task_window)
            return [compose_province(national, fb, resolution, req.options) for _, resolution in pending]

        # The briefings are composed and their charts drawn in a forked helper while this
        # process loads the engines the workers will inherit.
        briefings, charts = composed_beside(compose, req)
        todo = [(unit, b) for (unit, _), b in zip(pending, briefings)]
        _shared["warm"].charts.update(charts)
        t = _lap(setup, "compose+imports", t)
    interrupted = False
    freeze_kept()       # what setup made (fact base, national part, engines, charts) lives as long as the batch
    if jobs <= 1 or len(todo) <= 1:
        try:
            for unit, briefing in todo:
                outcomes[unit.code] = _work(unit, briefing)
                if on_done:
                    on_done(outcomes[unit.code])
        except KeyboardInterrupt:
            interrupted = True
    else:
        interrupted = _in_workers(todo, min(jobs, len(todo)), outcomes, on_done, clones="pdf" in req.formats)
    for unit, _ in todo:
        outcomes.setdefault(unit.code, Outcome(code=unit.code, name=unit.full_name, status="cancelled"))
    ordered = [outcomes[u.code] for u in units]
    return BatchReport(outcomes=ordered, interrupted=interrupted, setup=setup)


def _in_workers(todo: list[tuple[UnitOfDay, Briefing]], count: int, outcomes: dict[str, Outcome],
                on_done, clones: bool) -> bool:  # type: ignore[no-untyped-def]
    """The units built by `count` worker processes (lanes), each fed one unit at a time; True
    if Ctrl-C stopped the batch (the units running then finish their files, the rest are not
    begun). A worker that dies (killed, out of memory) fails only its unit and is replaced.

    With `clones`, a lane whose kinds of Phụ lục are used up takes, instead of laying out
    another kind itself (a first build costs three times a later one), a clone of the worker
    that laid that kind out: that worker is forked between two of its units, with everything
    it has laid out and painted."""
    from multiprocessing.connection import wait as ready

    _shared["todo"] = todo
    index = {unit.code: i for i, (unit, _) in enumerate(todo)}
    lanes = _Lanes(todo, count)
    workers = [_Worker.forked() for _ in range(count)]
    running: dict[int, tuple[UnitOfDay, Briefing]] = {}
    wanted: dict[int, int] = {}                 # lane -> the lane whose worker it is to be a clone of
    spare: dict[int, tuple[_Worker, set]] = {}  # type: ignore[type-arg]  # lane -> (clone, its kinds)
    waiting: set[int] = set()                   # lanes idle until their clone is made

    def replace(lane: int, worker: _Worker) -> None:
        old, workers[lane] = workers[lane], worker
        old.stop()

    def feed(lane: int) -> None:
        if interrupts.count:
            return                 # after a Ctrl-C no unit is begun
        if lane in spare:
            clone, kinds = spare.pop(lane)
            replace(lane, clone)
            lanes.inherit(lane, kinds)
        job = lanes.take(lane)
        if job is None:
            return
        if not workers[lane].send(("build", index[job[0].code])):     # it died between two units
            replace(lane, _Worker.forked())
            lanes.inherit(lane, {lanes.kind_of(job)})
            workers[lane].send(("build", index[job[0].code]))
        due[lane] = time.monotonic() + limit
        running[lane] = job
        if clones and lane not in wanted and (source := lanes.clone_for(lane)) is not None:
            wanted[lane] = source

    def finished(lane: int, late: bool = False) -> None:
        unit, _ = running.pop(lane)
        if late:                   # over its time: stopped, and its staged files removed
            workers[lane].kill()
            _unstage(unit)
        outcome = workers[lane].receive()
        if outcome is None:
            outcome = _late(unit, limit) if late else _lost(unit)
            _unstage(unit)         # (a worker that died while writing)
            replace(lane, _Worker.forked())
            lanes.inherit(lane, set())
        outcomes[unit.code] = outcome
        if on_done:
            on_done(outcome)
        for target in [t for t, source in wanted.items() if source == lane]:
            del wanted[target]
            clone = workers[lane].clone() if outcome.status == "built" else None
            if clone is not None:
                spare[target] = (clone, set(lanes.seen[lane]))
            if target in waiting:
                waiting.discard(target)
                feed(target)
        if lane in wanted and wanted[lane] in running:
            waiting.add(lane)          # its clone is made when that worker's unit is done
        else:
            wanted.pop(lane, None)
            feed(lane)

    limit = unit_seconds()
    due: dict[int, float] = {}                  # lane -> when its unit is over its time
    _reaper(clones)          # a clone's first parent is gone at once: this process becomes its parent
    # Ctrl-C is counted, not raised, while the workers run (build's watch, held), so the books
    # are never left half kept; the count wakes the wait up. The first lets the running units
    # finish (within their time) and begins no other; the second stops them now.
    with watch_interrupts() as interrupts, interrupts_held(), _woken_by_signals() as woken:
        try:
            for lane in range(count):
                feed(lane)
            while running and interrupts.count < 2:
                done = ready([woken] + [workers[lane].conn for lane in running],
                             timeout=max(0.0, min(due[lane] for lane in running) - time.monotonic()))
                if woken in done:
                    _drain(woken)
                for lane in [lane for lane in list(running) if workers[lane].conn in done]:
                    finished(lane)
                for lane in [lane for lane in list(running) if time.monotonic() >= due[lane]]:
                    finished(lane, late=True)
            for lane, (unit, _) in list(running.items()):   # a second Ctrl-C: stopped now, what they staged removed
                workers[lane].kill()
                _unstage(unit)
                outcomes[unit.code] = Outcome(code=unit.code, name=unit.full_name, status="cancelled")
                del running[lane]
        finally:
            for worker in [*workers, *(c for c, _ in spare.values())]:
                worker.stop()
            _reaper(False)
    return interrupts.count > 0


@contextmanager
def _woken_by_signals() -> Iterator[socket.socket]:
    """A socket that becomes readable when a signal arrives (signal.set_wakeup_fd), to wait on
    beside the workers' pipes; in another thread than the main one, never."""
    wake, woken = socket.socketpair()
    wake.setblocking(False)
    woken.setblocking(False)
    main = threading.current_thread() is threading.main_thread()
    before = signal.set_wakeup_fd(wake.fileno(), warn_on_full_buffer=False) if main else -1
    try:
        yield woken
    finally:
        if main:
            signal.set_wakeup_fd(before)
        wake.close()
        woken.close()


def _drain(woken: socket.socket) -> None:
    try:
        while woken.recv(64):
            pass
    except BlockingIOError:
        pass


UNIT_SECONDS = 300.0      # a province takes about a second; one still running after this is stopped


def unit_seconds() -> float:
    """The time a province may take (REPORTGEN_BUDGET_TIME_SCALE scales it, as a document's)."""
    from .budget import _seconds

    return _seconds(UNIT_SECONDS)


def _late(unit: UnitOfDay, seconds: float) -> Outcome:
    """The outcome of a unit stopped because it ran over its time."""
    return Outcome(code=unit.code, name=unit.full_name, status="failed",
                   error=f"stopped after {seconds:.0f} s: building it took longer than a province may take "
                         f"(a template or chart that never ends); nothing was written for it")


def _unstage(unit: UnitOfDay) -> None:
    """Remove what a stopped worker staged for the unit (the temporary files beside its
    briefing's files, yamlio.write_all_atomic): its previous files stay as they were."""
    from .build import MANIFEST
    from .yamlio import staged_prefix

    files = planned_paths(_shared["request"], resolution_of(unit))
    folder = files[0].parent
    for name in [f.name for f in files] + [MANIFEST]:
        for tmp in folder.glob(glob_escape(staged_prefix(name)) + "*.tmp"):
            try:
                tmp.unlink()
            except OSError:
                pass


def _lost(unit: UnitOfDay) -> Outcome:
    """The outcome of a unit whose worker died while building it."""
    return Outcome(code=unit.code, name=unit.full_name, status="failed",
                   error="worker failed: its process stopped (killed, or out of memory)")


class _Worker:
    """A worker process, sent one unit at a time: its index in _shared["todo"], which it has
    as it was when it was forked. Between two units it can be cloned (forked again, with the
    Phụ lục it has laid out and painted): the clone is the batch's child, as the worker is,
    and lives and dies on its own."""

    def __init__(self, conn, pid: int | None = None) -> None:  # type: ignore[no-untyped-def]
        self.conn, self.pid = conn, pid

    @classmethod
    def forked(cls) -> "_Worker":
        """A new worker, forked from this process (os.fork, not multiprocessing: a process of
        multiprocessing leaves a pipe its parent waits on, which a clone would hold open)."""
        import multiprocessing

        here, there = multiprocessing.Pipe()
        _ENDS.append(here)         # (closed in the worker: else its own copy keeps it from ever seeing EOF)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            try:
                _serve(there, parent)
            except BaseException:  # noqa: BLE001 - a worker never returns into the batch's code
                import traceback

                traceback.print_exc()
            os._exit(1)
        there.close()
        return cls(here, pid)

    def send(self, message: tuple) -> bool:  # type: ignore[type-arg]
        try:
            self.conn.send(message)
            return True
        except OSError:
            return False

    def receive(self) -> Outcome | None:
        try:
            return self.conn.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError):
            return None

    def clone(self) -> "_Worker | None":
        from multiprocessing.connection import Connection
        from multiprocessing.reduction import recv_handle

        if not self.send(("clone",)):
            return None
        try:
            if self.conn.recv() != "cloned":
                return None
            conn = Connection(recv_handle(self.conn))
        except (EOFError, OSError):
            return None
        _ENDS.append(conn)
        clone = _Worker(conn)
        hello = clone.receive()                  # ("ready", pid): its own, with this process its parent
        if not (isinstance(hello, tuple) and hello[0] == "ready"):
            clone.stop()
            return None
        clone.pid = hello[1]
        return clone

    def kill(self) -> None:
        """Stop the worker now (SIGKILL), whatever it is doing, and wait until it is gone."""
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _wait_for(self.pid, 5)

    def stop(self) -> None:
        """No more units: the worker ends (at the end of its unit if one runs), and is waited for."""
        self.conn.close()
        if self.conn in _ENDS:
            _ENDS.remove(self.conn)
        if self.pid is not None:
            _wait_for(self.pid)


def _wait_for(pid: int, seconds: float = 30) -> None:
    """Reap a worker or a clone (this process's children); one that does not end within
    `seconds` (never seen) is killed."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return
        if done:
            return
        if time.monotonic() > deadline:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + 5
        time.sleep(0.01)


def _reaper(on: bool) -> None:
    """While a batch clones its workers, this process is their subreaper (Linux): a clone whose
    first parent exits at once becomes this process's child, not init's (a zombie no one waits
    for), and stops depending on the worker it was cloned from."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(36, 1 if on else 0, 0, 0, 0)    # 36 = PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


_ENDS: list = []   # type: ignore[type-arg]  # the parent's ends of the workers' pipes: closed in each worker


def _serve(conn, parent: int) -> None:  # type: ignore[no-untyped-def]
    _ignore_sigint(parent)
    for end in _ENDS:
        end.close()                # (else a worker would hold another's pipe open)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            os._exit(0)            # the parent is done with it (or gone)
        try:
            if message[0] == "build":
                conn.send(_work(*_shared["todo"][message[1]]))
            elif message[0] == "clone":
                conn = _cloned(conn)
        except OSError:
            os._exit(0)            # the parent stopped listening


def _cloned(conn):  # type: ignore[no-untyped-def]
    """Fork this worker, twice: the first child forks the clone and ends, so the clone becomes
    the child of the batch (its subreaper, _reaper) and does not die with this worker. The clone
    goes on with a new pipe to the batch (its end sent over this one) and says it is ready."""
    import socket
    import threading
    from multiprocessing.connection import Connection
    from multiprocessing.reduction import send_handle

    if threading.active_count() > 1:       # a fork keeps only this thread: not safe then
        conn.send("not cloned")
        return conn
    batch = os.getppid()
    mine, theirs = socket.socketpair()
    first = os.fork()
    if first == 0:
        try:
            if os.fork() != 0:
                os._exit(0)                # the first child: its child is the clone
            conn.close()
            theirs.close()
            deadline = time.monotonic() + 5
            while os.getppid() != batch and time.monotonic() < deadline:
                time.sleep(0.001)          # until the batch has taken it on
            die_with_parent(batch)         # (exits if the batch is not its parent)
            clone = Connection(mine.detach())
            clone.send(("ready", os.getpid()))
            return clone
        except BaseException:  # noqa: BLE001 - a child of a fork never returns into the worker's loop
            os._exit(1)
    mine.close()
    os.waitpid(first, 0)
    conn.send("cloned")
    send_handle(conn, theirs.fileno(), batch)
    theirs.close()
    return conn


class _Lanes:
    """Which province each worker takes next. A worker lays out a Phụ lục once for every
    province that shows the same charts (render/pdf.py: a city's task chart names its own
    bodies, so the cities' differs from the provinces'), and the first province of each kind
    costs three or four times a later one. So a worker keeps to the kinds it has laid out
    already while they last, a free worker starts a kind no worker has started, and only
    then does it take the kind with the most provinces left — as a clone of a worker that has
    laid that kind out, when the batch makes PDFs (clone_for). With two workers, each Phụ lục
    is laid out once (the order of the files does not change their bytes)."""

    def __init__(self, todo: list[tuple[UnitOfDay, Briefing]], count: int) -> None:
        from .build import chart_key

        self.count = count
        self.groups: dict[tuple, list[tuple[UnitOfDay, Briefing]]] = {}   # type: ignore[type-arg]
        self.kinds: dict[str, tuple] = {}                                  # type: ignore[type-arg]
        for job in todo:
            key = self.kinds[job[0].code] = tuple(sorted(chart_key(c) for c in job[1].charts))
            self.groups.setdefault(key, []).append(job)
        self.seen: list[set] = [set() for _ in range(count)]               # type: ignore[type-arg]

    def take(self, lane: int) -> tuple[UnitOfDay, Briefing] | None:
        left = {k: v for k, v in self.groups.items() if v}
        if not left:
            return None
        started = set().union(*self.seen)
        mine = [k for k in left if k in self.seen[lane]]
        fresh = [k for k in left if k not in started]
        key = max(mine or fresh or list(left), key=lambda k: len(left[k]))
        self.seen[lane].add(key)
        return left[key].pop(0)

    def clone_for(self, lane: int) -> int | None:
        """After `lane` took a unit: the lane whose worker it had better be a clone of when that
        unit is done — when its own kinds are then used up, every kind left has been started,
        and another lane has laid out the kind it would take next — else None."""
        left = {k: v for k, v in self.groups.items() if v}
        if not left or any(k in self.seen[lane] for k in left):
            return None
        started = set().union(*self.seen)
        if any(k not in started for k in left):
            return None
        key = max(left, key=lambda k: len(left[k]))
        return next((other for other in range(self.count) if other != lane and key in self.seen[other]), None)

    def kind_of(self, job: tuple[UnitOfDay, Briefing]) -> tuple:  # type: ignore[type-arg]
        return self.kinds[job[0].code]

    def inherit(self, lane: int, kinds: set) -> None:  # type: ignore[type-arg]
        """The lane's worker is a new one that has laid out these kinds."""
        self.seen[lane] = set(kinds)


def _lap(clock: dict[str, float], stage: str, start: float) -> float:
    now = time.perf_counter()
    clock[stage] = now - start
    return now

"""reportgen build --all: every provincial unit of the briefing's day (the 63 before
01/7/2025, the 34 from it), in parallel worker processes.

The work common to all provinces is done once in the parent: the fact base is loaded and
verified, the national part of the briefing composed, its charts drawn and the template
compiled; the workers, forked after that, only complete and render their provinces. Each
worker keeps one WeasyPrint FontConfiguration. A province that fails does not stop the
others; Ctrl-C lets running provinces finish their files, cancels the rest and reports.
"""

from __future__ import annotations

import os
import resource
import signal
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field

from .briefing.model import Briefing
from .budget import freeze_kept
from .build import (Request, Result, Warm, check_folder, composed_beside, die_with_parent, input_key,
                    planned_paths, render, up_to_date, write_outputs)
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
        import multiprocessing
        from concurrent.futures.process import BrokenProcessPool

        def pool() -> ProcessPoolExecutor:
            return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_ignore_sigint, initargs=(os.getpid(),))

        lanes = _Lanes(todo, min(jobs, len(todo)))
        pools = [pool() for _ in range(lanes.count)]
        running: dict = {}            # type: ignore[type-arg]  # future -> (lane, unit)

        def feed(lane: int) -> None:
            job = lanes.take(lane)
            if job is None:
                return
            try:
                future = pools[lane].submit(_work, *job)
            except BrokenProcessPool:         # its worker died (killed, out of memory): a new one
                pools[lane].shutdown(wait=False, cancel_futures=True)
                pools[lane] = pool()
                future = pools[lane].submit(_work, *job)
            running[future] = (lane, job[0])

        try:
            for lane in range(lanes.count):
                feed(lane)
            while running:
                done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for f in done:
                    lane, unit = running.pop(f)
                    outcomes[unit.code] = _result(f, unit)
                    if on_done:
                        on_done(outcomes[unit.code])
                    feed(lane)
        except KeyboardInterrupt:
            interrupted = True
            for f, (_, unit) in list(running.items()):
                outcomes[unit.code] = _result(f, unit)   # running ones finish their files
        finally:
            for p in pools:
                p.shutdown(wait=True, cancel_futures=True)
    for unit, _ in todo:
        outcomes.setdefault(unit.code, Outcome(code=unit.code, name=unit.full_name, status="cancelled"))
    ordered = [outcomes[u.code] for u in units]
    return BatchReport(outcomes=ordered, interrupted=interrupted, setup=setup)


class _Lanes:
    """Which province each worker takes next. A worker lays out a Phụ lục once for every
    province that shows the same charts (render/pdf.py: a city's task chart names its own
    bodies, so the cities' differs from the provinces'), and the first province of each kind
    costs three or four times a later one. So a worker keeps to the kinds it has laid out
    already while they last, a free worker starts a kind no worker has started, and only
    then does it take the kind with the most provinces left: with two workers, the cities'
    Phụ lục is laid out once, not twice (the order of the files does not change their bytes)."""

    def __init__(self, todo: list[tuple[UnitOfDay, Briefing]], count: int) -> None:
        from .build import chart_key

        self.count = count
        self.groups: dict[tuple, list[tuple[UnitOfDay, Briefing]]] = {}   # type: ignore[type-arg]
        for job in todo:
            self.groups.setdefault(tuple(sorted(chart_key(c) for c in job[1].charts)), []).append(job)
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


def _result(future, unit: UnitOfDay) -> Outcome:  # type: ignore[no-untyped-def]
    try:
        return future.result()
    except BaseException as exc:  # noqa: BLE001 - a dead worker is reported, not raised
        return Outcome(code=unit.code, name=unit.full_name, status="failed",
                       error=f"worker failed: {type(exc).__name__}: {exc}")


def _lap(clock: dict[str, float], stage: str, start: float) -> float:
    now = time.perf_counter()
    clock[stage] = now - start
    return now

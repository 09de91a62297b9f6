"""budget.Beside: work done on the other core, or here when that fails — the same answer."""

import os
import threading
import time

import pytest

from reportgen.budget import Beside


def _children() -> set[int]:
    """This process's child processes that are still there (zombies too)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                found.append(int(entry))
    return set(found)


@pytest.fixture(autouse=True)
def no_child_left():  # type: ignore[no-untyped-def]
    before = _children()       # (what other tests started may still run)
    yield
    assert _children() <= before


def test_the_work_is_done_in_a_child_and_its_result_comes_back():
    with Beside(lambda: (os.getpid(), "số liệu " * 100_000)) as beside:
        pid, text = beside.result()
    assert pid != os.getpid() and text == "số liệu " * 100_000


def test_a_child_that_fails_or_gives_what_does_not_pickle_is_done_here():
    here = os.getpid()

    def fails():  # type: ignore[no-untyped-def]
        if os.getpid() != here:
            raise RuntimeError("only in the child")
        return "done here"

    with Beside(fails) as beside:
        assert beside.result() == "done here"

    def unpicklable():  # type: ignore[no-untyped-def]
        return (lambda: None) if os.getpid() != here else "done here"

    with Beside(unpicklable) as beside:
        assert beside.result() == "done here"

    def dies():  # type: ignore[no-untyped-def]
        if os.getpid() != here:
            os._exit(3)
        return "done here"

    with Beside(dies) as beside:
        assert beside.result() == "done here"


def test_leaving_without_the_result_stops_the_child():
    start = time.monotonic()
    with pytest.raises(ValueError):
        with Beside(lambda: time.sleep(30)):
            raise ValueError("verification failed meanwhile")
    assert time.monotonic() - start < 10


def test_an_interrupt_while_waiting_stops_the_child_and_goes_on():
    import signal

    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    start = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with Beside(lambda: time.sleep(30)) as beside:
            beside.result()
    assert time.monotonic() - start < 10


def test_the_collector_paused_for_a_step_comes_back_and_workers_collect(tmp_path):
    import gc

    from reportgen.budget import Workers, collector_paused, job

    doc = tmp_path / "a.txt"
    doc.write_text("Một văn bản.\n", "utf-8")
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        with collector_paused():
            assert not gc.isenabled()
            with Workers(lambda path: gc.isenabled(), 1) as pool:
                [outcome] = pool.map([job(doc, (doc,))])
            assert outcome.value is True          # a document's worker collects its garbage
            raise RuntimeError("the step fails")
    assert gc.isenabled()


def test_a_step_the_process_ends_after_leaves_the_collector_off():
    import gc

    from reportgen.budget import collector_paused

    try:
        with collector_paused(resume=False):
            assert not gc.isenabled()
        assert not gc.isenabled()       # no collection of all the step kept, just before exit
    finally:
        gc.enable()


def test_the_console_command_ends_with_the_collector_off_and_the_in_process_cli_gets_it_back(tmp_path, run):
    """`reportgen build` (cli.main, one command then exit) does not turn the collector on again
    after its briefing; the CLI invoked inside a longer-lived process (the tests' CliRunner) does."""
    import gc
    import subprocess
    import sys

    from conftest import FACTBASE, ROOT

    probe = ("import atexit, gc, sys; from reportgen import cli\n"
             "atexit.register(lambda: print('collector on:', gc.isenabled()))\n"
             "sys.argv[0] = 'reportgen'; cli.main()")
    args = ["build", "--province", "Quảng Ngãi", "--date", "2025-08-01", "--facts", str(FACTBASE),
            "--out", str(tmp_path / "one")]
    r = subprocess.run([sys.executable, "-c", probe, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "collector on: False" in r.stdout
    assert list((tmp_path / "one").rglob("*.pdf"))
    args[-1] = str(tmp_path / "two")
    assert run(*args).exit_code == 0
    assert gc.isenabled()


def test_a_step_someone_waits_for_is_collected_after_it_has_answered():
    """budget.collected_after (a clerk's build on the page): no collection while the step runs,
    its cyclic garbage collected shortly after, and the collector on again."""
    import gc
    import weakref

    from reportgen.budget import collected_after

    class Node:
        pass

    assert gc.isenabled()
    with collected_after(delay=0.05):
        assert not gc.isenabled()
        a, b = Node(), Node()
        a.other, b.other = b, a            # a cycle: only the collector frees it
        gone = weakref.ref(a)
        del a, b
    assert gone() is not None and not gc.isenabled()     # the answer is not kept waiting for it
    deadline = time.monotonic() + 10
    while (gone() is not None or not gc.isenabled()) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert gone() is None and gc.isenabled()

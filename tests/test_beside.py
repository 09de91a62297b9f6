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

"""A cold single build on two cores (build.build_in_two): the helper that reads the fact base
and composes the briefing hands its errors over as the build would raise them itself."""

import multiprocessing
import pickle

import pytest

from reportgen.build import _as_sent, _receive
from reportgen.errors import InputError
from reportgen.update_facts import Disagreement


def _crossed(exc: BaseException) -> BaseException:
    """What the parent raises for an exception raised in the helper (sent through a real pipe)."""
    def helper_code() -> None:
        raise exc

    try:
        helper_code()
    except BaseException as raised:  # noqa: BLE001
        sent = _as_sent(raised)
    receive, send = multiprocessing.Pipe(duplex=False)
    send.send(sent)
    with pytest.raises(BaseException) as got:
        _receive(receive)
    return got.value


def test_an_input_error_of_the_helper_keeps_its_class_words_and_where_it_was_raised():
    exc = _crossed(InputError("seeds/x.txt: not UTF-8"))
    assert type(exc) is InputError and exc.message == "seeds/x.txt: not UTF-8" and exc.exit_code == 2
    assert "in the helper process" in exc.__notes__[0] and "helper_code" in exc.__notes__[0]


def test_an_error_that_cannot_cross_the_pipe_keeps_its_words_and_exit_code():
    disagreement = Disagreement("the documents disagree (1 conflicts)", [("a", "b")])
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(disagreement))       # its extra argument does not pickle back
    exc = _crossed(disagreement)
    assert isinstance(exc, InputError) and exc.exit_code == 2
    assert exc.message == "the documents disagree (1 conflicts)"


def test_a_bug_in_the_helper_is_an_internal_error_of_its_own_name():
    exc = _crossed(ValueError("bad"))
    assert type(exc) is ValueError and str(exc) == "bad"

    class Local(Exception):            # a class the parent could not unpickle by name
        pass

    exc = _crossed(Local("local class"))
    assert type(exc).__name__ == "Local" and str(exc) == "local class"
    assert "helper_code" in exc.__notes__[0]
    assert type(_crossed(KeyboardInterrupt())) is KeyboardInterrupt


def test_a_chart_the_notice_asks_for_from_its_stylesheet_is_waited_for(run, tmp_path):
    """The cold build lays out the notice while the helper still draws the charts: a chart the
    notice refers to anyway (here from the stylesheet) is waited for, never refused — the PDF
    is the one a build without the helper makes."""
    import shutil

    from reportgen.render.html import templates_dir

    templates = tmp_path / "templates"
    shutil.copytree(templates_dir(), templates)
    with (templates / "briefing.css").open("a", encoding="utf-8") as css:
        css.write('\nh1::after { content: url("chart:chart-timeline.svg"); }\n')
    pdfs = []
    for fmt in ("both", "pdf"):
        r = run("build", "-p", "Quảng Ngãi", "--date", "2025-03-10", "--out", tmp_path / fmt, "--format", fmt,
                "--templates", templates)
        assert r.exit_code == 0, r.stderr
        assert "chart:" not in r.stderr, r.stderr            # no reference ignored
        pdfs.append(next((tmp_path / fmt).rglob("*.pdf")).read_bytes())
    assert pdfs[0] == pdfs[1]


def test_what_a_warm_worker_froze_and_then_let_go_is_collected():
    """The page's worker freezes what it holds after warm-up (gc.freeze); when its stores are
    trimmed, what they held is collected all the same, cycles included."""
    import gc
    import weakref

    from reportgen.build import Warm

    class Laid:                      # stands for a laid-out Phụ lục: full of cycles
        pass

    warm = Warm()
    warm.LIMIT = 1
    kept = Laid()
    kept.me = kept
    gone = weakref.ref(kept)
    warm.appendices.update({"a": kept, "b": None})
    del kept
    gc.collect()
    gc.freeze()
    try:
        warm.trim()
        assert gone() is None and not warm.appendices
    finally:
        gc.unfreeze()

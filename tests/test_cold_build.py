"""A cold single build on two cores (build.build_in_two): the helper that reads the fact base
and composes the briefing hands its errors over as the build would raise them itself."""

import pickle

import pytest

from reportgen.build import _as_sent
from reportgen.errors import BuildError, InputError
from reportgen.update_facts import Disagreement


def test_an_input_error_of_the_helper_keeps_its_class_and_words():
    status, exc = _as_sent(InputError("seeds/x.txt: not UTF-8"))
    assert status == "raise" and type(exc) is InputError and exc.message == "seeds/x.txt: not UTF-8"
    assert exc.exit_code == 2


def test_an_error_that_cannot_cross_the_pipe_keeps_its_words_and_exit_code():
    disagreement = Disagreement("the documents disagree (1 conflicts)", [("a", "b")])
    with pytest.raises(TypeError):
        pickle.loads(pickle.dumps(disagreement))       # its extra argument does not pickle back
    status, exc = _as_sent(disagreement)
    assert isinstance(exc, InputError) and exc.exit_code == 2
    assert exc.message == "the documents disagree (1 conflicts)"
    pickle.loads(pickle.dumps(exc))


def test_an_interrupt_or_a_bug_in_the_helper_is_a_build_error_or_itself():
    _, exc = _as_sent(KeyboardInterrupt())
    assert isinstance(exc, BuildError) and "KeyboardInterrupt" in exc.message
    _, exc = _as_sent(ValueError("bad"))
    assert type(exc) is ValueError and str(exc) == "bad"


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

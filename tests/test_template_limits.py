"""Issue 12, item 8: templates have limits (run time, loop steps and calls, the size of the
HTML and of the values they make, ranges, memory), and whatever a template does wrong ends
with its file and line, exit 1 and nothing written — never a hang, a machine driven into
swap or an "internal error".

Each build runs in a subprocess with a timeout, so a template that hangs fails the test
instead of blocking the suite, and with its address space capped at 3 GB, so one that
grows without limit fails with a MemoryError instead of taking the machine's memory."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

DATE = "2025-03-10"
BOUND = 60           # seconds a refused template may take, start-up and fact loading included


def _template(tmp_path: Path, edit) -> tuple[Path, list[str]]:  # type: ignore[no-untyped-def]
    custom = tmp_path / "tpl"
    shutil.copytree(ROOT / "templates", custom)
    path = custom / "briefing.html.j2"
    lines = edit(path.read_text("utf-8").splitlines())
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return custom, lines


def _after_body(snippet: str):  # type: ignore[no-untyped-def]
    """An edit putting `snippet` on a line of its own after <body>."""
    def edit(lines: list[str]) -> list[str]:
        at = lines.index("<body>")
        return lines[:at + 1] + [snippet] + lines[at + 1:]
    return edit


def _line_of(lines: list[str], text: str) -> int:
    return next(i for i, line in enumerate(lines, 1) if text in line)


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _build(custom: Path, out: Path, prelude: str = "") -> tuple[subprocess.CompletedProcess, float]:  # type: ignore[type-arg]
    code = f"import sys\n{prelude}\nfrom reportgen.cli import app\nsys.argv[0] = 'reportgen'\napp()\n"
    cmd = [sys.executable, "-c", code, "build", "-p", "Quảng Ngãi", "--date", DATE, "--templates", str(custom),
           "--out", str(out)]
    env = {**{k: v for k, v in os.environ.items() if k != "REPORTGEN_DEBUG"}, "COLUMNS": "200"}
    start = time.monotonic()
    # A session of its own: on a timeout the build and the helper it forked are killed together.
    with subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                          preexec_fn=_cap_memory, start_new_session=True) as p:
        try:
            stdout, stderr = p.communicate(timeout=BOUND)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.communicate()
            pytest.fail(f"the build did not stop within {BOUND} s")
    r = subprocess.CompletedProcess(cmd, p.returncode, stdout, stderr)
    return r, time.monotonic() - start


def _refused(r, out: Path, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert r.returncode == 1, r.stdout + r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr, r.stderr
    for w in words:
        assert w in r.stderr, r.stderr
    assert not out.exists()                      # nothing written, not even the folder


# --- run time, loop steps, sizes, ranges ---------------------------------------------------

def test_nested_loops_stop_at_the_step_limit(tmp_path):
    """{% for i in range(99999) %}{% for j in range(99999) %} hung forever."""
    custom, lines = _template(tmp_path, _after_body(
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"))
    r, seconds = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, 'range(99999)')}:",
             "more than 5,000,000 loop steps", "templates have limits")
    assert seconds < 30


def test_a_range_of_a_billion_is_refused_with_its_line(tmp_path):
    """range(10**9) was an internal error (OverflowError) without template:line."""
    custom, lines = _template(tmp_path, _after_body("{% for i in range(10**9) %}{{ i }}{% endfor %}"))
    r, _ = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, 'range(10**9)')}:",
             "a range of 1,000,000,000 items (at most 100,000)")


def test_a_huge_string_is_refused_before_it_is_made(tmp_path):
    """{{ "x" * 3000000000 }} grew to 6 GB."""
    custom, lines = _template(tmp_path, _after_body('{{ "x" * 3000000000 }}'))
    r, seconds = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, '3000000000')}:",
             "the operator * would make 3,000,000,000 characters")
    assert seconds < 30


@pytest.mark.parametrize("snippet, words", [
    ("{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     "the operator ~ made a value of"),
    ("{{ 'x'.ljust(3000000000) }}", "the method ljust with a size of more than 1,000,000"),
    ("{{ 'x'|center(3000000000) }}", "the filter center with a size of more than 1,000,000"),
    ("{{ '%2000000000d' % 1 }}", "a %-format with a width of 2,000,000,000"),
    ("{{ 7 ** 10000000 }}", "the operator ** would make a number of more than 100,000 bits"),
    ("{% set s = 'x' * 1000000 %}{{ s|replace('x', s) }}", "more than 512 MB of memory"),
], ids=["doubling", "ljust", "center", "printf", "power", "memory"])
def test_other_ways_to_make_huge_values_are_refused(tmp_path, snippet, words):
    custom, lines = _template(tmp_path, _after_body(snippet))
    r, _ = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, snippet)}:", words)


def test_too_much_html_is_refused_with_its_line(tmp_path):
    custom, lines = _template(tmp_path, _after_body(
        "{% for i in range(100000) %}{{ 'x' * 100 }}{% endfor %}"))
    r, _ = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, 'range(100000)')}:",
             "more than 5,000,000 characters of HTML")


# The run-time budget is 10 s; the subprocess lowers it to 2 s to keep the test short (the
# checks are the same).
FAST = "import reportgen.render.html as h\nh.MAX_SECONDS = 2.0"


@pytest.mark.parametrize("snippet", [
    # few loop steps, each slow
    "{% set s = 'x' * 1000000 %}{% for i in range(100000) %}{% set t = s|upper %}{% endfor %}",
    # no loop at all: a macro calling itself twice, 2**60 calls
    "{% macro f(n) %}{% if n > 0 %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}",
], ids=["slow-steps", "macro-calls"])
def test_a_template_running_too_long_stops_with_its_line(tmp_path, snippet):
    custom, lines = _template(tmp_path, _after_body(snippet))
    r, seconds = _build(custom, tmp_path / "out", prelude=FAST)
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, snippet)}:", "the template ran longer than 2 s")
    assert seconds < 30


# --- other template faults: file and line, never an internal error --------------------------

@pytest.mark.parametrize("snippet, words", [
    ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ("{{ 10.0 ** 1000 }}", "OverflowError"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "call themselves too deeply"),
    ("{% include 'briefing.html.j2' %}", "call themselves too deeply"),
], ids=["division", "overflow", "recursion", "self-include"])
def test_runtime_errors_name_template_and_line(tmp_path, snippet, words):
    custom, lines = _template(tmp_path, _after_body(snippet))
    r, _ = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, snippet)}:", "template error", words)


def test_a_template_nested_too_deeply_to_compile_names_the_line(tmp_path):
    snippet = "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}"
    custom, lines = _template(tmp_path, _after_body(snippet))
    r, _ = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, snippet)}:", "nests too deeply")


def test_a_template_not_in_utf8_names_the_line(tmp_path):
    custom, lines = _template(tmp_path, lambda lines: lines)
    path = custom / "briefing.html.j2"
    path.write_bytes(path.read_bytes() + b"<p>caf\xe9</p>\n")
    r, _ = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{len(lines) + 1}:", "not UTF-8")


# --- HTML the DOCX writer cannot use -------------------------------------------------------

def _replace(old: str, new: str):  # type: ignore[no-untyped-def]
    def edit(lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        assert old in text
        return text.replace(old, new, 1).split("\n")
    return edit


def test_an_h2_without_a_class_names_template_and_line(tmp_path):
    custom, lines = _template(tmp_path, _replace('<h2 class="section">1. Những kết quả đạt được</h2>',
                                                 "<h2>1. Những kết quả đạt được</h2>"))
    r, _ = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, '<h2>1. Những kết quả đạt được</h2>')}:",
             "cannot use <h2>", "section or subsection")


def test_a_heading_a_macro_makes_without_a_class_names_the_macro_line(tmp_path):
    old = "<h{{ level + 1 }} class=\"{{ 'section' if level == 1 else 'subsection' }}\">"
    custom, lines = _template(tmp_path, _replace(old, "<h{{ level + 1 }}>"))
    r, _ = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, '<h{{ level + 1 }}>')}:",
             "cannot use <h2>", "section or subsection")


def test_a_figure_without_img_names_template_and_line(tmp_path):
    def edit(lines: list[str]) -> list[str]:
        return [line for line in lines if not line.startswith("<img ")]
    custom, lines = _template(tmp_path, edit)
    r, _ = _build(custom, tmp_path / "out")
    _refused(r, tmp_path / "out", f"briefing.html.j2:{_line_of(lines, '<figure ')}:",
             "cannot use <figure", "needs an <img>")


# --- the project's template is not changed by the limits ------------------------------------

def test_the_limits_leave_the_html_unchanged(tmp_path):
    from datetime import date

    from jinja2 import StrictUndefined, select_autoescape
    from jinja2.sandbox import SandboxedEnvironment

    from reportgen.briefing import nd30
    from reportgen.build import Request, created_at, prepare
    from reportgen.render import html

    _, b = prepare(Request(province="Quảng Ngãi", when=date.fromisoformat(DATE), out=tmp_path))
    created = created_at(b.date).isoformat()
    limited = html.render_html(b, created, ROOT / "templates")
    plain = SandboxedEnvironment(loader=html._environment(str(ROOT / "templates")).loader,
                                 autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined,
                                 keep_trailing_newline=True,
                                 finalize=html._environment(str(ROOT / "templates")).finalize)
    from reportgen.render import words

    limited_env = html._environment(str(ROOT / "templates"))
    for name in ("long_date", "short_date", "capfirst", "lower_first", "vn_list", "spell"):     # the template's own words
        plain.filters[name] = limited_env.filters[name]
    plain.globals["measure"] = limited_env.globals["measure"]
    charts = html.chart_refs(b)
    token = words.start_rendering()
    try:
        expected = plain.get_template("briefing.html.j2").render(b=b, nd30=nd30, charts=charts,
                                                                 version=html.__version__, created=created,
                                                                 fallbacks=[])
    finally:
        words.end_rendering(token)
    assert limited == expected

"""reportgen build --all (issue #4): every province written and valid, failures isolated,
incremental, interruptible; heavy engines imported only where needed."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT

DATE = "2025-08-01"      # the 34 units from 01/7/2025; the 63 before: tests/test_units_of_day.py


def _files(out: Path, ext: str) -> list[Path]:
    return sorted(out.glob(f"*/*.{ext}"))


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    from typer.testing import CliRunner

    from reportgen.cli import app

    out = tmp_path_factory.mktemp("all")
    r = CliRunner().invoke(app, ["build", "--all", "--date", DATE, "--out", str(out), "--jobs", "2"],
                           env={"COLUMNS": "200"})
    return out, r


def test_all_34_provinces_are_written_and_valid(batch):
    import docx
    import pikepdf

    out, r = batch
    assert r.exit_code == 0, r.output
    pdfs, docxs = _files(out, "pdf"), _files(out, "docx")
    assert len(pdfs) == 34 and len(docxs) == 34
    assert len({p.parent.name for p in pdfs}) == 34
    for pdf in pdfs:
        with pikepdf.open(pdf) as doc:
            assert len(doc.pages) >= 3 and doc.open_metadata().pdfa_status == "2B"
    for d in docxs:
        assert any(p.text == "THÔNG BÁO" for p in docx.Document(str(d)).paragraphs)
    assert "Tỉnh Cà Mau" in r.stdout and "Thành phố Hồ Chí Minh" in r.stdout   # the summary table
    assert not list(out.rglob("*.tmp"))


def test_batch_output_equals_a_single_build(batch, tmp_path):
    out, _ = batch
    from typer.testing import CliRunner

    from reportgen.cli import app

    # a province and a city: the city's task chart names its own bodies ("Công an thành phố"),
    # so the batch draws it for the city, not the first province's drawing
    # and provinces a worker builds after another of the same kind (their Phụ lục's later pages
    # are that province's layout: render/pdf.py)
    for name, slug in (("Gia Lai", "gia-lai"), ("Hà Nội", "ha-noi"), ("Hồ Chí Minh", "ho-chi-minh"),
                       ("Cần Thơ", "can-tho"), ("Tuyên Quang", "tuyen-quang"), ("Cà Mau", "ca-mau")):
        r = CliRunner().invoke(app, ["build", "-p", name, "--date", DATE, "--out", str(tmp_path)])
        assert r.exit_code == 0
        for ext in ("pdf", "docx"):
            file = f"{slug}/thong-bao-{slug}-{DATE}.{ext}"
            assert (tmp_path / file).read_bytes() == (out / file).read_bytes(), (name, ext)


def test_second_run_is_up_to_date_and_force_rebuilds(batch, run):
    out, _ = batch
    before = {p: p.stat().st_mtime_ns for p in _files(out, "pdf")}
    r = run("build", "--all", "--date", DATE, "--out", out, "--jobs", "2")
    assert r.exit_code == 0
    assert r.stdout.count("up to date") == 34
    assert {p: p.stat().st_mtime_ns for p in _files(out, "pdf")} == before
    r = run("build", "--all", "--date", DATE, "--out", out, "--jobs", "2", "--format", "docx", "--force")
    assert r.exit_code == 0 and r.stdout.count("đã tạo") == 34


def test_changed_options_rebuild(tmp_path, run):
    r = run("build", "--all", "--date", DATE, "--out", tmp_path, "--format", "docx", "--jobs", "2")
    assert r.exit_code == 0
    r = run("build", "--all", "--date", DATE, "--out", tmp_path, "--format", "docx", "--jobs", "2")
    assert r.stdout.count("up to date") == 34
    r = run("build", "--all", "--date", DATE, "--out", tmp_path, "--format", "docx", "--jobs", "2",
            "--signer", "Nguyễn Văn A")
    assert r.stdout.count("đã tạo") == 34


def test_one_failing_province_does_not_stop_the_others(tmp_path, run, monkeypatch):
    from reportgen import batch as batch_module
    from reportgen.errors import BuildError

    real = batch_module.render

    def flaky(briefing, *args, **kwargs):
        if briefing.province_code == "ca_mau":
            raise BuildError("simulated failure for Cà Mau")
        return real(briefing, *args, **kwargs)

    monkeypatch.setattr(batch_module, "render", flaky)
    r = run("build", "--all", "--date", DATE, "--out", tmp_path, "--format", "docx", "--jobs", "2")
    assert r.exit_code == 1
    assert "Tỉnh Cà Mau" in r.stderr and "1 of 34 provinces failed" in r.stderr
    assert "simulated failure for Cà Mau" in r.stdout
    written = {p.parent.name for p in _files(tmp_path, "docx")}
    assert len(written) == 33 and "ca-mau" not in written


def test_a_worker_that_dies_fails_only_its_province(tmp_path, run, monkeypatch):
    """A worker killed while it builds (out of memory, kill -9) is replaced: only its unit fails."""
    import os

    from reportgen import batch as batch_module

    real = batch_module.render

    def dying(briefing, *args, **kwargs):
        if briefing.province_code == "ca_mau":
            os._exit(9)
        return real(briefing, *args, **kwargs)

    monkeypatch.setattr(batch_module, "render", dying)
    r = run("build", "--all", "--date", DATE, "--out", tmp_path, "--format", "docx", "--jobs", "2")
    assert r.exit_code == 1
    assert "1 of 34 provinces failed" in r.stderr and "Tỉnh Cà Mau" in r.stderr
    written = {p.parent.name for p in _files(tmp_path, "docx")}
    assert len(written) == 33 and "ca-mau" not in written


def _hanging_render(code: str, folder: Path):  # type: ignore[no-untyped-def]
    """A render that, for one unit, stages a file as a write in progress would, then never ends."""
    from reportgen import batch as batch_module

    real = batch_module.render

    def hanging(briefing, *args, **kwargs):  # type: ignore[no-untyped-def]
        if briefing.province_code == code:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f".thong-bao-{folder.name}-{DATE}.docx.a1b2c3d4.tmp").write_bytes(b"half")
            time.sleep(150)             # (longer than the test allows: a batch that waits for it fails)
        return real(briefing, *args, **kwargs)

    return hanging


def test_a_unit_that_never_ends_is_stopped_and_fails_alone(tmp_path, run, monkeypatch):
    """A province still building after its time (REPORTGEN_BUDGET_TIME_SCALE scales the 300 s)
    is stopped: it fails with what happened, what it staged is removed, the others are written."""
    from reportgen import batch as batch_module

    monkeypatch.setenv("REPORTGEN_BUDGET_TIME_SCALE", "0.02")          # 6 s
    monkeypatch.setattr(batch_module, "render", _hanging_render("ca_mau", tmp_path / "ca-mau"))
    start = time.monotonic()
    r = run("build", "--all", "--date", DATE, "--out", tmp_path, "--format", "docx", "--jobs", "2")
    assert time.monotonic() - start < 120
    assert r.exit_code == 1
    assert "1 of 34 provinces failed" in r.stderr and "Tỉnh Cà Mau" in r.stderr
    assert "stopped after 6 s" in r.stdout
    written = {p.parent.name for p in _files(tmp_path, "docx")}
    assert len(written) == 33 and "ca-mau" not in written
    assert not list(tmp_path.rglob(".*.tmp"))


def test_a_briefing_that_cannot_be_composed_fails_the_batch_with_its_words(tmp_path, run, monkeypatch):
    """The briefings are composed in a helper process (build.composed_beside) while the parent
    loads the engines: an error there is the batch's, with its message and exit code, and
    nothing is written."""
    from reportgen.briefing import compose
    from reportgen.errors import InputError

    real = compose.compose_province

    def refusing(nat, fb, resolution, options):
        if resolution.province.code == "ca_mau":
            raise InputError("facts/corrections.yaml, line 7: simulated bad value for Cà Mau")
        return real(nat, fb, resolution, options)

    monkeypatch.setattr(compose, "compose_province", refusing)
    r = run("build", "--all", "--date", DATE, "--out", tmp_path, "--format", "docx", "--jobs", "2")
    assert r.exit_code == 2
    assert "facts/corrections.yaml, line 7: simulated bad value for Cà Mau" in r.stderr
    assert not list(tmp_path.rglob("*.docx"))


def test_a_composing_helper_that_dies_is_said(tmp_path, run, monkeypatch):
    import os

    from reportgen.briefing import compose

    def dying(*args, **kwargs):
        os._exit(9)

    monkeypatch.setattr(compose, "compose_province", dying)
    r = run("build", "--all", "--date", DATE, "--out", tmp_path, "--format", "docx", "--jobs", "2")
    assert r.exit_code == 1
    assert "composes the briefings and draws their charts stopped without an answer" in " ".join(r.stderr.split())
    assert not list(tmp_path.rglob("*.docx"))


def test_ctrl_c_stops_cleanly(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "reportgen", "build", "--all", "--date", DATE, "--out",
                             str(tmp_path), "--jobs", "2"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and len(_files(tmp_path, "pdf")) < 3:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "đã hủy" in out               # the summary of what finished
    assert not list(tmp_path.rglob("*.tmp")) and not list(tmp_path.rglob(".*.tmp"))
    import docx
    import pikepdf

    pdfs = _files(tmp_path, "pdf")
    assert 3 <= len(pdfs) < 34
    for pdf in pdfs:
        pikepdf.open(pdf).close()                                # every file present is whole
    for d in _files(tmp_path, "docx"):
        docx.Document(str(d))


def test_a_second_ctrl_c_stops_a_unit_that_does_not_end_and_still_reports(tmp_path):
    """The first Ctrl-C waits for the running provinces to finish their files; a second one
    stops those now (what they staged is removed) and the summary is still printed: it once
    said "nothing was written" with no table, though other provinces were written. Ctrl-C
    is counted, not raised, while the workers run, so a third one changes nothing."""
    stuck = tmp_path / "out" / "ca-mau"
    driver = (
        "import sys, time; sys.path.insert(0, 'tests')\n"
        "from pathlib import Path\n"
        "from test_batch import _hanging_render\n"
        "from reportgen import batch\n"
        f"batch.render = _hanging_render('ca_mau', Path({str(stuck)!r}))\n"
        "from reportgen.cli import app\n"
        "app()\n")
    proc = subprocess.Popen([sys.executable, "-c", driver, "build", "--all", "--date", DATE, "--out",
                             str(tmp_path / "out"), "--format", "docx", "--jobs", "2"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and not (list(stuck.glob(".*.tmp")) and len(_files(tmp_path / "out", "docx")) >= 3):
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    time.sleep(1.5)
    assert proc.poll() is None            # waiting for Cà Mau, which does not end
    proc.send_signal(signal.SIGINT)
    proc.send_signal(signal.SIGINT)       # a third, impatient, changes nothing
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted:" in err and "nothing was written" not in err
    assert "Tỉnh Cà Mau" in out and "đã hủy" in out                    # the table, Cà Mau in it
    written = _files(tmp_path / "out", "docx")
    assert 3 <= len(written) < 34 and not list(stuck.glob("*.docx"))
    assert not list((tmp_path / "out").rglob(".*.tmp"))


def test_workers_die_with_their_parent(tmp_path):
    """Issue 12, item 9: `kill -9` of `build --all` left its workers running for minutes."""
    proc = subprocess.Popen([sys.executable, "-m", "reportgen", "build", "--all", "--date", DATE, "--out",
                             str(tmp_path), "--jobs", "2", "--force"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)

    def children() -> list[int]:
        found = []
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if f"PPid:\t{proc.pid}\n" in text:
                found.append(int(status.parent.name))
        return found

    deadline = time.time() + 120
    while time.time() < deadline and len(_files(tmp_path, "pdf")) < 2:
        time.sleep(0.1)
    workers = children()
    assert workers, "the batch runs in worker processes"
    proc.kill()
    proc.wait(timeout=30)
    alive = _still_alive(workers)
    assert alive == [], f"workers {alive} outlived their parent"


def _still_alive(pids: list[int], seconds: float = 15) -> list[int]:
    """Those of the processes still running (not zombies) after up to `seconds`."""
    deadline = time.time() + seconds
    alive = pids
    while time.time() < deadline and alive:
        alive = [w for w in pids if Path(f"/proc/{w}").exists()
                 and "State:\tZ" not in Path(f"/proc/{w}/status").read_text()]
        time.sleep(0.2)
    return alive


def test_each_kind_of_phu_luc_is_laid_out_once_with_two_workers(tmp_path, run, monkeypatch):
    """The cities' Phụ lục differs from the provinces' (their task chart names their own bodies).
    The worker that has done the cities does not lay out the provinces' again: it is replaced by
    a clone of the worker that has (batch._in_workers). Two full layouts, not three; the files
    are a single build's (test_batch_output_equals_a_single_build)."""
    import os

    from reportgen.render import repaint

    laid_out = tmp_path / "laid-out"
    real = repaint.shared

    def noted(pages):
        with laid_out.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return real(pages)

    monkeypatch.setattr(repaint, "shared", noted)
    # and every worker, the clone too, ends by itself when the batch is done with it (a clone
    # holding a pipe of the worker it came from once made the batch wait 30 s, then kill)
    from reportgen import batch as batch_module

    real_wait, stuck = batch_module._wait_for, []

    def waited(pid, seconds=30):
        deadline = time.monotonic() + 10
        try:
            while os.waitpid(pid, os.WNOHANG)[0] == 0:
                if time.monotonic() > deadline:
                    stuck.append(pid)
                    real_wait(pid, 0)
                    return
                time.sleep(0.01)
        except ChildProcessError:
            pass
    monkeypatch.setattr(batch_module, "_wait_for", waited)
    r = run("build", "--all", "--date", DATE, "--out", tmp_path / "out", "--format", "pdf", "--jobs", "2")
    assert r.exit_code == 0, r.stderr
    assert len(_files(tmp_path / "out", "pdf")) == 34
    assert len(laid_out.read_text().split()) == 2
    assert stuck == []


def test_a_worker_that_dies_after_it_was_cloned_fails_only_its_own_unit(tmp_path, run, monkeypatch):
    """The clone does not die with the worker it was cloned from (it is the batch's child):
    that worker killed while the clone builds fails one unit, not two."""
    import os

    from reportgen import batch as batch_module

    real_cloned, real_render = batch_module._cloned, batch_module.render
    state = {"source": None}

    def cloned(conn):
        me = os.getpid()
        result = real_cloned(conn)
        if os.getpid() == me:           # the worker cloned (the clone returns with its own pid)
            state["source"] = me
        return result

    def dying(briefing, *args, **kwargs):
        if state["source"] == os.getpid():
            os._exit(9)                 # the first unit it builds after being cloned
        return real_render(briefing, *args, **kwargs)

    monkeypatch.setattr(batch_module, "_cloned", cloned)
    monkeypatch.setattr(batch_module, "render", dying)
    r = run("build", "--all", "--date", DATE, "--out", tmp_path, "--format", "pdf", "--jobs", "2")
    assert r.exit_code == 1
    assert "1 of 34 provinces failed" in r.stderr, r.stderr
    assert len(_files(tmp_path, "pdf")) == 33


def test_a_clone_dies_with_the_batch(tmp_path):
    """A clone (forked by a worker, then taken on by the batch) is killed with the batch too."""
    proc = subprocess.Popen([sys.executable, "-m", "reportgen", "build", "--all", "--date", DATE, "--out",
                             str(tmp_path), "--jobs", "2", "--force", "--format", "pdf"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def parents() -> dict[int, int]:
        found = {}
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            if "State:\tZ" not in text:
                found[int(status.parent.name)] = int(text.split("PPid:\t", 1)[1].split("\n", 1)[0])
        return found

    def descendants() -> list[int]:
        tree = parents()
        children = [p for p, pp in tree.items() if pp == proc.pid]
        return children + [p for p, pp in tree.items() if pp in children]

    deadline = time.time() + 120
    while time.time() < deadline and not _files(tmp_path, "pdf"):
        time.sleep(0.05)                 # the workers run (the composing helper has ended)
    seen: set[int] = set()
    while time.time() < deadline and len(seen) < 3 and proc.poll() is None:
        seen.update(descendants())       # two workers, then a clone (which may replace one at once)
        time.sleep(0.02)
    assert len(seen) >= 3, "a worker was cloned"
    proc.kill()
    proc.wait(timeout=30)
    alive = _still_alive(sorted(seen | set(descendants())))
    assert alive == [], f"processes {alive} outlived the batch"


@pytest.mark.parametrize("args", [["--help"], ["provinces"], ["build", "--help"]])
def test_quick_commands_do_not_import_the_engines(args):
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom reportgen.cli import app\n"
            f"r = CliRunner().invoke(app, {args!r})\nassert r.exit_code == 0, r.output\n"
            "print([m for m in ('matplotlib', 'weasyprint', 'docx', 'lxml.html') if m in sys.modules])")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "[]"


def test_province_or_all_is_required(run):
    r = run("build")
    assert r.exit_code == 2 and "--province NAME or --all" in r.stderr
    r = run("build", "--all", "--province", "Huế")
    assert r.exit_code == 2


def test_stats_for_the_benchmark(tmp_path, run):
    stats = tmp_path / "stats.json"
    r = run("build", "--all", "--date", DATE, "--out", tmp_path, "--format", "docx", "--jobs", "2",
            "--stats", stats)
    assert r.exit_code == 0
    data = json.loads(stats.read_text())
    assert data["built"] == 34 and len(data["worker_peak_mb"]) == 2 and data["stages"]["docx"] > 0


def test_a_worker_keeps_to_the_kinds_of_phu_luc_it_has_laid_out():
    """Two workers, the 34 units of a day: the cities' Phụ lục (their task chart names their own
    bodies) is laid out by one worker only, which then helps with the provinces; the provinces'
    by both. Three first layouts instead of four."""
    from types import SimpleNamespace

    from reportgen.batch import _Lanes

    city, province = [SimpleNamespace(id="tasks", kind="bar", data=("thành phố",), width_mm=150,
                                      height_mm=80, unit="")], \
        [SimpleNamespace(id="tasks", kind="bar", data=("tỉnh",), width_mm=150, height_mm=80, unit="")]
    todo = [(SimpleNamespace(code=f"c{i}"), SimpleNamespace(charts=city)) for i in range(6)] + \
        [(SimpleNamespace(code=f"p{i}"), SimpleNamespace(charts=province)) for i in range(28)]
    todo.sort(key=lambda job: job[0].code[1:])            # mixed, as units_of_day lists them
    lanes = _Lanes(todo, 2)
    taken: dict[int, list[str]] = {0: [], 1: []}
    clock = {0: 0.0, 1: 0.0}
    while True:                 # the worker free first takes the next; lane 1 works at half the speed
        lane = min(clock, key=lambda k: (clock[k], k))
        job = lanes.take(lane)
        if job is None:
            break
        taken[lane].append(job[0].code)
        clock[lane] += 1.0 if lane == 0 else 2.0
    every = taken[0] + taken[1]
    assert sorted(every) == sorted(j[0].code for j in todo)                   # each once
    cities = {lane for lane, codes in taken.items() for c in codes if c.startswith("c")}
    assert len(cities) == 1                                # one worker lays out the cities' Phụ lục
    assert all(any(c.startswith("p") for c in codes) for codes in taken.values())   # both help with the rest
    assert _Lanes(todo, 2).take(0) is not None and _Lanes([], 2).take(0) is None


def test_a_file_where_the_output_folder_should_be_is_said_once_before_any_work(tmp_path, run, monkeypatch):
    """`build --all` with a file in the place of output/ built all 34 briefings, then failed
    each of them with the same line, exit 1 (helper-30, D4); --dry-run already refused it."""
    import reportgen.batch as batch

    out = tmp_path / "output"
    out.write_text("x\n", "utf-8")
    monkeypatch.setattr(batch, "build_all", lambda *a, **k: pytest.fail("the batch started"))
    r = run("build", "--all", "--date", "2025-08-01", "--out", out)
    assert r.exit_code == 2 and str(out) in r.stderr and r.stderr.count("not a folder") == 1, r.stderr
    assert out.read_text("utf-8") == "x\n"

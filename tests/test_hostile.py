"""Bad input, faults and untrusted content (issue #5): a clear message or a correct
document — never a traceback, a half-written file, an untraceable number or a request to
the network."""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from briefing_files import docx_words, joined, pdf_words
from conftest import FACTBASE, ROOT

DATE = "2025-03-10"
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))   # raise it for a longer fuzzing run


def _outputs(out: Path) -> tuple[Path, Path]:
    return (out / "quang-ngai" / f"thong-bao-quang-ngai-{DATE}.pdf",
            out / "quang-ngai" / f"thong-bao-quang-ngai-{DATE}.docx")


def _valid(pdf: Path, docx_path: Path) -> None:
    import docx
    import pikepdf

    with pikepdf.open(pdf) as doc:
        assert len(doc.pages) >= 3
    docx.Document(str(docx_path))


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):  # silence
        pass


@pytest.fixture
def server():
    _Recorder.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


HOSTILE = ['<b>đậm</b> & <i>', '<img src="{url}/img.png">', "{{{{ 7*7 }}}} {{% raw %}}", "Nguyễn\x00\x07\x1b Văn A",
           "שלום עולם مرحبا", "x" * 10000]


@pytest.mark.parametrize("text", HOSTILE, ids=["markup", "img", "jinja", "control", "rtl", "10000"])
def test_hostile_text_fields_are_shown_literally(run, tmp_path, server, text):
    text = text.format(url=server)
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path, "--signer", text,
            "--number", text[:60], "--issuer", f"ỦY BAN NHÂN DÂN / {text[:40]}")
    assert r.exit_code == 0, r.output
    pdf, docx_path = _outputs(tmp_path)
    _valid(pdf, docx_path)
    shown = "".join(ch for ch in text if ch >= " ").replace(" ", "")
    body = joined(docx_words(docx_path))
    assert shown[:200] in body                                   # literal, control characters removed
    if "7*7" in text:
        assert "{{7*7}}" in body and "{%raw%}" in body           # no template injection
    if "<img" in text:
        assert '<imgsrc="' in joined(pdf_words(pdf))
    assert _Recorder.hits == []                                  # nothing fetched


def test_nothing_is_fetched_from_the_network(run, tmp_path, server):
    custom = tmp_path / "tpl"
    shutil.copytree(ROOT / "templates", custom)
    html = (custom / "briefing.html.j2").read_text("utf-8")
    html = html.replace("<body>", f'<body><img src="{server}/a.png"><link rel="stylesheet" href="{server}/b.css">'
                                  f'<div style="background: url({server}/c.png)">x</div>', 1)
    (custom / "briefing.html.j2").write_text(html, "utf-8")
    css = (custom / "briefing.css").read_text("utf-8") + f'\nbody {{ background-image: url("{server}/d.png"); }}\n'
    (custom / "briefing.css").write_text(css, "utf-8")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out", "--templates", custom,
            "--signer", f"{server}/signer", "--number", f"{server}/n")
    assert _Recorder.hits == []
    assert r.exit_code == 0, r.output
    assert "fetches nothing outside its own files" in r.stderr          # ignored, and said so
    _valid(*_outputs(tmp_path / "out"))


def test_custom_template_runs_in_the_sandbox(run, tmp_path):
    custom = tmp_path / "tpl"
    shutil.copytree(ROOT / "templates", custom)
    path = custom / "briefing.html.j2"
    lines = path.read_text("utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("<body>"))
    lines.insert(at + 1, "{{ b.__class__.__mro__ }}")
    path.write_text("\n".join(lines), "utf-8")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out", "--templates", custom)
    assert r.exit_code == 1
    assert f"briefing.html.j2:{at + 2}" in r.stderr and "unsafe" in r.stderr
    assert not (tmp_path / "out").exists()


def test_custom_template_cannot_read_files_outside(run, tmp_path):
    custom = tmp_path / "tpl"
    shutil.copytree(ROOT / "templates", custom)
    path = custom / "briefing.html.j2"
    path.write_text(path.read_text("utf-8").replace("<body>", '<body>{% include "../../facts/catalogue.yaml" %}', 1),
                    "utf-8")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out", "--templates", custom)
    assert r.exit_code == 1 and "catalogue.yaml" in r.stderr and "Traceback" not in r.output


def test_template_syntax_error_names_template_and_line(run, tmp_path):
    custom = tmp_path / "tpl"
    shutil.copytree(ROOT / "templates", custom)
    path = custom / "briefing.html.j2"
    lines = path.read_text("utf-8").splitlines()
    lines[30] = lines[30] + " {% if %}"
    path.write_text("\n".join(lines), "utf-8")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out", "--templates", custom)
    assert r.exit_code == 1 and "briefing.html.j2:31" in r.stderr and "syntax error" in r.stderr


def test_missing_body_font_is_a_clear_error(run, tmp_path, monkeypatch):
    from reportgen.render import fonts

    fonts.body_font.cache_clear()
    fonts._metrics.cache_clear()
    monkeypatch.setattr(fonts, "_DIRS", [tmp_path / "no-fonts"])
    monkeypatch.setattr(fonts.shutil, "which", lambda name: None)
    try:
        r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out")
    finally:
        fonts.body_font.cache_clear()
        fonts._metrics.cache_clear()
    assert r.exit_code == 1 and "Liberation Serif" in r.stderr and "fonts-liberation2" in r.stderr
    assert not list((tmp_path / "out").rglob("*.pdf")) if (tmp_path / "out").exists() else True


def test_a_file_where_the_folder_should_be(run, tmp_path):
    (tmp_path / "quang-ngai").write_text("not a folder")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path)
    assert r.exit_code == 2 and "not a folder" in r.stderr           # bad input: a file in the way
    out_file = tmp_path / "file"
    out_file.write_text("x")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", out_file)
    assert r.exit_code == 2 and "not a folder" in r.stderr


def test_disk_full_keeps_the_previous_briefing(run, tmp_path, monkeypatch):
    import errno

    pdf, docx_path = _outputs(tmp_path)
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"previous pdf")
    docx_path.write_bytes(b"previous docx")
    real = os.fsync
    calls = []

    def full(fd):
        calls.append(fd)
        if len(calls) == 2:                      # the second file does not fit
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(os, "fsync", full)
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path)
    assert r.exit_code == 1 and "No space left on device" in r.stderr and "unchanged" in r.stderr
    assert pdf.read_bytes() == b"previous pdf" and docx_path.read_bytes() == b"previous docx"
    assert sorted(p.name for p in pdf.parent.iterdir()) == sorted([pdf.name, docx_path.name])


def test_two_builds_at_once_into_the_same_folder(tmp_path):
    cmd = [sys.executable, "-m", "reportgen", "build", "-p", "Quảng Ngãi", "--date", DATE, "--out", str(tmp_path)]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    for p in procs:
        p.communicate(timeout=180)
        assert p.returncode == 0
    _valid(*_outputs(tmp_path))
    assert not list(tmp_path.rglob("*.tmp"))


def test_killed_while_writing_leaves_no_partial_file(tmp_path):
    """The process dies after writing its temporary files, before renaming them."""
    pdf, docx_path = _outputs(tmp_path)
    code = ("import os, signal, sys\n"
            "os.replace = lambda *a: os.kill(os.getpid(), signal.SIGKILL)\n"
            "from reportgen.cli import app\n"
            f"sys.argv = ['reportgen', 'build', '-p', 'Quảng Ngãi', '--date', '{DATE}', '--out', {str(tmp_path)!r}]\n"
            "app()\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True)
    assert r.returncode == -9
    assert not pdf.exists() and not docx_path.exists()
    # The next build succeeds and leaves the folder clean of the dead one's work except its hidden temp files.
    r = subprocess.run([sys.executable, "-m", "reportgen", "build", "-p", "Quảng Ngãi", "--date", DATE, "--out",
                        str(tmp_path)], cwd=ROOT, capture_output=True)
    assert r.returncode == 0
    _valid(pdf, docx_path)


@pytest.mark.parametrize("edit, words", [
    (lambda t: t.replace("figures:\n", "figures:\n  - [", 1), "not valid YAML"),
    (lambda t: t.replace("  value: 87700000\n", "  value: many\n", 1), "value"),
    (lambda t: t.replace("  unit: thẻ\n", "", 1), "unit"),
])
def test_broken_fact_base_is_refused_with_file_and_line(run, tmp_path, edit, words):
    bad = tmp_path / "factbase.yaml"
    bad.write_text(edit(FACTBASE.read_text("utf-8")), "utf-8")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out", "--facts", bad)
    assert r.exit_code == 2 and f"{bad}:" in r.stderr and words in r.stderr
    assert not (tmp_path / "out").exists()


def test_duplicate_fact_id_is_refused(run, tmp_path):
    data = yaml.safe_load(FACTBASE.read_text("utf-8"))
    data["figures"].append(dict(data["figures"][0]))
    bad = tmp_path / "factbase.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out", "--facts", bad)
    assert r.exit_code == 2 and "duplicate figure id" in r.stderr


@pytest.mark.parametrize("field, value, words", [
    ("quote", "trên 99,9 triệu thẻ căn cước", "quote not found verbatim"),
    ("value", 99900000, "cannot be read from its quote"),
])
def test_untraceable_fact_is_refused(run, tmp_path, field, value, words):
    data = yaml.safe_load(FACTBASE.read_text("utf-8"))
    fact = next(f for f in data["figures"] if f["metric"] == "chip_id_cards")
    fact[field] = value
    bad = tmp_path / "factbase.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out", "--facts", bad)
    assert r.exit_code == 2 and fact["id"] in r.stderr and words in r.stderr
    assert not (tmp_path / "out").exists()


def test_big_seed_is_refused_quickly_with_its_name(run, seeds_copy, tmp_path):
    import time

    (seeds_copy / "huge.txt").write_text("Sáng 1/1/2025 phiên họp. " * 900_000, "utf-8")   # ~23 MB
    start = time.perf_counter()
    r = run("facts", "build", "--seeds", seeds_copy, "--out", tmp_path / "fb.yaml")
    assert time.perf_counter() - start < 10
    assert r.exit_code == 2 and "huge.txt" in r.stderr and not (tmp_path / "fb.yaml").exists()


def test_bad_seeds_can_be_skipped(run, seeds_copy, tmp_path):
    (seeds_copy / "empty.txt").write_bytes(b"")
    (seeds_copy / "blob.bin").write_bytes(b"\x00\x01\x02")
    r = run("facts", "build", "--seeds", seeds_copy, "--out", tmp_path / "fb.yaml", "--skip-bad")
    assert r.exit_code == 0, r.output
    assert "skipped empty.txt" in r.stderr and "skipped blob.bin" in r.stderr
    data = yaml.safe_load((tmp_path / "fb.yaml").read_text("utf-8"))
    assert len(data["documents"]) == 5


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(min_size=1, max_size=300))
def test_fuzzed_text_fields_build_or_exit_2(tmp_path_factory, text):
    """Any text in the signer and number fields: a valid PDF and DOCX (both re-open), or
    exit 2 with a message — never a traceback."""
    from typer.testing import CliRunner

    from reportgen.cli import app

    out = tmp_path_factory.mktemp("fuzz")
    r = CliRunner().invoke(app, ["build", "-p", "Quảng Ngãi", "--date", DATE, "--out", str(out), "--signer", text,
                                 "--number", text[:40]])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    if r.exit_code == 0:
        _valid(*_outputs(out))
    else:
        assert r.exit_code == 2 and "Traceback" not in r.output and r.stderr.startswith("error:"), r.output


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(quote=st.text(min_size=1, max_size=60), value=st.integers(min_value=0, max_value=10**12))
def test_fuzzed_fact_records_are_checked(tmp_path_factory, quote, value):
    from typer.testing import CliRunner

    from reportgen.cli import app

    folder = tmp_path_factory.mktemp("fact")
    data = yaml.safe_load(FACTBASE.read_text("utf-8"))
    data["figures"][0].update(quote=quote, value=value)
    bad = folder / "factbase.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    r = CliRunner().invoke(app, ["build", "-p", "Quảng Ngãi", "--date", DATE, "--out", str(folder / "out"),
                                 "--facts", str(bad), "--dry-run"])
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    assert r.exit_code in (0, 2)


@pytest.mark.parametrize("name", ["", "   ", "x" * 5000, "Quảng", "../../etc", "..", "a/b", "Huế\x00", "Hà\nNội",
                                  "Quảng\x1bNgãi"])
def test_bad_province_names_exit_2_and_write_nothing(run, tmp_path, name):
    r = run("build", "-p", name, "--date", DATE, "--out", tmp_path / "out")
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and len(r.stderr) < 400
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_output_folder_not_writable(run, tmp_path, monkeypatch):
    """As root every folder is writable, so the permission answer is simulated."""
    real = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False if mode == os.W_OK else real(path, mode))
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path)
    assert r.exit_code == 1 and "not writable" in r.stderr
    assert not list(tmp_path.rglob("*.pdf"))


# --- issue 12, the items fixed so far (each failed before its fix) ---------------------------

def test_a_symlink_in_the_template_folder_does_not_reach_outside(run, tmp_path):
    """Issue 12, item 7: `ln -s /etc/passwd T/evil.txt` and `{% include 'evil.txt' %}`."""
    custom = tmp_path / "tpl"
    shutil.copytree(ROOT / "templates", custom)
    secret = tmp_path / "secret.txt"
    secret.write_text("MẬT: không được in ra", "utf-8")
    (custom / "evil.txt").symlink_to(secret)
    path = custom / "briefing.html.j2"
    path.write_text(path.read_text("utf-8").replace("<body>", "<body>{% include 'evil.txt' %}", 1), "utf-8")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out", "--templates", custom)
    assert r.exit_code == 1 and "evil.txt" in r.stderr and "Traceback" not in r.output
    assert not (tmp_path / "out").exists()


def test_a_document_id_leading_outside_seeds_is_refused(run, tmp_path):
    """Issue 12, item 2: a document id such as ../../../etc/os-release is never read."""
    data = yaml.safe_load(FACTBASE.read_text("utf-8"))
    data["documents"][0]["id"] = "../../../etc/os-release"
    edited = tmp_path / "fb.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    r = run("facts", "verify", "--facts", edited)
    assert r.exit_code == 2 and "fb.yaml:" in r.stderr and "os-release" in r.stderr
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "link.txt").symlink_to("/etc/os-release")
    r = run("facts", "build", "--seeds", seeds, "--out", tmp_path / "out.yaml")
    assert r.exit_code == 2 and "link.txt" in r.stderr and "outside the seeds folder" in r.stderr
    assert not (tmp_path / "out.yaml").exists()


@pytest.mark.parametrize("when", ["9999-12-31", "1900-01-01"])
def test_a_date_far_off_is_refused_by_the_option_itself(run, tmp_path, when):
    """Issue 12, item 11: --date 9999-12-31 was an OverflowError after --dry-run said OK."""
    for extra in ([], ["--dry-run"]):
        r = run("build", "-p", "Quảng Ngãi", "--date", when, "--out", tmp_path / "out", *extra)
        assert r.exit_code == 2 and "2000-01-01 and 2100-12-31" in r.stderr
    assert not (tmp_path / "out").exists()


def test_bidi_controls_and_line_separators_are_removed(run, tmp_path):
    """Issue 12, item 14: U+2028 in --signer failed the build; U+202E could show text reversed."""
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path, "--signer", "Nguyễn\u2028Văn \u202eA")
    assert r.exit_code == 0, r.output
    pdf, docx_file = _outputs(tmp_path)
    for text in (" ".join(pdf_words(pdf)), " ".join(docx_words(docx_file))):
        assert "\u202e" not in text and "\u2028" not in text and "Nguyễn Văn A" in text


def test_text_from_documents_is_never_read_as_console_markup(run, tmp_path):
    """Issue 12, item 12: `facts show` with "[/]" in a task printed a MarkupError traceback."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "ngoac.txt").write_text(
        "Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số\nSáng 3/3/2025, Thủ tướng chủ trì phiên họp thứ 12.\n"
        "Thủ tướng yêu cầu Chủ tịch UBND cấp tỉnh [/] hoàn thành [bold]số hóa[/bold] hồ sơ trước ngày 30/6/2025.\n",
        "utf-8")
    out = tmp_path / "fb.yaml"
    assert run("facts", "build", "--seeds", seeds, "--out", out).exit_code == 0
    r = run("facts", "show", "--facts", out)
    assert r.exit_code == 0, r.output
    assert "[/]" in r.stdout and "[bold]số hóa[/bold]" in r.stdout and "Traceback" not in r.output


def test_terminal_escapes_in_a_document_are_not_printed_raw(run, tmp_path):
    """Issue 17, item 9: escape sequences (ESC/CSI, OSC, BEL, CR, C1) in a document's title
    and text were printed raw by `facts add` and `facts review` — a document could clear the
    screen, rewrite the window title or hide a line. They are shown as \\x1b…, and the title
    the fact base keeps has none."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    title = "Phiên họp thứ 12 \x1b[2J\x1b]0;bi-chiem\x07 Ủy ban Quốc gia về chuyển đổi số\x9b31m"
    doc = tmp_path / "thu.txt"
    doc.write_text(f"{title}\nSáng 3/3/2025, Thủ tướng Phạm Minh Chính chủ trì phiên họp thứ 12.\n"
                   "Có 12 con mèo \x1b[31mđỏ\x1b[0m\r trong sân của trụ sở.\n", "utf-8")
    r = run("facts", "add", doc, "--seeds", seeds)
    assert r.exit_code == 0, r.output
    for control in ("\x1b", "\x07", "\x9b", "\r"):
        assert control not in r.output, repr(r.output)
    assert "Phiên họp thứ 12" in r.output and "Ủy ban Quốc gia" in r.output
    out = tmp_path / "fb.yaml"
    r = run("facts", "build", "--seeds", seeds, "--out", out)
    assert r.exit_code == 0, r.output
    stored = yaml.safe_load(out.read_text("utf-8"))["documents"][0]["title"]
    assert stored.startswith("Phiên họp thứ 12") and not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in stored)
    r = run("facts", "review", "--facts", out, "--seeds", seeds)
    assert r.exit_code == 0 and "con mèo" in r.output, r.output
    for control in ("\x1b", "\x07", "\x9b", "\r"):
        assert control not in r.output, repr(r.output)
    assert "\\x1b[31mđỏ\\x1b[0m" in r.output        # shown, so a reader sees what the text holds

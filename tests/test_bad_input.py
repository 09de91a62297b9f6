"""Bad input: a clear one-paragraph message naming the file, a non-zero exit, no
traceback, and the previous fact base left intact."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import CATALOGUE, ROOT


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    out = tmp_path / "factbase.yaml"
    out.write_text("# the previous good fact base\n", "utf-8")
    return out


@pytest.mark.parametrize("name, content, words", [
    ("latin1.txt", "Thẻ căn cước".encode("cp1258", errors="replace") + b"\xe9\xff", "not UTF-8"),
    ("empty.txt", b"  \n\n", "empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ("notepad.txt", "Thẻ căn cước\r\n".encode("utf-16"), "UTF-16"),      # was called "a binary file" (helper-30)
])
def test_bad_seed_file_is_refused(run, seeds_copy, previous, name, content, words):
    (seeds_copy / name).write_bytes(content)
    r = run("facts", "build", "--seeds", seeds_copy, "--out", previous)
    assert r.exit_code == 2
    assert name in r.stderr and words in r.stderr
    assert "Traceback" not in r.output
    assert previous.read_text("utf-8") == "# the previous good fact base\n"
    assert not list(previous.parent.glob(".factbase.yaml.*"))   # no temporary file left


@pytest.mark.parametrize("name, shown, words", [
    ("Th\u00f4ng ba\u0301o.txt", "Th\u00f4ng ba\u0301o.txt", "NFD"),        # "Thông báo", its á written a + ◌́
    (b"bao-cao-\xff.txt", "bao-cao-\\xff.txt", "not UTF-8"),             # a byte of another code page
])
def test_a_document_name_the_fact_base_cannot_hold_is_refused_by_name(run, seeds_copy, previous, name, shown, words):
    """A document's name is its id in the fact base (NFC text). A name written in NFD (a Mac,
    a zip) or with a byte that is not UTF-8 ended facts build with an internal error from the
    worker (a ValidationError; an UnicodeEncodeError), --skip-bad too (helper-30, D2 and D3)."""
    import os
    import shutil

    target = os.path.join(os.fsencode(seeds_copy), name) if isinstance(name, bytes) else seeds_copy / name
    shutil.copyfile(next(seeds_copy.glob("000_*.txt")), target)
    for extra in ([], ["--skip-bad"]):
        r = run("facts", "build", "--seeds", seeds_copy, "--out", previous, *extra)
        assert r.exit_code == 2 and shown in r.stderr and words in r.stderr and "facts add" in r.stderr, r.stderr
        assert "internal error" not in r.output and "Traceback" not in r.output
        assert previous.read_text("utf-8") == "# the previous good fact base\n"


def test_malformed_catalogue_names_line_and_column(run, tmp_path, previous):
    bad = tmp_path / "catalogue.yaml"
    text = CATALOGUE.read_text("utf-8").replace("  - id: digital_economy_gdp_share\n", "  - id: [digital_economy_gdp_share\n", 1)
    bad.write_text(text, "utf-8")
    line = text.splitlines().index("  - id: [digital_economy_gdp_share") + 1
    r = run("facts", "build", "--catalogue", bad, "--out", previous)
    assert r.exit_code == 2
    assert f"{bad}:" in r.stderr and "not valid YAML" in r.stderr
    reported = int(r.stderr.split(f"{bad}:")[1].split(":")[0])
    assert line <= reported <= line + 3
    assert previous.read_text("utf-8").startswith("# the previous")


def test_catalogue_wrong_type_and_duplicate_id(run, tmp_path, previous):
    data = yaml.safe_load(CATALOGUE.read_text("utf-8"))
    data["metrics"][2]["kind"] = "volume"
    bad = tmp_path / "catalogue.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    r = run("facts", "build", "--catalogue", bad, "--out", previous)
    assert r.exit_code == 2 and "metrics.2.kind" in r.stderr and f"{bad}:" in r.stderr
    data["metrics"][2]["kind"] = "rate"
    data["metrics"].append(dict(data["metrics"][0]))
    bad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    r = run("facts", "build", "--catalogue", bad, "--out", previous)
    assert r.exit_code == 2 and "duplicate metric id 'egdi_rank'" in r.stderr


def _corrections(tmp_path: Path, figure: dict) -> Path:
    path = tmp_path / "corrections.yaml"
    path.write_text(yaml.safe_dump({"figures": [figure]}, allow_unicode=True), "utf-8")
    return path


GOOD = {"metric": "martyr_dna_samples", "value": 547, "unit": "mẫu", "as_of": "2024", "scope": "national",
        "source": "000_d4cb23978cb4175d.txt", "quote": "547 mẫu ADN thân nhân liệt sĩ", "note": "reviewed",
        "reviewed_by": "Nguyễn Thị Bình, Văn phòng UBND tỉnh"}


def test_correction_with_unknown_metric_is_refused(run, tmp_path, previous):
    path = _corrections(tmp_path, {**GOOD, "metric": "dna_samples_typo"})
    r = run("facts", "build", "--corrections", path, "--out", previous)
    assert r.exit_code == 2 and "dna_samples_typo" in r.stderr and "not in the catalogue" in r.stderr
    assert previous.read_text("utf-8").startswith("# the previous")


def test_correction_with_quote_not_in_source_is_refused(run, tmp_path, previous):
    path = _corrections(tmp_path, {**GOOD, "quote": "548 mẫu ADN thân nhân liệt sĩ", "value": 548})
    r = run("facts", "build", "--corrections", path, "--out", previous)
    assert r.exit_code == 2 and "quote not found verbatim" in r.stderr and "000_d4cb23978cb4175d.txt" in r.stderr


def test_correction_whose_value_is_not_in_its_quote_is_refused(run, tmp_path, previous):
    path = _corrections(tmp_path, {**GOOD, "value": 5470})
    r = run("facts", "build", "--corrections", path, "--out", previous)
    assert r.exit_code == 2 and "cannot be read from its quote" in r.stderr


def test_reviewed_correction_is_added(run, tmp_path):
    path = _corrections(tmp_path, GOOD)
    out = tmp_path / "fb.yaml"
    r = run("facts", "build", "--corrections", path, "--out", out)
    assert r.exit_code == 0, r.output
    facts = yaml.safe_load(out.read_text("utf-8"))
    assert any(f["origin"] == "correction" and f["value"] == 547 and f["reviewed_by"].startswith("Nguyễn Thị Bình")
               for f in facts["figures"])
    # It verifies against the corrections that recorded it, and only against them.
    assert run("facts", "verify", "--facts", out, "--corrections", path).exit_code == 0
    r = run("facts", "verify", "--facts", out, "--corrections", tmp_path / "none.yaml")
    added = next(f for f in facts["figures"] if f["origin"] == "correction")
    assert r.exit_code == 1 and f"figure {added['id']} (000_d4cb23978cb4175d.txt):" in r.stdout, r.stdout


def test_a_correction_says_who_and_why(run, tmp_path, previous):
    unsigned = {k: v for k, v in GOOD.items() if k != "reviewed_by"}
    r = run("facts", "build", "--corrections", _corrections(tmp_path, unsigned), "--out", previous)
    assert r.exit_code == 2 and f"{tmp_path / 'corrections.yaml'}:" in r.stderr and "reviewed_by (who)" in r.stderr
    r = run("facts", "build", "--corrections", _corrections(tmp_path, {**GOOD, "origin": "manual"}), "--out", previous)
    assert r.exit_code == 2 and "origin" in r.stderr and "correction" in r.stderr
    assert previous.read_text("utf-8").startswith("# the previous")


def test_corrections_yaml_missing_field_names_line(run, tmp_path, previous):
    path = tmp_path / "corrections.yaml"
    path.write_text("figures:\n  - metric: martyr_dna_samples\n    value: 547\n", "utf-8")
    r = run("facts", "build", "--corrections", path, "--out", previous)
    assert r.exit_code == 2 and f"{path}:2:5:" in r.stderr and "field 'figures.0.unit'" in r.stderr


def test_missing_seeds_folder(run, tmp_path, previous):
    r = run("facts", "build", "--seeds", tmp_path / "nope", "--out", previous)
    assert r.exit_code == 2 and "does not exist" in r.stderr


def test_no_traceback_from_the_real_command(tmp_path):
    """The installed entry point, as a user runs it."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "bad.txt").write_bytes(b"\xff\xfe\x00")
    r = subprocess.run([sys.executable, "-m", "reportgen", "facts", "build", "--seeds", str(seeds),
                        "--out", str(tmp_path / "x.yaml")], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2
    assert "bad.txt" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("command", [("facts", "build", "--seeds"), ("facts", "build", "--catalogue"),
                                     ("facts", "verify", "--facts"), ("build", "-p", "Quảng Ngãi", "--templates")])
def test_an_empty_path_option_is_refused_not_taken_for_the_current_folder(run, tmp_path, previous, command, monkeypatch):
    """`facts build --seeds ""` built a fact base of the office folder (a stray document in
    it) and wrote it over the real one, exit 0 (helper-30, D6): an empty path is the current
    folder to Python."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "stray.txt").write_text("Năm 2025, toàn tỉnh có 42 điểm truy cập.\n", "utf-8")
    extra = ["--out", previous] if command[:2] == ("facts", "build") else []
    r = run(*command, "", *extra)
    assert r.exit_code == 2 and command[-1] in r.output and "empty" in r.output, r.output
    assert previous.read_text("utf-8") == "# the previous good fact base\n"


def test_what_seeds_holds_besides_documents_is_named_not_passed_over_unsaid(run, seeds_copy, tmp_path):
    """A folder, a link that leads nowhere (or round in a loop) and a pipe in seeds/ were
    passed over without a word (helper-30, D7): each is named in a note, and the build goes on."""
    import os

    (seeds_copy / "sub").mkdir()
    (seeds_copy / "dangling.txt").symlink_to("missing.txt")
    (seeds_copy / "l1.txt").symlink_to("l2.txt")
    (seeds_copy / "l2.txt").symlink_to("l1.txt")
    os.mkfifo(seeds_copy / "pipe.txt")
    (seeds_copy / ".DS_Store").write_bytes(b"\x00\x00")
    r = run("facts", "build", "--seeds", seeds_copy, "--out", tmp_path / "fb.yaml")
    assert r.exit_code == 0, r.output
    notes = [line for line in r.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 5, r.stderr
    for name, words in (("sub", "a folder"), ("dangling.txt", "leads to no file"), ("l1.txt", "leads to no file"),
                        ("l2.txt", "leads to no file"), ("pipe.txt", "a pipe")):
        assert any(f"{seeds_copy / name}:" in line and words in line for line in notes), (name, notes)

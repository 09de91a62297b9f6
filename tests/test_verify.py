"""`reportgen facts verify` fails on facts nobody can trace, and reports disagreements."""

from pathlib import Path

import pytest
import yaml

from conftest import FACTBASE, ROOT


def _edit(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(FACTBASE.read_text("utf-8"))
    change(data)
    out = tmp_path / "factbase.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return out


def _first(data, metric):
    return next(f for f in data["figures"] if f["metric"] == metric)


def test_tampered_quote_fails(run, tmp_path):
    def change(d):
        _first(d, "chip_id_cards")["quote"] = "trên 88,7 triệu thẻ căn cước"
    r = run("facts", "verify", "--facts", _edit(tmp_path, change))
    assert r.exit_code == 1
    assert "quote not found verbatim" in r.stdout and "000_d4cb23978cb4175d.txt" in r.stdout


def test_value_not_in_quote_fails(run, tmp_path):
    def change(d):
        _first(d, "chip_id_cards")["value"] = 8770000
    r = run("facts", "verify", "--facts", _edit(tmp_path, change))
    assert r.exit_code == 1 and "cannot be read from its quote" in r.stdout


def test_unknown_metric_fails(run, tmp_path):
    def change(d):
        _first(d, "chip_id_cards")["metric"] = "chip_cards"
    r = run("facts", "verify", "--facts", _edit(tmp_path, change))
    assert r.exit_code == 1 and "'chip_cards' is not in the catalogue" in r.stdout


def test_wrong_deadline_fails(run, tmp_path):
    def change(d):
        task = next(t for t in d["tasks"] if t["deadline"] == "2025-03-31")
        task["deadline"] = "2025-04-30"
    r = run("facts", "verify", "--facts", _edit(tmp_path, change))
    assert r.exit_code == 1 and "deadline 2025-04-30 cannot be read" in r.stdout


def test_conflict_between_two_press_reports_fails(run, tmp_path):
    """Same metric, scope and date, incompatible values, same rank: a reviewer must decide."""
    def change(d):
        f = dict(_first(d, "egdi_rank"))
        f.update(id="fig-test", source="002_83451dbc79f63736.txt", quote="vị trí thứ 71/193 quốc gia",
                 as_of="2024", value=71)
        d["figures"].append(f)
        g = dict(f, id="fig-test2", value=72, quote="tăng 15 bậc")  # not readable: also an error
        d["figures"].append(g)
    r = run("facts", "verify", "--facts", _edit(tmp_path, change))
    assert r.exit_code == 1
    assert "conflict:" in r.stdout and "egdi_rank" in r.stdout


def test_official_text_outranks_press(run):
    r = run("facts", "verify")
    assert r.exit_code == 0
    assert "resolved:" in r.stdout and "003_7687aff471724f1c.txt is used" in r.stdout


def test_qualified_values_do_not_conflict():
    from reportgen.factbase import Figure
    from reportgen.verify import _disjoint

    base = dict(id="x", metric="m", unit="%", as_of="2024", scope="national", source="s", quote="q")
    over20 = Figure(**base, value=20, qualifier="vượt")
    exact = Figure(**base, value=25.25)
    assert not _disjoint(over20, exact)
    assert _disjoint(Figure(**base, value=30), exact)
    assert not _disjoint(Figure(**base, value=9, upper=10), Figure(**base, value=8, qualifier="trên"))
    assert _disjoint(Figure(**base, value=9, upper=10), Figure(**base, value=12))


def test_show_formats_vietnamese_numbers(run):
    r = run("facts", "show", "--metric", "chip_id_cards")
    assert r.exit_code == 0
    assert "trên 87,7 triệu thẻ" in r.stdout and "86,3 triệu thẻ" in r.stdout


def test_show_province_includes_former_units(run):
    r = run("facts", "show", "--province", "tinh tuyen quang")
    assert r.exit_code == 0 and "127/154 thôn" in r.stdout and "Hà Giang" in r.stdout
    r = run("facts", "show", "--province", "Quang Ngai")
    assert "Nguyễn Hoàng Giang" in r.stdout


def test_show_unknown_inputs(run):
    r = run("facts", "show", "--metric", "chip_id_card")
    assert r.exit_code == 2 and "chip_id_cards" in r.stderr
    r = run("facts", "show", "--province", "Quang Ngia")
    assert r.exit_code == 2 and "Quảng Ngãi" in r.stderr
    for option in ("--province", "--metric"):      # an empty filter showed everything, exit 0 (helper-30)
        r = run("facts", "show", option, "")
        assert r.exit_code == 2 and f"{option} is empty" in r.stderr


def test_the_fast_yaml_writer_writes_what_the_python_one_does():
    """dump_yaml uses libyaml's emitter when PyYAML has it: the committed fact base, and text
    that tests quoting and folding, come out byte for byte as PyYAML's own emitter writes them."""
    import yaml

    from reportgen.yamlio import dump_yaml

    data = yaml.safe_load((ROOT / "facts" / "factbase.yaml").read_text("utf-8"))
    tricky = {"strings": ["a: b", "- x", " leading", "trailing ", "'quoted'", '"double"', "#hash", "null", "yes", "1.0",
                          "07", "dòng một\ndòng hai", "Ủy ban Quốc gia về chuyển đổi số " * 8, "tab\there", "",
                          "Hoà" "\u0300", "%", "@at", "`tick`", "{brace}", "[list]", "a,b", "…/TB-UBND"],
              "numbers": [1, 1.5, 0.0, -3, 10**12], "none": None, "flags": [True, False], "nested": {"k": [{"a": 1}]}}
    for value in (data, tricky):
        assert dump_yaml(value) == dump_yaml(value, fast=False)


def test_facts_build_reads_each_document_once_and_lists_what_review_lists(run, tmp_path, monkeypatch):
    """Issue 21: `facts build` verified the new fact base, then listed what to review, and each
    read every document from the readers' cache (0.07 s of an unchanged 300-document archive's
    0.8 s). The listing now takes the texts verify has just read: each document is read once, and
    the build names what `facts review`, reading on its own, lists."""
    import re
    import shutil
    from collections import Counter

    from conftest import SEEDS
    from reportgen import readers, review as review_module, verify as verify_module

    home = tmp_path / "office"
    shutil.copytree(ROOT / "facts", home / "facts")
    shutil.copytree(SEEDS, home / "seeds")
    monkeypatch.setenv("REPORTGEN_HOME", str(home))
    assert run("facts", "build").exit_code == 0          # the readers' and found caches made
    reads: Counter[str] = Counter()

    def counted(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        reads[Path(path).name] += 1
        return readers.read(path, *args, **kwargs)

    monkeypatch.setattr(verify_module, "read", counted)
    monkeypatch.setattr(review_module, "read", counted)
    r = run("facts", "build")
    assert r.exit_code == 0, r.output
    documents = sorted(p.name for p in (home / "seeds").iterdir())
    assert sorted(reads) == documents and set(reads.values()) == {1}, reads
    said = re.search(r"(\d+) unclassified figures", r.stdout)
    assert said, r.stdout
    listed = run("facts", "review")
    assert listed.exit_code == 0
    assert re.search(rf"^{said.group(1)} items?\b", listed.stdout, re.M), listed.stdout
    assert "25 dịch vụ công" in listed.stdout          # the sentence comes from the document's text


def test_a_file_in_seeds_that_cannot_be_read_is_named_never_an_internal_error(run, tmp_path, seeds_copy, monkeypatch):
    """An unreadable file in seeds/ (another user's, mode 000) is a document the fact base
    has not read — even one `facts build --skip-bad` left out, since nothing tells it is
    still the same — and verify names it, exit 1, no traceback."""
    import hashlib
    import os
    import pathlib

    (seeds_copy / "zz_new.txt").write_text("Một văn bản mới.\n", "utf-8")
    refused = seeds_copy / "zz_refused.bin"
    refused.write_bytes(b"\x00\x01binary")
    sha = hashlib.sha256(refused.read_bytes()).hexdigest()
    facts = _edit(tmp_path, lambda d: d.__setitem__("skipped", [{"id": "zz_refused.bin", "sha256": sha,
                                                                 "reason": "not a document"}]))
    r = run("facts", "verify", "--facts", facts, "--seeds", seeds_copy)
    assert r.exit_code == 1 and "zz_new.txt" in r.stdout and "zz_refused.bin" not in r.stdout   # left out on purpose
    locked = {"zz_new.txt", "zz_refused.bin"}
    real_open = os.open

    def refusing(path, *args, **kwargs):      # the system's answer for another user's mode-000 file
        if pathlib.Path(path).name in locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", refusing)
    r = run("facts", "verify", "--facts", facts, "--seeds", seeds_copy)
    assert r.exit_code == 1
    said = [line for line in r.stdout.splitlines() if "zz_new.txt" in line]
    assert len(said) == 1 and "zz_refused.bin" in said[0] and "facts build" in said[0], r.stdout


def test_a_metric_taken_out_of_the_catalogue_is_said_as_such_not_as_a_hand_edit(run, tmp_path):
    """A metric removed from the catalogue that the fact base uses was said as "its metric is
    'egdi_rank' but its source gives 'unclassified' — edited by hand" (helper-30, D5): the
    fact base was not touched. Each record says the metric is missing and both ways out."""
    import re

    from conftest import CATALOGUE

    text = CATALOGUE.read_text("utf-8")
    figures = yaml.safe_load(FACTBASE.read_text("utf-8"))["figures"]
    # a metric of the fact base that nothing else in the catalogue (a chart, a table) names
    metric = next(f["metric"] for f in figures if len(re.findall(rf"\b{f['metric']}\b", text)) == 1)
    block = re.search(rf"(?ms)^  - id: {metric}\n.*?(?=^  - id: )", text)
    assert block is not None
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text(text.replace(block.group(), ""), "utf-8")
    r = run("facts", "verify", "--catalogue", catalogue)
    used = sum(1 for f in figures if f["metric"] == metric)
    assert r.exit_code == 1 and r.stdout.count(f"'{metric}' is not in the catalogue") >= used, r.output
    assert "taken out of facts/catalogue.yaml" in r.stdout and "reportgen facts build" in r.stdout
    assert "edited by hand" not in r.stdout, r.stdout


def test_review_of_a_fact_base_older_than_its_documents_says_so(run, tmp_path, seeds_copy):
    """`facts review` listed what a fact base older than its documents held, without a word
    (helper-30): a document changed since, or one added, is named, with what to run."""
    fb = tmp_path / "fb.yaml"
    assert run("facts", "build", "--seeds", seeds_copy, "--out", fb).exit_code == 0
    r = run("facts", "review", "--facts", fb, "--seeds", seeds_copy)
    assert r.exit_code == 0 and "older than the documents" not in r.stderr
    changed = sorted(seeds_copy.iterdir())[0]
    changed.write_text(changed.read_text("utf-8") + "\nGhi chú.\n", "utf-8")
    (seeds_copy / "zz-new.txt").write_text("Năm 2025, toàn tỉnh có 42 điểm truy cập.\n", "utf-8")
    r = run("facts", "review", "--facts", fb, "--seeds", seeds_copy)
    note = [line for line in r.stderr.splitlines() if "older than the documents" in line]
    assert r.exit_code == 0 and len(note) == 1 and changed.name in note[0] and "zz-new.txt" in note[0], r.stderr
    assert "facts build" in note[0]

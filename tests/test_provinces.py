"""Provinces: the 34 current units from vietnam-provinces, the 63 former ones mapped to
their successors, and names typed by people (issue #3). Names resolve to the unit of
today unless a date is given (tests/test_units_of_day.py)."""

import unicodedata

import pytest

from reportgen.errors import InputError
from reportgen.provinces import current_provinces, former_provinces, resolve


def test_34_current_and_63_former():
    current = current_provinces()
    assert len(current) == 34 and len({p.code for p in current}) == 34
    former = former_provinces()
    assert len(former) == 63 and len({f.name for f in former}) == 63
    assert {f.successor for f in former} == {p.code for p in current}   # every unit has a predecessor


@pytest.mark.parametrize("typed, name, former", [
    ("Quảng Ngãi", "Quảng Ngãi", None),
    ("quang ngai", "Quảng Ngãi", None),
    ("  Tỉnh   QUẢNG  ngãi ", "Quảng Ngãi", None),
    (unicodedata.normalize("NFD", "Quảng Ngãi"), "Quảng Ngãi", None),
    ("Khánh Hoà", "Khánh Hòa", None),
    ("Thanh Hoá", "Thanh Hóa", None),
    ("TP. Hồ Chí Minh", "Hồ Chí Minh", None),
    ("thanh pho ho chi minh", "Hồ Chí Minh", None),
    ("Hà Giang", "Tuyên Quang", "Hà Giang"),
    ("Kon Tum", "Quảng Ngãi", "Kon Tum"),
    ("Bắc Kạn", "Thái Nguyên", "Bắc Kạn"),
    ("Bình Dương", "Hồ Chí Minh", "Bình Dương"),
    ("Bà Rịa - Vũng Tàu", "Hồ Chí Minh", "Bà Rịa - Vũng Tàu"),
    ("Thừa Thiên Huế", "Huế", "Thừa Thiên Huế"),
])
def test_names_people_type(typed, name, former):
    r = resolve(typed)
    assert r.province.name == name and r.former == former


@pytest.mark.parametrize("typed, words", [
    ("Atlantis", "unknown province"),
    ("Quảng", "ambiguous province"),
    ("Quang Ngia", "Quảng Ngãi"),
    ("", "empty"),
    ("x" * 5000, "5000 characters"),
    ("../etc", "characters no province name has"),
    ("Quảng\x00Ngãi", "characters no province name has"),
])
def test_bad_names_are_refused(typed, words):
    with pytest.raises(InputError) as err:
        resolve(typed)
    assert words in err.value.message
    assert err.value.message.count(",") <= 2 or "Did you mean" not in err.value.message  # at most three suggestions


def test_unknown_province_exits_2_and_writes_nothing(run, tmp_path):
    r = run("build", "--province", "Quang Ngia", "--date", "2025-03-10", "--out", tmp_path)
    assert r.exit_code == 2 and "Did you mean: Quảng Ngãi" in r.stderr
    assert list(tmp_path.iterdir()) == []


def test_former_name_builds_the_successor_and_says_so(run, tmp_path):
    """From 01/7/2025 (Nghị quyết số 202/2025/QH15) a former unit's name is its successor's
    briefing; before that day it is the unit's own (tests/test_units_of_day.py)."""
    r = run("build", "--province", "Hà Giang", "--date", "2025-08-01", "--out", tmp_path, "--format", "docx")
    assert r.exit_code == 0, r.output
    assert "Tỉnh Tuyên Quang (tỉnh Hà Giang cũ, nay thuộc tỉnh Tuyên Quang theo Nghị quyết số 202/2025/QH15)" \
        in r.stdout
    from briefing_files import docx_words

    docx = tmp_path / "tuyen-quang" / "thong-bao-tuyen-quang-2025-08-01.docx"
    text = " ".join(docx_words(docx))
    assert "tỉnh Hà Giang (cũ)" in text and "127/154 thôn" in text      # the former unit's own figures
    assert "Theo Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội, từ ngày 01/7/2025" in text
    assert "TỈNH TUYÊN QUANG" in text


def test_province_without_own_facts_says_so_plainly(run, tmp_path):
    r = run("build", "--province", "Cà Mau", "--date", "2025-03-10", "--out", tmp_path, "--format", "docx")
    assert r.exit_code == 0, r.output
    from briefing_files import docx_words

    text = " ".join(docx_words(tmp_path / "ca-mau" / "thong-bao-ca-mau-2025-03-10.docx"))
    # nothing of its own: no empty part c) (the tasks of b) are the province's work)
    assert "c) Đối với" not in text and "b) Nhiệm vụ giao các cơ quan, đơn vị của tỉnh" in text
    assert "Ủy ban nhân dân tỉnh Cà Mau thông báo để" in text


def test_dry_run_writes_nothing(run, tmp_path):
    r = run("build", "--province", "kon tum", "--date", "2025-08-01", "--out", tmp_path, "--dry-run")
    assert r.exit_code == 0
    assert "would write" in r.stdout and "quang-ngai/thong-bao-quang-ngai-2025-08-01.pdf" in r.stdout
    assert list(tmp_path.iterdir()) == []


def test_every_province_and_former_name_composes():
    """All 34 provinces and all 63 former names give a briefing model (the renderers are
    exercised on a sample in test_briefing; the benchmark builds all 34)."""
    from datetime import date

    from reportgen.briefing.compose import Options, compose
    from reportgen.build import load_checked_facts

    checked = load_checked_facts(None)
    names = [p.name for p in current_provinces()] + [f.name for f in former_provinces()]
    for when in (date(2025, 3, 10), date(2025, 8, 1)):     # a unit of the 63, then of the 34
        for name in names:
            b = compose(checked.fb, checked.catalogue, checked.registry, resolve(name, when), when, Options())
            assert b.issuer_lines[1].startswith(("TỈNH ", "THÀNH PHỐ ")), name
            assert b.unit.label.lower().startswith(("tỉnh ", "thành phố ")), name


def test_provinces_command_lists_all(run):
    r = run("provinces")
    assert r.exit_code == 0
    assert "Tỉnh Tuyên Quang" in r.stdout and "Hà Giang" in r.stdout and "Thành phố Hồ Chí Minh" in r.stdout
    assert r.stdout.count("Tỉnh ") + r.stdout.count("Thành phố ") >= 34


def test_letterhead_and_signer_options(run, tmp_path):
    r = run("build", "-p", "Quảng Ngãi", "--date", "2025-03-10", "--out", tmp_path, "--format", "docx",
            "--number", "15/TB-UBND", "--issuer", "UBND TỈNH QUẢNG NGÃI / SỞ KHOA HỌC VÀ CÔNG NGHỆ",
            "--signer-title", "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC", "--signer", "Nguyễn Văn A")
    assert r.exit_code == 0, r.output
    from briefing_files import docx_words

    text = " ".join(docx_words(tmp_path / "quang-ngai" / "thong-bao-quang-ngai-2025-03-10.docx"))
    for part in ("UBND TỈNH QUẢNG NGÃI SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Số: 15/TB-UBND", "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC",
                 "Nguyễn Văn A",
                 # the Phụ lục's line is filled from the number, the date and the issuing body
                 "(Kèm theo Thông báo số 15/TB-UBND ngày 10 tháng 3 năm 2025 của Sở Khoa học và Công nghệ)"):
        assert part in text, part

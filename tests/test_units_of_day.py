"""Issue 19, item 3: the province, law and map of the briefing's date. Before 01/7/2025 a
briefing is issued by one of the 63 units of that day, with its district level; from
01/7/2025 by one of the 34 (Nghị quyết số 202/2025/QH15); Huế is tỉnh Thừa Thiên Huế until
31/12/2024 and thành phố Huế from 01/01/2025 (Nghị quyết số 175/2024/QH15)."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from reportgen.errors import InputError
from reportgen.provinces import resolve, unit_of_day, units_of_day

BEFORE, AFTER = date(2025, 3, 10), date(2025, 8, 1)
CITIES_BEFORE_2025 = {"Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Hồ Chí Minh"}


def test_63_units_until_30_6_2025_and_34_from_1_7_2025():
    last, first = units_of_day(date(2025, 6, 30)), units_of_day(date(2025, 7, 1))
    assert len(last) == 63 and len({u.code for u in last}) == 63 and len({u.name for u in last}) == 63
    assert len(first) == 34 and len({u.code for u in first}) == 34
    assert all(u.districts for u in last) and not any(u.districts for u in first)
    assert {u.name for u in units_of_day(date(2024, 12, 31)) if u.kind == "thành phố"} == CITIES_BEFORE_2025
    assert {u.name for u in last if u.kind == "thành phố"} == CITIES_BEFORE_2025 | {"Huế"}
    assert {u.name for u in first if u.kind == "thành phố"} == CITIES_BEFORE_2025 | {"Huế"}


def test_the_34_agree_with_vietnam_provinces():
    from vietnam_provinces import Province, VietNamDivisionType, Ward

    from reportgen.provinces import current_provinces

    package = {p.codename: (p.name.removeprefix("Thành phố ").removeprefix("Tỉnh ").strip(),
                            "thành phố" if p.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG else "tỉnh")
               for p in Province.iter_all()}
    assert {u.code: (u.name, u.kind) for u in units_of_day(AFTER)} == package
    # the units with đặc khu (reportgen/data/units.yaml marks them; the package's wards say which)
    codes = {p.code: p.codename for p in Province.iter_all()}
    zones = {codes[w.province_code] for w in Ward.iter_all() if w.division_type == VietNamDivisionType.DAC_KHU}
    assert {u.code for u in units_of_day(AFTER) if "đặc khu" in u.local_recipients} == zones
    assert {p.code: p.full_name for p in current_provinces()} == {
        code: f"{kind.capitalize()} {name}" for code, (name, kind) in package.items()}


def test_every_former_unit_is_in_exactly_one_of_the_34():
    merged = [name for u in units_of_day(AFTER) for _, name in u.former]
    kept = [u.name for u in units_of_day(AFTER)]                # each of the 34 continues one of the 63
    assert len(merged) + len(kept) == 63 and not set(merged) & set(kept)
    old = {u.name for u in units_of_day(date(2024, 12, 1))}     # Huế is Thừa Thiên Huế then
    assert set(merged) | set(kept) == old - {"Thừa Thiên Huế"} | {"Huế"}
    assert {n for u in units_of_day(AFTER) for n in u.names_in_documents} == old | {"Huế"}


def test_kon_tum_before_and_after_the_merger():
    before = unit_of_day("Kon Tum", BEFORE)
    assert (before.code, before.label, before.issuer_upper, before.place, before.party_committee) == \
        ("kon_tum", "tỉnh Kon Tum", "TỈNH KON TUM", "Kon Tum", "Tỉnh ủy")
    assert before.districts and before.local_recipients == "UBND các huyện, thành phố"
    assert before.former == () and before.merger_act is None and before.made_by is None
    assert before.names_in_documents == ("Kon Tum",)
    after = unit_of_day("Kon Tum", AFTER)
    assert (after.code, after.label, after.issuer_upper) == ("quang_ngai", "tỉnh Quảng Ngãi", "TỈNH QUẢNG NGÃI")
    assert after.former == (("tỉnh", "Kon Tum"),) and after.names_in_documents == ("Quảng Ngãi", "Kon Tum")
    assert after.merger_act is not None and after.merger_act.citation() == \
        "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội"
    assert after.merger_act.effective == date(2025, 7, 1) and not after.districts
    assert after.local_recipients == "UBND các xã, phường, đặc khu"          # đặc khu Lý Sơn


def test_quang_ngai_before_the_merger_is_alone():
    u = unit_of_day("Quảng Ngãi", BEFORE)
    assert u.names_in_documents == ("Quảng Ngãi",) and u.former == () and u.merger_act is None
    assert resolve("Quảng Ngãi", BEFORE).province.former == ()   # no merger note for the briefing


@pytest.mark.parametrize("when, code, label, party, made_by", [
    (date(2024, 12, 1), "thua_thien_hue", "tỉnh Thừa Thiên Huế", "Tỉnh ủy", None),
    (date(2024, 12, 31), "thua_thien_hue", "tỉnh Thừa Thiên Huế", "Tỉnh ủy", None),
    (date(2025, 1, 1), "hue", "thành phố Huế", "Thành ủy", "Nghị quyết số 175/2024/QH15 ngày 30/11/2024 của Quốc hội"),
    (BEFORE, "hue", "thành phố Huế", "Thành ủy", "Nghị quyết số 175/2024/QH15 ngày 30/11/2024 của Quốc hội"),
    (AFTER, "hue", "thành phố Huế", "Thành ủy", "Nghị quyết số 175/2024/QH15 ngày 30/11/2024 của Quốc hội"),
])
def test_hue_is_a_city_from_1_1_2025_and_no_merger_made_it(when, code, label, party, made_by):
    for typed in ("Huế", "Thừa Thiên Huế", "TT-Huế", "thua thien hue"):
        u = unit_of_day(typed, when)
        assert (u.code, u.label, u.issuer_upper, u.party_committee) == (code, label, label.upper(), party), typed
        assert (u.made_by.citation() if u.made_by else None) == made_by
        assert u.merger_act is None and u.former == ()          # 202/2025/QH15 did not change Huế
        assert set(u.names_in_documents) == {"Huế", "Thừa Thiên Huế"}
    assert resolve("Huế", when).province.former == ()


def test_the_name_typed_for_an_earlier_unit_is_told():
    assert resolve("Kon Tum", BEFORE).former_note is None
    assert resolve("Kon Tum", AFTER).former_note == \
        "tỉnh Kon Tum cũ, nay thuộc tỉnh Quảng Ngãi theo Nghị quyết số 202/2025/QH15"
    assert resolve("Thừa Thiên Huế", BEFORE).former_note == \
        "tỉnh Thừa Thiên Huế cũ, nay là thành phố Huế theo Nghị quyết số 175/2024/QH15"
    assert resolve("Huế", date(2024, 12, 1)).former_note is None     # a later name is no former one
    assert resolve("Quảng Ngãi", AFTER).former_note is None


@pytest.mark.parametrize("name, label, place, recipients", [
    ("Hà Nội", "thành phố Hà Nội", "Hà Nội", "UBND các quận, huyện, thị xã"),
    ("TP.HCM", "Thành phố Hồ Chí Minh", "Thành phố Hồ Chí Minh", "UBND thành phố Thủ Đức, các quận, huyện"),
    ("Đà Nẵng", "thành phố Đà Nẵng", "Đà Nẵng", "UBND các quận, huyện"),
    ("Lâm Đồng", "tỉnh Lâm Đồng", "Lâm Đồng", "UBND các huyện, thành phố"),
    ("Thanh Hoá", "tỉnh Thanh Hóa", "Thanh Hóa", "UBND các huyện, thị xã, thành phố"),
])
def test_cities_are_cities_with_quan_before_the_merger(name, label, place, recipients):
    u = unit_of_day(name, BEFORE)
    assert (u.label, u.place, u.local_recipients) == (label, place, recipients)
    assert u.party_committee == ("Thành ủy" if u.kind == "thành phố" else "Tỉnh ủy")


def test_district_level_recipients_fit_the_kind():
    for u in units_of_day(BEFORE):
        assert u.local_recipients.startswith("UBND ") and u.issuer_upper == u.label.upper()
        assert ("quận" in u.local_recipients) == (u.kind == "thành phố"), u.name
        assert "huyện" in u.local_recipients, u.name      # every unit of the day had districts (huyện)
    assert unit_of_day("Hải Phòng", date(2024, 12, 31)).local_recipients == "UBND các quận, huyện"
    assert unit_of_day("Hải Phòng", date(2025, 1, 1)).local_recipients == \
        "UBND các quận, huyện, thành phố Thủy Nguyên"


def test_special_zones_from_1_7_2025():
    zones = {u.code for u in units_of_day(AFTER) if u.local_recipients == "UBND các xã, phường, đặc khu"}
    # the 13 đặc khu of 2025: Vân Đồn, Cô Tô; Cát Hải, Bạch Long Vĩ; Cồn Cỏ; Hoàng Sa; Lý Sơn;
    # Trường Sa; Phú Quý; Côn Đảo; Phú Quốc, Kiên Hải, Thổ Châu
    assert zones == {"quang_ninh", "hai_phong", "quang_tri", "da_nang", "quang_ngai", "khanh_hoa", "lam_dong",
                     "ho_chi_minh", "an_giang"}
    assert {u.local_recipients for u in units_of_day(AFTER) if u.code not in zones} == {"UBND các xã, phường"}


@pytest.mark.parametrize("typed", ["Kon Tum", "kon tum", "KONTUM", "Kontum", "  Tỉnh  Kon   Tum ",
                                   unicodedata.normalize("NFD", "Kon Tum")])
def test_every_spelling_gives_the_same_unit(typed):
    assert unit_of_day(typed, BEFORE).code == "kon_tum" and unit_of_day(typed, AFTER).code == "quang_ngai"


@pytest.mark.parametrize("typed, when, code", [
    ("Khánh Hoà", BEFORE, "khanh_hoa"), ("tp. ho chi minh", BEFORE, "ho_chi_minh"), ("BR-VT", BEFORE, "ba_ria_vung_tau"),
    ("BR-VT", AFTER, "ho_chi_minh"), ("Bình Dương", BEFORE, "binh_duong"), ("Daklak", BEFORE, "dak_lak"),
    ("Đắk Nông", AFTER, "lam_dong"), ("thanh pho Hai Phong", BEFORE, "hai_phong"),
])
def test_names_people_type_on_a_day(typed, when, code):
    assert unit_of_day(typed, when).code == code


@pytest.mark.parametrize("typed, words", [("Atlantis", "unknown province 'Atlantis'"),
                                          ("Kon Tun", "Did you mean: Kon Tum")])
def test_unknown_names_are_refused_naming_the_value(typed, words):
    with pytest.raises(InputError) as err:
        unit_of_day(typed, BEFORE)
    assert words in err.value.message


# --- through the command line: the files and exit codes a clerk sees ---------------------

def test_build_all_before_the_merger_writes_the_63_by_unit(run, tmp_path):
    r = run("build", "--all", "--date", "2025-03-10", "--out", tmp_path, "--format", "docx", "--jobs", "2")
    assert r.exit_code == 0, r.output
    folders = sorted(p.name for p in tmp_path.iterdir() if p.is_dir())
    assert len(folders) == 63 and {"kon-tum", "quang-ngai", "hue", "ha-giang", "ba-ria-vung-tau"} <= set(folders)
    for folder in folders:
        assert [p.name for p in (tmp_path / folder).glob("*.docx")] == [f"thong-bao-{folder}-2025-03-10.docx"]
    assert "63 tỉnh, thành phố" in r.stdout and "Tỉnh Kon Tum" in r.stdout and "Thành phố Huế" in r.stdout
    from briefing_files import docx_words

    kon_tum = " ".join(docx_words(tmp_path / "kon-tum" / "thong-bao-kon-tum-2025-03-10.docx"))
    assert "ỦY BAN NHÂN DÂN TỈNH KON TUM" in kon_tum and "Kon Tum, ngày 10 tháng 3 năm 2025" in kon_tum
    assert "202/2025/QH15" not in kon_tum and "(cũ)" not in kon_tum
    hue = " ".join(docx_words(tmp_path / "hue" / "thong-bao-hue-2025-03-10.docx"))
    assert "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ" in hue and "202/2025/QH15" not in hue


@pytest.mark.parametrize("day, count, present, absent", [
    ("2024-12-01", 63, "thua-thien-hue/thong-bao-thua-thien-hue-2024-12-01.pdf", "/hue/"),
    ("2025-06-30", 63, "kon-tum/thong-bao-kon-tum-2025-06-30.pdf", "thua-thien-hue"),
    ("2025-07-01", 34, "quang-ngai/thong-bao-quang-ngai-2025-07-01.pdf", "kon-tum"),
])
def test_build_all_dry_run_plans_the_units_of_the_day(run, tmp_path, day, count, present, absent):
    r = run("build", "--all", "--date", day, "--out", tmp_path, "--dry-run")
    assert r.exit_code == 0, r.output
    assert r.stdout.count("would write") == 2 * count and present in r.stdout and absent not in r.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("typed, day, line, path", [
    ("Kon Tum", "2025-03-10", "Tỉnh Kon Tum\n", "kon-tum/thong-bao-kon-tum-2025-03-10.pdf"),
    ("Huế", "2024-12-01", "Tỉnh Thừa Thiên Huế\n", "thua-thien-hue/thong-bao-thua-thien-hue-2024-12-01.pdf"),
    ("Thừa Thiên Huế", "2025-03-10",
     "Thành phố Huế (tỉnh Thừa Thiên Huế cũ, nay là thành phố Huế theo Nghị quyết số 175/2024/QH15)",
     "hue/thong-bao-hue-2025-03-10.pdf"),
    ("Kon Tum", "2025-08-01",
     "Tỉnh Quảng Ngãi (tỉnh Kon Tum cũ, nay thuộc tỉnh Quảng Ngãi theo Nghị quyết số 202/2025/QH15)",
     "quang-ngai/thong-bao-quang-ngai-2025-08-01.pdf"),
])
def test_build_one_is_the_unit_of_its_date(run, tmp_path, typed, day, line, path):
    r = run("build", "--province", typed, "--date", day, "--out", tmp_path, "--dry-run")
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(line) and path in r.stdout


def test_provinces_command_lists_the_units_of_a_date(run):
    r = run("provinces", "--date", "2025-03-10")
    assert r.exit_code == 0 and "63 tỉnh, thành phố" in r.stdout
    assert "Tỉnh Kon Tum" in r.stdout and "UBND các huyện, thành phố" in r.stdout and "Thành phố Huế" in r.stdout
    r = run("provinces", "--date", "2025-07-01")
    assert r.exit_code == 0 and "34 tỉnh, thành phố" in r.stdout and "tỉnh Kon Tum" in r.stdout
    r = run("provinces", "--date", "2025-02-30")
    assert r.exit_code == 2 and "2025-02-30" in r.stderr


@pytest.mark.parametrize("change, words", [
    (lambda d: d["until_merger"][39].update(successor="kon_tum"), "until_merger, Kon Tum: successor 'kon_tum'"),
    (lambda d: d["until_merger"][30]["changes"][0].update({"from": "2025-13-01"}), "'2025-13-01' is not a date"),
    (lambda d: d["until_merger"][0].update(kind="thủ đô"), "Hà Nội: kind 'thủ đô'"),
    (lambda d: d["from_merger"][19].update(made_by="1314/NQ-UBTVQH15"), "made_by '1314/NQ-UBTVQH15' is not one"),
    (lambda d: d["until_merger"][5].pop("local"), "until_merger, entry 6: code, name, kind, successor and local"),
])
def test_a_broken_units_file_is_refused_naming_the_entry(change, words):
    """data/units.yaml is reviewed data an office may edit: a mistake is a sentence, not a
    KeyError in the middle of a build."""
    import copy

    from reportgen.errors import BuildError
    from reportgen.provinces import _units_data, check_units

    data = copy.deepcopy(_units_data())
    check_units(data, "units.yaml")                     # the shipped file passes
    change(data)
    with pytest.raises(BuildError) as err:
        check_units(data, "units.yaml")
    assert err.value.message.startswith("units.yaml: ") and words in err.value.message

"""Extraction is general: documents we wrote in the same style with other numbers and
phrasings, and NFD copies of the seeds, give the facts they state."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import CATALOGUE, FIXTURES, SEEDS, nfd_copy


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    from reportgen.build_facts import build
    from reportgen.catalogue import load_catalogue
    from reportgen.corrections import load_corrections

    folder = tmp_path_factory.mktemp("docs")
    for p in (FIXTURES / "docs").iterdir():
        shutil.copy(p, folder / p.name)
    return build(folder, load_catalogue(CATALOGUE), load_corrections(None))


def fig(fb, metric, **kw):
    return [f for f in fb.figures if f.metric == metric and all(getattr(f, k) == v for k, v in kw.items())]


def test_synthetic_press_report(synthetic):
    doc = synthetic.document("101_phien_hop_11.txt")
    assert doc.event_date == "2025-05-15" and doc.session == 11 and doc.outlet == "baochinhphu.vn"
    assert fig(synthetic, "chip_id_cards", value=90100000, qualifier="trên", as_of="2025-05-15")
    assert fig(synthetic, "eid_accounts_activated", value=62300000)
    assert fig(synthetic, "eid_applications", value=80500000)
    assert fig(synthetic, "dvc_procedures_integrated", value=5012)
    assert fig(synthetic, "dvc_procedures_integrated_share", value=74.6)
    assert fig(synthetic, "digital_economy_gdp_share", value=19.5, as_of="2024")       # decimal point
    assert fig(synthetic, "egdi_rank", value=64, of=193, change=False)
    assert fig(synthetic, "egdi_rank", value=7, change=True, baseline="2024")
    assert fig(synthetic, "ecommerce_tax_revenue", value=116 * 10**12, as_of="2024")   # "ngàn tỉ"


def test_synthetic_province_scope_and_bridge_point(synthetic):
    assert fig(synthetic, "villages_coverage_extended", value=38, of=52, scope="Kon Tum")
    assert fig(synthetic, "poor_households_internet_support", value=12500, scope="Kon Tum", qualifier="gần")
    bp = {b.province: b for b in synthetic.bridge_points}
    assert any("Lê Ngọc Tuấn" in a for a in bp["Kon Tum"].attended)
    assert bp["Gia Lai"].chaired_by.name == "Trần Văn Hải"


def test_synthetic_dates_and_document_numbers_are_not_figures(synthetic):
    values = {f.value for f in synthetic.figures} | {t.value for t in synthetic.targets}
    assert not values & {1, 15, 22, 12, 56, 57, 71, 2025, 2026}


def test_synthetic_targets_revision(synthetic):
    adult = sorted((t.stated, t.value, t.current) for t in synthetic.targets if t.metric == "adult_dvc_users_share")
    assert adult == [("2025-05-15", 60, False), ("2026-02-12", 55, True)]
    growth = [t for t in synthetic.targets if t.metric == "gdp_growth"]
    assert [(t.value, t.upper, t.deadline) for t in growth] == [(10, 11, "2026-12-31")]


def test_synthetic_official_notice_tasks(synthetic):
    doc = synthetic.document("102_thong_bao.txt")
    assert doc.kind == "notice" and doc.number == "71/TB-VPCP" and doc.event_date == "2026-02-12"
    chairs = {t.deadline: t for t in synthetic.tasks if "provincial_chairs" in t.responsible}
    assert set(chairs) >= {"2026-04-30", "2026-05-31", "2025-09-15"}
    assert chairs["2026-05-31"].partners == ["moj"]
    officials = [t for t in synthetic.tasks if "all_officials" in t.responsible]
    assert officials[0].deadline == "2026-09-30" and officials[0].provinces
    assert 2025 not in {f.value for f in synthetic.figures}   # "Tổng truy cập: 2025" after "./."


def test_nfd_seeds_give_the_same_fact_base(built, tmp_path, run):
    nfd = nfd_copy(SEEDS, tmp_path / "nfd")
    out = tmp_path / "nfd.yaml"
    r = run("facts", "build", "--seeds", nfd, "--out", out)
    assert r.exit_code == 0, r.output
    # The same bytes, but for each file's sha256 (recorded of the file as it is: NFD here).
    strip = lambda b: re.sub(rb"\n  sha256: [0-9a-f]{64}", b"", b)  # noqa: E731
    assert strip(out.read_bytes()) == strip(built.read_bytes())
    assert out.read_bytes() != built.read_bytes()


def test_unaccented_catalogue_phrase_still_matches(tmp_path):
    """Matching folds diacritics: a phrase typed without accents finds the accented text."""
    from reportgen.build_facts import build
    from reportgen.catalogue import load_catalogue
    from reportgen.corrections import load_corrections

    seeds = tmp_path / "s"
    seeds.mkdir()
    (seeds / "a.txt").write_text("Sáng 3/3/2025, phiên họp thứ 12 được tổ chức. Cả nước có 3.210 trạm BTS 5G được lắp đặt.\n", "utf-8")
    cat = tmp_path / "cat.yaml"
    data = yaml.safe_load(CATALOGUE.read_text("utf-8"))
    data["metrics"] = [m for m in data["metrics"] if "BTS" not in m["label"]]   # a metric the catalogue lacks
    cat.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    before = build(seeds, load_catalogue(cat), load_corrections(None))
    assert [(f.metric, f.value) for f in before.figures] == [("unclassified", 3210)]
    data["metrics"].append({"id": "bts_5g", "label": "Trạm BTS 5G", "unit": "trạm", "kind": "count",
                            "phrases": ["tram BTS 5G"]})
    cat.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    after = build(seeds, load_catalogue(cat), load_corrections(None))
    assert [(f.metric, f.value, f.quote) for f in after.figures] == [("bts_5g", 3210, "3.210 trạm BTS 5G")]


def test_words_that_differ_only_by_diacritics_are_told_apart():
    """"từ" (from) starts a date, "tử" (điện tử) does not; both fold to "tu"."""
    from reportgen.extract.dates import find_period
    from reportgen.extract.mentions import find_mentions

    text = "Đã cấp 12 triệu hóa đơn điện tử 3 triệu hồ sơ, từ 1/7 triển khai."
    assert [m.value for m in find_mentions(text, 0, len(text), [], [])] == [12_000_000, 3_000_000]
    text = "doanh thu thương mại điện tử năm 2024 đạt, từ năm 2023"
    assert find_period(text, 0, 45, None)[0] == "2024"
    assert find_period(text, 40, len(text), None) is None


def test_a_metric_reads_only_the_level_its_catalogue_entry_names(tmp_path):
    """`scope:` in the catalogue: a national indicator does not take the province's figure
    of the same words, a provincial one not the country's; the other stays for a reviewer."""
    from reportgen.build_facts import build
    from reportgen.catalogue import load_catalogue
    from reportgen.corrections import load_corrections

    seeds = tmp_path / "s"
    seeds.mkdir()
    (seeds / "a.txt").write_text(
        "Sáng 3/3/2025, phiên họp thứ 12 được tổ chức. Cả nước có 3.210 điểm phát wifi công cộng miễn phí. "
        "Riêng tỉnh Quảng Ngãi, đến nay toàn tỉnh có 145 điểm phát wifi công cộng miễn phí.\n", "utf-8")
    data = yaml.safe_load(CATALOGUE.read_text("utf-8"))
    cat = tmp_path / "cat.yaml"

    def read(scope):
        entry = {"id": "free_wifi", "label": "Điểm phát wifi công cộng miễn phí", "unit": "điểm", "kind": "count",
                 "phrases": ["{n} điểm phát wifi công cộng"]}
        if scope:
            entry["scope"] = scope
        cat.write_text(yaml.safe_dump({**data, "metrics": data["metrics"] + [entry]}, allow_unicode=True), "utf-8")
        fb = build(seeds, load_catalogue(cat), load_corrections(None))
        return sorted((f.value, f.metric, f.scope) for f in fb.figures)

    assert read(None) == [(145, "free_wifi", "Quảng Ngãi"), (3210, "free_wifi", "national")]
    assert read("national") == [(145, "unclassified", "Quảng Ngãi"), (3210, "free_wifi", "national")]
    assert read("province") == [(145, "free_wifi", "Quảng Ngãi"), (3210, "unclassified", "national")]
    cat.write_text(cat.read_text("utf-8").replace("scope: province", "scope: tỉnh"), "utf-8")
    with pytest.raises(Exception, match="scope"):
        load_catalogue(cat)


def test_an_ignore_entry_leaves_out_its_number_only_where_its_first_word_stands_alone(tmp_path):
    """The catalogue's `ignore` entries ("Đề án {n}", "{n} điểm cầu"): a number in such words is
    not a figure, at the start of a text too and across a line break; the entry's first word
    inside a longer one ("Xđề án 08") is not the entry. Checked through find_mentions with the
    catalogue's patterns, beside the same text without them."""
    from reportgen.catalogue import load_catalogue
    from reportgen.extract.mentions import find_mentions

    data = yaml.safe_load(CATALOGUE.read_text("utf-8"))
    data["ignore"] = ["Đề án {n}", "{n} điểm cầu", "chính quyền {n} cấp"]
    cat = tmp_path / "cat.yaml"
    cat.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    ignore = load_catalogue(cat).ignore_patterns

    def values(text: str, patterns) -> list[int]:  # type: ignore[no-untyped-def]
        return [int(m.value) for m in find_mentions(text, 0, len(text), [], patterns)]

    text = ("Đề án 06 có 1.250 hồ sơ; Đề\nán 07 nữa. Kết nối 63 điểm cầu và 44 đơn vị. Xđề án 08 và 12 tỉnh; "
            "chính quyền 2 cấp.")
    assert values(text, []) == [6, 1250, 7, 63, 44, 8, 12, 2]
    # left out: 06 and 07 (the entry's words, a line break between them), 63 (before "điểm cầu"),
    # 2; kept: "Xđề án 08" (not the word "đề")
    assert values(text, ignore) == [1250, 44, 8, 12]
    assert values("63 điểm cầu", ignore) == [] and values("63 điểm cầu", []) == [63]

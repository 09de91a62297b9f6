"""What the fact base must hold from the five seed documents (issue #2, 'Done when')."""

from pathlib import Path

import pytest
import yaml

from conftest import FACTBASE, SEEDS

QN_SESSION = "000_d4cb23978cb4175d.txt"
HA_GIANG = "001_d7dc914617694146.txt"
PRESS_10 = "002_83451dbc79f63736.txt"
NOTICE = "003_7687aff471724f1c.txt"
SESSION_9 = "004_5957c542c223577d.txt"


@pytest.fixture(scope="module")
def fb(built):
    return yaml.safe_load(built.read_text("utf-8"))


def figures(fb, metric, **kw):
    return [f for f in fb["figures"] if f["metric"] == metric and all(f.get(k) == v for k, v in kw.items())]


def test_committed_fact_base_equals_a_fresh_build(built):
    assert FACTBASE.read_bytes() == built.read_bytes(), \
        "facts/factbase.yaml is stale: run `reportgen facts build` and commit it"


def test_build_is_deterministic(run, tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert run("facts", "build", "--out", a).exit_code == 0
    assert run("facts", "build", "--out", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_documents_are_described(fb):
    docs = {d["id"]: d for d in fb["documents"]}
    assert set(docs) == {p.name for p in SEEDS.iterdir()}
    assert docs[NOTICE]["kind"] == "notice" and docs[NOTICE]["official"] and docs[NOTICE]["number"] == "56/TB-VPCP"
    assert docs[NOTICE]["issued"] == "2025-02-23" and docs[NOTICE]["issuer"] == "Văn phòng Chính phủ"
    assert all(docs[d]["body"] == "national_committee" for d in docs)
    assert docs[NOTICE]["published"] == "2025-02-25" and docs[NOTICE]["event_date"] == "2025-02-06"
    assert all(docs[d]["kind"] == "press" for d in (QN_SESSION, HA_GIANG, PRESS_10, SESSION_9))
    assert docs[PRESS_10]["published"] == "2025-02"
    assert {docs[d]["event_date"] for d in (QN_SESSION, PRESS_10, NOTICE)} == {"2025-02-06"}
    assert docs[HA_GIANG]["event_date"] == "2024-04-24" and docs[HA_GIANG]["session"] == 8
    assert docs[SESSION_9]["event_date"] == "2024-07-10" and docs[SESSION_9]["session"] == 9
    assert docs[SESSION_9]["outlet"] == "vnexpress.net"
    assert docs[QN_SESSION]["session"] == 10 and docs[QN_SESSION]["event_kind"] == "year_end"


@pytest.mark.parametrize("metric, value, extra, quote_part, source", [
    ("egdi_rank", 71, {"of": 193}, "71/193", QN_SESSION),
    ("digital_economy_gdp_share", 18.3, {"qualifier": "ước", "as_of": "2024"}, "18,3%", QN_SESSION),
    ("dvc_procedures_integrated", 4475, {}, "4.475 thủ tục", QN_SESSION),
    ("dvc_procedures_integrated_share", 70.8, {}, "70,8%", QN_SESSION),
    ("chip_id_cards", 87700000, {"qualifier": "trên", "as_of": "2025-02-06"}, "87,7 triệu", QN_SESSION),
    ("chip_id_cards", 86000000, {"as_of": "2024-04-24"}, "86 triệu", HA_GIANG),
    ("chip_id_cards", 86300000, {"as_of": "2024-07-10"}, "86,3 triệu", SESSION_9),
    ("digital_signature_certificates", 12500000, {"as_of": "2024"}, "12,5 triệu", QN_SESSION),
    ("ecommerce_tax_revenue", 83000000000000, {"as_of": "2022"}, "83.000 tỷ đồng", SESSION_9),
    ("ecommerce_tax_revenue", 97000000000000, {"as_of": "2023"}, "97.000 tỷ đồng", SESSION_9),
    ("ecommerce_tax_revenue", 50000000000000, {"as_of": "2024-H1", "qualifier": "trên"}, "50.000 tỷ đồng", SESSION_9),
    ("ict_revenue", 1900000000000000, {"as_of": "2024-H1"}, "1,9 triệu tỷ đồng", SESSION_9),
    ("data_warehouse_connected_localities", 63, {"of": 63}, "63/63 địa phương", QN_SESSION),
    ("eid_accounts_activated", 60000000, {"qualifier": "gần"}, "60 triệu tài khoản đã kích hoạt", QN_SESSION),
    ("eid_accounts_issued", 75700000, {"qualifier": "hơn"}, "75,7 triệu tài khoản VNeID", SESSION_9),
])
def test_national_figures(fb, metric, value, extra, quote_part, source):
    found = figures(fb, metric, value=value, source=source, change=False, scope="national")
    assert found, f"no {metric} = {value} from {source}"
    f = found[0]
    assert quote_part in f["quote"]
    for k, v in extra.items():
        assert f[k] == v, (k, f)


def test_vneid_issued_and_activated_are_different_metrics(fb):
    activated = {f["value"] for f in figures(fb, "eid_accounts_activated")}
    issued = {f["value"] for f in figures(fb, "eid_accounts_issued")}
    assert activated == {60000000, 53620000} and issued == {75700000}


def test_changes_are_changes_not_levels(fb):
    egdi = figures(fb, "egdi_rank", source=QN_SESSION)
    assert {(f["value"], f["change"]) for f in egdi} == {(71, False), (15, True)}
    assert next(f for f in egdi if f["change"])["baseline"] == "2022"
    miv = figures(fb, "make_in_vietnam_platform_share", source=QN_SESSION)
    assert {(f["value"], f["change"]) for f in miv} >= {(25.25, False), (5.62, True)}
    sig = figures(fb, "digital_signature_certificates", change=True)
    assert [f["value"] for f in sig] == [58.6]


def test_hà_giang_figures_are_provincial(fb):
    villages = figures(fb, "villages_coverage_extended")
    assert [(f["value"], f["of"], f["scope"]) for f in villages] == [(127, 154, "Hà Giang")]
    assert "127/154 thôn" in villages[0]["quote"]
    assert figures(fb, "poor_households_internet_support", scope="Hà Giang", value=28000, qualifier="gần")


def test_no_figure_from_dates_or_document_numbers(fb):
    for f in fb["figures"] + fb["targets"]:
        q = f["quote"]
        assert "TB-VPCP" not in q and "NQ/TW" not in q, f
        assert f["value"] not in (2022, 2023, 2024, 2025), f   # years are periods, not figures
    values = {f["value"] for f in fb["figures"]}
    assert 114209 not in values   # website boilerplate after the notice's "./."


def test_range_is_kept(fb):
    growth = [t for t in fb["targets"] if t["metric"] == "gdp_growth" and t["source"] == QN_SESSION]
    assert [(t["value"], t["upper"]) for t in growth] == [(9, 10)]


def test_targets_keep_revisions_and_the_official_one_is_current(fb):
    adult = [t for t in fb["targets"] if t["metric"] == "adult_dvc_users_share"]
    by_source = {t["source"]: t for t in adult}
    assert by_source[SESSION_9]["value"] == 50 and by_source[SESSION_9]["deadline"] == "2025-12-31"
    assert by_source[NOTICE]["value"] == 40 and by_source[PRESS_10]["value"] == 40
    assert [t["source"] for t in adult if t["current"]] == [NOTICE]
    personal_id = [t for t in fb["targets"] if t["metric"] == "dossiers_with_personal_id_share" and t["source"] == NOTICE]
    assert personal_id[0]["deadline"] == "2025-06-30" and "Hết tháng 6 năm 2025" in personal_id[0]["deadline_quote"]


def test_provincial_chair_tasks_with_deadlines(fb):
    chairs = [t for t in fb["tasks"] if "provincial_chairs" in t["responsible"]]
    by_deadline = {t["deadline"]: t for t in chairs}
    assert "hộ tịch" in by_deadline["2025-03-31"]["text"] and by_deadline["2025-03-31"]["partners"] == ["moj", "mps"]
    assert "đất đai" in by_deadline["2025-06-30"]["text"]
    assert "57-NQ/TW" in by_deadline["2025-02-28"]["text"]   # "trong tháng 02 năm 2025"
    online = [t for t in fb["tasks"] if t["source"] == NOTICE and "chữ ký số" in t["text"]]
    assert online and online[0]["deadline"] == "2025-06-30" and online[0]["provinces"]
    assert all(t["provinces"] for t in chairs)
    mps_only = [t for t in fb["tasks"] if t["responsible"] == ["mps"]]
    assert mps_only and not any(t["provinces"] for t in mps_only)


def test_sessions(fb):
    sessions = {s["number"]: s for s in fb["events"]}
    assert set(sessions) == {8, 9, 10}
    assert all(s["body"] == "national_committee" for s in fb["events"])
    assert sessions[10]["date"] == "2025-02-06" and sessions[10]["kind"] == "year_end"
    assert sessions[10]["notice"] == NOTICE and sessions[10]["chair"]["name"] == "Phạm Minh Chính"
    assert set(sessions[10]["sources"]) == {QN_SESSION, PRESS_10, NOTICE}
    assert sessions[8]["date"] == "2024-04-24" and sessions[9]["date"] == "2024-07-10"


def test_bridge_points(fb):
    bp = {b["province"]: b for b in fb["bridge_points"]}
    assert set(bp) == {"Quảng Ngãi", "Hà Giang", "Thái Nguyên"}
    assert bp["Quảng Ngãi"]["session"] == 10 and bp["Quảng Ngãi"]["date"] == "2025-02-06"
    assert bp["Quảng Ngãi"]["chaired_by"] == {"name": "Nguyễn Hoàng Giang", "role": "Chủ tịch UBND tỉnh"}
    assert any("Trần Hoàng Tuấn" in a for a in bp["Quảng Ngãi"]["attended"])
    assert bp["Hà Giang"]["session"] == 8 and any("Nguyễn Văn Sơn" in a for a in bp["Hà Giang"]["attended"])
    assert bp["Thái Nguyên"]["session"] == 10 and bp["Thái Nguyên"]["chaired_by"]["name"] == "Nguyễn Huy Dũng"


def test_every_quote_is_verbatim_and_short(fb):
    texts = {p.name: p.read_text("utf-8") for p in SEEDS.iterdir()}
    for f in fb["figures"]:
        assert f["quote"] in texts[f["source"]]
        assert len(f["quote"]) <= 200, f


def test_committed_fact_base_verifies(run):
    r = run("facts", "verify")
    assert r.exit_code == 0, r.output
    assert "OK:" in r.stdout


def test_official_notice_sections_are_quoted(fb):
    by_section = {}
    for s in fb["statements"]:
        if s["source"] != NOTICE:   # press sentences, quoted for a session without its notice
            assert s["heading"] == "" and s["section"] in {"results", "shortcomings", "lessons", "views"}
            continue
        by_section.setdefault(s["section"], []).append(s["text"])
    assert set(by_section) >= {"opening", "results", "shortcomings", "lessons", "views", "tasks"}
    assert by_section["shortcomings"][1].startswith("(i) Việc xây dựng, hoàn thiện thể chế")
    assert by_section["lessons"][0].startswith("Chuyển đổi số phải gắn chặt")
    assert by_section["results"][0].endswith("quốc tế.")   # the footnote mark "2" is not text
    doc = next(d for d in fb["documents"] if d["id"] == NOTICE)
    assert doc["issued"] == "2025-02-23"

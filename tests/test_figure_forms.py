"""Figures in every form real press and official text uses (issue 18, item 4), and the
figure side of item 2: the same words twice are one fact, never a crash, and extraction
never writes a fact its verifier refuses.

The documents are written here, in the style of the real ones (a press report of a
directive with its subheading repeating a sentence, a provincial article with a list of
districts, a plan); no real text is copied."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CATALOGUE

HEADER = "source: https://baomau.vn/{slug}.html\ndate: {date}\ntitle: {title}\n\n"

# A press report of a directive: the subheading repeats a sentence of the body, "100%" stands
# in two sentences of the same form, counts come in lists, ratios, ranks, levels, multiples,
# ranges and changes from one value to another.
DIRECTIVE_REPORT = HEADER.format(slug="thu-tuong-chi-thi-day-nhanh-nhiem-vu", date="2025-11-07",
                                 title="Thủ tướng chỉ thị đẩy nhanh các nhiệm vụ chuyển đổi số") + """\
Lượt xem: 2318
100%

Thủ tướng Chính phủ vừa ký Chỉ thị số 35/CT-TTg ngày 5/11/2025 về đẩy nhanh việc thực hiện các nhiệm vụ được giao tại Nghị quyết 57 và các thông báo kết luận.

Còn 47 nhiệm vụ chậm tiến độ

Chỉ thị nêu rõ, năm 2025 Chính phủ đặt ra 64 mục tiêu, đến nay 21 mục tiêu đã hoàn thành (đạt 33%). Thủ tướng đã ban hành 14 chỉ thị, 25 công điện và 31 thông báo kết luận. Tính đến ngày 30/10/2025, còn 47 nhiệm vụ chậm tiến độ.

Còn 47 nhiệm vụ chậm tiến độ

Cả nước đã cung cấp 412/1.203 TTHC trên Cổng Dịch vụ công quốc gia; các bộ đã hoàn thành 31/47 chỉ tiêu và 40/96 nhiệm vụ. 100% hồ sơ được số hóa tại bộ phận một cửa cấp tỉnh. 100% xã có điểm phục vụ dịch vụ công.

Chỉ số Bưu chính của Việt Nam đạt cấp độ 7/10; chỉ số an toàn thông tin đứng thứ 24/194, tăng 8 bậc; tốc độ Internet di động lọt vào top 16 thế giới. Việt Nam xếp vị trí thứ 6/11 tại Đông Nam Á.

Kinh tế số tăng trưởng gấp 2,8 lần tốc độ tăng trưởng GDP; chỉ số sẵn sàng tăng từ 0,52 lên 0,68. Doanh thu dịch vụ số đạt từ 12 đến 18 triệu USD. Tuyến cáp quang biển nối với 06 quốc gia. Đã cắt giảm 2.415 thủ tục hành chính (81,4%).

Năm 2026, tăng trưởng kinh tế phấn đấu đạt từ 9,1 - 9,4%; hình thành tối thiểu 25 - 40 doanh nghiệp công nghệ.

Ngày Chuyển đổi số quốc gia 10.10 hằng năm. Đường dây nóng: 0243 8123456.
"""

# A provincial article: results per district, in brackets after each name, in a sentence
# that criticises districts for missing the targets "được giao".
DISTRICTS = HEADER.format(slug="tinh-mau-kich-hoat-dinh-danh", date="2023-07-12",
                          title="Đẩy nhanh kích hoạt tài khoản định danh điện tử") + """\
(BM) - Tính đến ngày 10/7, toàn tỉnh đã tạo lập 352.118 hồ sơ, đã kích hoạt 141.207 tài khoản, đạt 27,15% so với chỉ tiêu được giao.

Chủ tịch UBND tỉnh phê bình các địa phương có tỷ lệ kích hoạt thấp so với chỉ tiêu được giao như: Hòa Lạc (11,3%), Đông Phong (14,08%), Tây Sơn (15,72%).

Để hoàn thành chỉ tiêu đến hết ngày 31/7/2023 toàn tỉnh kích hoạt được 520.000 tài khoản.
"""

# A report read on the 28th of December: the current year named bare is the year of a result.
YEAR_END = HEADER.format(slug="tong-ket-chuyen-doi-so", date="2023-12-28",
                         title="Tổng kết chuyển đổi số năm 2023") + """\
Chiều 28/12, Ủy ban tổ chức phiên họp tổng kết. Chỉ số Đổi mới sáng tạo của Việt Nam năm 2023 đứng thứ 44/132, tăng 2 bậc so với năm 2022; đến năm 2025 phấn đấu đạt 30% dân số dùng dịch vụ công trực tuyến.
"""

# A banner with a date and a page that starts with it: "2/9" followed by a heading on the next line.
BANNER = HEADER.format(slug="so-cong-thuong-tin", date="2023-02-26", title="Tin hoạt động") + """\
Chào mừng kỷ niệm Quốc khánh 2/9

Lãnh đạo Sở dự họp. Năm 2022, Việt Nam xếp ở vị trí thứ 7/11 tại Đông Nam Á.
"""


# A press report of results: an order of the Government named in a noun phrase, then what
# was reached (with parts in brackets, and "trong đó" parts of a whole), and a share.
RESULTS = HEADER.format(slug="ket-qua-thuc-hien-nhiem-vu", date="2024-12-30",
                        title="Kết quả thực hiện nhiệm vụ Chính phủ giao") + """Từ đầu năm đến ngày 25/12/2024, có tổng số 18.432 nhiệm vụ do Chính phủ, Thủ tướng Chính phủ giao các bộ, cơ quan, địa phương. Trong đó, có 13.207 nhiệm vụ đến hạn đã hoàn thành, đạt 97,4% (đúng hạn: 12.115, quá hạn: 1.092); số nhiệm vụ quá hạn chỉ chiếm 2,6%, giảm 0,8% so với cùng kỳ năm trước (3,4%).

Tỷ trọng kinh tế số trong GDP bình quân 13,1%, trong đó kinh tế số lõi 8,2%. Kinh tế số năm 2024 ước đạt 18,3% GDP. Có 100% số xã kết nối internet cáp quang.
"""


# Two horizons of one target in one sentence.
HORIZONS = HEADER.format(slug="muc-tieu-kinh-te-so", date="2025-03-02", title="Mục tiêu kinh tế số") + """Thủ tướng đặt mục tiêu đến năm 2025 tỷ trọng kinh tế số đạt 20%, đến năm 2030 tỷ trọng kinh tế số đạt 30%.
"""


def _build(folder: Path, docs: dict[str, str]):
    from reportgen.build_facts import build
    from reportgen.catalogue import load_catalogue
    from reportgen.corrections import load_corrections

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in docs.items():
        (folder / name).write_text(text, "utf-8")
    return build(folder, load_catalogue(CATALOGUE), load_corrections(None))


@pytest.fixture(scope="module")
def fb(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("forms") / "seeds",
                  {"chi-thi.txt": DIRECTIVE_REPORT, "huyen.txt": DISTRICTS, "tong-ket.txt": YEAR_END, "banner.txt": BANNER,
                   "ket-qua.txt": RESULTS, "muc-tieu.txt": HORIZONS})


def _figures(fb, source, value, **kw):
    return [f for f in fb.figures if f.source == source and f.value == value
            and all(getattr(f, k) == v for k, v in kw.items())]


@pytest.mark.parametrize("value, fields, quote_part", [
    # counts of things, alone and in lists
    (64, {"unit": "mục tiêu", "form": "number"}, "64 mục tiêu"),
    (21, {"unit": "mục tiêu"}, "21 mục tiêu"),
    (33, {"unit": "%"}, "33%"),                                   # "(đạt 33%)"
    (14, {"unit": "chỉ thị"}, "14 chỉ thị"),
    (25, {"unit": "công điện"}, "25 công điện"),
    (31, {"unit": "thông báo kết luận"}, "31 thông báo kết luận"),
    (47, {"unit": "nhiệm vụ", "as_of": "2025-10-30"}, "47 nhiệm vụ"),   # amount with a date before it
    # ratios, with a thousands dot
    (412, {"of": 1203, "form": "ratio", "unit": "TTHC"}, "412/1.203 TTHC"),
    (31, {"of": 47, "form": "ratio"}, "31/47 chỉ tiêu"),
    (40, {"of": 96, "form": "ratio"}, "40/96 nhiệm vụ"),
    # levels, ranks, changes of rank
    (7, {"of": 10, "form": "level"}, "cấp độ 7/10"),
    (24, {"of": 194, "form": "rank"}, "đứng thứ 24/194"),
    (8, {"change": True, "unit": "bậc"}, "tăng 8 bậc"),
    (16, {"form": "rank", "qualifier": "top"}, "top 16"),
    (6, {"of": 11, "form": "rank", "metric": "egdi_rank_asean"}, "vị trí thứ 6/11 tại Đông Nam Á"),
    # a multiple, a change from one value to another, a zero-padded count, a percentage in brackets
    (2.8, {"form": "multiple", "unit": "lần"}, "gấp 2,8 lần"),
    (0.68, {"form": "from_to", "was": 0.52}, "tăng từ 0,52 lên 0,68"),
    (12000000, {"form": "range", "upper": 18000000, "unit": "USD"}, "từ 12 đến 18 triệu USD"),   # one scale, both ends
    (6, {"unit": "quốc gia", "form": "number"}, "06 quốc gia"),
    (2415, {"unit": "thủ tục hành chính"}, "2.415 thủ tục hành chính"),
    (81.4, {"unit": "%"}, "81,4%"),
])
def test_each_form_of_a_figure(fb, value, fields, quote_part):
    found = _figures(fb, "chi-thi.txt", value, **fields)
    assert found, f"no figure {value} {fields}: " + repr([(f.value, f.form, f.of, f.unit, f.quote) for f in fb.figures
                                                          if f.source == "chi-thi.txt"])
    assert quote_part in found[0].quote


def test_ranges_are_aimed_at_with_both_ends(fb):
    targets = {(t.value, t.upper, t.form) for t in fb.targets if t.source == "chi-thi.txt"}
    assert {(9.1, 9.4, "range"), (25, 40, "range")} <= targets


def test_the_same_words_twice_are_one_fact(fb):
    """The subheading repeats a sentence ("Còn 47 nhiệm vụ chậm tiến độ", twice), and "100%"
    stands in two sentences of the same form: one fact each, never a duplicate id."""
    ids = [r.id for r in fb.figures + fb.targets]
    assert len(ids) == len(set(ids))
    # the subheading, twice, is one fact; the body's sentence, with its own date, another
    assert sorted((f.quote, f.as_of) for f in fb.figures if f.source == "chi-thi.txt" and f.value == 47) == [
        ("47 nhiệm vụ", "2025-11-07"), ("Tính đến ngày 30/10/2025, còn 47 nhiệm vụ", "2025-10-30")]
    # two "100%" of different things are two facts, each quoted with what it is of
    assert sorted(f.quote for f in fb.figures if f.source == "chi-thi.txt" and f.value == 100) == ["100% hồ sơ", "100% xã"]


def test_numbers_that_are_no_figures(fb):
    """A view counter, a number alone on its line, a resolution's number, a dotted day and
    month, a phone number: none is a figure."""
    values = {f.value for f in fb.figures + fb.targets if f.source == "chi-thi.txt"}
    assert not values & {2318, 57, 10.1, 8123456, 243, 35, 5}
    assert not any(f.quote.strip() == "100%" for f in fb.figures if f.source == "chi-thi.txt")


def test_results_are_not_targets(fb):
    """What was reached is a figure even in a sentence that mentions targets "được giao":
    "đã kích hoạt 141.207 tài khoản", a district's rate in brackets; the amount to reach by
    a deadline is the target."""
    assert _figures(fb, "huyen.txt", 141207, metric="eid_accounts_activated")
    assert _figures(fb, "huyen.txt", 27.15, change=False)        # "so với chỉ tiêu được giao": no change
    for value in (11.3, 14.08, 15.72):
        assert _figures(fb, "huyen.txt", value), value
    assert [t.value for t in fb.targets if t.source == "huyen.txt"] == [520000]
    assert _figures(fb, "tong-ket.txt", 44, of=132, form="rank", as_of="2023")
    assert [t.value for t in fb.targets if t.source == "tong-ket.txt"] == [30]


def test_what_a_report_says_was_reached_is_no_target(fb):
    """After a sentence that names an order ("do … Thủ tướng Chính phủ giao"), what was
    reached — in brackets too — is a figure."""
    assert not [t for t in fb.targets if t.source == "ket-qua.txt"]
    for value in (18432, 13207, 97.4, 12115, 1092, 2.6, 3.4):
        assert _figures(fb, "ket-qua.txt", value), value


def test_a_document_never_sets_a_metric_against_itself(fb):
    """"…bình quân 13,1%, trong đó kinh tế số lõi 8,2%": the part is not the whole, nor is an
    average over years the level of a date; and a second level of the same metric for the same
    date that disagrees stays unclassified."""
    share = [f for f in fb.figures if f.source == "ket-qua.txt" and f.metric == "digital_economy_gdp_share"]
    assert [(f.value, f.as_of) for f in share] == [(18.3, "2024")]
    assert _figures(fb, "ket-qua.txt", 13.1, metric="unclassified")
    assert _figures(fb, "ket-qua.txt", 8.2, metric="unclassified")
    groups = {}
    for f in share:
        groups.setdefault((f.scope, f.as_of), set()).add(f.value)
    assert all(len(v) == 1 for v in groups.values()), groups
    assert _figures(fb, "ket-qua.txt", 100, metric="commune_fibre_share")     # "100% số xã kết nối …"
    # targets are grouped by the day a document states them, whatever their deadline: the
    # second horizon stays for a reviewer rather than refuse the archive
    horizons = [(t.metric, t.value, t.deadline) for t in fb.targets if t.source == "muc-tieu.txt"]
    assert horizons == [("digital_economy_gdp_share", 20, "2025-12-31"), ("unclassified", 30, "2030-12-31")]


def test_a_date_on_a_banner_is_no_figure_and_a_regional_rank_is_its_own_metric(fb):
    values = {f.value for f in fb.figures if f.source == "banner.txt"}
    assert 2 not in values
    assert _figures(fb, "banner.txt", 7, of=11, metric="egdi_rank_asean")


def test_build_and_verify_pass(fb, tmp_path, run):
    """`facts build` ends 0 on these documents (it ended with "duplicate figure id", and with
    "value 2 cannot be read from its quote '2/9'"), and `facts verify` accepts what it wrote."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name, text in (("chi-thi.txt", DIRECTIVE_REPORT), ("huyen.txt", DISTRICTS), ("tong-ket.txt", YEAR_END),
                       ("banner.txt", BANNER), ("ket-qua.txt", RESULTS), ("muc-tieu.txt", HORIZONS)):
        (seeds / name).write_text(text, "utf-8")
    out = tmp_path / "fb.yaml"
    r = run("facts", "build", "--seeds", seeds, "--out", out)
    assert r.exit_code == 0, r.output
    r = run("facts", "verify", "--seeds", seeds, "--facts", out)
    assert r.exit_code == 0, r.output


def test_verify_reads_a_quote_as_extraction_does(fb):
    """Every value (and the other end of its ratio, range or change) is read back from its
    quote by the verifier's own check."""
    from reportgen.catalogue import load_catalogue
    from reportgen.verify import Report, _value_readable

    catalogue = load_catalogue(CATALOGUE)
    report = Report()
    for r in fb.figures + fb.targets:
        _value_readable(report, "figure", r, catalogue)
    assert report.errors == []
    # and it still refuses a value the quote does not state
    edited = fb.figures[0].model_copy(update={"value": 999999})
    _value_readable(report, "figure", edited, catalogue)
    assert len(report.errors) == 1


def test_quote_values():
    from reportgen.extract.mentions import quote_states, quote_values

    assert quote_values("hơn 3,2 triệu tỷ đồng") == {Decimal("3.2"), Decimal("3200000"), Decimal("3200000000000000")}
    assert quote_states("vị trí thứ 5/11 tại Đông Nam Á", 5, 11)
    assert quote_states("tăng từ 0,48 lên 0,71", 0.71, None, None, 0.48)
    assert quote_states("388/1.146 TTHC", 388, 1146)
    assert quote_states("từ 20 đến 40 triệu lượt", 20_000_000, 40_000_000)
    assert quote_states("1,2-1,5 tỷ USD", 1_200_000_000, 1_500_000_000)
    assert not quote_states("2/9", 3)


@pytest.mark.parametrize("args, text", [
    ((71, "hạng", None, None, 193, "rank", "rank"), "thứ 71/193"),
    ((10, "", "top", None, None, "count", "rank"), "top 10"),
    ((6, "", None, None, 10, "count", "level"), "cấp độ 6/10"),
    ((3.5, "lần", None, None, None, "count", "multiple"), "gấp 3,5 lần"),
    ((0.71, "", None, None, None, "count", "from_to", 0.48), "từ 0,48 lên 0,71"),
    ((45, "%", None, None, None, "percent", "from_to", 60), "từ 60% xuống 45%"),
    ((8.3, "%", None, 8.5, None, "percent", "range"), "8,3 - 8,5%"),
    ((29, "chỉ tiêu", None, None, 45, "count", "ratio"), "29/45 chỉ tiêu"),
    ((87700000, "thẻ", "trên"), "trên 87,7 triệu thẻ"),
])
def test_the_briefing_words_each_form(args, text):
    from reportgen.briefing.compose import value_text

    assert value_text(*args) == text


# Real-shaped fragments: sentences with numbers in every form, headings, banners, counters.
_FRAGMENTS = [
    "Còn 47 nhiệm vụ chậm tiến độ", "Tính đến ngày 30/10/2025, còn 47 nhiệm vụ chậm tiến độ.",
    "100% hồ sơ được số hóa.", "100% xã có điểm phục vụ.", "Lượt xem: 2318", "100%", "21",
    "Chào mừng Quốc khánh 2/9", "Việt Nam xếp ở vị trí thứ 5/11 tại Đông Nam Á.",
    "Chỉ số đạt cấp độ 6/10, đứng thứ 46/132, lọt vào top 18 và top 13.",
    "Đã cung cấp 388/1.146 TTHC; 29/45 chỉ tiêu; 38/102 nhiệm vụ.",
    "Kinh tế số gấp 3,5 lần; tăng từ 0,48 lên 0,71; giảm từ 60% xuống 45%.",
    "Năm 2026 phấn đấu đạt từ 8,3 - 8,5%; tối thiểu 30 - 50 doanh nghiệp; từ 20 đến 40 doanh nghiệp.",
    "Doanh thu đạt hơn 3,2 triệu tỷ đồng, xuất khẩu 111,4 tỷ USD, tiết kiệm khoảng 34.600 tỉ đồng.",
    "đạt từ 10 - 15 triệu USD, từ 20 đến 40 triệu lượt, tăng từ 1,2 lên 1,5 tỷ USD.",
    "Phú Ninh (12,1%), Núi Thành (16,01%).", "nối với 05 quốc gia", "Đường dây nóng: 0237 3721150",
    "Ngày 10.10 hằng năm; sáng 25.2; Ngày 6.1.2022.", "đã kích hoạt 186.568 tài khoản, đạt 24,37% so với chỉ tiêu được giao",
    "Thủ tướng yêu cầu đến năm 2025 đạt 100% dịch vụ công trực tuyến toàn trình.",
]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(st.tuples(st.sampled_from(_FRAGMENTS), st.sampled_from(["\n\n", "\n", " ", ""]),
                                st.integers(min_value=0, max_value=200)), min_size=1, max_size=12))
def test_any_real_shaped_text_gives_facts_its_verifier_accepts(tmp_path_factory, parts):
    """Property (item 2): paragraphs repeated, shuffled, cut mid-word, headings doubled,
    numbers in every form — the build gives a fact base (no duplicate id), and every record's
    quote is verbatim and states its value."""
    from reportgen.extract.mentions import quote_states

    body = ""
    for fragment, sep, cut in parts:
        body += (fragment[:cut] if cut < len(fragment) else fragment) + sep
    from reportgen.readers import read

    seeds = tmp_path_factory.mktemp("prop") / "seeds"
    fb = _build(seeds, {"a.txt": HEADER.format(slug="tin", date="2025-09-24", title="Tin") + body})
    text = read(seeds / "a.txt").text
    for r in fb.figures + fb.targets:
        assert r.quote in text
        assert quote_states(r.quote, r.value, r.upper, r.of, r.was), r

"""Families of miss found on real public pages in the session of 2026-12-08: what the two
earlier sets left (a chair named among co-chairs), and a third helper's 25 pages. The texts
below are ours, written in the style of those pages; each test names the rule a careful reader
applies. The fact base is built with the real CLI (`facts build`, which verifies every record)."""

from __future__ import annotations

import pytest

from office import built_fact_base, cli as _cli, make_office, records as _records, vpcp_header

DOCS = {
    # A press report of a national conference: the Prime Minister chairs "together with" his
    # deputies, all named before the verb.
    "g01_hoi_nghi_dong_chu_tri.txt": """Hội nghị toàn quốc triển khai nhiệm vụ chuyển đổi số năm 2027
09/01/2027 18:40
Sáng 9/1, Thủ tướng Chính phủ Lê Văn Minh cùng Phó Thủ tướng Thường trực Chính phủ Trần Quốc Hưng, Phó Thủ tướng Chính phủ Nguyễn Thị Thu Hà chủ trì Hội nghị toàn quốc tổng kết năm 2026 của Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06.

Năm 2026, cả nước có 92,4% hồ sơ thủ tục hành chính được số hóa.
""",
    # A session's report that lists what cutting procedures saved, beside what Project 06's
    # essential services save each year.
    "g02_cat_giam_thu_tuc.txt": """Cắt giảm thủ tục hành chính: tiết kiệm hàng chục nghìn tỷ đồng
20/01/2027 09:10
Năm 2026, các bộ, ngành đã cắt giảm, đơn giản hóa 2.140 thủ tục hành chính. Tiết kiệm khoảng 21,8 nghìn tỷ đồng chi phí tuân thủ hành chính mỗi năm.

Riêng 25 dịch vụ công thiết yếu của Đề án 06 đã giúp tiết kiệm hơn 4.100 tỷ đồng mỗi năm.
""",
    # A province's paper: its lead gives the bare number ("tỉnh này": the province the page is
    # about), the body gives it again with its year and its province's name.
    "g03_ninh_binh_thanh_toan.txt": """Ninh Bình dẫn đầu về thanh toán trực tuyến
Với tỷ lệ 47,35%, tỉnh này đã vượt qua nhiều địa phương có quy mô lớn hơn.
Theo số liệu của hệ thống giám sát, đo lường Chính phủ số, trong năm 2026, Ninh Bình đã thanh toán trực tuyến 47,35% trong tổng số hồ sơ phát sinh phí, lệ phí.
""",
    "g04_lam_dong_ho_so.txt": """Lâm Đồng vượt nhiều địa phương về hồ sơ số hóa
Với tỷ lệ 81,9%, tỉnh này đã vượt qua nhiều địa phương có quy mô lớn hơn.
""",
    # A bank regulator's figures as the press gives them: the whole, then each channel, all as
    # yearly averages over a plan's period.
    "g05_thanh_toan_qua_kenh.txt": """title: Thanh toán không dùng tiền mặt vượt mục tiêu giai đoạn 2021 - 2025
date: 2026-01-28

Năm 2025, giao dịch thanh toán không dùng tiền mặt tăng 41,3% về số lượng và 19,6% về giá trị so với năm 2024.

Trong giai đoạn 2021-2025, bình quân hàng năm, giao dịch qua kênh Internet tăng tương ứng 51,4% về số lượng và 29,8% về giá trị; giao dịch qua kênh điện thoại di động tăng tương ứng 70,2% về số lượng và 49,9% về giá trị.
""",
    # A statistics page: the year's share, and the average share over the years before it.
    "g06_ty_trong_binh_quan.txt": """title: Kinh tế số: xu hướng đi lên rõ rệt
date: 2025-12-02

Năm 2024, kinh tế số Việt Nam ước đạt 18,3% GDP, tăng trên 20%/năm. Theo Cục Thống kê, giai đoạn 2020–2024, tỷ trọng kinh tế số bình quân 11,9%, trong đó kinh tế số lõi 7,4%.
""",
    # A statistics office's yearly figures: the share, what it amounts to and how many times
    # that is of a base year's; the growth of the digital economy, in words close to the economy's.
    "g07_kinh_te_so_2025.txt": """title: Kinh tế số là động lực tăng trưởng năm 2025
date: 2026-01-06

Năm 2025, tỷ trọng giá trị tăng thêm của kinh tế số trong GDP ước đạt 14,3%, tương đương khoảng 73,5 tỷ USD, gấp 1,7 lần so với năm 2020. Về giá so sánh, năm 2025, tốc độ tăng trưởng kinh tế số tăng khoảng 12,1% so với năm 2024.
""",
    # Figures dated by what the page names, not by the day it was published: an index named
    # with its year, a day counted to without "ngày", the end of a quarter.
    "g08_ngay_cua_so_lieu.txt": """title: Dịch vụ công trực tuyến: còn nhiều dư địa
date: 2025-11-20

Ở tầm quốc tế, Việt Nam tăng 15 bậc, lên hạng 71/193 trong Chỉ số Chính phủ điện tử 2024 của Liên Hợp Quốc.

Theo số liệu của Bộ Khoa học và Công nghệ, tính đến 26/10, tỷ lệ hồ sơ trực tuyến toàn trình trên tổng hồ sơ giải quyết thủ tục hành chính đạt 41,2%.

Tính đến hết quý III/2025, 98% thôn, bản trên toàn quốc đã được phủ sóng băng rộng di động.
""",
    # A Party body's notice as a law site copies it: the header's two columns on one line, the
    # number written the Party's way (the kind before the issuer's symbol), two leaders who
    # chaired, each with all their titles.
    "g09_thong_bao_tgv.txt": """title: Thông báo kết luận 52-TB/TGV cuộc họp của lãnh đạo Ban Chỉ đạo Trung ương
date: 2026-03-13

BAN CHỈ ĐẠO TRUNG ƯƠNG | ĐẢNG CỘNG SẢN VIỆT NAM |
Số 52-TB/TGV | Hà Nội, ngày 13 tháng 3 năm 2026 |

THÔNG BÁO KẾT LUẬN
CỦA LÃNH ĐẠO BAN CHỈ ĐẠO TRUNG ƯƠNG VỀ THÁO GỠ ĐIỂM NGHẼN TRONG CHUYỂN ĐỔI SỐ

Thực hiện kết luận của Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số tại Hội nghị sơ kết quý IV/2025, ngày 12/3/2026, đồng chí Trần Minh Khôi, Ủy viên Bộ Chính trị, Bí thư Trung ương Đảng, Trưởng Ban Tổ chức Trung ương, Phó Trưởng Ban Chỉ đạo và đồng chí Lê Thị Hồng Vân, Ủy viên Trung ương Đảng, Phó Thủ tướng Chính phủ, ủy viên Ban Chỉ đạo đã chủ trì cuộc họp với Thường trực Tổ Giúp việc và các cơ quan liên quan.
""",
    # A notice as a law site lists it: its headline names it by kind, number and year, and who
    # issued it; then the site's own table, then the text.
    "g12_thong_bao_trang_luat.txt": """title: Thông báo 77/TB-VPCP năm 2027 kết luận Phiên họp lần thứ hai của Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 do Văn phòng Chính phủ ban hành
date: 2027-04-02

Số hiệu 77/TB-VPCP
Loại văn bản Thông báo
Cơ quan ban hành Văn phòng Chính phủ

""" + vpcp_header("77/TB-VPCP", "ngày 02 tháng 4 năm 2027") + """KẾT LUẬN PHIÊN HỌP LẦN THỨ HAI CỦA BAN CHỈ ĐẠO CỦA CHÍNH PHỦ VỀ PHÁT TRIỂN KHOA HỌC, CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06

Ngày 31 tháng 3 năm 2027, tại Trụ sở Chính phủ, Thủ tướng Chính phủ Lê Văn Minh, Trưởng Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 chủ trì Phiên họp lần thứ hai của Ban Chỉ đạo. Thủ tướng Chính phủ kết luận như sau:

Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương hoàn thành kết nối dữ liệu đất đai trước ngày 30/9/2027./.
""",
    # A ministry's account of what it did against the targets it was set: past, with numbers,
    # naming who set them and by when it was done.
    "g13_da_vuot_chi_tieu.txt": """title: Nhiều chỉ tiêu về định danh điện tử đã hoàn thành vượt mức
date: 2027-05-12

Đối chiếu với những chỉ tiêu, yêu cầu trên, Bộ Công an đã cấp trên 81,3 triệu thẻ căn cước gắn chíp cho công dân đủ điều kiện (hoàn thành trước ngày 30/6/2026). Bộ Công an đã thu nhận trên 72,4 triệu hồ sơ định danh điện tử, vượt chỉ tiêu Thủ tướng Chính phủ giao, kích hoạt trên 51,2 triệu tài khoản định danh điện tử, tỷ lệ kích hoạt trên tổng số hồ sơ thu nhận đạt 70,7%.
""",
    # A province's portal on its resolution: the country's aims over a period and by a year, then
    # the province's two aims, each with its year; a strategy named with its period and horizon.
    "g14_muc_tieu_theo_nam.txt": """title: Những nhiệm vụ trọng tâm về chuyển đổi số toàn diện của tỉnh Hà Tĩnh
source: https://hatinh.gov.vn/nhiem-vu-trong-tam

Văn kiện Đại hội đã đặt rõ mục tiêu của nền kinh tế giai đoạn 2026 – 2030, kinh tế số sẽ chiếm 30% GDP và khoảng 40% GDP vào năm 2035.

Tại Hà Tĩnh, kinh tế số cần được tập trung lãnh đạo với mục tiêu đặt ra đến năm 2027, kinh tế số phải đạt 22% GRDP và đến năm 2030, kinh tế số phải đạt 32% GRDP của tỉnh.

“Chiến lược phát triển Chính phủ số giai đoạn 2026 - 2030, định hướng đến năm 2035” đã đề ra nhiều chỉ tiêu, trong đó có yêu cầu tối thiểu 85% hồ sơ thủ tục hành chính được xử lý trực tuyến toàn trình.
""",
    # A province's plan copied line by line from a law site: a numbered section of aims, its
    # items lettered, one line each, a line ending in a comma; then the next section.
    "g15_ke_hoach_du_lieu.txt": """ỦY BAN NHÂN DÂN
TỈNH NGHỆ AN
Số: 315/KH-UBND
Nghệ An, ngày 20 tháng 5 năm 2026
KẾ HOẠCH
TRIỂN KHAI CHIẾN LƯỢC DỮ LIỆU TRÊN ĐỊA BÀN TỈNH NGHỆ AN
Thực hiện Quyết định của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh ban hành Kế hoạch với các nội dung như sau:
I. MỤC TIÊU ĐẾN NĂM 2030
1. Phát triển hạ tầng dữ liệu
a) Trung tâm dữ liệu tỉnh kết nối với Trung tâm dữ liệu quốc gia, bảo đảm an toàn thông tin,
b) Các nền tảng điện toán đám mây đáp ứng 100% nhu cầu lưu trữ, chia sẻ dữ liệu của tỉnh.
2. Phát triển dữ liệu phục vụ chính quyền số
a) 90% cơ sở dữ liệu chuyên ngành của tỉnh được kết nối, chia sẻ với các cơ sở dữ liệu quốc gia.
II. ĐÁNH GIÁ THỰC TRẠNG
Năm 2025, toàn tỉnh có 61% cơ sở dữ liệu chuyên ngành được kết nối.
""",
    # A province's paper on another province's example: its title names that province.
    "g16_bai_hoc_tinh_ban.txt": """title: Lào Cai – bài học từ một địa phương chuyển đổi số
source: https://baothainguyen.vn/chuyen-doi-so/lao-cai-bai-hoc
date: 2026-06-02

Năm 2025, tỉnh đã có 96% hồ sơ thủ tục hành chính được xử lý trực tuyến. Tỉnh phấn đấu đến năm 2027 nằm trong nhóm 5 tỉnh dẫn đầu về chuyển đổi số.
""",
    # A statistics page with its footnotes' marks glued to the numbers they annotate.
    "g17_chu_thich.txt": """title: Tài khoản thanh toán của người trưởng thành tiếp tục tăng
date: 2026-02-03

Tỷ lệ người trưởng thành có tài khoản thanh toán năm 2025 đạt 71,4%3, tăng so với năm 2024.
""",
    # A provincial paper that gives a national notice whole after announcing it.
    "g18_noi_dung_thong_bao.txt": """title: Thông báo kết luận của Tổng Bí thư tại Hội nghị tổng kết năm 2026 của Ban Chỉ đạo Trung ương
source: https://baothainguyen.vn/thoi-su/thong-bao-ket-luan-hoi-nghi-tong-ket-2026.html

Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số vừa ban hành Thông báo số 21-TB/CQTTBCĐ, ngày 05/01/2027 về Kết luận của đồng chí Tổng Bí thư tại Hội nghị tổng kết công tác năm 2026 của Ban Chỉ đạo.

Nội dung Thông báo số 21-TB/CQTTBCĐ như sau:

Ngày 30/12/2026, Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số đã tổ chức Hội nghị tổng kết công tác năm 2026 của Ban Chỉ đạo.
""",
    # A provincial paper's report of a Party conference: who chaired, "do đồng chí …".
    "g10_hoi_nghi_tong_ket_bcdtw.txt": """title: Hội nghị tổng kết công tác năm 2026 của Ban Chỉ đạo Trung ương
date: 2026-12-26

Ngày 26/12/2026, Ban Chỉ đạo Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số đã tổ chức Hội nghị tổng kết công tác năm 2026. Hội nghị do đồng chí Tổng Bí thư Đỗ Văn Thành, Trưởng Ban Chỉ đạo chủ trì, với sự tham dự của các đồng chí Ủy viên Bộ Chính trị.
""",
}


@pytest.fixture(scope="module")
def fb(tmp_path_factory) -> dict:
    return built_fact_base(make_office(tmp_path_factory.mktemp("realdocs-families-3") / "office", DOCS))


def _event(fb: dict, source: str) -> dict:
    doc = next(d for d in fb["documents"] if d["id"] == source)
    return next(e for e in fb["events"] if e["id"] == doc["event"])


def test_the_one_who_chairs_together_with_others_is_the_chair(fb):
    # (the last name before "chủ trì", a deputy, was taken for the chair)
    chair = _event(fb, "g01_hoi_nghi_dong_chu_tri.txt")["chair"]
    assert (chair["name"], chair["role"]) == ("Lê Văn Minh", "Thủ tướng Chính phủ"), chair


def test_money_saved_by_cutting_procedures_is_not_what_project_06s_services_save(fb):
    # ("tiết kiệm {n}" filed every sum saved as the savings of Project 06's essential services)
    saved = {(r["metric"], r["value"]) for r in _records(fb, "figures", "g02_cat_giam_thu_tuc.txt") if r["unit"] == "đồng"}
    assert ("essential_dvc_savings", 4_100_000_000_000) in saved, saved
    assert ("essential_dvc_savings", 21_800_000_000_000) not in saved, saved


def test_the_same_number_twice_is_read_where_its_year_and_province_are_named(fb):
    # (the lead's bare reading — national, undated — was kept, the body's dropped: one id)
    [f] = [f for f in _records(fb, "figures", "g03_ninh_binh_thanh_toan.txt") if f["value"] == 47.35]
    assert (f["scope"], f["as_of"]) == ("Ninh Bình", "2026"), f


def test_this_province_is_the_province_the_page_is_about(fb):
    [f] = _records(fb, "figures", "g04_lam_dong_ho_so.txt")
    assert (f["value"], f["scope"]) == (81.9, "Lâm Đồng"), f


def test_one_channels_growth_is_not_the_growth_of_all_cashless_payments(fb):
    # ("{n} về số lượng" filed the Internet and mobile channels' growth as all payments', and
    # the briefing's appendix printed 51,4 as the growth of cashless payments)
    got = {(r["metric"], r["value"]) for r in _records(fb, "figures", "g05_thanh_toan_qua_kenh.txt")
           if r["metric"] != "unclassified"}
    assert got == {("cashless_transactions_volume", 41.3), ("cashless_transactions_value", 19.6)}, got


def test_an_average_over_years_is_not_the_share_of_a_year(fb):
    # (12,88 % on average over 2020–2024 was the digital economy's share as of the page's day)
    shares = {r["value"] for r in fb["figures"] if r["metric"] == "digital_economy_gdp_share"
              and r["source"] == "g06_ty_trong_binh_quan.txt"}
    assert shares == {18.3}, shares


def test_growth_is_read_as_the_growth_of_what_it_is_said_of(fb):
    # ("gấp 1,7 lần" of the sum in dollars, "tăng trên 20%/năm" of the digital economy were
    # printed as changes of its share; the digital economy's growth was the economy's)
    changes = [(r["source"], r["value"]) for r in fb["figures"]
               if r["metric"] == "digital_economy_gdp_share" and r["change"]]
    assert changes == [], changes
    [growth] = [r for r in _records(fb, "figures", "g07_kinh_te_so_2025.txt") if r["value"] == 12.1]
    assert growth["metric"] == "digital_economy_growth", growth
    assert not [r for r in fb["figures"] if r["metric"] == "gdp_growth"]


def test_a_figure_is_dated_by_the_index_day_or_quarter_it_names(fb):
    # (each was dated 2025-11-20, the page's day: the appendix printed "71/193 — tính đến 20/11/2025")
    dated = {r["value"]: r["as_of"] for r in _records(fb, "figures", "g08_ngay_cua_so_lieu.txt") if not r["change"]}
    assert dated == {71: "2024", 41.2: "2025-10-26", 98: "2025-09-30"}, dated


def test_a_party_notice_copied_from_a_law_site_is_a_notice_of_its_meeting(fb):
    # (it was press: its number, "52-TB/TGV", and its issuer's column were not read; the meeting's
    # chair was the second leader, with "Phó Trưởng Ban Chỉ đạo và đồng chí" for a title)
    doc = next(d for d in fb["documents"] if d["id"] == "g09_thong_bao_tgv.txt")
    assert (doc["kind"], doc["number"], doc["issuer"]) == ("notice", "52-TB/TGV", "Ban Chỉ đạo Trung ương"), doc
    event = _event(fb, "g09_thong_bao_tgv.txt")
    assert (event["body"], event["notice"]) == ("central_steering_committee", "g09_thong_bao_tgv.txt"), event
    assert (event["chair"]["name"], event["chair"]["role"]) == ("Trần Minh Khôi", "Phó Trưởng Ban Chỉ đạo"), event


def test_who_chaired_a_conference_done_by_a_comrade_has_his_title_only(fb):
    chair = _event(fb, "g10_hoi_nghi_tong_ket_bcdtw.txt")["chair"]
    assert (chair["name"], chair["role"]) == ("Đỗ Văn Thành", "Tổng Bí thư"), chair


# A new office's first document: a notice a law site copied in capitals, and nothing else — no
# figure, so its briefing has no Phụ lục.
LONE_NOTICE = vpcp_header("41/TB-VPCP", "ngày 20 tháng 2 năm 2027") + """KẾT LUẬN CỦA THỦ TƯỚNG CHÍNH PHỦ TẠI PHIÊN HỌP LẦN THỨ NHẤT NĂM 2027 CỦA BAN CHỈ ĐẠO
VỀ CHUYỂN ĐỔI SỐ

Ngày 18 tháng 2 năm 2027, tại Trụ sở Chính phủ, Thủ tướng Chính phủ, Trưởng Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 chủ trì Phiên họp lần thứ nhất năm 2027 của Ban Chỉ đạo. Thủ tướng Chính phủ kết luận như sau:

Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương hoàn thành việc số hóa hồ sơ hộ tịch trước ngày 30/6/2027./.
"""


def test_a_lone_notice_in_capitals_makes_a_briefing_citing_it_in_running_text(tmp_path):
    # (the cold build crashed, "KeyError: 'docx'", for a briefing without a Phụ lục; and the
    # notice's title was cited "về kẾT LUẬN CỦA THỦ TƯỚNG …")
    import docx
    import pdfplumber

    home = make_office(tmp_path / "office", {"g11_thong_bao_in_hoa.txt": LONE_NOTICE})
    built_fact_base(home)
    r = _cli(home, "build", "--province", "Quảng Ngãi", "--date", "2027-03-01", "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stdout + r.stderr
    [pdf] = (tmp_path / "out").rglob("*.pdf")
    [word] = (tmp_path / "out").rglob("*.docx")
    said = "về kết luận của Thủ tướng Chính phủ tại phiên họp lần thứ nhất năm 2027 của Ban Chỉ đạo về chuyển đổi số,"
    with pdfplumber.open(pdf) as opened:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in opened.pages)
    assert "Thông báo số 41/TB-VPCP" in text and said in text, text[:1500]
    # the briefing's own summary under THÔNG BÁO (Decree 30: lower case, bold) starts from that title
    assert "Kết luận của Thủ tướng Chính phủ tại phiên họp lần thứ nhất năm 2027 của Ban Chỉ đạo về chuyển đổi số " \
           "và nhiệm vụ triển khai trên địa bàn tỉnh Quảng Ngãi" in text and "KẾT LUẬN CỦA" not in text, text[:600]
    paragraphs = " ".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert said in paragraphs and "kẾT" not in paragraphs


def test_a_law_sites_headline_is_not_the_notices_title(fb):
    # (the briefing printed "Thực hiện Thông báo số 77/TB-VPCP … về thông báo 77/TB-VPCP năm 2027
    # kết luận … do Văn phòng Chính phủ ban hành")
    doc = next(d for d in fb["documents"] if d["id"] == "g12_thong_bao_trang_luat.txt")
    assert (doc["kind"], doc["number"]) == ("notice", "77/TB-VPCP"), doc
    assert doc["title"] == ("Kết luận Phiên họp lần thứ hai của Ban Chỉ đạo của Chính phủ về phát triển khoa học, "
                            "công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06"), doc["title"]


def test_what_was_done_beyond_the_target_set_is_a_result_not_a_task_or_target(fb):
    # ("vượt chỉ tiêu Thủ tướng Chính phủ giao" made the sentence an order and its numbers
    # targets; "(hoàn thành trước ngày …)" after what was done made it a task with a deadline)
    source = "g13_da_vuot_chi_tieu.txt"
    assert _records(fb, "tasks", source) == [] and _records(fb, "targets", source) == []
    got = {(r["metric"], r["value"]) for r in _records(fb, "figures", source)}
    assert ("eid_accounts_activated", 51_200_000) in got and ("unclassified", 70.7) in got, got


def test_each_aim_has_the_deadline_written_for_it(fb):
    # (the province's 22 % was due in 2030 and its 32 % in 2027; the country's 30 % had no
    # deadline though its period ends in 2030, 40 % none though "vào năm 2035" follows it; the
    # strategy's aims were due at its horizon, "định hướng đến năm 2035")
    due = {t["value"]: t["deadline"] for t in _records(fb, "targets", "g14_muc_tieu_theo_nam.txt")}
    assert due == {30: "2030-12-31", 40: "2035-12-31", 22: "2027-12-31", 32: "2030-12-31", 85: "2030-12-31"}, due


def test_a_plans_section_of_aims_holds_aims_to_its_deadline_up_to_the_next_section(fb):
    # (its items were results: a section "I. MỤC TIÊU ĐẾN NĂM 2030" has no colon; the lettered
    # items were joined to the line before, and "100% nhu" cut a word)
    source = "g15_ke_hoach_du_lieu.txt"
    aims = {(t["value"], t["unit"], t["deadline"]) for t in _records(fb, "targets", source)}
    assert aims == {(100, "%", "2030-12-31"), (90, "%", "2030-12-31")}, aims
    assert any(t["quote"].startswith("100% nhu cầu") for t in _records(fb, "targets", source))
    assert [(f["value"], f["as_of"]) for f in _records(fb, "figures", source)] == [(61, "2025")]


def test_a_papers_article_about_another_province_speaks_for_that_province(fb):
    # (a Thái Nguyên paper's article on Lào Cai gave Thái Nguyên Lào Cai's result and aim)
    doc = next(d for d in fb["documents"] if d["id"] == "g16_bai_hoc_tinh_ban.txt")
    assert doc["province"] == "Lào Cai", doc
    assert {f["scope"] for f in _records(fb, "figures", "g16_bai_hoc_tinh_ban.txt")} == {"Lào Cai"}


def test_a_footnotes_mark_glued_to_a_share_is_no_figure(fb):
    # ("66,8%5" gave a figure of 5)
    assert [f["value"] for f in _records(fb, "figures", "g17_chu_thich.txt")] == [71.4]


def test_a_page_that_gives_a_notice_whole_is_that_notice_and_no_provinces(fb):
    # (it was press, Thái Nguyên's by its address, and the briefing said the conference's notice
    # "chưa được ban hành")
    doc = next(d for d in fb["documents"] if d["id"] == "g18_noi_dung_thong_bao.txt")
    assert (doc["kind"], doc["number"], doc["issued"], doc["province"]) == \
        ("notice", "21-TB/CQTTBCĐ", "2027-01-05", None), doc
    # its paper's headline names it by its kind: the briefing cites "Thông báo số … về kết luận …",
    # not "… về thông báo kết luận …"
    assert doc["title"] == "Kết luận của Tổng Bí thư tại Hội nghị tổng kết năm 2026 của Ban Chỉ đạo Trung ương", doc
    assert _event(fb, "g18_noi_dung_thong_bao.txt")["notice"] == "g18_noi_dung_thong_bao.txt"


def test_a_press_report_is_cited_by_its_paper_never_by_its_pages_address(tmp_path):
    # (the appendix's "Nguồn" column printed "https://thoibaotaichinhvietnam…" over ten lines,
    # cut at the page's edge; the opening "Căn cứ thông tin … đăng trên https://…")
    import pdfplumber

    home = make_office(tmp_path / "office", {"g19_bao_dien_tu.txt": """title: Kinh tế số đóng góp ngày càng lớn
source: https://thoibaotaichinhvietnam.vn/kinh-te-so-la-dong-luc-tang-truong-quan-trong-trong-nam-2026-190019.html
date: 2027-01-06

Chiều 5/1, Thủ tướng Chính phủ, Trưởng Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 chủ trì Phiên họp lần thứ nhất năm 2027 của Ban Chỉ đạo.

Theo Cục Thống kê, tỷ trọng giá trị tăng thêm của kinh tế số trong GDP năm 2026 ước đạt 15,1%.
"""})
    built_fact_base(home)
    r = _cli(home, "build", "--province", "Thái Nguyên", "--date", "2027-01-20", "--out", str(tmp_path / "out"))
    assert r.returncode == 0, r.stdout + r.stderr
    [pdf] = (tmp_path / "out").rglob("*.pdf")
    with pdfplumber.open(pdf) as opened:
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in opened.pages)
        # nothing printed past the text area's right edge (30 mm margin + 165 mm of text): the
        # site's name, longer than its column, wraps inside its cell
        right = max(c["x1"] for page in opened.pages for c in page.chars)
    assert right <= (30 + 165) * 72 / 25.4 + 1, f"text reaches {right * 25.4 / 72:.1f} mm"
    assert "15,1" in text and "thoibaotaichinhvietnam.vn" in text.replace(" ", ""), text
    assert "https://" not in text and "190019" not in text, text

"""Tasks and bridge points as real documents write them (issue 18, items 5 and 6).

Each text below is ours, written in the style of a family of real public documents (press
reports of a directive or a session, a provincial paper, a provincial portal relaying a
ministry's letter, a People's Committee's plan copied from a law site, an official Công
điện); each test names the rule a careful reader applies. The fact base is built with the
real CLI (`facts build`, which verifies every record against its text), and section 5 b)
of a real briefing is read from its PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from office import cli as _cli, make_office, part as _part, vpcp_header

DOCS = {
    # A national paper reports a directive; its list keeps the addressee on a line of its own.
    "t01_chi_thi_bao.txt": """source: https://tintuc-mau.vn/thu-tuong-chi-thi-lam-sach-du-lieu-dan-cu.htm
date: 2026-10-20
title: Thủ tướng chỉ thị làm sạch dữ liệu dân cư

Thủ tướng Chính phủ vừa ký ban hành Chỉ thị về đẩy nhanh làm sạch dữ liệu dân cư phục vụ chuyển đổi số.

Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương:

- Chỉ đạo rà soát, làm sạch dữ liệu hộ tịch trên địa bàn, hoàn thành trong quý I năm 2027.

- Tổ chức cấp tài khoản định danh điện tử cho cán bộ, công chức, viên chức, báo cáo kết quả về Bộ Công an chậm nhất ngày 15/11.

Bộ Công an:

- Hướng dẫn các địa phương kết nối, đồng bộ dữ liệu với Cơ sở dữ liệu quốc gia về dân cư.
""",
    # A provincial paper: the province's chairman speaks to its own departments and districts.
    "t02_bao_tinh.txt": """source: https://baolangson.vn/day-nhanh-cap-tai-khoan-dinh-danh-dien-tu.html
date: 2026-11-02
title: Đẩy nhanh cấp tài khoản định danh điện tử

(BLS) - Chủ tịch UBND tỉnh Vũ Minh Hải vừa yêu cầu các sở, ban ngành, UBND các huyện, thành phố tập trung đẩy nhanh việc cấp, kích hoạt tài khoản định danh điện tử cho người dân.

Tính đến ngày 25/10, toàn tỉnh đã kích hoạt 412.300 tài khoản, đạt 61,5% so với chỉ tiêu được giao.

Chủ tịch UBND tỉnh chỉ đạo rà soát số liệu trên địa bàn, báo cáo kết quả về Bộ Công an trước ngày 15/12.

Thủ trưởng các cơ quan, đơn vị, địa phương quán triệt đến từng cán bộ, công chức; Chủ tịch UBND cấp huyện, cấp xã chịu trách nhiệm trước Chủ tịch UBND tỉnh về kết quả thực hiện.
""",
    # A national report of a session: who chaired and who attended, then the orders.
    "t03_phien_hop.txt": """source: https://thoisu-mau.vn/ban-chi-dao-hop-phien-thang-10.htm
date: 2026-10-08
title: Ban Chỉ đạo của Chính phủ họp phiên họp tháng 10

Sáng 8/10, tại Trụ sở Chính phủ, Thủ tướng Phạm Minh Chính, Trưởng Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06, chủ trì phiên họp tháng 10 của Ban Chỉ đạo.

Cùng dự có các Phó Thủ tướng Chính phủ, Phó Trưởng Ban Chỉ đạo; đại diện lãnh đạo các bộ, ngành, cơ quan Trung ương. Phiên họp được kết nối trực tuyến tới trụ sở Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.

Kết luận phiên họp, Thủ tướng yêu cầu Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương tập trung chỉ đạo, không để gián đoạn việc giải quyết thủ tục hành chính cho người dân.

Rà soát, chuẩn hóa toàn bộ dữ liệu đất đai trên địa bàn tỉnh, thành phố. Thời gian hoàn thành trong tháng 12-2026.

Công bố công khai danh mục thủ tục hành chính được giải quyết không phụ thuộc địa giới hành chính

Theo báo cáo, đến nay cả nước có 5.120 thủ tục hành chính được cung cấp trực tuyến toàn trình.

“Hệ thống nào không dùng được thì dứt khoát dừng lại, không đầu tư dàn trải”, Thủ tướng quán triệt.
""",
    # A provincial portal relays a ministry's letter to every province, then the province's own step.
    "t04_cong_tinh.txt": """source: https://langson.gov.vn/tin-tuc/trien-khai-ngay-chuyen-doi-so-quoc-gia.html
date: 2026-09-15
title: Triển khai hưởng ứng Ngày Chuyển đổi số quốc gia năm 2026

Bộ trưởng Bộ Khoa học và Công nghệ đề nghị các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ, Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương tổ chức các hoạt động hưởng ứng Ngày Chuyển đổi số quốc gia.

Trên cơ sở đó, Chủ tịch UBND tỉnh giao Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ngành xây dựng kế hoạch của tỉnh, hoàn thành trước ngày 30/9/2026.
""",
    # A People's Committee's plan copied from a law site: its issuer line is split by the page.
    "t05_ke_hoach_tinh.txt": """source: https://vanban-mau.vn/ke-hoach-45-kh-ubnd-2026-chuyen-doi-so.html
date: 2026-03-05
title: Kế hoạch 45/KH-UBND năm 2026 về chuyển đổi số

ỦY BAN NHÂN DÂN |
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
Số: 45/KH-UBND |
Lạng Sơn, ngày 05 tháng 3 năm 2026 |
KẾ HOẠCH
CHUYỂN ĐỔI SỐ NĂM 2026
II. NHIỆM VỤ VÀ GIẢI PHÁP
1. Các sở, ban, ngành và các địa phương rà soát, số hóa hồ sơ thủ tục hành chính, hoàn thành trong quý II năm 2026.
2. Ủy ban nhân dân các xã, phường cập nhật dữ liệu dân cư trên địa bàn, hoàn thành trước ngày 30/6/2026.
""",
    # A provincial paper's bridge point: "điểm cầu tỉnh" without the name, two co-chairs.
    "t06_diem_cau_tinh.txt": """source: https://baolaocai.vn/lao-cai-du-phien-hop-ban-chi-dao.html
date: 2026-10-08
title: Lào Cai dự phiên họp tháng 10 của Ban Chỉ đạo

(BLC) - Sáng 8/10, Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 tổ chức phiên họp tháng 10. Bí thư Tỉnh ủy Trần Văn Bình và Chủ tịch UBND tỉnh Lê Thị Hoa chủ trì tại điểm cầu tỉnh.

Dự tại điểm cầu tỉnh có các đồng chí: Phạm Quốc Hùng, Phó Chủ tịch UBND tỉnh; lãnh đạo các sở, ngành.

Phát biểu kết luận, Thủ tướng Chính phủ đề nghị các bộ, ngành, địa phương ưu tiên nguồn lực cho chuyển đổi số.

Địa phương phải phối hợp với doanh nghiệp viễn thông xóa vùng lõm sóng, hoàn thành trước tháng 12/2026.
""",
    # Other outlets name the province after "điểm cầu trụ sở Ủy ban nhân dân tỉnh …", list who
    # attended before the verb, or after "Tham dự tại điểm cầu … có các đồng chí:".
    "t07_cac_diem_cau.txt": """source: https://tinmoi-mau.vn/cac-dia-phuong-du-phien-hop.htm
date: 2026-10-08
title: Các địa phương dự phiên họp tháng 10 của Ban Chỉ đạo

Phiên họp được kết nối trực tuyến tới trụ sở Ủy ban nhân dân các tỉnh, thành phố. Tại điểm cầu trụ sở Ủy ban nhân dân tỉnh Cao Bằng, đồng chí Vũ Văn Tú - Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh chủ trì.

Chủ tịch UBND tỉnh Lê Văn Khải; Phó Chủ tịch UBND tỉnh Đỗ Thị Mai tham dự tại điểm cầu Điện Biên.

Tham dự tại điểm cầu Sơn La có các đồng chí: Hoàng Văn Đông – Chủ tịch UBND tỉnh; Bùi Văn Sáng – Phó Chủ tịch UBND tỉnh.

Tại điểm cầu Thái Nguyên do đồng chí Trần Văn Lâm, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh chủ trì. Chủ trì tại điểm cầu tỉnh Hà Tĩnh có đồng chí Võ Văn Hải, Chủ tịch UBND tỉnh.

Tại điểm cầu tỉnh Quảng Trị, đồng chí Lê Đức Tiến, Chủ tịch UBND tỉnh tham dự.
""",
    # A district's portal: the district's bridge point, of the portal's province.
    "t08_diem_cau_huyen.txt": """source: https://bacha.laocai.gov.vn/tin-tuc/hoi-nghi-so-ket-de-an-06.html
date: 2026-10-08
title: Huyện Bắc Hà dự phiên họp tháng 10 của Ban Chỉ đạo

Sáng 8/10, Thủ tướng Chính phủ Phạm Minh Chính chủ trì phiên họp tháng 10 của Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06.

Đồng chí Đỗ Văn Nam - Ủy viên Ban Thường vụ Huyện ủy, Phó Chủ tịch UBND huyện, Tổ trưởng Tổ công tác Đề án 06 cấp huyện chủ trì phiên họp tại điểm cầu huyện Bắc Hà.
""",
    # A paper reports a People's Committee's letter: who must act, by when, then what was done.
    "t10_van_ban_tinh.txt": """source: https://tuoitre-mau.vn/lam-dong-yeu-cau-kich-hoat-dinh-danh.htm
date: 2026-11-25
title: Lâm Đồng: cán bộ, công chức phải kích hoạt tài khoản định danh trong tháng 12

(TTO) - UBND tỉnh Lâm Đồng có văn bản chỉ đạo toàn bộ cán bộ, công chức, viên chức trên địa bàn phải kích hoạt tài khoản định danh điện tử mức độ 2 trong tháng 12-2026. Tính đến ngày 20-11, toàn tỉnh đã cấp 812.400 tài khoản định danh điện tử.
""",
    # A provincial paper's short report: the points of every province are no bridge point of its own.
    "t11_bao_tinh_phien_hop.txt": """source: https://baocaobang.vn/thu-tuong-chu-tri-phien-hop-thang-10.html
date: 2026-10-08
title: Thủ tướng chủ trì phiên họp tháng 10 của Ban Chỉ đạo

Sáng 8/10, Thủ tướng Chính phủ Phạm Minh Chính chủ trì phiên họp tháng 10 của Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06, kết nối trực tuyến tới các điểm cầu tỉnh, thành trong cả nước.

Thủ tướng gợi ý một số nhiệm vụ cần tập trung hoàn thành thời gian tới: rà soát, làm sạch dữ liệu đất đai trên địa bàn; hoàn thiện cơ sở dữ liệu cán bộ, công chức.
""",
    # An official conclusion notice: its tasks under "B. NHIỆM VỤ TRỌNG TÂM", after its results.
    "t12_thong_bao.txt": vpcp_header("610/TB-VPCP", "ngày 28 tháng 9 năm 2026") + """Kết luận của Thủ tướng Chính phủ tại phiên họp tháng 9 của Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06

Ngày 15 tháng 9 năm 2026, tại Trụ sở Chính phủ, Thủ tướng Chính phủ Phạm Minh Chính, Trưởng Ban Chỉ đạo chủ trì phiên họp tháng 9 của Ban Chỉ đạo. Tham dự phiên họp có các Phó Thủ tướng Chính phủ; Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương. Sau khi nghe báo cáo và ý kiến các đại biểu, Thủ tướng Chính phủ kết luận như sau:

A. KẾT QUẢ ĐẠT ĐƯỢC
Các bộ, ngành, địa phương đã hoàn thành 85 nhiệm vụ được giao trong 8 tháng.

B. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI
I. Nhiệm vụ chung
Bám sát chỉ đạo của Ban Chỉ đạo, xử lý dứt điểm các nhiệm vụ chậm tiến độ.
II. Nhiệm vụ cụ thể
1. Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương:
a) Hoàn thành số hóa hồ sơ hộ tịch trên địa bàn trước ngày 31/12/2026.
2. Bộ Công an:
a) Hoàn thiện nền tảng định danh điện tử cho người dân. Hoàn thành trong tháng 11 năm 2026.

Văn phòng Chính phủ thông báo để các bộ, cơ quan, địa phương biết, thực hiện./.
""",
    # An official Công điện: its numbered item names the addressee alone, the items after it are theirs.
    "t09_cong_dien.txt": """THỦ TƯỚNG CHÍNH PHỦ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 95/CĐ-TTg
Hà Nội, ngày 20 tháng 10 năm 2026

CÔNG ĐIỆN
Về việc làm sạch dữ liệu hộ tịch và cấp tài khoản định danh điện tử
----------------
THỦ TƯỚNG CHÍNH PHỦ điện:
- Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan thuộc Chính phủ;
- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương.

Thời gian qua, dữ liệu hộ tịch ở nhiều địa phương còn sai lệch với Cơ sở dữ liệu quốc gia về dân cư, khiến người dân phải kê khai lại thông tin đã có.

Để hoàn thành các mục tiêu năm 2026, Thủ tướng Chính phủ yêu cầu:

1. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương:
a) Chỉ đạo đối soát, làm sạch dữ liệu hộ tịch trên địa bàn, hoàn thành trong quý I năm 2027.
b) Tổ chức cấp tài khoản định danh điện tử cho toàn bộ cán bộ, công chức, viên chức, báo cáo kết quả về Bộ Công an chậm nhất ngày 15/11.

2. Bộ Công an:
a) Hướng dẫn các địa phương đồng bộ dữ liệu hộ tịch với Cơ sở dữ liệu quốc gia về dân cư./.

Nơi nhận:
- Như trên;
- Lưu: VT, KSTT.
THỦ TƯỚNG
""",
}




@pytest.fixture(scope="module")
def office(tmp_path_factory) -> Path:
    home = make_office(tmp_path_factory.mktemp("realdocs-tasks") / "office", DOCS, with_seeds=True)
    r = _cli(home, "facts", "build")
    assert r.returncode == 0, r.stdout + r.stderr
    return home


@pytest.fixture(scope="module")
def fb(office) -> dict:
    return yaml.safe_load((office / "facts" / "factbase.yaml").read_text("utf-8"))


def tasks(fb: dict, source: str) -> list[dict]:
    return [t for t in fb["tasks"] if t["source"] == source or source in t.get("also_in", [])]


def task(fb: dict, source: str, words: str) -> dict:
    found = [t for t in tasks(fb, source) if words in t["quote"]]
    assert len(found) == 1, [t["quote"] for t in tasks(fb, source)]
    return found[0]


def no_task(fb: dict, source: str, words: str) -> None:
    assert not [t for t in tasks(fb, source) if words in t["quote"]], [t["quote"] for t in tasks(fb, source)]


def bridge(fb: dict, source: str, province: str) -> dict:
    found = [b for b in fb["bridge_points"] if b["province"] == province
             and (b["source"] == source or source in b.get("also_in", []))]
    assert len(found) == 1, fb["bridge_points"]
    return found[0]


# -- who must act ------------------------------------------------------------------------

def test_an_addressee_alone_on_a_line_is_no_task_and_the_items_after_it_are_its(fb):
    """"Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương:" introduces a list."""
    for doc in ("t01_chi_thi_bao.txt", "t09_cong_dien.txt"):
        no_task(fb, doc, "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương")
        no_task(fb, doc, "Bộ Công an:")
        first = task(fb, doc, "làm sạch dữ liệu hộ tịch")
        assert first["responsible"] == ["provincial_chairs"] and first["provinces"] and first["scope"] == "national"
        assert first["deadline"] == "2027-03-31" and first["deadline_quote"] == "trong quý I năm 2027"
        police = task(fb, doc, "dữ liệu với Cơ sở dữ liệu quốc gia") if doc == "t01_chi_thi_bao.txt" \
            else task(fb, doc, "đồng bộ dữ liệu hộ tịch")
        assert police["responsible"] == ["mps"], police     # "hướng dẫn các địa phương": they are its object


def test_who_reports_to_a_ministry_is_who_acts(fb):
    """"… báo cáo kết quả về Bộ Công an chậm nhất ngày 15/11" is the provinces' task, not the Ministry's."""
    for doc in ("t01_chi_thi_bao.txt", "t09_cong_dien.txt"):
        t = task(fb, doc, "báo cáo kết quả về Bộ Công an")
        assert t["responsible"] == ["provincial_chairs"] and t["provinces"]
        assert t["deadline"] == "2026-11-15" and t["deadline_quote"] == "chậm nhất ngày 15/11"


def test_a_provincial_papers_chairman_gives_the_task_to_the_province(fb):
    doc = "t02_bao_tinh.txt"
    first = task(fb, doc, "vừa yêu cầu các sở, ban ngành")
    # the chairman speaks; the departments and districts act; it is Lạng Sơn's own task
    assert first["responsible"] == ["provincial_departments", "districts"] and first["scope"] == "Lạng Sơn"
    own = task(fb, doc, "báo cáo kết quả về Bộ Công an trước ngày 15/12")
    assert own["responsible"] == ["provincial_chairs"] and own["scope"] == "Lạng Sơn"
    assert own["deadline"] == "2026-12-15"
    heads = task(fb, doc, "Thủ trưởng các cơ quan, đơn vị, địa phương quán triệt")
    assert heads["responsible"] == ["agencies_and_localities"] and heads["scope"] == "Lạng Sơn"
    districts = task(fb, doc, "Chủ tịch UBND cấp huyện, cấp xã chịu trách nhiệm")
    assert districts["responsible"] == ["districts"]


def test_a_result_against_the_assigned_quota_is_no_task(fb):
    """"đạt 61,5% so với chỉ tiêu được giao" reports; the figures stay figures."""
    no_task(fb, "t02_bao_tinh.txt", "Tính đến ngày 25/10")
    values = {f["value"] for f in fb["figures"] if f["source"] == "t02_bao_tinh.txt"}
    assert {412300, 61.5} <= values
    assert not [t for t in fb["targets"] if t["source"] == "t02_bao_tinh.txt"]


def test_a_provincial_paper_reporting_the_prime_ministers_orders_keeps_them_national(fb):
    """In baolaocai.vn's report, "Địa phương phải …" goes on with the Prime Minister's order."""
    doc = "t06_diem_cau_tinh.txt"
    assert task(fb, doc, "ưu tiên nguồn lực")["scope"] == "national"
    t = task(fb, doc, "xóa vùng lõm sóng")
    assert t["scope"] == "national" and t["deadline"] == "2026-11-30"     # "trước tháng 12/2026"


def test_the_prime_ministers_suggestions_are_tasks_and_every_provinces_points_no_bridge_point(fb):
    doc = "t11_bao_tinh_phien_hop.txt"
    assert fb_doc(fb, doc)["province"] == "Cao Bằng"
    assert task(fb, doc, "làm sạch dữ liệu đất đai")["scope"] == "national"       # "Thủ tướng gợi ý …"
    assert task(fb, doc, "hoàn thiện cơ sở dữ liệu cán bộ")["scope"] == "national"
    assert not [b for b in fb["bridge_points"] if b["source"] == doc]              # "các điểm cầu tỉnh, thành"


def fb_doc(fb: dict, doc: str) -> dict:
    return next(d for d in fb["documents"] if d["id"] == doc)


def test_who_must_act_by_when_without_a_named_party(fb):
    """"… toàn bộ cán bộ, công chức, viên chức … phải kích hoạt … trong tháng 12-2026"; what was done
    after it ("Tính đến ngày 20-11, toàn tỉnh đã cấp 812.400 …") is no task, its number a figure."""
    doc = "t10_van_ban_tinh.txt"
    t = task(fb, doc, "phải kích hoạt tài khoản định danh")
    assert t["responsible"] == ["all_officials"] and t["deadline"] == "2026-12-31"
    assert t["scope"] == "Lâm Đồng" and not t["quote"].startswith("(TTO)")
    no_task(fb, doc, "Tính đến ngày 20-11")
    assert 812400 in {f["value"] for f in fb["figures"] if f["source"] == doc}


def test_a_provincial_portal_relaying_the_centre_keeps_the_centres_tasks_national(fb):
    doc = "t04_cong_tinh.txt"
    ministry = task(fb, doc, "hưởng ứng Ngày Chuyển đổi số quốc gia")
    assert ministry["scope"] == "national" and "provincial_leaders" in ministry["responsible"]
    own = task(fb, doc, "xây dựng kế hoạch của tỉnh")
    assert own["scope"] == "Lạng Sơn" and own["responsible"] == ["provincial_departments"]
    assert own["deadline"] == "2026-09-30"


# -- what is not a task ------------------------------------------------------------------

def test_who_chaired_and_who_attended_are_no_tasks(fb):
    doc = "t03_phien_hop.txt"
    for words in ("chủ trì phiên họp tháng 10", "Cùng dự có", "Phiên họp được kết nối", "Theo báo cáo"):
        no_task(fb, doc, words)
    assert 5120 in {f["value"] for f in fb["figures"] if f["source"] == doc}


def test_a_conclusion_notices_tasks_under_its_lettered_heading(fb):
    doc = "t12_thong_bao.txt"
    assert task(fb, doc, "Bám sát chỉ đạo của Ban Chỉ đạo")        # "B. NHIỆM VỤ TRỌNG TÂM …", "I. Nhiệm vụ chung"
    civil = task(fb, doc, "số hóa hồ sơ hộ tịch")
    assert civil["responsible"] == ["provincial_leaders"] and civil["deadline"] == "2026-12-31"
    platform = task(fb, doc, "Hoàn thiện nền tảng định danh")
    # "Hoàn thành trong tháng 11 năm 2026." is the deadline of the task before it
    assert platform["responsible"] == ["mps"] and platform["deadline"] == "2026-11-30"
    for words in ("Hoàn thành trong tháng 11", "thông báo để", "Tham dự phiên họp", "kết luận như sau", "đã hoàn thành 85"):
        no_task(fb, doc, words)
    assert 85 in {f["value"] for f in fb["figures"] if f["source"] == doc}


# -- an order goes on ---------------------------------------------------------------------

def test_paragraphs_that_open_with_a_verb_go_on_with_the_order(fb):
    doc = "t03_phien_hop.txt"
    order = task(fb, doc, "Thủ tướng yêu cầu Ủy ban nhân dân các tỉnh")
    assert order["responsible"] == ["provincial_leaders"]
    land = task(fb, doc, "Rà soát, chuẩn hóa toàn bộ dữ liệu đất đai")
    assert land["responsible"] == ["provincial_leaders"] and land["provinces"]
    # "Thời gian hoàn thành trong tháng 12-2026.": the deadline of the task before it, no task itself
    assert land["deadline"] == "2026-12-31" and land["deadline_quote"] == "trong tháng 12-2026"
    no_task(fb, doc, "Thời gian hoàn thành")
    assert task(fb, doc, "Công bố công khai danh mục")["responsible"] == ["provincial_leaders"]
    # a quoted instruction, then who gave it
    assert task(fb, doc, "dứt khoát dừng lại")


# -- deadlines ---------------------------------------------------------------------------

@pytest.mark.parametrize("words, year, day, quote", [
    ("báo cáo kết quả về Bộ Công an trước ngày 15/12.", 2026, "2026-12-15", "trước ngày 15/12"),
    ("hoàn thành chậm nhất ngày 15/11", 2026, "2026-11-15", "chậm nhất ngày 15/11"),
    ("các bộ sớm ban hành trước ngày 25.11", 2025, "2025-11-25", "trước ngày 25.11"),
    ("hoàn thành trong quý I năm 2027", 2026, "2027-03-31", "trong quý I năm 2027"),
    ("hoàn thành chậm nhất trong quý IV", 2025, "2025-12-31", "chậm nhất trong quý IV"),
    ("thời hạn Quý III/2025", 2025, "2025-09-30", "Quý III/2025"),
    ("hoàn thành trước quý II năm 2026", 2026, "2026-03-31", "trước quý II năm 2026"),
    ("triển khai trong tháng 12", 2026, "2026-12-31", "trong tháng 12"),
    ("Thời gian hoàn thành trong tháng 3-2023.", 2023, "2023-03-31", "trong tháng 3-2023"),
    ("trình Chính phủ chậm nhất trong tháng 4-2023", 2023, "2023-04-30", "chậm nhất trong tháng 4-2023"),
    ("xóa vùng lõm sóng, hoàn thành trước tháng 12/2024", 2024, "2024-11-30", "trước tháng 12/2024"),
    ("Thời gian hoàn thành: năm 2026", 2026, "2026-12-31", "Thời gian hoàn thành: năm 2026"),
    ("Hoàn thành việc số hóa hồ sơ, năm 2026", 2026, "2026-12-31", "năm 2026"),
    ("hoàn thành chỉ tiêu đến hết ngày 30/6/2023 toàn tỉnh", 2023, "2023-06-30", "đến hết ngày 30/6/2023"),
])
def test_deadlines_in_every_form(words, year, day, quote):
    from reportgen.extract.dates import find_deadline

    found = find_deadline(words, 0, len(words), year)
    assert found is not None and found.date.isoformat() == day and words[found.start: found.end] == quote
    # what verify re-reads from the quote alone gives the same day
    again = find_deadline(quote, 0, len(quote), year)
    assert again is not None and again.date.isoformat() == day


@pytest.mark.parametrize("words", [
    "tính đến ngày 7/6 toàn tỉnh đã kích hoạt",      # the day a figure is counted to
    "để đảm bảo đến ngày 15-12-202",                 # a date cut off mid-number
    "kết quả quý III",                                # a period reported on
    "tăng so với năm 2026",                           # a comparison
    "Kế hoạch chuyển đổi số năm 2026",                # a plan's name
    "năm 2024",                                       # a year already past
    "năm 2026 là năm đầu thực hiện Nghị quyết",       # a year spoken of
    "Báo cáo số 26 ngày 28 tháng 4 năm 2026",         # the year of a date
])
def test_what_is_no_deadline(words):
    from reportgen.extract.dates import find_deadline

    assert find_deadline(words, 0, len(words), 2025) is None


# -- bridge points ------------------------------------------------------------------------

def test_a_provincial_papers_point_without_the_name_is_its_province(fb):
    b = bridge(fb, "t06_diem_cau_tinh.txt", "Lào Cai")
    assert b["chaired_by"]["name"] == "Trần Văn Bình và Chủ tịch UBND tỉnh Lê Thị Hoa"
    assert b["chaired_by"]["role"] == "Bí thư Tỉnh ủy"
    # "Dự tại điểm cầu tỉnh có các đồng chí: …" in the next paragraph says who attended
    assert b["attended"] == ["Phạm Quốc Hùng, Phó Chủ tịch UBND tỉnh", "lãnh đạo các sở, ngành"]


def test_bridge_points_named_after_their_seat_or_with_attendees_either_side(fb):
    doc = "t07_cac_diem_cau.txt"
    cao_bang = bridge(fb, doc, "Cao Bằng")
    assert cao_bang["chaired_by"] == {"name": "Vũ Văn Tú", "role": "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"}
    assert bridge(fb, doc, "Điện Biên")["attended"] == ["Chủ tịch UBND tỉnh Lê Văn Khải",
                                                        "Phó Chủ tịch UBND tỉnh Đỗ Thị Mai"]
    assert bridge(fb, doc, "Sơn La")["attended"][0] == "Hoàng Văn Đông – Chủ tịch UBND tỉnh"
    assert bridge(fb, doc, "Thái Nguyên")["chaired_by"] == {
        "name": "Trần Văn Lâm", "role": "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh"}    # "Tại điểm cầu … do đồng chí …"
    assert bridge(fb, doc, "Hà Tĩnh")["chaired_by"] == {"name": "Võ Văn Hải", "role": "Chủ tịch UBND tỉnh"}
    assert bridge(fb, doc, "Quảng Trị")["attended"] == ["đồng chí Lê Đức Tiến, Chủ tịch UBND tỉnh"]
    assert {b["province"] for b in fb["bridge_points"] if b["source"] == doc} == {
        "Cao Bằng", "Điện Biên", "Sơn La", "Thái Nguyên", "Hà Tĩnh", "Quảng Trị"}


def test_a_districts_point_is_its_provinces_with_the_chairs_titles(fb):
    b = bridge(fb, "t08_diem_cau_huyen.txt", "Lào Cai")
    assert b["chaired_by"]["name"] == "Đỗ Văn Nam"
    assert "Phó Chủ tịch UBND huyện" in b["chaired_by"]["role"]


# -- which province a document speaks for ---------------------------------------------------

def test_which_province_a_document_speaks_for(fb):
    docs = {d["id"]: d for d in fb["documents"]}
    assert docs["t05_ke_hoach_tinh.txt"]["province"] == "Lạng Sơn"    # "Lạng Sơn, ngày 05 tháng 3 năm 2026"
    assert docs["t04_cong_tinh.txt"]["province"] == "Lạng Sơn"         # langson.gov.vn
    assert docs["t06_diem_cau_tinh.txt"]["province"] == "Lào Cai"      # baolaocai.vn
    assert docs["t08_diem_cau_huyen.txt"]["province"] == "Lào Cai"     # bacha.laocai.gov.vn
    assert docs["t03_phien_hop.txt"]["province"] is None               # a national paper
    assert docs["t09_cong_dien.txt"]["province"] is None               # "Hà Nội, ngày …": the Government's
    plan = tasks(fb, "t05_ke_hoach_tinh.txt")
    assert plan and {t["scope"] for t in plan} == {"Lạng Sơn"}
    assert task(fb, "t05_ke_hoach_tinh.txt", "số hóa hồ sơ")["deadline"] == "2026-06-30"


@pytest.mark.parametrize("outlet, province", [
    ("https://nghean24h.vn/ban-chi-dao-hop-phien-thu-nhat.html", "Nghệ An"),
    ("https://truyenhinhthanhhoa.vn/thu-tuong-chu-tri-phien-hop.htm", "Thanh Hóa"),
    ("https://sct.dongnai.gov.vn/vi/news/chuyen-doi-so", "Đồng Nai"),
    ("Đài Phát thanh và Truyền hình Tuyên Quang", "Tuyên Quang"),
    ("https://thanhnien.vn/bo-cong-an-lam-viec-voi-quang-ngai.htm", None),     # only the host counts
    ("https://lite.baomoi.com/phien-hop-tai-son-la.epi", None),
    ("https://vietnamnet.vn/xay-dung-ho-so.html", None),
])
def test_the_province_of_an_outlet(outlet, province):
    from reportgen.provinces import province_of_outlet

    assert province_of_outlet(outlet) == province


# -- what reaches section 5 b) ---------------------------------------------------------------

def test_section_5b_takes_the_centres_tasks_and_nothing_else(office):
    import pdfplumber

    r = _cli(office, "build", "--province", "Quảng Ngãi", "--date", "2026-11-05", "--format", "pdf",
             "--out", str(office / "out"))
    assert r.returncode == 0, r.stdout + r.stderr
    with pdfplumber.open(next((office / "out").glob("*/thong-bao-*-2026-11-05.pdf"))) as doc:
        text = re.sub(r"\s+", " ", "\n".join(page.extract_text() or "" for page in doc.pages))
    part_b = _part(text, "b) Nhiệm vụ giao")
    # the Công điện's items, given to the province's bodies, each deadline once; its heading is no item
    assert "đối soát, làm sạch dữ liệu hộ tịch trên địa bàn; hoàn thành trước ngày 31/3/2027" in part_b
    assert "hoàn thành trước ngày 15/11/2026" in part_b and "quý I năm 2027" not in part_b
    assert "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương." not in part_b
    # the session's orders to the provinces
    assert "rà soát, chuẩn hóa toàn bộ dữ liệu đất đai" in part_b.lower()
    # nothing of who chaired or attended, nor a province's own plan or portal, nor the Ministry's own task
    for words in ("Cùng dự có", "chủ trì phiên họp", "Lạng Sơn", "số hóa hồ sơ thủ tục", "Hướng dẫn các địa phương",
                  "xây dựng kế hoạch của tỉnh"):
        assert words not in part_b, words

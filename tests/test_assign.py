"""The province's own assignments (issue 19, item 2): each national task the province acts on
becomes one piece of work for the province's bodies, with the body of the briefing's date.

The tasks are written here in the style of national conclusion notices and press reports
(not copied from any); the table is the project's own facts/assignments.yaml, except where a
test edits a copy of it."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from reportgen.briefing.assign import Assignment, assignments, load_table
from reportgen.errors import InputError
from reportgen.factbase import Target, Task

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "facts" / "assignments.yaml"


def task(tid: str, text: str, responsible: list[str], partners: list[str] = (), provinces: bool | None = None,
         deadline: str | None = None, deadline_quote: str | None = None, source: str = "notice.txt") -> Task:
    if provinces is None:
        provinces = any(p in ("provincial_chairs", "provincial_leaders", "ministries_and_localities", "localities",
                              "agencies_and_localities", "all_officials") for p in responsible)
    return Task(id=tid, text=text, responsible=list(responsible), partners=list(partners), provinces=provinces,
                deadline=deadline, deadline_quote=deadline_quote, stated="2025-05", source=source, quote=text)


def target(tid: str, metric: str, value: float, quote: str, deadline: str | None = "2026-12-31") -> Target:
    return Target(id=tid, metric=metric, value=value, unit="%", deadline=deadline, source="notice.txt", quote=quote,
                  current=True)


def by_id(items: list[Assignment]) -> dict[str, Assignment]:
    return {a.task_id: a for a in items}


def run(tasks, when=date(2025, 5, 20), unit="tỉnh", targets=(), **kw) -> dict[str, Assignment]:  # type: ignore[no-untyped-def]
    return by_id(assignments(tasks, list(targets), when, unit, **kw))


PROVINCE_TASK = task("t-prov", "Chủ tịch UBND các tỉnh, thành phố chỉ đạo rà soát, nâng cấp hạ tầng số tại các cơ quan "
                               "nhà nước các cấp", ["provincial_chairs"])


def test_a_task_only_for_ministries_is_left_out() -> None:
    ministry = task("t-min", "Giao Bộ Công an chủ trì, phối hợp với Bộ Tư pháp hoàn thiện quy trình cấp căn cước "
                             "trực tuyến cho người Việt Nam ở nước ngoài", ["mps"], ["moj"], provinces=False)
    ministers = task("t-ministers", "Bộ trưởng, Thủ trưởng cơ quan ngang bộ rà soát các văn bản hướng dẫn về "
                                    "chuyển đổi số thuộc phạm vi quản lý", ["ministers"], provinces=False)
    nobody = task("t-none", "100% cửa khẩu quốc tế ứng dụng công nghệ sinh trắc trong năm nay", [], provinces=False)
    out = run([ministry, ministers, nobody, PROVINCE_TASK])
    assert set(out) == {"t-prov"}
    # A ministry's task that names the provinces as partners is theirs too, led by the ministry's counterpart.
    shared = task("t-shared", "Bộ Công an chủ trì, phối hợp với UBND các tỉnh, thành phố làm sạch dữ liệu về cư trú",
                  ["mps"], ["provincial_leaders"], provinces=False)
    assert run([shared])["t-shared"].lead == "Công an tỉnh"


def test_a_target_stated_again_as_a_task_is_left_out() -> None:
    targets = [target("g1", "dossier_digitised_share", 90, "90% hồ sơ TTHC được số hóa"),
               target("g2", "adult_eid_share", 60, "60% người dân trưởng thành có tài khoản định danh điện tử")]
    repeat = task("t-rep", "Phấn đấu đến hết năm 2026, 90% hồ sơ thủ tục hành chính được số hóa, 60% người dân "
                           "trưởng thành có tài khoản định danh điện tử.", ["provincial_chairs"],
                  deadline="2026-12-31", deadline_quote="đến hết năm 2026")
    # The same figure inside real work is work: the province must do the first part.
    work = task("t-work", "Các bộ, ngành, địa phương bố trí máy quét tại bộ phận một cửa cấp xã, bảo đảm 90% hồ sơ "
                          "TTHC được số hóa", ["ministries_and_localities"])
    # The same words with another value are not that target.
    other = task("t-other", "Chủ tịch UBND cấp tỉnh chỉ đạo bảo đảm 75% hồ sơ TTHC được số hóa",
                 ["provincial_chairs"])
    out = run([repeat, work, other], targets=targets)
    assert set(out) == {"t-work", "t-other"}
    assert "t-rep" in run([repeat], targets=[])          # left out because of the targets, not its words


def test_population_data_and_project_06_are_led_by_the_provincial_police() -> None:
    t = task("t-06", "Yêu cầu Chủ tịch UBND các tỉnh, thành phố trực thuộc Trung ương chỉ đạo làm sạch dữ liệu dân "
                     "cư, đẩy mạnh kích hoạt tài khoản định danh điện tử phục vụ Đề án 06.", ["provincial_chairs"])
    a = run([t])["t-06"]
    assert a.lead == "Công an tỉnh"
    # the department leading it does what the chairman was told to direct
    assert a.work == "làm sạch dữ liệu dân cư, đẩy mạnh kích hoạt tài khoản định danh điện tử phục vụ Đề án 06"
    assert "Công an tỉnh" not in a.partners
    assert "các sở, ban, ngành tỉnh" in a.partners
    # Online public services: the People's Committee's office; land data: the department of that day.
    dvc = task("t-dvc", "Các địa phương cần nâng cao tỷ lệ hồ sơ dịch vụ công trực tuyến toàn trình", ["localities"])
    land = task("t-land", "Phối hợp với Bộ Tài nguyên và Môi trường số hóa dữ liệu đất đai trên địa bàn",
                ["provincial_chairs"], ["monre"])
    out = run([dvc, land], when=date(2025, 2, 10))
    assert out["t-dvc"].lead == "Văn phòng Ủy ban nhân dân tỉnh"
    assert out["t-land"].lead == "Sở Tài nguyên và Môi trường"
    assert out["t-land"].work == "số hóa dữ liệu đất đai trên địa bàn"
    assert run([land], when=date(2025, 3, 10))["t-land"].lead == "Sở Nông nghiệp và Môi trường"


@pytest.mark.parametrize("when, body", [(date(2025, 2, 27), "Sở Thông tin và Truyền thông"),
                                        (date(2025, 2, 28), "Sở Thông tin và Truyền thông"),
                                        (date(2025, 3, 1), "Sở Khoa học và Công nghệ"),
                                        (date(2025, 9, 15), "Sở Khoa học và Công nghệ")])
def test_the_ministry_of_information_answers_through_the_body_of_the_day(when: date, body: str) -> None:
    mic = task("t-mic", "Giao Bộ Thông tin và Truyền thông phối hợp với các địa phương hướng dẫn triển khai nền tảng "
                        "trợ lý ảo cho cán bộ", ["mic"], ["localities"], provinces=False)
    cds = task("t-cds", "Các bộ, ngành, địa phương đẩy mạnh chuyển đổi số trong các cơ quan nhà nước",
               ["ministries_and_localities"])
    out = run([mic, cds], when=when)
    assert out["t-mic"].lead == body and out["t-cds"].lead == body
    other = {"Sở Thông tin và Truyền thông", "Sở Khoa học và Công nghệ"} - {body}
    assert not other & set(out["t-mic"].partners + out["t-cds"].partners)


@pytest.mark.parametrize("when, unit, local, not_local", [
    (date(2025, 6, 30), "tỉnh", "Ủy ban nhân dân các huyện, thị xã, thành phố", "Ủy ban nhân dân các xã, phường"),
    (date(2025, 7, 1), "tỉnh", "Ủy ban nhân dân các xã, phường", "Ủy ban nhân dân các huyện, thị xã, thành phố"),
    (date(2025, 3, 10), "thành phố", "Ủy ban nhân dân các quận, huyện, thị xã", "Ủy ban nhân dân các xã, phường"),
    (date(2025, 8, 1), "thành phố", "Ủy ban nhân dân các xã, phường", "Ủy ban nhân dân các quận, huyện, thị xã"),
])
def test_districts_until_the_end_of_june_2025_then_communes(when: date, unit: str, local: str, not_local: str) -> None:
    t = task("t-local", "Các bộ, ngành, địa phương rà soát dữ liệu dân cư phục vụ cấp căn cước",
             ["ministries_and_localities"])
    a = run([t], when=when, unit=unit)["t-local"]
    assert local in a.partners and not_local not in a.partners
    assert a.lead == f"Công an {unit}"
    assert f"Văn phòng Ủy ban nhân dân {unit}" in a.partners
    # The caller may say the province has no districts (or still has them) on that day.
    flipped = run([t], when=when, unit=unit, districts=when > date(2025, 6, 30))["t-local"]
    assert local not in flipped.partners


def test_the_deadline_is_taken_out_of_the_words_and_given_once() -> None:
    dmy = task("t-dmy", "Phối hợp với Bộ Tư pháp, Bộ Công an số hóa dữ liệu hộ tịch còn lại trên địa bàn, hoàn thành "
                        "trước ngày 30/9/2025.", ["provincial_chairs"], ["moj", "mps"],
               deadline="2025-09-30", deadline_quote="trước ngày 30/9/2025")
    twice = task("t-twice", "Trong tháng 10 năm 2025, Chủ tịch UBND cấp tỉnh ban hành kế hoạch chuyển đổi số năm "
                            "2026 của địa phương, hoàn thành trong tháng 10 năm 2025", ["provincial_chairs"],
                 deadline="2025-10-31", deadline_quote="Trong tháng 10 năm 2025")
    report = task("t-report", "Đề nghị UBND các tỉnh, thành phố rà soát các hệ thống thông tin cấp tỉnh trong quý IV "
                              "năm 2025, báo cáo Thủ tướng Chính phủ trước ngày 15/01/2026",
                  ["provincial_leaders"], deadline="2025-12-31", deadline_quote="trong quý IV năm 2025")
    out = run([dmy, twice, report])
    a = out["t-dmy"]
    assert a.deadline == date(2025, 9, 30)
    assert a.work == "số hóa dữ liệu hộ tịch còn lại trên địa bàn"
    assert a.lead == "Sở Tư pháp" and a.partners[0] == "Công an tỉnh"
    b = out["t-twice"]
    assert b.deadline == date(2025, 10, 31)
    assert b.work == "tham mưu Ủy ban nhân dân tỉnh ban hành kế hoạch chuyển đổi số năm 2026 của địa phương"
    c = out["t-report"]
    assert c.work == "rà soát các hệ thống thông tin cấp tỉnh"
    assert (c.deadline, c.report_to, c.report_by) == (date(2025, 12, 31), "Ủy ban nhân dân tỉnh", date(2026, 1, 15))
    for x in out.values():
        assert not re.search(r"\d{1,2}/\d{1,2}/\d{4}|trước ngày|tháng 10 năm|quý IV|Thủ tướng", x.work), x.work
        assert not re.search(r"[.;,:]$", x.work) and x.work[0].islower()
    # Another day the words name stays in them: it is not the deadline.
    keep = task("t-keep", "Các địa phương duy trì số liệu tính đến ngày 31/12/2024 trên hệ thống báo cáo, hoàn thành "
                          "trước ngày 30/6/2025", ["localities"], deadline="2025-06-30")
    k = run([keep])["t-keep"]
    assert "31/12/2024" in k.work and "30/6/2025" not in k.work


def test_the_same_work_stated_twice_is_one_assignment() -> None:
    notice = task("t-a", "Chủ tịch UBND cấp tỉnh chỉ đạo 100% cơ quan nhà nước kết nối hệ thống quản lý văn bản với "
                         "trục liên thông quốc gia, hoàn thành trước ngày 31/8/2025", ["provincial_chairs"],
                  deadline="2025-08-31")
    press = task("t-b", "Thủ tướng yêu cầu các địa phương chỉ đạo 100% cơ quan nhà nước kết nối hệ thống quản lý văn "
                        "bản với trục liên thông quốc gia", ["localities"], source="press.txt")
    later = task("t-c", "Các địa phương chỉ đạo 100% cơ quan nhà nước kết nối hệ thống quản lý văn bản với trục "
                        "liên thông quốc gia trước ngày 31/12/2025", ["localities"], deadline="2025-12-31")
    out = assignments([notice, press, later], [], date(2025, 5, 20), "tỉnh")
    ids = [a.task_id for a in out]
    assert ids == ["t-a", "t-c"]                 # another day is another obligation
    assert out[0].merged == ("t-b",) and out[0].deadline == date(2025, 8, 31) and out[0].source == "notice.txt"


def test_the_project_table_names_every_body_on_every_day() -> None:
    table = load_table(TABLE)
    days = [date(2024, 12, 31), date(2025, 2, 28), date(2025, 3, 1), date(2025, 6, 30), date(2025, 7, 1),
            date(2026, 1, 1)]
    everyone = task("t-all", "Các bộ, ngành, địa phương thực hiện", ["ministries_and_localities"],
                    partners=[a.party for a in table.addressees if a.body])
    for when in days:
        for unit in ("tỉnh", "thành phố"):
            a = run([everyone], when=when, unit=unit, table=table)["t-all"]
            names = (a.lead,) + a.partners
            assert all("{" not in n for n in names)
            assert ("Sở Thông tin và Truyền thông" in names) == (when < date(2025, 3, 1))
            assert ("Sở Kế hoạch và Đầu tư" in names) == (when < date(2025, 3, 1))


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    path = tmp_path / "assignments.yaml"
    text = TABLE.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


@pytest.mark.parametrize("old, new, said", [
    ("    lead: justice\n", "    lead: justise\n", r"topic 2 \('hộ tịch'…\), lead: 'justise' is not a body"),
    ("{party: mps, body: police}", "{party: mps, body: polise}", r"addressee 'mps': 'polise' is not a body"),
    ("{name: Sở Thông tin và Truyền thông, until: 2025-02-28}", "{name: Sở Thông tin và Truyền thông, until: 2025-02-30}",
     r"field 'bodies\.0\.names\.0\.until': .*2025-02-30"),
    ("{name: Sở Khoa học và Công nghệ, from: 2025-03-01}", "{name: Sở Khoa học và Công nghệ, from: 2025-02-01}",
     r"body 'digital': the name 'Sở Khoa học và Công nghệ' and the name 'Sở Thông tin và Truyền thông'"),
    ("{party: moj, body: justice}", "{party: moj, whole: true, body: justice}", r"addressees\.\d+.*either 'body'"),
])
def test_a_bad_entry_is_an_input_error_naming_file_line_and_entry(tmp_path: Path, old: str, new: str, said: str) -> None:
    path = _edited(tmp_path, old, new)
    line = next(n for n, text in enumerate(path.read_text("utf-8").split("\n"), start=1) if new.strip() in text
                or new.split("\n")[0].strip() in text)
    with pytest.raises(InputError) as err:
        assignments([PROVINCE_TASK], [], date(2025, 5, 20), "tỉnh", table=path)
    message = err.value.message
    assert re.search(said, message), message
    assert f"{path}:{line}:" in message, message
    assert err.value.exit_code == 2


def test_a_body_without_a_name_on_the_day_is_an_input_error(tmp_path: Path) -> None:
    path = _edited(tmp_path, "      - {name: Sở Khoa học và Công nghệ, from: 2025-03-01}\n", "")
    assert run([PROVINCE_TASK], when=date(2025, 2, 1), table=path)["t-prov"].lead == "Sở Thông tin và Truyền thông"
    with pytest.raises(InputError, match=r"assignments\.yaml: body 'digital' has no name on 10/03/2025"):
        run([PROVINCE_TASK], when=date(2025, 3, 10), table=path)


def test_the_project_table_is_read_from_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "facts").mkdir()
    shutil.copy(TABLE, tmp_path / "facts" / "assignments.yaml")
    monkeypatch.setenv("REPORTGEN_HOME", str(tmp_path))
    assert run([PROVINCE_TASK])["t-prov"].lead == "Sở Khoa học và Công nghệ"
    own = (tmp_path / "facts" / "assignments.yaml")
    own.write_text(own.read_text("utf-8").replace("Sở Khoa học và Công nghệ", "Sở Khoa học Công nghệ và Đổi mới sáng tạo"),
                   "utf-8")
    assert run([PROVINCE_TASK])["t-prov"].lead == "Sở Khoa học Công nghệ và Đổi mới sáng tạo"     # the office's own words
    own.unlink()          # an office folder without a table of its own: the one shipped with reportgen
    from reportgen import paths

    assert paths.assignments_file() == TABLE.resolve()
    assert run([PROVINCE_TASK])["t-prov"].lead == "Sở Khoa học và Công nghệ"
    with pytest.raises(InputError, match="assignment table not found"):
        from reportgen.briefing.assign import load_table

        load_table(tmp_path / "facts" / "assignments.yaml")


# Through the real extraction: a notice in the style of a national conclusion notice (ours),
# `facts build` in a project of its own, then the assignments of its tasks.
NOTICE = """source: https://thongbao-mau.vn/ket-luan-phien-hop-chuyen-doi-so.htm
date: 2025-02-20
title: Kết luận của Thủ tướng tại phiên họp về chuyển đổi số

Ngày 20/02/2025, Thủ tướng Chính phủ chủ trì phiên họp về chuyển đổi số và Đề án 06.

Giao Bộ Công an chủ trì xây dựng quy trình kết nối dữ liệu cư trú với các hệ thống thông tin chuyên ngành, hoàn thành trong tháng 4 năm 2025.

Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương chỉ đạo số hóa dữ liệu hộ tịch còn lại trên địa bàn, hoàn thành trước ngày 31/5/2025.

Các bộ, ngành, địa phương đẩy mạnh chuyển đổi số trong xử lý công việc của cơ quan nhà nước.
"""


def test_tasks_extracted_by_facts_build_become_the_provinces_work(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from reportgen.factbase import load_factbase

    home = tmp_path / "office"
    (home / "seeds").mkdir(parents=True)
    (home / "facts").mkdir()
    (home / "seeds" / "ket_luan.txt").write_text(NOTICE, "utf-8")
    for name in ("catalogue.yaml", "corrections.yaml", "registry.yaml", "assignments.yaml"):
        shutil.copy(ROOT / "facts" / name, home / "facts" / name)
    env = dict(os.environ, REPORTGEN_HOME=str(home), SOURCE_DATE_EPOCH="1700000000")
    r = subprocess.run([sys.executable, "-m", "reportgen", "facts", "build"], cwd=home, env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    fb = load_factbase(home / "facts" / "factbase.yaml")
    assert any("Bộ Công an" in t.text for t in fb.tasks)       # extracted, then left out below
    out = assignments(fb.tasks, fb.targets, date(2025, 2, 25), "tỉnh", table=home / "facts" / "assignments.yaml")
    assert not any("cư trú" in a.work for a in out)
    civil = next(a for a in out if "hộ tịch" in a.work)
    assert civil.lead == "Sở Tư pháp" and civil.deadline == date(2025, 5, 31)
    assert civil.work == "số hóa dữ liệu hộ tịch còn lại trên địa bàn"
    digital = next(a for a in out if "chuyển đổi số" in a.work)
    assert digital.lead == "Sở Thông tin và Truyền thông"
    assert "Ủy ban nhân dân các huyện, thị xã, thành phố" in digital.partners


def test_every_heads_duty_has_no_single_lead_and_a_department_advises_on_what_the_committee_issues() -> None:
    """"Nêu gương đi đầu" is every head's duty, not one department's; a department cannot issue
    the province's plan (it advises the People's Committee to), nor direct others (it does it)."""
    example = task("t-ex", "Chủ tịch UBND các tỉnh, thành phố nêu gương đi đầu, tiên phong trong đổi mới tư duy về "
                           "chuyển đổi số.", ["provincial_chairs"])
    plan = task("t-plan", "Chủ tịch UBND cấp tỉnh khẩn trương ban hành Kế hoạch chuyển đổi số năm 2025 của địa "
                          "phương.", ["provincial_chairs"])
    direct = task("t-dir", "Chủ tịch UBND cấp tỉnh chỉ đạo và tổ chức thực hiện phân cấp, ủy quyền trong giải quyết "
                           "thủ tục hành chính.", ["provincial_chairs"])
    got = run([example, plan, direct])
    assert got["t-ex"].everyone and got["t-ex"].lead == "" and got["t-ex"].partners == ()
    assert got["t-ex"].work.startswith("nêu gương đi đầu")
    assert not got["t-plan"].everyone and got["t-plan"].lead == "Sở Khoa học và Công nghệ"
    assert got["t-plan"].work.startswith("khẩn trương tham mưu Ủy ban nhân dân tỉnh ban hành Kế hoạch")
    assert got["t-dir"].lead == "Văn phòng Ủy ban nhân dân tỉnh"
    assert got["t-dir"].work.startswith("tổ chức thực hiện phân cấp, ủy quyền")


def test_a_report_split_from_its_item_is_the_items_report() -> None:
    """"…; báo cáo kết quả về Văn phòng Chính phủ trước ngày 31/01/2026" extracted as a task of its
    own is the report of the item before it (to the province's committee, by that day), not lost."""
    item = task("t-a", "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương chỉ đạo bảo đảm hệ thống "
                       "giải quyết thủ tục hành chính hoạt động thông suốt", ["provincial_chairs"])
    report = task("t-b", "báo cáo kết quả về Văn phòng Chính phủ trước ngày 31/01/2026.", ["provincial_chairs"],
                  deadline="2026-01-31")
    got = assignments([item, report], [], date(2026, 1, 10), "tỉnh")
    assert len(got) == 1
    a = got[0]
    assert a.work.startswith("bảo đảm hệ thống giải quyết") and "trung ương" not in a.work
    assert a.report_to == "Ủy ban nhân dân tỉnh" and a.report_by == date(2026, 1, 31)


def test_the_local_level_is_named_as_the_unit_names_it() -> None:
    """A province with no thị xã (Kon Tum, March 2025): its own name for its district level
    replaces the table's generic "huyện, thị xã, thành phố" wherever the local level joins."""
    land = task("t-land", "Ủy ban nhân dân các tỉnh, thành phố số hóa dữ liệu đất đai trên địa bàn.", ["provincial_leaders"])
    generic = run([land], when=date(2025, 3, 10))["t-land"]
    assert "Ủy ban nhân dân các huyện, thị xã, thành phố" in generic.partners
    own = run([land], when=date(2025, 3, 10), local="Ủy ban nhân dân các huyện, thành phố")["t-land"]
    assert "Ủy ban nhân dân các huyện, thành phố" in own.partners
    assert not any("thị xã" in p for p in own.partners + (own.lead,))


def test_a_fee_is_proposed_to_the_peoples_council() -> None:
    """Fees and charges are the provincial People's Council's to decide (Luật Phí và lệ phí,
    Điều 21): the lead advises the committee to propose them, whatever else the item asks."""
    fee = task("t-fee", "Chủ tịch UBND các tỉnh, thành phố tổ chức thực hiện phân cấp trong giải quyết thủ tục hành "
                        "chính, áp dụng chính sách miễn, giảm lệ phí đối với hồ sơ nộp trực tuyến.", ["provincial_chairs"])
    a = run([fee], unit="thành phố")["t-fee"]
    assert ("tham mưu Ủy ban nhân dân thành phố trình Hội đồng nhân dân thành phố quyết định áp dụng chính sách "
            "miễn, giảm lệ phí đối với hồ sơ") in a.work
    assert a.work.startswith("tổ chức thực hiện phân cấp")


@pytest.mark.parametrize("when, own", [(date(2025, 3, 10), date(2025, 3, 25)),     # a Tuesday
                                       (date(2025, 3, 7), date(2025, 3, 24))])     # 22/3 a Saturday → Monday
def test_a_national_deadline_already_past_gets_the_provinces_own_day(when: date, own: date) -> None:
    plan = task("t-plan", "Chủ tịch UBND cấp tỉnh khẩn trương ban hành Kế hoạch chuyển đổi số năm 2025, hoàn thành "
                          "trước ngày 28/02/2025.", ["provincial_chairs"], deadline="2025-02-28")
    later = task("t-later", "Chủ tịch UBND cấp tỉnh số hóa dữ liệu hộ tịch, hoàn thành trước ngày 31/3/2025.",
                 ["provincial_chairs"], deadline="2025-03-31")
    got = run([plan, later], when=when)
    assert got["t-plan"].deadline == date(2025, 2, 28) and got["t-plan"].own_deadline == own
    assert got["t-later"].own_deadline is None                      # not yet due: the national day stands


def test_without_overdue_days_the_national_day_stands_alone(tmp_path: Path) -> None:
    table = tmp_path / "assignments.yaml"
    text = TABLE.read_text("utf-8")
    assert "\noverdue_days: 15" in text
    table.write_text(re.sub(r"\noverdue_days: 15[^\n]*", "", text), "utf-8")
    plan = task("t-plan", "Chủ tịch UBND cấp tỉnh ban hành Kế hoạch, hoàn thành trước ngày 28/02/2025.",
                ["provincial_chairs"], deadline="2025-02-28")
    got = run([plan], when=date(2025, 3, 10), table=table)
    assert got["t-plan"].own_deadline is None

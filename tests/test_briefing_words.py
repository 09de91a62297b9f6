"""Issue 19: a briefing the office sends as it comes out — wording, the appendix table, the
warning for a stale archive and the words living in the templates, measured from the files."""

from __future__ import annotations

import re
import shutil

import pytest

from briefing_files import docx_words, joined, pdf_words
from conftest import ROOT

MARCH = "2025-03-10"
LATE = "2026-12-05"       # 22 months after the last session in the committed seeds


def _text(path) -> str:
    return " ".join(pdf_words(path) if path.suffix == ".pdf" else docx_words(path))


@pytest.fixture(scope="module")
def late(tmp_path_factory):
    """Hà Nội, built long after the last session of the archive, numbered 5/TB-UBND."""
    from typer.testing import CliRunner

    from reportgen.cli import app

    out = tmp_path_factory.mktemp("late")
    r = CliRunner().invoke(app, ["build", "-p", "Hà Nội", "--date", LATE, "--out", str(out), "--number", "5/TB-UBND"])
    assert r.exit_code == 0, r.output
    folder = out / "ha-noi"
    return {"pdf": folder / f"thong-bao-ha-noi-{LATE}.pdf", "docx": folder / f"thong-bao-ha-noi-{LATE}.docx",
            "stderr": r.stderr, "stdout": r.stdout}


def test_numbers_below_ten_are_padded_as_decree_30_writes_them(late):
    for path in (late["pdf"], late["docx"]):
        text = _text(path)
        assert "Số: 05/TB-UBND" in text and "5/TB-UBND" not in text.replace("05/TB-UBND", "")
        assert "(Kèm theo Thông báo số 05/TB-UBND ngày 05 tháng 12 năm 2026 của Ủy ban nhân dân thành phố Hà Nội)" in text


def test_an_empty_number_is_refused(run, tmp_path):
    r = run("build", "-p", "Hà Nội", "--date", MARCH, "--out", tmp_path, "--number", "  ")
    assert r.exit_code == 2 and "--number" in r.stderr
    assert not any(tmp_path.iterdir())


def test_a_stale_archive_is_said_to_the_clerk_not_printed(late):
    """The latest session (06/02/2025) is 21 months before the briefing: the CLI warns; the
    briefing does not carry the warning; the expired targets are marked in 5 a)."""
    warning = re.sub(r"\s+", " ", late["stderr"])
    assert "Cảnh báo: phiên họp mới nhất" in warning and "06/02/2025" in warning and "21 tháng" in warning
    text = _text(late["pdf"])
    assert "Cảnh báo" not in text
    section_a = text.split("a) Mục tiêu", 1)[1].split("b) Nhiệm vụ", 1)[0]
    assert "đạt 50% năm 2025 (đã hết thời hạn)" in section_a
    assert "(đã hết thời hạn)" not in _text_of_march()


def _text_of_march() -> str:
    import tempfile

    from typer.testing import CliRunner

    from reportgen.cli import app

    with tempfile.TemporaryDirectory() as out:
        r = CliRunner().invoke(app, ["build", "-p", "Hà Nội", "--date", MARCH, "--out", out, "--format", "docx"])
        assert r.exit_code == 0, r.output
        assert "Cảnh báo" not in r.stderr            # a month after the session: no warning
        from pathlib import Path

        return _text(Path(out) / "ha-noi" / f"thong-bao-ha-noi-{MARCH}.docx")


def test_every_heads_own_duties_are_one_item_with_a_verb(late):
    text = _text(late["docx"])
    assert text.count("Yêu cầu Thủ trưởng các sở, ban, ngành thành phố, Chủ tịch Ủy ban nhân dân") == 1
    assert "nêu gương đi đầu" in text.split("Yêu cầu Thủ trưởng", 1)[1][:400]
    # the same bodies' tasks without a deadline are said once, each task after the colon
    assert text.count("Giao Văn phòng Ủy ban nhân dân thành phố chủ trì") == 1
    office = text.split("Giao Văn phòng Ủy ban nhân dân thành phố chủ trì", 1)[1][:700]
    assert ": chuyển trạng thái cung cấp dịch vụ công" in office and "; đẩy mạnh xóa bỏ" in office


def test_a_city_is_a_city_wherever_the_text_names_the_unit(late):
    text = _text(late["docx"])
    assert "tỉnh Hà Nội" not in text and "cho tỉnh" not in text and "của tỉnh" not in text
    assert "b) Nhiệm vụ giao các cơ quan, đơn vị của thành phố" in text and "Thường trực Thành ủy" in text


def test_abbreviations_are_spelled_out_at_first_use_outside_quotes(late):
    text = _text(late["docx"])
    body = text.split("Phụ lục MỘT SỐ", 1)[0].split("Nơi nhận:", 1)[0]
    for abbr, words in (("TTHC", "thủ tục hành chính"), ("GDP", "tổng sản phẩm trong nước")):
        uses = [m.start() for m in re.finditer(rf"(?<!\w){abbr}(?!\w)", body)]
        assert uses, abbr
        first = uses[0]
        assert body[:first].endswith(f"{words} ("), (abbr, body[first - 60:first + 10])
        assert body.count(f"{words} ({abbr})") == 1


def test_the_appendix_table_has_stt_unit_period_and_marks_old_figures(late):
    import docx

    d = docx.Document(str(late["docx"]))
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "STT")
    head = [c.text for c in table.rows[0].cells]
    assert head == ["STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả", "Thời điểm số liệu", "Nguồn"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert all(r[2] for r in rows)                                       # every row has its unit
    by_label = {r[1]: r for r in rows}
    share = by_label["Tỷ lệ truy cập nền tảng số “Make in Vietnam” so với nền tảng nước ngoài"]   # typographic quotes
    assert share[2] == "%" and share[3] == "25,25 (tăng 5,62 điểm phần trăm so với năm 2023)"
    revenue = by_label["Doanh thu thương mại điện tử bán lẻ"]
    assert revenue[2] == "tỷ USD" and revenue[3].startswith("25 (")      # the unit with its scale in its column
    assert share[4] == "năm 2024 (số liệu cũ)"                         # 2024 is more than a year before 12/2026
    assert all(not re.search(r"\[\d+\]|\.txt|tệp", r[5]) for r in rows)
    assert {r[5] for r in rows} >= {"Báo điện tử VnExpress"}           # an outlet by its name, not its address
    rank = next(r for r in rows if r[1].startswith("Xếp hạng Chính phủ điện tử"))
    assert rank[2] == "thứ hạng" and rank[3].startswith("71/193")          # not "thứ hạng | thứ 71/193"
    labels = [r[1] for r in rows]
    assert len(labels) == len(set(labels))                              # one row per metric


def test_a_phrase_changed_in_the_templates_changes_both_files(run, tmp_path):
    custom = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", custom)
    page = custom / "briefing.html.j2"
    old = "Phiên họp đánh giá kết quả chung của cả nước như sau:"
    new = "Kết quả chung của cả nước được Phiên họp ghi nhận như sau:"
    assert old in page.read_text("utf-8")
    page.write_text(page.read_text("utf-8").replace(old, new), "utf-8")
    glossary = custom / "glossary.yaml"
    glossary.write_text(glossary.read_text("utf-8") + "KGVX: khoa giáo - văn xã\n", "utf-8")
    r = run("build", "-p", "Quảng Ngãi", "--date", MARCH, "--out", tmp_path / "out", "--templates", custom)
    assert r.exit_code == 0, r.stderr
    folder = tmp_path / "out" / "quang-ngai"
    pdf, docx_ = (folder / f"thong-bao-quang-ngai-{MARCH}.{x}" for x in ("pdf", "docx"))
    for path in (pdf, docx_):
        text = _text(path)
        assert new in text and old not in text
    assert joined(pdf_words(pdf)).count(new.replace(" ", "")) == 1


def test_the_sent_copy_names_no_file_and_no_internal_description(late):
    for path in (late["pdf"], late["docx"]):
        text = _text(path)
        assert not re.search(r"\[\d+\]|\.txt\b|\b[0-9a-f]{16}\b|tệp |Nguồn số liệu|vnexpress\.net|"
                             r"Thực hiện: Bộ trưởng|Thời hạn: không nêu", text), path


def test_the_province_keeps_what_its_council_decides_and_its_own_example(late):
    """A fee is the People's Council's to decide (a department advises the committee to propose
    it); a national text's "như mô hình thành phố Hà Nội" is not said to Hà Nội itself; the last
    word of 5 b) gives the follow-up to the committee's office."""
    text = _text(late["docx"])
    # Hà Nội is the national text's model: it keeps doing it; the others propose it to their councils
    assert "tiếp tục áp dụng chính sách thu phí không đồng để thu hút người dân" in text
    assert "mô hình thành phố Hà Nội" not in text and "trình Hội đồng nhân dân thành phố" not in text
    b = text.split("b) Nhiệm vụ giao", 1)[1].split("Nơi nhận:", 1)[0]
    assert ("Giao Văn phòng Ủy ban nhân dân thành phố theo dõi, đôn đốc các cơ quan, đơn vị thực hiện các nhiệm vụ "
            "trên; tổng hợp, báo cáo Ủy ban nhân dân thành phố kết quả thực hiện.") in b


def test_other_provinces_keep_the_national_example() -> None:
    """The assignment rules, given the unit: the model named by the national text is kept for
    the others (who propose the fee to their council), dropped for itself (which keeps doing it)."""
    from datetime import date

    from reportgen.briefing.assign import assignments
    from reportgen.factbase import Task

    text = ("Chủ tịch UBND các tỉnh, thành phố tổ chức thực hiện phân cấp, áp dụng chính sách thu phí không đồng "
            "như mô hình thành phố Hà Nội đã triển khai.")
    task = Task(id="t-fee", text=text, responsible=["provincial_chairs"], partners=[], provinces=True, deadline=None,
                deadline_quote=None, stated="2025-02", source="notice.txt", quote=text)

    def work(kind: str, label: str) -> str:
        (a,) = assignments([task], [], date(2025, 3, 10), kind, label=label)
        return a.work

    assert work("tỉnh", "tỉnh Quảng Ngãi") == ("tổ chức thực hiện phân cấp, tham mưu Ủy ban nhân dân tỉnh trình Hội "
                                               "đồng nhân dân tỉnh quyết định áp dụng chính sách thu phí không đồng "
                                               "như mô hình thành phố Hà Nội đã triển khai")
    assert work("thành phố", "thành phố Hà Nội") == ("tổ chức thực hiện phân cấp, tiếp tục áp dụng chính sách thu "
                                                    "phí không đồng")


def test_the_recipients_name_the_bodies_given_work_outside_the_departments(late):
    """"Công an thành phố" coordinates tasks of 5 b): "Nơi nhận" names it beside "Các sở, ban,
    ngành", before the local level, in both files."""
    for path in (late["pdf"], late["docx"]):
        recipients = _text(path).split("Nơi nhận:", 1)[1].split("Lưu: VT", 1)[0]
        assert "Công an thành phố" in _text(path).split("b) Nhiệm vụ giao", 1)[1].split("Nơi nhận:", 1)[0]
        assert re.search(r"- Các sở, ban, ngành thành phố; - Công an thành phố; - UBND các", recipients), recipients


def test_the_source_column_names_the_session_when_the_outlet_is_unknown(late):
    """A press report of unknown outlet is cited by the session where the figure was given
    ("Phiên họp thứ 10"), not "Tin, bài về …"; the DOCX says nothing of the writer's internal template."""
    import zipfile

    import docx

    d = docx.Document(str(late["docx"]))
    table = next(t for t in d.tables if t.rows[0].cells[0].text == "STT")
    sources = [r.cells[5].text for r in table.rows[1:]]
    assert "Phiên họp thứ 10" in sources and not any("Tin, bài" in s for s in sources), set(sources)
    with zipfile.ZipFile(late["docx"]) as z:
        app, core = z.read("docProps/app.xml").decode(), z.read("docProps/core.xml").decode()
    assert "<Template>Normal.dotm</Template>" in app and "briefing-template" not in app
    assert "lastPrinted" not in core


def test_the_national_sections_say_they_are_the_sessions(late):
    """Sections 2–5 are the session's, for the whole country, and say so before the notice's
    words; the theme has its subject."""
    text = _text(late["pdf"])
    # the notice's own introduction ("Bên cạnh …, vẫn còn những hạn chế như:") takes the scope, not a second one
    assert "2. Tồn tại, hạn chế Đối với cả nước, bên cạnh những kết quả tích cực đạt được" in text
    assert "3. Bài học kinh nghiệm Phiên họp rút ra một số bài học kinh nghiệm chung của cả nước như sau:" in text
    assert ("4. Quan điểm chỉ đạo, điều hành Kết luận Phiên họp, Thủ tướng Chính phủ nêu rõ quan điểm chỉ đạo, "
            "điều hành chung của cả nước như sau:") in text
    assert "Phiên họp thống nhất chủ đề chuyển đổi số năm 2025 là" in text


def test_a_document_number_is_not_broken_and_every_day_is_said_once_in_its_form(late):
    """"56/" at a line's end and "TB-VPCP" on the next was a clerk's fix; a duty whose national
    day has passed reads "…, hoàn thành trước ngày X (thời hạn theo … là ngày Y)"; chart 2's days
    are the notice's, its caption names where the tasks come from."""
    import subprocess

    lines = subprocess.run(["pdftotext", "-layout", str(late["pdf"]), "-"], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert not [ln for ln in lines if re.search(r"\d/\s*$", ln)]
    text = _text(late["pdf"])
    assert re.search(r"giải quyết công việc, hoàn thành trước ngày 21/12/2026 \(thời hạn theo Thông báo số "
                     r"56/TB-VPCP là ngày 30/6/2025\)", text)
    assert "; thời hạn theo" not in text
    assert "so với ngày 05/12/2026 (nguồn: nhiệm vụ theo Thông báo số 56/TB-VPCP)" in text


def test_a_series_chart_draws_no_line_of_one_point():
    """One point beside lines of several reads as a rise or a fall between different measures
    ("đã cấp" 75,7 then "đã kích hoạt" 60): a series of one point is left out of the chart."""
    from pathlib import Path

    from reportgen.build import prepare
    from reportgen.request import make_request

    _, b = prepare(make_request("Quảng Ngãi", MARCH, Path("unused"), "pdf", None, None, None, None, None))
    series = [c for c in b.charts if c.kind == "series"]
    assert series
    for c in series:
        assert all(len(s["points"]) >= 2 for s in c.data["series"]), c.data
    assert not any("(VNeID) đã cấp" in s["label"] for c in series for s in c.data["series"])


def test_the_appendix_is_announced_by_what_it_holds_of_the_country(late):
    """Chart 2 holds the province's deadlines, not national figures: the first page counts the
    national charts only."""
    text = _text(late["pdf"])
    m = re.search(r"Số liệu của cả nước về (\d+) chỉ tiêu được tổng hợp tại Phụ lục kèm theo Thông báo này "
                  r"\((\d+) bảng số liệu, (\d+) biểu đồ\)", text)
    assert m, text[:3000]
    assert m.group(2) == "01" and m.group(3) == "01"
    assert "Biểu đồ 2: Thời hạn các nhiệm vụ giao các cơ quan, đơn vị của thành phố" in text


def test_the_scale_stands_in_the_unit_column_for_a_range_too():
    """The appendix takes the scale from the figure ("tỷ" for 25 × 10⁹) and writes every number
    of the row in it: a range "25 - 30" | "tỷ USD", not "25 tỷ - 30 tỷ" | "USD"."""
    from datetime import date

    from reportgen.briefing.appendix import results
    from reportgen.briefing.cite import Citations
    from reportgen.build import load_checked_facts

    checked = load_checked_facts(ROOT / "facts" / "factbase.yaml")
    docs = {d.id: d for d in checked.fb.documents}
    revenue = next(f for f in checked.fb.figures if f.metric == "ecommerce_retail_revenue" and not f.change)
    ranged = revenue.model_copy(update={"form": "range", "upper": revenue.value * 1.2})
    rows = results([(revenue, None), (ranged, None)], checked.catalogue, Citations(docs, checked.registry),
                   date(2025, 3, 10))
    assert [(r.value, r.unit) for r in rows] == [("25", "tỷ USD"), ("25 - 30", "tỷ USD")]

"""Events dated, numbered and chaired as a careful reader reads real documents (issue 18,
item 3), on texts written here in the style of real ones: conclusion notices of the
Government Office (also as a page copied with its line breaks), press reports of them,
national and provincial press reports of sessions.

The day an event was held comes from the text — a full date, a day and month with the year
of the document, words relative to the day it was published — never from the document's
own date (a notice's issue date, a page's publication date, a `date:` header line), a
deadline, or the date of another document or event the text names. Only two days that
documents state conflict; the same report as .txt, web page, Word file or PDF gives the
same document date and event."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import CATALOGUE, CORRECTIONS
from formats import to_docx, to_html, to_pdf

GSC = "government_steering_committee"
NC = "national_committee"
BODY = ("Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06")


def _build(folder: Path):  # type: ignore[no-untyped-def]
    from reportgen.build_facts import build
    from reportgen.catalogue import load_catalogue
    from reportgen.corrections import load_corrections

    return build(folder, load_catalogue(CATALOGUE), load_corrections(CORRECTIONS))


def _docs(tmp_path: Path, **texts: str):  # type: ignore[no-untyped-def]
    folder = tmp_path / "seeds"
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, "utf-8")
    fb = _build(folder)
    return fb, {Path(d.id).stem: d for d in fb.documents}


def _page(date: str, title: str, body: str, source: str = "baotinh.vn") -> str:
    """A page as the office stores it: source, date and title lines, a blank line, the text."""
    return f"source: {source}\ndate: {date}\ntitle: {title}\n\n{title}\n{body}\n"


# A provincial portal's report of a session: no year anywhere in its text, a deadline with a day.
REPORT = (f"Chiều 24/9, Thủ tướng Chính phủ Phạm Minh Chính, Trưởng {BODY} chủ trì Phiên họp lần thứ tư của Ban Chỉ "
          "đạo, kết nối trực tuyến với 34 tỉnh, thành phố. Tại điểm cầu tỉnh Hưng Yên, đồng chí Trần Văn Khải, Phó Chủ "
          "tịch UBND tỉnh chủ trì.\n"
          "Thủ tướng yêu cầu các bộ, ngành, địa phương hoàn thành làm sạch dữ liệu đất đai trước ngày 15/11 và báo cáo "
          "kết quả về Bộ Công an.\n")
REPORT_TITLE = "Hưng Yên dự Phiên họp lần thứ tư Ban Chỉ đạo của Chính phủ"


def test_the_header_date_is_the_documents_own_date_not_its_events(tmp_path):
    """A page published the day after the session: `date:` is when it was published; the
    day of the session is the text's "Chiều 24/9" in the page's year."""
    fb, docs = _docs(tmp_path, report=_page("2025-09-25", REPORT_TITLE, REPORT))
    d = docs["report"]
    assert (d.published, d.event_date, d.event_date_quote, d.event_year_inferred) == \
        ("2025-09-25", "2025-09-24", "Chiều 24/9", False)
    assert (d.session, d.body) == (4, GSC)
    assert [(e.date, e.number, e.body) for e in fb.events] == [("2025-09-24", 4, GSC)]


@pytest.mark.parametrize("fmt", ["txt", "html", "docx", "pdf"])
def test_the_publication_date_is_read_the_same_in_every_format(tmp_path, fmt):
    """The same report as a .txt with its header, a saved web page (article:published_time),
    a Word file (core properties) and a PDF (its information): the same document date and
    event — the year of "Chiều 24/9" comes from the document, not guessed."""
    folder = tmp_path / fmt
    folder.mkdir()
    if fmt == "txt":
        (folder / "bao-cao.txt").write_text(_page("2025-09-24", REPORT_TITLE, REPORT), "utf-8")
    elif fmt == "html":
        (folder / "bao-cao.html").write_text(to_html(REPORT_TITLE + "\n" + REPORT, title=REPORT_TITLE,
                                                     published="2025-09-24"), "utf-8")
    elif fmt == "docx":
        to_docx(REPORT_TITLE + "\n" + REPORT, folder / "bao-cao.docx", created="2025-09-24")
    else:
        to_pdf(REPORT_TITLE + "\n" + REPORT, folder / "bao-cao.pdf", created="2025-09-24", centred=1)
    fb = _build(folder)
    (d,) = fb.documents
    assert (d.published, d.event_date, d.event_year_inferred, d.session, d.body) == \
        ("2025-09-24", "2025-09-24", False, 4, GSC), fmt
    assert [(e.date, e.number, e.body, e.chair.name) for e in fb.events] == \
        [("2025-09-24", 4, GSC, "Phạm Minh Chính")], fmt


def test_a_template_date_in_a_word_file_is_not_when_it_was_written(tmp_path):
    """python-docx's template says 2013-12-23: under a text about 2025 it is not the
    publication date, and the session's year is the text's (a guess, marked so)."""
    text = REPORT_TITLE + "\n" + REPORT + "Năm 2025, tỉnh phấn đấu hoàn thành các chỉ tiêu chuyển đổi số.\n"
    to_docx(text, tmp_path / "bao-cao.docx")
    (d,) = _build(tmp_path).documents
    assert d.published is None
    assert (d.event_date, d.event_year_inferred) == ("2025-09-24", True)


def test_a_template_date_before_the_day_the_report_opens_on_is_not_its_date(tmp_path):
    """The same family, the year only in the full day a sentence opens on ("Sáng 3/9/2025,
    Thủ tướng … chủ trì …"): a report is written after what it reports, so 2013 is not its date."""
    text = ("Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số\nSáng 3/9/2025, Thủ tướng Chính phủ chủ trì phiên họp "
            "thứ 12 của Ủy ban Quốc gia về chuyển đổi số. Cả nước đã lắp đặt 1.250 trạm sạc xe điện công cộng.\n")
    to_docx(text, tmp_path / "bao-cao.docx")
    (d,) = _build(tmp_path).documents
    assert d.published is None and d.event_date == "2025-09-03"


# A conclusion notice of the Government Office, in the form of 552/TB-VPCP or 624/TB-VPCP.
NOTICE = f"""VĂN PHÒNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 531/TB-VPCP
Hà Nội, ngày 09 tháng 10 năm 2025

THÔNG BÁO
Kết luận của Thủ tướng Chính phủ Phạm Minh Chính tại Phiên họp lần thứ tư của {BODY}

Ngày 24 tháng 9 năm 2025, tại Trụ sở Chính phủ, Thủ tướng Chính phủ Phạm Minh Chính, Trưởng Ban Chỉ đạo đã chủ trì Phiên họp lần thứ tư của Ban Chỉ đạo, trực tuyến với các bộ, ngành và 34 tỉnh, thành phố. Sau khi nghe báo cáo, Thủ tướng Chính phủ kết luận như sau:
1. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương hoàn thành số hóa hồ sơ đất đai trước ngày 31 tháng 12 năm 2025.
Văn phòng Chính phủ thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./.
"""

# The same notice as a legal-documents site copies it: lines broken inside sentences, the
# place and date of issue split over two lines.
NOTICE_WRAPPED = f"""VĂN PHÒNG
CHÍNH PHỦ
-------
|
CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
|
Số: 531/TB-VPCP
|
Hà Nội, ngày
09 tháng 10 năm 2025
|
THÔNG BÁO
KẾT LUẬN PHIÊN HỌP LẦN THỨ TƯ CỦA BAN CHỈ ĐẠO CỦA CHÍNH PHỦ VỀ PHÁT TRIỂN KHOA HỌC,
CÔNG NGHỆ, ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI SỐ VÀ ĐỀ ÁN 06
Ngày 24 tháng 9 năm 2025, tại
trụ sở Chính phủ, Thủ tướng Chính phủ Phạm Minh Chính, Trưởng Ban Chỉ đạo của Chính phủ
về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06 đã chủ trì
Phiên họp lần thứ tư của Ban Chỉ đạo. Tham dự Phiên họp có Phó Thủ tướng Chính phủ
Nguyễn Chí Dũng.
Sau khi nghe báo cáo, Thủ tướng Chính phủ kết luận như sau:
1. Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương hoàn thành số hóa hồ sơ
đất đai trước ngày 31 tháng 12 năm 2025.
Văn phòng Chính phủ thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./.
"""


@pytest.mark.parametrize("text", [NOTICE, NOTICE_WRAPPED], ids=["notice", "copied-with-line-breaks"])
def test_a_conclusion_notice_dates_the_session_not_its_issue(tmp_path, text):
    """Issued 09/10 (its dateline, and its `date:` header), the session held 24/9: one event
    with the press report of the session, on the day the notice states."""
    fb, docs = _docs(tmp_path, notice=_page("2025-10-09", "Thông báo 531/TB-VPCP", text, "thuvienphapluat.vn"),
                     report=_page("2025-09-24", REPORT_TITLE, REPORT))
    n = docs["notice"]
    assert (n.kind, n.issued, n.event_date, n.session, n.body) == ("notice", "2025-10-09", "2025-09-24", 4, GSC)
    assert [(e.date, e.number, e.body, e.chair.name, sorted(e.sources)) for e in fb.events] == \
        [("2025-09-24", 4, GSC, "Phạm Minh Chính", ["notice.txt", "report.txt"])]


PRESS_OF_NOTICE = (f"Văn phòng Chính phủ vừa ban hành Thông báo số 531/TB-VPCP ngày 9/10/2025 kết luận Phiên họp lần thứ "
                   f"tư của {BODY}.\n"
                   "Theo đó, Thủ tướng yêu cầu các địa phương hoàn thành số hóa hồ sơ đất đai trước ngày 31/12/2025.\n")
ISSUED_THAT_DAY = (f"Ngày 09/10/2025, Văn phòng Chính phủ có Thông báo số 531/TB-VPCP kết luận Phiên họp lần thứ tư của "
                   f"{BODY}.\n"
                   "Thủ tướng yêu cầu các địa phương hoàn thành số hóa hồ sơ đất đai trước ngày 31/12/2025.\n")


@pytest.mark.parametrize("text", [PRESS_OF_NOTICE, ISSUED_THAT_DAY], ids=["notice-number-date", "issued-that-day"])
def test_the_date_of_a_document_the_text_names_is_not_the_sessions(tmp_path, text):
    """"Thông báo số 531/TB-VPCP ngày 9/10/2025 kết luận Phiên họp lần thứ tư" and "Ngày
    09/10/2025, Văn phòng Chính phủ có Thông báo …": the notice's day. The report states no
    day of the session and joins the event of its body and number, on the day another
    report states — no conflict."""
    fb, docs = _docs(tmp_path, press=_page("2025-10-10", "Kết luận Phiên họp lần thứ tư", text),
                     report=_page("2025-09-24", REPORT_TITLE, REPORT))
    assert docs["press"].event_date is None and docs["press"].session == 4
    assert [(e.date, e.number, sorted(e.sources)) for e in fb.events] == \
        [("2025-09-24", 4, ["press.txt", "report.txt"])]


@pytest.mark.parametrize("published, sentence, day", [
    ("2025-09-24", f"Chiều 24/9, {BODY} tổ chức Phiên họp thứ 4. Thủ tướng Phạm Minh Chính chủ trì.", "2025-09-24"),
    ("2022-08-09", "Sáng 8-8, Thủ tướng Phạm Minh Chính, Chủ tịch Ủy ban Quốc gia về chuyển đổi số chủ trì phiên họp "
                   "lần thứ ba của Ủy ban.", "2022-08-08"),
    ("2022-01-19", "BHG - Chiều 18.1, Chính phủ tổ chức hội nghị trực tuyến triển khai Đề án 06. Thủ tướng Phạm Minh "
                   "Chính, Chủ tịch Ủy ban Quốc gia về chuyển đổi số chủ trì hội nghị.", "2022-01-18"),
    ("2026-02-26", f"Thủ tướng Phạm Minh Chính chủ trì phiên họp sáng 25.2 của {BODY}.", "2026-02-25"),
    ("2025-09-25", f"Thủ tướng Phạm Minh Chính nêu yêu cầu này khi phát biểu kết luận phiên họp thứ 4 {BODY}, chiều 24/9.",
     "2025-09-24"),
    ("2025-11-19", f"Trong kết luận phiên họp thứ 5 ngày 15/11 vừa được Văn phòng Chính phủ thông báo, {BODY} đã giao "
                   "nhiều nhiệm vụ cho các bộ, ngành.", "2025-11-15"),
    ("2026-01-02", "Chiều 30/12, Thủ tướng Phạm Minh Chính, Chủ tịch Ủy ban Quốc gia về chuyển đổi số chủ trì phiên "
                   "họp tổng kết năm.", "2025-12-30"),
    ("2025-09-24", f"Sáng nay, Thủ tướng Phạm Minh Chính chủ trì Phiên họp lần thứ tư của {BODY}.", "2025-09-24"),
    ("2025-09-25", f"Chiều qua, Thủ tướng Phạm Minh Chính chủ trì Phiên họp lần thứ tư của {BODY}.", "2025-09-24"),
    ("2024-10-12", "Sáng nay (12/10), Thủ tướng Phạm Minh Chính, Chủ tịch Ủy ban Quốc gia về chuyển đổi số, chủ trì "
                   "chương trình chào mừng Ngày Chuyển đổi số quốc gia.", "2024-10-12"),
    ("2023-02-26", "Hội nghị trực tuyến toàn quốc về chuyển đổi số đã được tổ chức vào lúc 08h00 ngày 25/02/2023 dưới "
                   "sự chủ trì của Thủ tướng Phạm Minh Chính, Chủ tịch Ủy ban Quốc gia về chuyển đổi số.", "2023-02-25"),
    ("2025-07-01", "Văn phòng Chính phủ vừa có Thông báo số 329/TB-VPCP kết luận của Phó Thủ tướng Nguyễn Chí Dũng tại "
                   "cuộc họp ngày 27/6/2025 về chuyển đổi số, bảo đảm thông suốt từ ngày 01/7/2025.", "2025-06-27"),
])
def test_the_day_as_the_text_states_it(tmp_path, published, sentence, day):
    """Day and month with the page's year (the nearest: "Chiều 30/12" on a page of 2 January
    is last year's), dotted and dashed days, a date that closes the sentence or follows the
    meeting's name, "Sáng nay"/"Chiều qua" from the publication day, the meeting's day in
    a notice's summary — never a deadline or a starting day."""
    _, docs = _docs(tmp_path, one=_page(published, "Tin chuyển đổi số", sentence))
    assert docs["one"].event_date == day


@pytest.mark.parametrize("sentence", [
    f"Thủ tướng Phạm Minh Chính chủ trì Phiên họp lần thứ tư của {BODY}. Các bộ hoàn thành trước ngày 15/11/2025 việc "
    "làm sạch dữ liệu; thực hiện từ ngày 01/7/2025.",
    f"Tham dự tại điểm cầu tỉnh có lãnh đạo các sở. Từ sau Phiên họp tổng kết hoạt động Ủy ban Quốc gia về chuyển đổi số "
    f"(ngày 06/02/2025) đến nay, các bộ đã triển khai nhiều nhiệm vụ. {BODY} họp phiên thứ nhất.",
    f"Theo báo cáo tại phiên họp, sau Hội nghị quán triệt Nghị quyết 57 do Ban Bí thư tổ chức vào ngày 13/01/2025, các "
    f"bộ đã vào cuộc. Thủ tướng Phạm Minh Chính chủ trì Phiên họp lần thứ nhất của {BODY}.",
    f"Tại Phiên họp lần thứ ba ngày 20/7/2025, Thủ tướng đã giao nhiệm vụ. Thủ tướng Phạm Minh Chính chủ trì Phiên họp "
    f"lần thứ tư của {BODY}.",
])
def test_deadlines_and_other_events_are_not_the_sessions_day(tmp_path, sentence):
    """A deadline, a starting day, an earlier session or conference the text looks back to,
    another session by its number: none of them is the day of the session reported, which
    the text does not state."""
    fb, docs = _docs(tmp_path, one=_page("2025-09-25", "Tin chuyển đổi số", sentence))
    assert docs["one"].event_date is None
    assert docs["one"].body == GSC


def test_only_stated_days_conflict(tmp_path, run):
    """A report that names no year and has no date of its own guesses it (2024, the latest
    it names): it joins the session its body and number name, on the day the other report
    states. Two reports that state two days for one session refuse the build, naming both."""
    guessed = ("Chiều 24/9, Thủ tướng Phạm Minh Chính chủ trì Phiên họp lần thứ tư của " + BODY + ". Năm 2024, cả nước "
               "đã cấp 80 triệu tài khoản định danh điện tử.\n")
    fb, docs = _docs(tmp_path, guessed=guessed, report=_page("2025-09-24", REPORT_TITLE, REPORT))
    assert (docs["guessed"].event_date, docs["guessed"].event_year_inferred) == ("2024-09-24", True)
    assert [(e.date, e.number, sorted(e.sources)) for e in fb.events] == \
        [("2025-09-24", 4, ["guessed.txt", "report.txt"])]
    seeds = tmp_path / "seeds"
    (seeds / "guessed.txt").unlink()
    (seeds / "other.txt").write_text(_page("2025-09-26", "Phiên họp lần thứ tư", "Chiều 25/9, Thủ tướng Phạm Minh "
                                           f"Chính chủ trì Phiên họp lần thứ tư của {BODY}."), "utf-8")
    r = run("facts", "build", "--seeds", seeds, "--out", tmp_path / "fb.yaml")
    assert r.exit_code == 2, r.output
    assert "two dates for session 4" in r.output and "'Chiều 25/9'" in r.output and "'Chiều 24/9'" in r.output
    assert not (tmp_path / "fb.yaml").exists()


def test_an_event_no_document_dates_joins_its_body_and_number(tmp_path):
    """A portal's article that states neither the day nor the number in its text ("họp phiên
    thứ nhất" only in its headline) joins the session of its body and number; alone, its
    event is put on the day it was published, which no document states."""
    undated = ("Tham dự tại điểm cầu Nghệ An có các đồng chí lãnh đạo tỉnh. Theo báo cáo tại phiên họp, các bộ đã tích "
               "hợp 58/76 thủ tục hành chính thiết yếu.")
    title = f"{BODY} họp phiên thứ nhất"
    dated = f"Sáng 18/3, Thủ tướng Phạm Minh Chính chủ trì Phiên họp lần thứ nhất của {BODY}."
    fb, docs = _docs(tmp_path, undated=_page("2025-03-19", title, undated),
                     dated=_page("2025-03-18", "Phiên họp thứ nhất", dated))
    assert (docs["undated"].event_date, docs["undated"].session, docs["undated"].body) == (None, 1, GSC)
    assert [(e.date, e.number, sorted(e.sources)) for e in fb.events] == [("2025-03-18", 1, ["dated.txt", "undated.txt"])]
    (tmp_path / "seeds" / "dated.txt").unlink()
    fb = _build(tmp_path / "seeds")
    assert [(e.date, e.number) for e in fb.events] == [("2025-03-19", 1)]
    assert fb.documents[0].event_date is None


@pytest.mark.parametrize("sentence, body", [
    ("Kết luận phiên họp sáng 25.2, Thủ tướng Phạm Minh Chính, Trưởng ban Chỉ đạo, biểu dương các bộ, ngành.", GSC),
    ("Sáng 19/7, Thủ tướng Phạm Minh Chính, Chủ tịch Ủy ban Quốc gia về chuyển đổi số chủ trì Hội nghị Thường trực "
     "Chính phủ với các Bộ trưởng về chuyển đổi số.", NC),
    ("Sáng 15.11, Thủ tướng Phạm Minh Chính đã chủ trì cuộc họp của Ban chỉ đạo Chính phủ về phát triển khoa học - "
     "công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06.", GSC),
    ("Ngày 21/3, Ban Chỉ đạo An ninh mạng quốc gia tổ chức Phiên họp lần thứ I năm 2026. Thủ tướng Phạm Minh Chính, "
     "Trưởng Ban Chỉ đạo, chủ trì phiên họp.", None),
])
def test_the_body_in_the_forms_the_press_uses(tmp_path, sentence, body):
    """"Trưởng ban Chỉ đạo" beside the Prime Minister's title where no body is named in full;
    the body whose chair chairs ("Chủ tịch Ủy ban Quốc gia về chuyển đổi số chủ trì Hội
    nghị"); a hyphenated full name; not a short name when the text names another body."""
    _, docs = _docs(tmp_path, one=_page("2026-03-22", "Tin chuyển đổi số", sentence))
    assert docs["one"].body == body


@pytest.mark.parametrize("sentence, chair", [
    ("Phát biểu khai mạc phiên họp thứ ba của Ủy ban Quốc gia về chuyển đổi số, Thủ tướng Phạm Minh Chính chỉ rõ "
     "chuyển đổi số là xu thế tất yếu.", "Phạm Minh Chính"),
    (f"Nhiệm vụ này được Thủ tướng Phạm Minh Chính đặt ra khi phát biểu kết luận phiên họp thứ 4 {BODY}, chiều 24/9.",
     "Phạm Minh Chính"),
    ("Văn phòng Chính phủ vừa có Thông báo số 329/TB-VPCP kết luận của Phó Thủ tướng Nguyễn Chí Dũng tại cuộc họp "
     "ngày 27/6/2025 về chuyển đổi số.", "Nguyễn Chí Dũng"),
    ("Sáng nay 25/2, Hội nghị trực tuyến toàn quốc về chuyển đổi số diễn ra dưới sự chủ trì của Thủ tướng Phạm Minh "
     "Chính; Bộ trưởng Bộ Công an Lương Tam Quang đồng chủ trì hội nghị.", "Phạm Minh Chính"),
    (f"Chiều 24/9, Thủ tướng Phạm Minh Chính chủ trì Phiên họp lần thứ tư của {BODY}. Thủ tướng giao Bộ trưởng "
     "Nguyễn Văn Hùng chủ trì, phối hợp với các bộ.", "Phạm Minh Chính"),
])
def test_who_chaired(tmp_path, sentence, chair):
    """Who chairs, opens or concludes the session; not a co-chair, nor the ministry a task is
    given to ("chủ trì, phối hợp"), nor an office ("Văn phòng Chính phủ" is not a name)."""
    fb, _ = _docs(tmp_path, one=_page("2025-09-25", "Tin chuyển đổi số", sentence))
    (event,) = fb.events
    assert event.chair is not None and event.chair.name == chair


@pytest.mark.parametrize("words, number", [("Phiên họp trực tuyến lần thứ nhất", 1), ("Phiên họp lần thứ IV", 4),
                                           ("Phiên họp thứ mười", 10), ("phiên họp lần thứ 2", 2)])
def test_session_numbers_as_written(tmp_path, words, number):
    sentence = f"Ngày 18-3, Thủ tướng Phạm Minh Chính, Trưởng {BODY} chủ trì {words} của Ban Chỉ đạo."
    _, docs = _docs(tmp_path, one=_page("2025-03-18", "Tin chuyển đổi số", sentence))
    assert (docs["one"].session, docs["one"].event_date) == (number, "2025-03-18")


def test_a_number_counted_in_a_year_is_another_session(tmp_path):
    """"Phiên họp lần thứ nhất năm 2026" (the numbers start again each year) is not the
    first session of 2025: two events, no conflict; a report of the same day that leaves
    the year out joins it."""
    first = f"Sáng 18/3, Thủ tướng Phạm Minh Chính chủ trì Phiên họp lần thứ nhất của {BODY}."
    again = f"Chiều 25/2, Thủ tướng Phạm Minh Chính chủ trì phiên họp lần thứ nhất năm 2026 của {BODY}."
    same_day = f"Chiều 25/2, Thủ tướng Phạm Minh Chính chủ trì phiên họp thứ nhất của {BODY}."
    fb, docs = _docs(tmp_path, first=_page("2025-03-18", "Phiên họp thứ nhất", first),
                     again=_page("2026-02-25", "Phiên họp thứ nhất năm 2026", again),
                     same_day=_page("2026-02-26", "Phiên họp", same_day))
    assert docs["again"].session == 1 and docs["again"].session_quote.endswith("thứ nhất năm 2026")
    assert [(e.date, e.number, sorted(e.sources)) for e in fb.events] == \
        [("2025-03-18", 1, ["first.txt"]), ("2026-02-25", 1, ["again.txt", "same_day.txt"])]
    from reportgen.catalogue import load_catalogue
    from reportgen.verify import verify

    report = verify(fb, load_catalogue(CATALOGUE), tmp_path / "seeds", None, derived=fb)
    assert report.conflicts == [] and report.errors == []


def test_a_briefing_reports_a_session_not_a_ceremony_nor_a_meeting_of_no_body(tmp_path):
    """Between a session and the briefing's date, the Digital Transformation Day's ceremony
    (an event the registry does not brief on) and a Deputy Prime Minister's meeting of no
    registry body are events of the fact base, but the briefing still reports the session."""
    from reportgen import paths
    from reportgen.briefing.compose import compose_national
    from reportgen.catalogue import load_catalogue
    from reportgen.registry import load_registry

    ceremony = ("Sáng nay (10/10), Thủ tướng Phạm Minh Chính, Chủ tịch Ủy ban Quốc gia về chuyển đổi số, chủ trì chương "
                "trình chào mừng Ngày Chuyển đổi số quốc gia.")
    meeting = ("Văn phòng Chính phủ vừa có Thông báo số 529/TB-VPCP kết luận của Phó Thủ tướng Nguyễn Chí Dũng tại "
               "cuộc họp ngày 30/9/2025 về dữ liệu đất đai.")
    fb, _ = _docs(tmp_path, report=_page("2025-09-24", REPORT_TITLE, REPORT),
                  ceremony=_page("2025-10-10", "Ngày Chuyển đổi số quốc gia", ceremony),
                  meeting=_page("2025-10-02", "Kết luận cuộc họp", meeting))
    assert {(e.date, e.kind, e.body) for e in fb.events} == {("2025-09-24", "session", GSC),
                                                             ("2025-10-10", "national_day", NC),
                                                             ("2025-09-30", "session", None)}
    national = compose_national(fb, load_catalogue(CATALOGUE), load_registry(paths.registry_file()),
                                __import__("datetime").date(2025, 10, 15))
    assert national.session.day.isoformat() == "2025-09-24" and "Phiên họp lần thứ 4" in national.session.meeting


def test_review_lists_an_event_no_document_dates(tmp_path):
    """An event dated only by when its report was published is put before a reviewer."""
    from reportgen import paths
    from reportgen.catalogue import load_catalogue
    from reportgen.registry import load_registry
    from reportgen.review import review

    undated = f"Theo báo cáo tại phiên họp lần thứ nhất của {BODY}, các bộ đã tích hợp 58/76 thủ tục hành chính."
    fb, _ = _docs(tmp_path, undated=_page("2025-03-19", "Tin chuyển đổi số", undated))
    items = [i for i in review(fb, load_catalogue(CATALOGUE), load_registry(paths.registry_file()), tmp_path / "seeds")
             if i.what == "date"]
    assert len(items) == 1 and "no document states the day it was held (2025-03-19 is when its reports were published)" in str(items[0].message)


_TIMED = """
import resource, sys
from pathlib import Path
from reportgen import paths
from reportgen.catalogue import load_catalogue
from reportgen.extract.context import read_context
from reportgen.extract.events import read_events
from reportgen.registry import load_registry
from reportgen.sources import load_document
catalogue, registry = load_catalogue(paths.catalogue_file()), load_registry(paths.registry_file())

def cpu():
    return sum(r.ru_utime + r.ru_stime for r in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))

for name in sys.argv[1:]:
    start = cpu()
    doc = load_document(Path(name), registry)
    session, _ = read_events(read_context(doc, catalogue))
    print(cpu() - start, doc.event_date, session.chair)
"""


def _undatable(kind: str, n: int) -> str:
    head = f"Phiên họp lần thứ tư {BODY}\n"
    if kind == "dates in one line":     # none the session's: deadlines, starting days, a notice's date
        return head + "Các mốc: " + ", ".join(f"trước ngày {i % 28 + 1}/{i % 12 + 1}/2025, từ ngày {i % 27 + 1}/3, "
                                              f"Thông báo số {i + 1}/TB-VPCP ngày {i % 26 + 1}/4/2025"
                                              for i in range(n)) + "\n"
    if kind == "lines that go on":       # a copied page: every line goes on on the next, no chair named
        return head + "\n".join(f"các sở, ngành {i} chủ trì phiên họp chuyên đề và báo cáo kết quả thực hiện cho"
                                for i in range(n)) + "\n"
    raise AssertionError(kind)


@pytest.mark.parametrize("kind, n", [("dates in one line", 1500), ("lines that go on", 1500)])
def test_reading_the_sessions_day_and_chair_is_linear(tmp_path, kind, n):
    """Every date is judged by a bounded window around it, and a line is joined to the lines
    it goes on to within a bounded reach: four times the dates or lines take about four times
    as long (CPU time, so a busy machine does not change the ratio)."""
    import subprocess
    import sys

    from conftest import ROOT

    files = []
    for size in (n, 4 * n):
        files.append(tmp_path / f"{size}.txt")
        files[-1].write_text(_undatable(kind, size), "utf-8")
    r = subprocess.run([sys.executable, "-c", _TIMED, *map(str, files + files)], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    rows = [line.split(" ", 2) for line in r.stdout.split("\n") if line.strip()]
    assert all(row[1:] == ["None", "None"] for row in rows), rows      # nothing dates it, no one chaired
    small, large = (min(float(rows[i][0]), float(rows[i + 2][0])) for i in (0, 1))
    assert large / max(0.01, small) < 8, f"{kind}: {n} took {small:.2f} s, {4 * n} took {large:.2f} s"

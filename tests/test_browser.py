"""reportgen serve in a real browser (issue 13): Debian's Chromium driven by Playwright.
A clerk builds a briefing and downloads the PDF, adds a document and sees its facts,
a reviewer places an unclassified figure, two reviewers save at once. Screenshots of
each page are written to the test's folder (REPORTGEN_SCREENSHOTS=DIR keeps them)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml

from briefing_files import joined, pdf_words
from conftest import ROOT
from test_web import _server

CHROMIUM = "/usr/bin/chromium"
# as root, in a closed network: no sandbox, no background connections (see the machine notes)
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Chromium is missing: run `bash scripts/bootstrap.sh test`"
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
    yield b
    b.close()


@pytest.fixture
def office(tmp_path):
    home = tmp_path / "office"
    shutil.copytree(ROOT / "facts", home / "facts")
    shutil.copytree(ROOT / "seeds", home / "seeds")
    with _server(home) as base:
        yield home, base


def _shot(page, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("REPORTGEN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000      # a page, not a blank
    return path


def _page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True, locale="vi-VN")
    return context.new_page()


def test_build_from_the_page_and_open_the_pdf(browser, office, tmp_path):
    home, base = office
    page = _page(browser)
    page.goto(base + "/")
    _shot(page, tmp_path, "1-build")
    page.get_by_label("Tỉnh, thành phố").fill("quang ngai")          # labels reach every field
    page.get_by_label("Ngày thông báo").fill("2025-03-10")
    page.get_by_label("Họ và tên người ký").fill("Nguyễn Văn An")
    page.get_by_label("Họ và tên người ký").press("Enter")           # the keyboard submits
    page.get_by_role("link", name="Tải PDF").wait_for(timeout=90_000)
    page.get_by_alt_text("Trang đầu của thông báo Quảng Ngãi").wait_for(state="visible", timeout=10_000)
    assert page.locator("img").evaluate("img => img.naturalWidth") > 500
    _shot(page, tmp_path, "2-result")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải PDF").click()
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    assert pdf.name == "thong-bao-quang-ngai-2025-03-10.pdf"
    words = joined(pdf_words(pdf))
    assert joined(["TỈNH", "QUẢNG", "NGÃI"]) in words and joined(["Nguyễn", "Văn", "An"]) in words
    # the signer is remembered for the next briefing
    page.goto(base + "/")
    assert page.get_by_label("Họ và tên người ký").input_value() == "Nguyễn Văn An"
    assert page.get_by_role("link", name="Quảng Ngãi").count() == 1       # the history


def test_add_a_document_and_see_its_facts(browser, office, tmp_path):
    home, base = office
    doc = tmp_path / "phien-hop-thu-11.txt"
    doc.write_text("Phiên họp thứ 11 Ủy ban Quốc gia về chuyển đổi số\n"
                   "Sáng 12/6/2025, Thủ tướng Chính phủ Phạm Minh Chính chủ trì phiên họp thứ 11 của Ủy ban Quốc gia "
                   "về chuyển đổi số. Theo báo cáo, cả nước đã cấp trên 90 triệu thẻ căn cước gắn chíp và 80,5% "
                   "thủ tục hành chính đủ điều kiện được cung cấp trực tuyến toàn trình.\n", "utf-8")
    page = _page(browser)
    page.goto(base + "/documents")
    page.get_by_label("Thêm tài liệu").set_input_files(str(doc))
    page.get_by_role("button", name="Thêm và dựng lại").click()
    page.get_by_text("Đã dựng lại cơ sở dữ kiện").wait_for(timeout=90_000)
    _shot(page, tmp_path, "3-documents")
    page.get_by_role("link", name="Phiên họp thứ 11 Ủy ban Quốc gia về chuyển đổi số").click()
    marks = page.locator(".doc mark")
    assert marks.count() >= 2
    texts = marks.all_inner_texts()
    assert "trên 90 triệu thẻ căn cước" in texts
    assert any("Thẻ căn cước gắn chíp đã cấp: trên 90 triệu thẻ" == (m.get_attribute("title") or "").split(" · ")[-1]
               for m in marks.all())
    assert page.get_by_role("cell", name="trên 90 triệu thẻ căn cước", exact=True).count() == 1   # listed, not only in a tooltip
    _shot(page, tmp_path, "4-document")


def test_place_an_unclassified_figure(browser, office, tmp_path):
    """Words that would also take another indicator's figure show that first; cancelled, nothing
    is written; words of this sentence only save at once."""
    home, base = office
    catalogue = (home / "facts" / "catalogue.yaml").read_bytes()
    page = _page(browser)
    page.goto(base + "/review")
    item = page.locator("section.item", has_text="Con số «25»")
    assert item.locator("blockquote mark").inner_text() == "25"          # the number, marked in its sentence
    _shot(page, tmp_path, "5-review")
    item.get_by_label("số liệu của một chỉ tiêu mới").check()
    item.get_by_label("Tên chỉ tiêu mới").fill("Dịch vụ công thiết yếu")
    item.get_by_label("Những từ trong câu gọi tên chỉ tiêu").fill("dịch vụ công thiết yếu")
    item.get_by_label("Người rà soát").fill("Lê Thị Hoa")
    item.get_by_role("button", name="Lưu và dựng lại").click()
    page.get_by_text("Xem trước: việc này ảnh hưởng nhiều hơn một con số").wait_for(timeout=90_000)
    assert page.get_by_text("sẽ bị bỏ: «hoàn thành cung cấp 41/53 dịch vụ công»").count() == 1   # another indicator's
    _shot(page, tmp_path, "5-preview")
    page.get_by_role("link", name="Hủy, không lưu").click()
    assert (home / "facts" / "catalogue.yaml").read_bytes() == catalogue
    item = page.locator("section.item", has_text="Con số «25»")
    item.get_by_label("số liệu của một chỉ tiêu mới").check()
    item.get_by_label("Tên chỉ tiêu mới").fill("Dịch vụ công thiết yếu của Đề án 06 tiết kiệm chi phí")
    item.get_by_label("Những từ trong câu gọi tên chỉ tiêu").fill("dịch vụ công thiết yếu của đề án 06")
    item.get_by_role("button", name="Lưu và dựng lại").click()
    page.get_by_text("Đã lưu: Tạo chỉ tiêu «Dịch vụ công thiết yếu của Đề án 06").wait_for(timeout=90_000)
    assert page.get_by_text("Không còn con số nào cần rà soát").is_visible()
    facts = yaml.safe_load((home / "facts" / "factbase.yaml").read_text("utf-8"))
    placed = [f for f in facts["figures"] if f["quote"].startswith("25 dịch vụ công")]
    assert placed and all(f["metric"] == "dich_vu_cong_thiet_yeu_cua_de_an_06_tiet" for f in placed), placed
    assert any(f["quote"] == "hoàn thành cung cấp 41/53 dịch vụ công" for f in facts["figures"])    # untouched


def test_two_reviewers_save_at_once(browser, office, tmp_path):
    """Two reviewers' decisions posted before either answers (a new indicator; a document's
    title): both land in the reviewed files and the history, and the last rebuild saw both."""
    home, base = office
    pages = [_page(browser), _page(browser)]
    pages[0].goto(base + "/review")
    first = pages[0].locator("section.item").first
    first.get_by_label("số liệu của một chỉ tiêu mới").check()
    first.get_by_label("Tên chỉ tiêu mới").fill("Dịch vụ công thiết yếu tiết kiệm chi phí")
    first.get_by_label("Những từ trong câu gọi tên chỉ tiêu").fill("dịch vụ công thiết yếu của đề án 06")
    first.get_by_label("Người rà soát").fill("Lê Thị Hoa")
    pages[1].goto(base + "/documents/004_5957c542c223577d.txt")
    pages[1].get_by_text("Sửa thông tin tài liệu").click()
    pages[1].get_by_label("Tiêu đề").fill("Tiết kiệm hơn 3.500 tỷ đồng mỗi năm nhờ Đề án 06")
    pages[1].get_by_label("Người sửa").fill("Trần Văn Nam")
    pages[1].get_by_label("Căn cứ, lý do").fill("tiêu đề của bài trên báo")
    pages[0].evaluate("document.querySelector('section.item form').requestSubmit()")
    pages[1].evaluate("document.querySelector('form[action*=\"/fix\"]').requestSubmit()")   # before the first answers
    pages[0].get_by_text("Đã lưu: Tạo chỉ tiêu").wait_for(timeout=120_000)
    pages[1].get_by_text("Đã lưu: Sửa thông tin tài liệu").wait_for(timeout=120_000)
    log = yaml.safe_load((home / "facts" / "decisions.yaml").read_text("utf-8"))["decisions"]
    assert sorted(d["by"] for d in log) == ["Lê Thị Hoa", "Trần Văn Nam"]
    facts = yaml.safe_load((home / "facts" / "factbase.yaml").read_text("utf-8"))
    assert not [f for f in facts["figures"] if f["metric"] == "unclassified"]
    assert any(d["title"] == "Tiết kiệm hơn 3.500 tỷ đồng mỗi năm nhờ Đề án 06" for d in facts["documents"])
    _shot(pages[1], tmp_path, "6-two-saves")


def test_a_rebinding_site_gets_no_page(playwright, office, tmp_path):
    """Issue 17, DNS rebinding as a browser meets it: a name that resolves to this machine
    (Chromium's resolver maps attacker.test to 127.0.0.1) gets 400 for every page, the
    slash redirect included — no form, no CSRF token; the page's own name works."""
    home, base = office
    port = base.rsplit(":", 1)[1]
    b = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                   args=ARGS + ["--host-resolver-rules=MAP attacker.test 127.0.0.1"])
    try:
        page = b.new_context(locale="vi-VN").new_page()
        for path in ("/", "/documents/", "/review"):
            response = page.goto(f"http://attacker.test:{port}{path}")
            assert response.status == 400 and page.url == f"http://attacker.test:{port}{path}"
            assert "tên máy (Host)" in page.content() and "csrf" not in page.content()
        assert page.goto(f"http://localhost:{port}/documents/").status == 200
        assert page.url == f"http://localhost:{port}/documents"
    finally:
        b.close()


def test_an_upload_that_contradicts_the_archive_is_set_aside_on_the_page(browser, office, tmp_path):
    home, base = office
    doc = tmp_path / "phien-hop-12.txt"
    doc.write_text("Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số\n"
                   "Sáng 3/9/2025, Thủ tướng Chính phủ chủ trì phiên họp thứ 12 của Ủy ban Quốc gia về chuyển đổi số. "
                   "Báo cáo tại phiên họp cho biết năm 2024, Việt Nam vươn lên vị trí thứ 75/193 quốc gia trong bảng "
                   "xếp hạng Chính phủ điện tử của Liên Hợp Quốc.\n", "utf-8")
    seeds = sorted(p.name for p in (home / "seeds").iterdir())
    page = _page(browser)
    page.goto(base + "/documents")
    page.get_by_label("Thêm tài liệu").set_input_files(str(doc))
    page.get_by_role("button", name="Thêm và dựng lại").click()
    page.get_by_text("chưa thêm, đã để riêng").wait_for(timeout=90_000)
    assert page.get_by_text("vị trí thứ 75/193").count() >= 1
    table = page.get_by_role("table", name="Tài liệu để riêng")
    assert table.get_by_role("cell", name="phien-hop-12.txt", exact=True).count() == 1
    _shot(page, tmp_path, "7-set-aside")
    assert sorted(p.name for p in (home / "seeds").iterdir()) == seeds

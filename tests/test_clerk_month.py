"""Issue 20, done when: a clerk's month on the office's page, in a real browser (Chromium), with
no terminal. Three documents of three formats are uploaded (a Word report of a session, a saved
web page, a text that contradicts the archive and is set aside); the new numbers are placed (one
to an existing indicator, one as a new indicator, one as no figure, one rule previewed, saved and
undone); a wrong upload is set aside and a document's date corrected from its page; a briefing
is built and downloaded. Every page after a post is reloaded (nothing is done twice), no page
shows English, YAML or an archive file name, and the fact base afterwards is what
`reportgen facts build` makes from the same reviewed files.

The documents are written for the test, in the style of the families they stand for."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

from briefing_files import joined, pdf_words
from test_browser import _page, _shot, browser, office, playwright  # noqa: F401 - fixtures

REPORT = ("Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số",
          "Sáng 3/9/2025, Thủ tướng Chính phủ chủ trì phiên họp thứ 12 của Ủy ban Quốc gia về chuyển đổi số. "
          "Theo báo cáo, đóng góp của kinh tế số vào GDP đạt 19,6%. Cả nước đã lắp đặt 1.250 trạm sạc xe điện công "
          "cộng. Các bộ, ngành quán triệt phương châm 4 nhất trong triển khai nhiệm vụ.")
PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Phiên họp thứ 12: đẩy mạnh hạ tầng số</title>
</head><body><article><h1>Phiên họp thứ 12: đẩy mạnh hạ tầng số</h1>
<p>Ngày 3/9/2025, Thủ tướng Chính phủ chủ trì phiên họp thứ 12 của Ủy ban Quốc gia về chuyển đổi số.</p>
<p>Tại phiên họp, các đại biểu nêu 3 đột phá về hạ tầng số cho giai đoạn tới.</p>
<p>Bộ Khoa học và Công nghệ đề xuất thêm 2 đột phá về nhân lực số.</p></article></body></html>"""
CONTRADICTS = ("Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số\nSáng 3/9/2025, Thủ tướng Chính phủ chủ trì phiên họp "
               "thứ 12 của Ủy ban Quốc gia về chuyển đổi số. Báo cáo tại phiên họp cho biết năm 2024, Việt Nam vươn lên "
               "vị trí thứ 75/193 quốc gia trong bảng xếp hạng Chính phủ điện tử của Liên Hợp Quốc.\n")

ENGLISH = re.compile(r"\b(the|is|are|not|was|were|has|have|of|and|with|run|cannot|error|facts|reportgen|"
                     r"Traceback|None|True|False)\b")
YAML = re.compile(r"\.ya?ml\b|\{n\}|^\s*-?\s*(id|kind|phrases|metric|quote|reviewed_by):", re.M)


class Clerk:
    """The browser tab, and what every page it saw said."""

    def __init__(self, page, home: Path, base: str, shots: Path) -> None:
        self.page, self.home, self.base, self.shots, self.seen = page, home, base, shots, []
        self.n = 0

    def look(self, name: str) -> str:
        """The page as read: checked for English, YAML and archive file names."""
        self.page.wait_for_load_state("load")
        text = self.page.locator("main").inner_text()
        shown = re.sub(r"(?s)Nội dung tài liệu.*", "", text)
        assert not ENGLISH.search(shown), (name, ENGLISH.search(shown).group(0), shown[:3000])
        assert not YAML.search(shown), (name, YAML.search(shown).group(0), shown[:3000])
        for seed in (self.home / "seeds").iterdir():
            assert seed.name not in text, (name, seed.name)
        self.n += 1
        _shot(self.page, self.shots, f"month-{self.n:02d}-{name}")
        self.seen.append(name)
        return text

    def state(self) -> tuple:  # type: ignore[type-arg]
        """What a repeated post would change: the archive, the reviewed files and their history,
        the set-aside bin and the briefings built."""
        web = self.home / "output" / "web"
        files = [self.home / "facts" / n for n in ("catalogue.yaml", "corrections.yaml", "decisions.yaml",
                                                   "factbase.yaml")] + [web / "history.jsonl"]
        return (sorted(p.name for p in (self.home / "seeds").iterdir()),
                [p.read_bytes() if p.exists() else b"" for p in files],
                sorted(p.name for p in (web / "set-aside").iterdir()) if (web / "set-aside").exists() else [])

    def reload(self, name: str) -> None:
        """Reload the page a post led to: its own address, nothing done again."""
        before = self.state()
        url = self.page.url
        self.page.reload()
        assert self.page.url == url
        self.look(name + "-reloaded")
        assert self.state() == before, name
        self.page.go_back()
        self.page.wait_for_load_state("load")
        assert self.state() == before, name + " (back)"
        self.page.go_forward()
        self.page.wait_for_load_state("load")

    def item(self, number: str):  # type: ignore[no-untyped-def]
        return self.page.locator("section.item", has_text=f"Con số «{number}»")


def test_a_clerks_month_on_the_page(browser, office, tmp_path):  # noqa: F811
    home, base = office
    docs = tmp_path / "docs"
    docs.mkdir()
    from docx import Document

    report = Document()
    for text in REPORT:
        report.add_paragraph(text)
    report.save(docs / "bao-cao-phien-hop-12.docx")
    (docs / "tin-phien-hop-12.html").write_text(PAGE, "utf-8")
    (docs / "ban-tin-phien-hop-12.txt").write_text(CONTRADICTS, "utf-8")
    clerk = Clerk(_page(browser), home, base, tmp_path)
    page = clerk.page

    # 1. three documents, three formats; the one that contradicts the archive is set aside
    page.goto(base + "/documents")
    clerk.look("documents")
    page.get_by_label("Thêm tài liệu").set_input_files([str(p) for p in sorted(docs.iterdir())])
    page.get_by_role("button", name="Thêm và dựng lại").click()
    page.get_by_text("chưa thêm, đã để riêng").wait_for(timeout=120_000)
    said = clerk.look("uploaded")
    assert "ban-tin-phien-hop-12.txt: chưa thêm, đã để riêng — mâu thuẫn với tài liệu đã có" in said
    assert "bao-cao-phien-hop-12.docx:" in said and "tin-phien-hop-12.html:" in said
    clerk.reload("uploaded")

    # 2. the numbers they brought, one at a time
    page.goto(base + "/review")
    clerk.look("review")
    item = clerk.item("19,6%")
    assert item.locator("blockquote mark").inner_text() == "19,6%"
    assert "Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số" in item.locator("h3").inner_text()
    item.get_by_label("Chỉ tiêu (gõ để tìm)").fill("Tỷ trọng kinh tế số trong GDP")
    item.get_by_label("Những từ trong câu gọi tên chỉ tiêu").fill("kinh tế số vào GDP")
    item.get_by_label("Người rà soát").fill("Nguyễn Thị Bình")
    item.get_by_role("button", name="Lưu và dựng lại").click()
    page.get_by_text("Đã lưu: Gắn «19,6%»").wait_for(timeout=120_000)
    clerk.look("attached")
    clerk.reload("attached")

    item = clerk.item("1.250")
    item.get_by_label("số liệu của một chỉ tiêu mới").check()
    item.get_by_label("Tên chỉ tiêu mới").fill("Trạm sạc xe điện công cộng")
    assert item.get_by_label("Đơn vị").input_value() == "trạm"
    assert item.get_by_label("Số liệu của", exact=True).input_value() == "national"    # as its sentence states it
    item.get_by_label("Những từ trong câu gọi tên chỉ tiêu").fill("trạm sạc xe điện")
    item.get_by_role("button", name="Lưu và dựng lại").click()                 # the reviewer is remembered
    page.get_by_text("Đã lưu: Tạo chỉ tiêu «Trạm sạc xe điện công cộng»").wait_for(timeout=120_000)
    clerk.look("created")

    item = clerk.item("4")
    item.get_by_label("không phải số liệu (chỉ con số này, trong câu này)").check()
    item.get_by_role("button", name="Lưu và dựng lại").click()
    page.get_by_text("không phải số liệu").first.wait_for(timeout=120_000)
    clerk.look("not-a-figure")

    item = clerk.item("3")
    item.get_by_label("không phải số liệu, ở mọi tài liệu").check()
    item.get_by_role("button", name="Lưu và dựng lại").click()
    page.get_by_text("Xem trước: một quy tắc cho mọi tài liệu").wait_for(timeout=120_000)
    preview = clerk.look("rule-preview")
    assert "Nếu lưu: 2 con số chưa có chỉ tiêu được bỏ qua." in preview and "sẽ được bỏ qua: «2 đột phá»" in preview
    assert "áp dụng cả cho các tài liệu thêm sau này" in preview
    assert "{n} đột" not in (home / "facts" / "catalogue.yaml").read_text("utf-8")      # not saved before the yes
    clerk.reload("rule-preview")
    page.get_by_role("button", name="Vẫn lưu").click()
    page.get_by_text("Đã lưu: Bỏ qua mọi con số").wait_for(timeout=120_000)
    clerk.look("rule-saved")
    clerk.reload("rule-saved")
    row = page.locator("tr", has_text="Bỏ qua mọi con số")
    row.get_by_role("button", name=re.compile("^Hoàn tác")).click()
    page.get_by_text("Đã lưu: hoàn tác quyết định").wait_for(timeout=120_000)
    undone = clerk.look("rule-undone")
    assert "đã hoàn tác (Nguyễn Thị Bình" in undone and "2 con số trở lại danh sách cần rà soát" in undone
    assert "{n} đột" not in (home / "facts" / "catalogue.yaml").read_text("utf-8")
    assert clerk.item("2").count() == 1 and clerk.item("3").count() == 1           # back to be reviewed
    clerk.reload("rule-undone")

    # 3. the web page was a wrong upload: set aside from its page, kept in the bin
    page.goto(base + "/documents")
    page.get_by_role("link", name="Phiên họp thứ 12: đẩy mạnh hạ tầng số").click()
    clerk.look("wrong-upload")
    page.get_by_text("Để riêng tài liệu này (đưa ra khỏi kho)").click()
    page.get_by_label("Lý do").last.fill("gửi nhầm: bản tin trùng với báo cáo")
    page.get_by_role("button", name="Để riêng và dựng lại").click()
    page.get_by_text("Đã để riêng «Phiên họp thứ 12: đẩy mạnh hạ tầng số»").wait_for(timeout=120_000)
    listed = clerk.look("set-aside")
    assert "Nguyễn Thị Bình để riêng: gửi nhầm" in listed
    clerk.reload("set-aside")
    assert not any(p.suffix == ".html" and "2025-09-03" in p.name for p in (home / "seeds").iterdir())

    # 4. the report's session was held on the 4th, not the 3rd: corrected from its page
    page.get_by_role("link", name="Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số").first.click()
    clerk.look("report")
    page.get_by_text("Sửa thông tin tài liệu").click()
    page.get_by_label("Ngày diễn ra sự kiện (phiên họp)").fill("04/09/2025")
    page.get_by_label("Căn cứ, lý do").fill("Lịch công tác của Thủ tướng: phiên họp ngày 4/9")
    page.get_by_role("button", name="Lưu và dựng lại").click()
    page.get_by_text("Đã lưu: Sửa thông tin tài liệu").wait_for(timeout=120_000)
    fixed = clerk.look("date-corrected")
    assert "Phiên họp lần thứ 12 của Ủy ban Quốc gia về chuyển đổi số, ngày 04/09/2025" in fixed
    clerk.reload("date-corrected")

    # 5. the briefing, built and downloaded
    page.goto(base + "/")
    clerk.look("build")
    page.get_by_label("Tỉnh, thành phố").fill("Quảng Ngãi")
    page.get_by_label("Ngày thông báo").fill("15/09/2025")
    page.get_by_role("button", name="Tạo thông báo").click()
    page.get_by_role("link", name="Tải PDF").wait_for(timeout=120_000)
    result = clerk.look("result")
    assert "Phiên họp lần thứ 12 của Ủy ban Quốc gia về chuyển đổi số, ngày 04/09/2025" in result
    assert "Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số (03/09/2025)" in result or "(04/09/2025)" in result
    assert "Nguồn đã cũ" not in result
    clerk.reload("result")
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải PDF").click()
    pdf = tmp_path / info.value.suggested_filename
    info.value.save_as(pdf)
    words = joined(pdf_words(pdf))
    assert joined(["QUẢNG", "NGÃI"]) in words and joined(["Trạm", "sạc", "xe", "điện", "công", "cộng"]) in words
    assert joined(["19,6%"]) in words

    # the decisions, as the reviewed files hold them
    log = yaml.safe_load((home / "facts" / "decisions.yaml").read_text("utf-8"))["decisions"]
    assert [d["action"] for d in log] == ["attach", "create", "not_figure", "rule", "document"]
    assert [bool(d["undone_at"]) for d in log] == [False, False, False, True, False]
    assert {d["by"] for d in log} == {"Nguyễn Thị Bình"}
    # and the fact base is what the CLI builds from them
    out = tmp_path / "cli-factbase.yaml"
    done = subprocess.run([sys.executable, "-m", "reportgen", "facts", "build", "--out", str(out)], cwd=home,
                          env={**__import__("os").environ, "REPORTGEN_HOME": str(home)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == (home / "facts" / "factbase.yaml").read_bytes()


def test_the_page_on_a_phone_and_in_an_english_browser(browser, office, tmp_path):  # noqa: F811
    """390 px wide: nothing wider than the screen; an English browser still types and reads
    dates day first; the icon is served."""
    home, base = office
    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US").new_page()
    for path in ("/", "/documents", "/review", "/documents/001_d7dc914617694146.txt"):
        phone.goto(base + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
        _shot(phone, tmp_path, "phone" + path.replace("/", "-"))
    phone.goto(base + "/")
    date = phone.get_by_label("Ngày thông báo")
    assert re.fullmatch(r"\d\d/\d\d/\d{4}", date.input_value())
    date.fill("10/03/2025")
    phone.get_by_label("Tỉnh, thành phố").fill("Quảng Ngãi")
    phone.get_by_role("button", name="Tạo thông báo").click()
    phone.get_by_role("link", name="Tải PDF").wait_for(timeout=120_000)
    assert "ngày 10/03/2025" in phone.locator("h1").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    icon = phone.request.get(base + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon"
    phone.goto(base + "/")
    phone.get_by_label("Tỉnh, thành phố").fill("Quảng")
    phone.get_by_role("button", name="Tạo thông báo").click()
    phone.get_by_role("link", name="Quảng Ngãi").first.click()                     # a suggestion, clicked
    assert phone.get_by_label("Tỉnh, thành phố").input_value() == "Quảng Ngãi"

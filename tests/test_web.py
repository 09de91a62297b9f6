"""reportgen serve, over HTTP (issue 13): every refusal the page promises, and a briefing
built by `POST /build` that is the CLI's briefing, byte for byte. Each test runs on its
own copy of the project (REPORTGEN_HOME), so saving a reviewed entry edits the copy."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

DATE = "2025-03-10"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    office = tmp_path / "office"
    shutil.copytree(ROOT / "facts", office / "facts")
    shutil.copytree(ROOT / "seeds", office / "seeds")
    monkeypatch.setenv("REPORTGEN_HOME", str(office))
    return office


@pytest.fixture
def client(home):
    from starlette.testclient import TestClient

    from reportgen.web.app import create_app

    with TestClient(create_app(workers=1), raise_server_exceptions=False, base_url="http://127.0.0.1:8000") as c:
        yield c


def _csrf(client, url: str = "/") -> str:
    r = client.get(url)
    assert r.status_code == 200
    return re.search(r'action="/[a-z/-]+\?csrf=([\w-]+)"', r.text).group(1)


def test_pages_are_vietnamese_with_strict_headers(client):
    for url in ("/", "/documents", "/review", "/documents/001_d7dc914617694146.txt"):
        r = client.get(url)
        assert r.status_code == 200 and '<html lang="vi">' in r.text
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "<label for=" in r.text or url.startswith("/documents/")


def test_a_post_without_its_csrf_token_is_refused(client, home):
    token = _csrf(client)
    for url, data in (("/build", {"province": "Quảng Ngãi", "date": DATE}),
                      ("/build?csrf=" + "x" * 32, {"province": "Quảng Ngãi", "date": DATE}),
                      ("/build", {"province": "Quảng Ngãi", "date": DATE, "csrf": token})):    # only the address counts
        r = client.post(url, data=data)
        assert r.status_code == 403 and "CSRF" in r.text
    for url in ("/review/place", "/review/undo", "/documents/001_d7dc914617694146.txt/remove"):
        r = client.post(url, data={"choice": "rule", "by": "x"})
        assert r.status_code == 403
    assert not (home / "output" / "web" / "builds").exists() or not list((home / "output" / "web" / "builds").iterdir())


def test_post_build_gives_the_cli_briefing(client, home, run):
    csrf = _csrf(client)
    r = client.post(f"/build?csrf={csrf}", data={"province": "quang ngai", "date": DATE})
    assert r.status_code == 200, r.text
    links = re.findall(r'href="(/builds/[0-9a-f]{16}/[^"]+\.(pdf|docx))"', r.text)
    assert {kind for _, kind in links} == {"pdf", "docx"}
    assert "Trang đầu của thông báo Quảng Ngãi" in r.text and re.search(r"\d+ trang", r.text)
    cli = home / "cli"
    assert run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", cli).exit_code == 0
    for url, kind in links:
        got = client.get(url)
        assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
        assert got.content == (cli / "quang-ngai" / f"thong-bao-quang-ngai-{DATE}.{kind}").read_bytes()
    png = client.get(re.search(r'src="(/builds/[^"]+/page1\.png)"', r.text).group(1))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    # the history lists it, and the office's entries are remembered
    page = client.get("/").text
    assert "Quảng Ngãi" in page and links[0][0] in page


def test_a_bad_province_is_a_message_on_the_page(client):
    r = client.post(f"/build?csrf={_csrf(client)}", data={"province": "Quảng", "date": DATE})
    assert r.status_code == 422 and "Chưa thực hiện được" in r.text and "Traceback" not in r.text
    r = client.post(f"/build?csrf={_csrf(client)}", data={"province": "Quảng Ngãi", "date": "9999-12-31"})
    assert r.status_code == 422 and "31/12/2100" in r.text


@pytest.mark.parametrize("url", ["/builds/..%2F..%2F..%2Fetc%2Fpasswd", "/builds/0123456789abcdef/..%2F..%2Fsettings.json",
                                 "/documents/..%2F..%2Ffacts%2Fcatalogue.yaml", "/documents/%2Fetc%2Fpasswd",
                                 "/static/..%2F..%2Fcli.py", "/builds/0123456789abcdef/%2Fetc%2Fpasswd",
                                 "/nope"])
def test_paths_from_the_client_never_reach_the_filesystem(client, url):
    r = client.get(url)
    assert r.status_code == 404 and "root:" not in r.text and "metrics:" not in r.text


def test_raw_dotdot_paths_answer_404(home):
    """The same through a real server, where the client does not tidy the path."""
    with _server(home) as base:
        host, port = base.split("//")[1].split(":")
        for raw in ("/builds/../../etc/passwd", "/static/../../reportgen/cli.py", "/documents/../facts/catalogue.yaml"):
            with socket.create_connection((host, int(port)), timeout=10) as s:
                s.sendall(f"GET {raw} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
                answer = b""
                while chunk := s.recv(65536):
                    answer += chunk
            assert answer.split(b"\r\n", 1)[0].split()[1] == b"404", (raw, answer[:200])


def test_uploads_are_limited_and_read_by_content(client, home):
    from reportgen.web.app import MAX_BODY, MAX_FILE, MAX_FILES

    csrf = _csrf(client, "/documents")
    r = client.post(f"/documents?csrf={csrf}", data={}, files={"files": ("big.txt", b"a" * (MAX_BODY + 1))})
    assert r.status_code == 413
    r = client.post(f"/documents?csrf={csrf}", data={}, files={"files": ("one.txt", b"a " * (MAX_FILE // 2 + 1))})
    assert r.status_code == 413
    many = [("files", (f"{n}.txt", "Sáng 1/1/2025.".encode())) for n in range(MAX_FILES + 1)]
    r = client.post(f"/documents?csrf={csrf}", data={}, files=many)
    assert r.status_code == 413
    before = sorted(p.name for p in (home / "seeds").iterdir())
    r = client.post(f"/documents?csrf={csrf}", data={}, files={"files": ("bao-cao.pdf", b"\x00\x01binary\xff" * 50)})
    assert r.status_code == 200 and "bao-cao.pdf: không phải PDF" in r.text
    assert sorted(p.name for p in (home / "seeds").iterdir()) == before


def test_an_uploaded_document_is_read_and_its_facts_shown(client, home):
    text = ("Phiên họp thứ 11 Ủy ban Quốc gia về chuyển đổi số\n"
            "Sáng 12/6/2025, Thủ tướng Chính phủ chủ trì phiên họp thứ 11 của Ủy ban Quốc gia về chuyển đổi số. "
            "Báo cáo cho biết cả nước đã cấp trên 90 triệu thẻ căn cước gắn chíp. <script>alert(1)</script>\n")
    csrf = _csrf(client, "/documents")
    # named .pdf, but text: read as the text it is
    r = client.post(f"/documents?csrf={csrf}", data={}, files={"files": ("phien-hop-11.pdf", text.encode())})
    assert r.status_code == 200, r.text
    assert "Đã dựng lại cơ sở dữ kiện" in r.text, r.text
    added = [p for p in (home / "seeds").iterdir() if p.suffix == ".txt" and "phien-hop" in p.name]
    assert len(added) == 1
    page = client.get(f"/documents/{added[0].name}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    assert '<mark title="số liệu · Thẻ căn cước gắn chíp đã cấp: trên 90 triệu thẻ">trên 90 triệu thẻ căn cước</mark>' \
        in page.text, page.text


def _form(page: str, action: str) -> dict:  # type: ignore[type-arg]
    """The hidden fields of the first form posting to `action`, and its address."""
    import html

    at = page.index(f'action="{action}?csrf=')
    chunk = page[at: page.index("</form>", at)]
    fields = {m.group(1): html.unescape(m.group(2)) for m in
              re.finditer(r'<input type="hidden" name="(\w+)" value="([^"]*)"', chunk)}
    return {"url": html.unescape(re.search(r'action="([^"]+)"', chunk).group(1)), **fields}


def test_a_number_placed_as_a_new_indicator_from_the_page(client, home):
    """Issue 20, item 1: the number marked in its sentence, its document by title; a new
    indicator from fields (no YAML); a wrong entry is refused with the files unchanged."""
    catalogue = home / "facts" / "catalogue.yaml"
    before = catalogue.read_text("utf-8")
    page = client.get("/review").text
    assert "Con số «25»" in page and "<mark>25</mark> dịch vụ công" in page
    assert "004_5957c542c223577d" not in page.split("<h2>Con số chưa có chỉ tiêu</h2>")[1].replace(
        'href="/documents/004_5957c542c223577d.txt"', "").replace('value="004_5957c542c223577d.txt"', "")
    form = _form(page, "/review/place")
    bad = client.post(form.pop("url"), data={**form, "choice": "create", "label": "", "unit": "dịch vụ công",
                                             "kind": "count", "words": "dịch vụ công", "by": "Lê Thị Hoa"})
    assert bad.status_code == 200 and "Hãy ghi tên chỉ tiêu" in bad.text
    assert catalogue.read_text("utf-8") == before
    page = bad.text
    form = _form(page, "/review/place")
    # the sentence states the country's number: an indicator of a province's figures would not take it
    assert re.search(r'<option value="national" selected>Toàn quốc</option>', page)
    bad = client.post(form.pop("url"), data={**form, "choice": "create", "label": "Dịch vụ công trên ứng dụng",
                                             "unit": "dịch vụ công", "kind": "count", "scope": "province",
                                             "words": "dịch vụ công", "by": "Lê Thị Hoa"})
    assert "của toàn quốc hay của một tỉnh" in bad.text and catalogue.read_text("utf-8") == before
    form = _form(bad.text, "/review/place")
    r = client.post(form.pop("url"), data={**form, "choice": "create", "label": "Dịch vụ công cung cấp trên ứng dụng",
                                           "unit": "dịch vụ công", "kind": "count", "scope": "national",
                                           "words": "dịch vụ công", "by": "Lê Thị Hoa"})
    assert "Đã lưu: Tạo chỉ tiêu «Dịch vụ công cung cấp trên ứng dụng»" in r.text and "Đã dựng lại" in r.text, r.text[-3000:]
    assert "Không còn con số nào cần rà soát" in r.text
    facts = yaml.safe_load((home / "facts" / "factbase.yaml").read_text("utf-8"))
    assert not [f for f in facts["figures"] if f["metric"] == "unclassified"]
    assert catalogue.read_text("utf-8").startswith(before.split("metrics:")[0])   # comments kept
    created = [m for m in yaml.safe_load(catalogue.read_text("utf-8"))["metrics"]
               if m["label"] == "Dịch vụ công cung cấp trên ứng dụng"]
    assert [(m["unit"], m["kind"], m["scope"]) for m in created] == [("dịch vụ công", "count", "national")]
    log = yaml.safe_load((home / "facts" / "decisions.yaml").read_text("utf-8"))["decisions"]
    assert log[-1]["by"] == "Lê Thị Hoa" and log[-1]["action"] == "create"
    assert "metrics:" not in r.text and "catalogue.yaml" not in r.text


NEW_RANKING = ("Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số\n"
               "Sáng 3/9/2025, Thủ tướng Chính phủ chủ trì phiên họp thứ 12 của Ủy ban Quốc gia về chuyển đổi số. "
               "Báo cáo tại phiên họp cho biết năm 2024, Việt Nam vươn lên vị trí thứ 75/193 quốc gia trong bảng xếp "
               "hạng Chính phủ điện tử của Liên Hợp Quốc.\n")


def _archive(home: Path) -> tuple[bytes, list[str]]:
    return (home / "facts" / "factbase.yaml").read_bytes(), sorted(p.name for p in (home / "seeds").iterdir())


@pytest.mark.parametrize("name, text, force, ours, theirs", [
    ("ban-sao.txt", "Bản đăng lại\n" + (ROOT / "seeds" / "001_d7dc914617694146.txt").read_text("utf-8")
     .replace("21 bộ, ngành", "28 bộ, ngành", 1), True, "«28 bộ, ngành",
     "tài liệu đã có «Phiên họp thứ 8 Ủy ban Quốc gia về chuyển đổi số» ghi «21 bộ"),
    ("phien-hop-12.txt", NEW_RANKING, False, "«vị trí thứ 75/193", "ghi «vị trí thứ 71/193")],
    ids=["reprint-28-for-21", "new-document-75-for-71"])
def test_an_upload_that_contradicts_the_archive_is_set_aside(client, home, name, text, force, ours, theirs):
    """Issue 17: an upload whose figure disagrees with the archive's (a reprint that changes
    a number; a new document with 75/193 where the archive says 71/193) is not left in
    seeds/ to fail every build: it is set aside with its record, the page says which file
    and why, the fact base is as it was and a briefing builds."""
    before = _archive(home)
    csrf = _csrf(client, "/documents")
    r = client.post(f"/documents?csrf={csrf}", data={"force": "1"} if force else {},
                    files={"files": (name, text.encode())})
    assert r.status_code == 200
    import html

    page = html.unescape(r.text)
    said = re.search(rf"<li><strong>{re.escape(name)}</strong>: chưa thêm, đã để riêng — "
                     r"mâu thuẫn với tài liệu đã có: tài liệu ghi ([^<]+)</li>", page)
    assert said, page[-3000:]
    assert ours in said.group(1) and theirs in said.group(1)
    assert ".txt" not in said.group(1).replace(name, "") and "corrections" not in said.group(1)   # titles, not files
    assert "Đã dựng lại" not in page and "Chưa dựng lại" not in page
    assert _archive(home) == before                                     # seeds/ and the fact base as they were
    [kept] = (home / "output" / "web" / "set-aside").iterdir()
    [file] = [p for p in kept.iterdir() if p.name != "record.json"]
    assert file.read_bytes() == text.encode()
    record = __import__("json").loads((kept / "record.json").read_text("utf-8"))
    assert record["original"] == name and record["file"] == file.name and record["at"][:4].isdigit()
    assert "ghi khác nhau" in record["error"] and any(s["source"] == file.name for d in record["disputes"]
                                                  for s in d["sides"])
    assert f"/set-aside/{kept.name}/restore" in client.get("/documents").text     # listed, can be restored
    built = client.post(f"/build?csrf={csrf}", data={"province": "Quảng Ngãi", "date": DATE, "format": "docx"})
    assert built.status_code == 200 and "Tải DOCX" in built.text               # builds keep working


WIFI_NOTE = ("source: https://tin-tinh.example/wifi-cong-cong\ndate: 2025-11-14\n"
             "title: Quảng Ngãi phủ sóng wifi công cộng tại các điểm du lịch\n\n"
             "Ngày 14/11/2025, Sở Khoa học và Công nghệ tỉnh Quảng Ngãi cho biết tỉnh đã lắp đặt 415 điểm phát "
             "wifi công cộng miễn phí tại các khu du lịch và bến xe.\n")


def test_documents_changed_outside_the_page_are_named_on_the_review_page_and_rebuilt_from_it(client, home, run):
    """A document added with the CLI's `facts add` (which does not rebuild) and one edited by
    hand: the review page says the fact base is older than them, names them by title (the new
    one's from its `title:` header line, as the fact base reads it — never the archive's file
    name nor its first line), and rebuilds from its own button; after it the new document's
    number is listed for review and the note is gone."""
    assert "Cơ sở dữ kiện cũ hơn các tài liệu" not in client.get("/review").text
    note = home / "wifi.txt"
    note.write_text(WIFI_NOTE, "utf-8")
    assert run("facts", "add", note).exit_code == 0
    edited = home / "seeds" / "004_5957c542c223577d.txt"
    edited.write_text(edited.read_text("utf-8") + "\nBài viết được cập nhật.\n", "utf-8")
    page = client.get("/review").text
    card = page[page.index('<h2 id="stale-h">'): page.index("</section>", page.index('<h2 id="stale-h">'))]
    assert "Cơ sở dữ kiện cũ hơn các tài liệu" in card and "2 tài liệu đã được thêm, sửa hoặc xóa" in card, card
    assert "Quảng Ngãi phủ sóng wifi công cộng tại các điểm du lịch</a>: mới thêm" in card, card
    assert re.search(r'<a href="/documents/004_5957c542c223577d.txt">[^<]+</a>: đã thay đổi', card), card
    shown = re.sub(r"<[^>]+>", " ", card)
    assert ".txt" not in shown and "wifi.txt" not in page and "source:" not in shown
    assert "Con số «415»" not in page                   # the review is still of the old fact base
    form = _form(page, "/review/rebuild")
    r = client.post(form.pop("url"), data=form)
    assert r.status_code == 200 and "Đã dựng lại cơ sở dữ kiện:" in r.text, r.text[-3000:]
    assert "Cơ sở dữ kiện cũ hơn các tài liệu" not in r.text
    assert "Con số «415»" in r.text
    facts = yaml.safe_load((home / "facts" / "factbase.yaml").read_text("utf-8"))
    assert any(d["title"] == "Quảng Ngãi phủ sóng wifi công cộng tại các điểm du lịch" for d in facts["documents"])
    assert run("facts", "verify").exit_code == 0


def test_a_rebuild_from_the_review_page_that_fails_leaves_the_archive_as_it_was(client, home, run):
    """Two documents that disagree, put in seeds/ outside the page: the page's rebuild writes
    nothing and shows both sentences to choose from."""
    before = (home / "facts" / "factbase.yaml").read_bytes()
    reprint = home / "ban-sao.txt"
    reprint.write_text("Bản đăng lại\n" + (ROOT / "seeds" / "001_d7dc914617694146.txt").read_text("utf-8")
                       .replace("21 bộ, ngành", "28 bộ, ngành", 1), "utf-8")
    assert run("facts", "add", "--force", reprint).exit_code == 0
    page = client.get("/review").text
    assert "Bản đăng lại</a>: mới thêm" in page
    form = _form(page, "/review/rebuild")
    r = client.post(form.pop("url"), data=form)
    assert "chưa dựng lại được cơ sở dữ kiện" in r.text and "Hai tài liệu ghi khác nhau: " in r.text, r.text[-3000:]
    assert (home / "facts" / "factbase.yaml").read_bytes() == before


def test_a_disagreement_in_the_archive_is_resolved_on_the_review_page(client, home, run):
    """A reprint that changes a number put in seeds/ by hand (`facts add --force`): the next
    rebuild from the page fails, the review page shows both sentences in their paragraphs
    with a reject form for each; rejecting one rebuilds. An upload meanwhile is set aside,
    not added to an archive that does not rebuild."""
    reprint = home / "ban-sao.txt"
    reprint.write_text("Bản đăng lại\n" + (ROOT / "seeds" / "001_d7dc914617694146.txt").read_text("utf-8")
                       .replace("21 bộ, ngành", "28 bộ, ngành", 1), "utf-8")
    assert run("facts", "add", "--force", reprint).exit_code == 0
    csrf = _csrf(client, "/documents")
    r = client.post(f"/documents?csrf={csrf}", data={}, files={"files": ("phien-hop-13.txt", (
        "Phiên họp thứ 13 Ủy ban Quốc gia về chuyển đổi số\nSáng 9/10/2025, Thủ tướng Chính phủ chủ trì phiên họp "
        "thứ 13 của Ủy ban Quốc gia về chuyển đổi số.\n").encode())})
    assert "phien-hop-13.txt</strong>: chưa thêm, đã để riêng" in r.text
    assert "cơ sở dữ kiện hiện có không dựng lại được" in r.text
    assert "Chưa dựng lại được cơ sở dữ kiện" in r.text
    page = client.get("/review").text
    assert "Hai tài liệu ghi khác nhau: " in page
    assert page.count('<mark title="con số khác nhau">') == 2
    forms = [_form(page[m.start():], "/review/reject") for m in re.finditer('action="/review/reject', page)]
    wrong = next(f for f in forms if "28 bộ" in f["quote"])
    url = wrong.pop("url")
    unsigned = client.post(url, data={**wrong, "by": "", "reason": ""})
    assert "Chưa thực hiện được" in unsigned.text and "Hãy ghi người quyết định" in unsigned.text
    r = client.post(url, data={**wrong, "once": "again", "by": "Lê Thị Hoa", "reason": "Thông báo ghi 21"})
    assert r.status_code == 200 and "Đã lưu: Loại bỏ «" in r.text and "Đã dựng lại" in r.text, r.text
    assert "Hai tài liệu ghi khác nhau" not in r.text
    assert "Lê Thị Hoa" in (home / "facts" / "corrections.yaml").read_text("utf-8")


def test_an_upload_that_crashes_the_rebuild_is_set_aside_alone(home, monkeypatch):
    """A rebuild that crashes (an extractor's bug, say) names no file: the job rebuilds the
    archive alone, then adds the new files one at a time, and sets aside only the one that
    crashes it; the others are added. (The crash is injected into the extractor, in-process.)"""
    import json

    import reportgen.build_facts
    from reportgen.web import jobs

    real = reportgen.build_facts.build

    def crashing(seeds, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any("GÂY LỖI" in p.read_text("utf-8", "replace") for p in seeds.iterdir() if p.suffix == ".txt"):
            raise ZeroDivisionError("division by zero")
        return real(seeds, *args, **kwargs)

    monkeypatch.setattr(reportgen.build_facts, "build", crashing)
    before = _archive(home)
    folder = home / "upload"
    folder.mkdir()
    good = folder / "01-tot.txt"
    good.write_text("Phiên họp thứ 14 Ủy ban Quốc gia về chuyển đổi số\nSáng 9/11/2025, Thủ tướng Chính phủ chủ trì "
                    "phiên họp thứ 14 của Ủy ban Quốc gia về chuyển đổi số.\n", "utf-8")
    bad = folder / "02-loi.txt"
    bad.write_text("Phiên họp thứ 15 Ủy ban Quốc gia về chuyển đổi số\nSáng 9/12/2025, GÂY LỖI trong phiên họp thứ 15 "
                   "của Ủy ban Quốc gia về chuyển đổi số.\n", "utf-8")
    outcome = jobs.add_and_rebuild(str(home), [str(good), str(bad)], False, {str(good): "tot.txt", str(bad): "loi.txt"})
    assert outcome["ok"] is True and [a["name"] for a in outcome["added"]] == ["2025-11-09-phien-hop-thu-14-uy-ban-quoc-"
                                                                              "gia-ve-chuyen-doi-so.txt"]
    [aside] = outcome["set_aside"]
    assert aside["label"] == "loi.txt" and "có lỗi khi xử lý tài liệu này (mã " in aside["why"]
    assert "ZeroDivisionError" not in aside["why"]           # no English on the page; the record keeps it
    facts, seeds = _archive(home)
    assert seeds == sorted(before[1] + [outcome["added"][0]["name"]])
    assert outcome["added"][0]["name"] in facts.decode("utf-8")
    record = json.loads((home / "output" / "web" / "set-aside" / aside["folder"] / "record.json").read_text("utf-8"))
    assert record["original"] == "loi.txt" and "ZeroDivisionError" in record["error"]
    assert not list((home / "output" / "web").glob(".stage-*"))       # the stage is gone


def test_one_bad_file_does_not_stop_the_others(client, home):
    csrf = _csrf(client, "/documents")
    good = ("Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số\nSáng 3/9/2025, Thủ tướng Chính phủ chủ trì phiên họp "
            "thứ 12 của Ủy ban Quốc gia về chuyển đổi số.\n")
    r = client.post(f"/documents?csrf={csrf}", data={},
                    files=[("files", ("tot.txt", good.encode())), ("files", ("rong.txt", b"")),
                           ("files", ("hong.pdf", b"%PDF-1.7 not really"))])
    assert r.status_code == 200 and "Đã dựng lại cơ sở dữ kiện" in r.text
    assert "rong.txt: không thêm được — tài liệu rỗng" in r.text and "hong.pdf: không thêm được" in r.text
    assert any("phien-hop-thu-12" in p.name for p in (home / "seeds").iterdir())


def test_a_warm_worker_builds_the_cli_briefing_again(client, home, run):
    """The build worker keeps the checked fact base, the drawn charts and the laid-out Phụ lục
    between builds (build.Warm); the second province of a day is built from them: still the
    CLI's bytes."""
    cli = home / "cli"
    for name, slug in (("Quảng Ngãi", "quang-ngai"), ("Lâm Đồng", "lam-dong"), ("Quảng Ngãi", "quang-ngai")):
        r = client.post(f"/build?csrf={_csrf(client)}", data={"province": name, "date": DATE})
        assert r.status_code == 200, r.text
        links = dict((kind, url) for url, kind in re.findall(r'href="(/builds/[0-9a-f]{16}/[^"]+\.(pdf|docx))"', r.text))
        assert run("build", "-p", name, "--date", DATE, "--out", cli).exit_code == 0
        for kind, url in links.items():
            assert client.get(url).content == (cli / slug / f"thong-bao-{slug}-{DATE}.{kind}").read_bytes(), (name, kind)


def test_a_warm_build_is_the_same_briefing_as_a_cold_one(tmp_path):
    from reportgen.build import Warm, build
    from reportgen.request import make_request

    warm = Warm()
    for name, slug in (("Gia Lai", "gia-lai"), ("Hà Nội", "ha-noi"), ("Cà Mau", "ca-mau")):
        cold = build(make_request(name, "2025-08-01", tmp_path / "cold", "both", None, None, None, None, None))
        hot = build(make_request(name, "2025-08-01", tmp_path / "warm", "both", None, None, None, None, None), warm)
        for a, b in zip(cold.written, hot.written):
            assert a.read_bytes() == b.read_bytes(), (name, a.suffix)
    assert len(warm.facts) == 1 and len(warm.appendices) == 2 and warm.charts   # a province's and a city's


def test_build_form_messages_are_vietnamese_and_fields_limited(client):
    csrf = _csrf(client)
    cases = [({"province": "Quảng"}, "Không xác định được tỉnh, thành phố «Quảng».</div>"),
             ({"province": "Quảng"}, '<p class="suggest">Có phải: <a href="/?province='),
             ({"province": "Quảng Ngãi", "date": "1999-01-01"}, "từ 01/01/2000 đến 31/12/2100".replace("từ ", "")),
             ({"province": "Quảng Ngãi", "number": "1" * 41}, "«Số, ký hiệu» dài 41 ký tự; tối đa 40 ký tự."),
             ({"province": "x" * 101}, "tối đa 100 ký tự")]
    for fields, words in cases:
        r = client.post(f"/build?csrf={csrf}", data={"date": DATE, **fields} if "date" not in fields else fields)
        assert r.status_code == 422 and words in r.text, (fields, r.text[-800:])
    assert client.get("/build", follow_redirects=False).status_code == 303    # a reload of the result's address


def test_a_former_province_is_named_on_the_result_page(client):
    r = client.post(f"/build?csrf={_csrf(client)}", data={"province": "Kon Tum", "date": "2025-08-01",
                                                          "format": "docx"})
    assert r.status_code == 200 and "là tỉnh Kon Tum cũ, nay thuộc tỉnh Quảng Ngãi theo Nghị quyết số " \
        "202/2025/QH15" in r.text


def test_before_the_merger_a_province_is_its_own_unit_on_the_page(client):
    """Issue 19, item 3: on 10/3/2025 Kon Tum still had its own People's Committee."""
    r = client.post(f"/build?csrf={_csrf(client)}", data={"province": "Kon Tum", "date": DATE, "format": "docx"})
    assert r.status_code == 200 and "Thông báo: Kon Tum, ngày" in r.text and "cũ, nay thuộc" not in r.text
    assert "thong-bao-kon-tum-2025-03-10.docx" in r.text


def test_the_form_lists_the_units_of_its_date(client):
    """The province list of the form: the 63 of a date before 01/7/2025 (after a refused
    post that keeps the date), the 34 of today's."""
    options = lambda page: re.findall(r'<option value="([^"]+)">', page.split('id="provinces"', 1)[1].split("</datalist>")[0])  # noqa: E731
    today = options(client.get("/").text)
    assert len(today) == 34 and "Kon Tum" not in today and "Quảng Ngãi" in today
    r = client.post(f"/build?csrf={_csrf(client)}", data={"province": "Quảng", "date": DATE})
    assert r.status_code == 422
    before = options(r.text)
    assert len(before) == 63 and "Kon Tum" in before and "Huế" in before and "Thừa Thiên Huế" not in before


def test_a_number_that_is_no_figure_is_rejected_in_its_sentence_only(client, home):
    page = client.get("/review").text
    form = _form(page, "/review/place")
    r = client.post(form.pop("url"), data={**form, "choice": "not_figure", "by": "Lê Thị Hoa"})
    assert "không phải số liệu" in r.text and "Không còn con số nào cần rà soát" in r.text
    data = yaml.safe_load((home / "facts" / "corrections.yaml").read_text("utf-8"))
    assert data["reject"] == [{"source": form["source"], "quote": "25 dịch vụ công", "reviewed_by": "Lê Thị Hoa",
                               "reason": "không phải số liệu (rà soát trên trang)"}]
    assert "{n} dịch vụ công" not in yaml.safe_load((home / "facts" / "catalogue.yaml").read_text("utf-8"))["ignore"]


def test_three_decisions_at_once_lose_nothing(home):
    """Three review decisions at once (jobs.decide in three threads, as three workers would):
    every entry lands in the catalogue and in the review history, and the fact base is the one
    built with all three."""
    from reportgen.web import jobs

    patterns = [f"khẩu hiệu {n} {{n}} lần" for n in range(3)]
    out: list = []
    threads = [threading.Thread(target=lambda p=p: out.append(jobs.decide(
        str(home), {"file": "catalogue", "key": "ignore", "entry": p},
        {"by": f"Người {p.split()[2]}", "action": "rule", "what": f"Bỏ qua «{p}»"}, True))) for p in patterns]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [o["ok"] for o in out] == [True] * 3, out
    data = yaml.safe_load((home / "facts" / "catalogue.yaml").read_text("utf-8"))
    assert all(p in data["ignore"] for p in patterns)
    log = yaml.safe_load((home / "facts" / "decisions.yaml").read_text("utf-8"))["decisions"]
    assert sorted(d["by"] for d in log) == ["Người 0", "Người 1", "Người 2"]
    assert not list((home / "facts").glob(".*lock*"))             # the locks stay out of the reviewed files


def test_a_token_is_required_off_loopback(home):
    from starlette.testclient import TestClient

    from reportgen.web.app import create_app

    with TestClient(create_app("s3cret-token", workers=1), base_url="http://localhost:8000") as c:
        assert c.get("/").status_code == 401
        assert c.get("/?token=wrong").status_code == 401
        r = c.get("/?token=s3cret-token")
        assert r.status_code == 200 and "rg_token" in r.headers["set-cookie"]
        assert c.get("/documents").status_code == 200          # the cookie carries it from now on


def test_serve_on_any_address_prints_a_token_and_requires_it(home):
    import urllib.error
    import urllib.request

    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "reportgen", "serve", "--host", "0.0.0.0", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = proc.stdout.readline()
        token = re.search(r"\?token=([\w-]+)", line).group(1)
        _wait(f"http://127.0.0.1:{port}/?token={token}")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10)
        assert refused.value.code == 401
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/?token={token}", timeout=10).status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 30) -> None:
    import urllib.error
    import urllib.request

    end = time.time() + seconds
    while time.time() < end:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


class _server:
    """`reportgen serve` on a free port of 127.0.0.1, for the project copy `home`; `limit`:
    the (soft, hard) limits on open files it starts with. Its stderr goes to serve.log
    beside `home`."""

    def __init__(self, home: Path, *args: str, limit: tuple[int, int] | None = None) -> None:
        self.home, self.port, self.args, self.limit = home, _free_port(), args, limit
        self.log = home.parent / "serve.log"

    def __enter__(self) -> str:
        import os
        import resource

        limit = self.limit
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([sys.executable, "-m", "reportgen", "serve", "--port", str(self.port),
                                          *self.args], env={**os.environ, "REPORTGEN_HOME": str(self.home)},
                                         stdout=subprocess.DEVNULL, stderr=log,
                                         preexec_fn=(lambda: resource.setrlimit(resource.RLIMIT_NOFILE, limit))
                                         if limit else None)
        base = f"http://127.0.0.1:{self.port}"
        _wait(base + "/")
        return base

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=20)


def test_the_server_answers_while_a_build_runs(home):
    """Builds run in worker processes: the pages answer at once during one."""
    import httpx

    with _server(home) as base:
        with httpx.Client(base_url=base, timeout=120) as c:
            csrf = re.search(r'\?csrf=([\w-]+)"', c.get("/").text).group(1)
            result: dict = {}
            t = threading.Thread(target=lambda: result.update(
                r=c.post(f"/build?csrf={csrf}", data={"province": "Quảng Ngãi", "date": DATE}, follow_redirects=True)))
            t.start()
            time.sleep(0.3)
            with httpx.Client(base_url=base, timeout=60) as other:
                assert other.get("/documents").status_code == 200
                still_building = t.is_alive() and "r" not in result     # answered before the build ended
            t.join()
            assert result["r"].status_code == 200 and "Tải PDF" in result["r"].text
            assert still_building


# --- issue 17: the page's own names, slow clients, jobs that stop with the server, pruning ---

def _raw(port: int, request: bytes, timeout: float = 60) -> tuple[int, dict[str, list[str]], bytes]:
    """One request on its own connection, as bytes; the status, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(lines[0].split()[1]), headers, body


def _get(port: int, host: str | None, path: str = "/", extra: str = "") -> tuple[int, dict[str, list[str]], bytes]:
    host_line = f"Host: {host}\r\n" if host is not None else ""
    return _raw(port, f"GET {path} HTTP/1.1\r\n{host_line}{extra}Connection: close\r\n\r\n".encode("latin-1"))


def test_only_the_pages_own_host_names_are_served(home):
    """Issue 17, DNS rebinding: a request naming any other host — a rebinding site's name,
    another port, a look-alike — is refused with 400 before anything else: no page, no CSRF
    token or cookie, no redirect to that name, no upload. The loopback names with the port
    (or without it) are served, and a redirect stays relative."""
    import httpx

    before = _archive(home)
    with _server(home) as base:
        port = int(base.rsplit(":", 1)[1])
        foreign = ["attacker.test", f"attacker.test:{port}", f"127.0.0.1:{port + 1}", f"localhost.:{port}",
                   f"127.0.0.1.nip.io:{port}", f"[::2]:{port}", f"127.0.0.1:0{port}", f"localhost:{port}:{port}",
                   f"127.0.0.1:{port}@attacker.test", ""]
        for host in foreign:
            for path in ("/", "/documents/", "/documents", "/review", "/static/app.css", "/builds/0123456789abcdef"):
                status, headers, body = _get(port, host, path)
                assert status == 400, (host, path, status)
                assert "set-cookie" not in headers and "location" not in headers and b"csrf" not in body, (host, path)
        assert _get(port, None)[0] == 400                                       # no Host at all
        assert _get(port, f"127.0.0.1:{port}", extra="Host: attacker.test\r\n")[0] == 400    # two of them
        status, _, body = _get(port, "attacker.test", "/")
        assert "Host" in body.decode("utf-8") and "tên máy" in body.decode("utf-8")
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}", "127.0.0.1",
                     "localhost"):
            assert _get(port, host)[0] == 200, host
        status, headers, _ = _get(port, f"localhost:{port}", "/documents/")
        assert status in (301, 307, 308) and headers["location"] == ["/documents"]
        # what a rebinding page would post: a cookie and a token it read before — under its own name
        with httpx.Client(base_url=base, timeout=60) as c:
            csrf = re.search(r'\?csrf=([\w-]+)"', c.get("/documents").text).group(1)
            r = c.post(f"/documents?csrf={csrf}", headers={"Host": f"attacker.test:{port}"},
                       files={"files": ("phien-hop-12.txt", NEW_RANKING.encode())})
            assert r.status_code == 400 and "rg_csrf" not in r.headers.get("set-cookie", "")
    assert _archive(home) == before


def test_on_every_address_the_machines_names_are_served_and_others_refused(home):
    """`serve --host 0.0.0.0`: the token is still required, a foreign name is refused before
    the token is looked at, and the address a request arrives on (here the machine's own
    name's address) is served, as is the machine's name."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "reportgen", "serve", "--host", "0.0.0.0", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        token = re.search(r"\?token=([\w-]+)", proc.stdout.readline()).group(1)
        _wait(f"http://127.0.0.1:{port}/?token={token}")
        assert _get(port, f"attacker.test:{port}", f"/?token={token}")[0] == 400
        assert _get(port, f"127.0.0.1:{port}", f"/?token={token}")[0] == 200
        assert _get(port, f"{socket.gethostname()}:{port}", f"/?token={token}")[0] == 200
        assert _get(port, f"127.0.0.1:{port}", "/")[0] == 401
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:   # refused before its body is read
            s.sendall(f"POST /documents HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 40000000\r\n"
                      "Content-Type: multipart/form-data; boundary=x\r\n\r\n--x\r\n".encode())
            assert s.recv(100).split()[1] == b"401"
        try:                       # the machine's address on its default route (a UDP connect sends nothing)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(("203.0.113.1", 9))
                address = probe.getsockname()[0]
        except OSError:
            address = None
        if address and not address.startswith("127."):
            for host, status in ((f"{address}:{port}", b"200"), (f"attacker.test:{port}", b"400"),
                                 (f"127.0.0.1:{port}", b"200")):
                with socket.create_connection((address, port), timeout=30) as s:
                    s.sendall(f"GET /?token={token} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
                    assert s.recv(100).split()[1] == status, host
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_slow_clients_are_closed_and_do_not_hold_the_page(home):
    """Issue 17: 1.100 connections that each send part of a request head, against a server
    limited to 1.024 open files as on a default desktop: the page answers at once, the
    connections waiting for a head are never more than WAITING, and every one is closed by
    HEAD_TIMEOUT (plus slack); one alone is closed after HEAD_TIMEOUT, not before."""
    import resource
    import selectors

    from reportgen.web.server import HEAD_TIMEOUT, WAITING

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = 1600
    if soft != resource.RLIM_INFINITY and soft < need:
        if hard != resource.RLIM_INFINITY and hard < need:
            pytest.skip(f"this test opens {need} sockets; the limit here is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (need, hard))
    partial: list[socket.socket] = []
    try:
        with _server(home, limit=(1024, 1024)) as base:
            port = int(base.rsplit(":", 1)[1])
            slow = f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: slow".encode()
            for _ in range(1100):
                s = socket.socket()
                s.settimeout(30)
                try:
                    s.connect(("127.0.0.1", port))
                    s.sendall(slow)
                except OSError:          # closed by the server already
                    s.close()
                    continue
                partial.append(s)
            started = time.monotonic()
            status, _, body = _get(port, f"127.0.0.1:{port}")
            took = time.monotonic() - started
            assert status == 200 and b"csrf" in body
            assert took < 10, f"GET / took {took:.1f} s"          # about 0.05 s; generous for a loaded machine
            selector = selectors.DefaultSelector()
            for s in partial:
                selector.register(s, selectors.EVENT_READ)
            still = set(partial)

            def drain(seconds: float) -> None:
                end = time.monotonic() + seconds
                while still and time.monotonic() < end:
                    for key, _ in selector.select(timeout=0.5):
                        try:
                            data = key.fileobj.recv(4096)
                        except OSError:
                            data = b""
                        if not data:
                            selector.unregister(key.fileobj)
                            still.discard(key.fileobj)

            drain(3)                       # well before HEAD_TIMEOUT: only the cap has closed them
            assert len(still) <= WAITING, f"{len(still)} slow connections held"
            drain(HEAD_TIMEOUT + 30)
            assert not still, f"{len(still)} slow connections still open"
            # one alone, no flood: closed once its head is HEAD_TIMEOUT late
            with socket.create_connection(("127.0.0.1", port), timeout=HEAD_TIMEOUT + 30) as s:
                s.sendall(slow)
                opened = time.monotonic()
                assert s.recv(4096) in (b"",)
                lasted = time.monotonic() - opened
            assert HEAD_TIMEOUT - 1 <= lasted <= HEAD_TIMEOUT + 20, lasted
            assert _get(port, f"127.0.0.1:{port}")[0] == 200
    finally:
        for s in partial:
            s.close()
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_serve_raises_its_limit_on_open_files(home):
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard <= 1024:
        pytest.skip("no hard limit above 1024 here")
    server = _server(home, limit=(1024, hard))
    with server:
        line = next(line for line in Path(f"/proc/{server.proc.pid}/limits").read_text().splitlines()
                    if line.startswith("Max open files"))
    assert line.split()[3:5] == [str(hard), str(hard)]


def _upload(base: str, name: str, text: str, out: dict) -> None:  # type: ignore[type-arg]
    import httpx

    try:
        with httpx.Client(base_url=base, timeout=300) as c:
            csrf = re.search(r'\?csrf=([\w-]+)"', c.get("/documents").text).group(1)
            out["r"] = c.post(f"/documents?csrf={csrf}", files={"files": (name, text.encode())}, follow_redirects=True)
    except httpx.HTTPError as exc:
        out["error"] = exc


def _in_background(*args) -> tuple[threading.Thread, dict]:  # type: ignore[type-arg]
    out: dict = {}  # type: ignore[type-arg]
    t = threading.Thread(target=_upload, args=(*args, out), daemon=True)
    t.start()
    return t, out


def _session(n: int, extra: str = "") -> str:
    return (f"Phiên họp thứ {n} Ủy ban Quốc gia về chuyển đổi số\nSáng {n}/11/2025, Thủ tướng Chính phủ chủ trì phiên họp "
            f"thứ {n} của Ủy ban Quốc gia về chuyển đổi số. {extra}\n")


def test_two_uploads_at_once_keep_both_documents(home):
    """Issue 17: two different documents with the same title and date, uploaded at once:
    both pages say added and both files are in seeds/ and in the fact base."""
    texts = [_session(16, "Bộ Công an báo cáo tiến độ cấp căn cước cho công dân ở nước ngoài."),
             _session(16, "Bộ Tài chính trình bày phương án bố trí kinh phí cho các nhiệm vụ của năm tới.")]
    with _server(home) as base:
        warm = [_in_background(base, f"khac-{n}.txt", _session(20 + n)) for n in range(2)]   # both workers ready
        for t, _ in warm:
            t.join(300)
        runs = [_in_background(base, f"tai-lieu-{n}.txt", text) for n, text in enumerate(texts)]
        for t, _ in runs:
            t.join(300)
    for _, out in runs:
        assert "r" in out, out
        assert out["r"].status_code == 200 and "Đã dựng lại cơ sở dữ kiện" in out["r"].text, out["r"].text[-2000:]
    added = sorted(p for p in (home / "seeds").iterdir() if "phien-hop-thu-16" in p.name)
    assert len(added) == 2 and {p.read_text("utf-8") for p in added} == set(texts)
    facts = (home / "facts" / "factbase.yaml").read_text("utf-8")
    assert all(p.name in facts for p in added)


def test_two_jobs_in_two_processes_pick_two_names(home):
    """The same under the facts lock alone (two servers on one project, say): two worker
    processes adding same-named documents at once keep both."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from reportgen.web import jobs

    files = []
    for n, extra in enumerate(("Bộ Nội vụ báo cáo về sắp xếp đơn vị hành chính.",
                               "Bộ Y tế báo cáo về hồ sơ sức khỏe điện tử của người dân.")):
        folder = home / f"upload-{n}"
        folder.mkdir()
        (folder / "01-tai-lieu.txt").write_text(_session(16, extra), "utf-8")
        files.append(folder / "01-tai-lieu.txt")
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        list(pool.map(_ready, range(2)))                  # both workers started and importing done
        outcomes = [f.result(timeout=300) for f in
                    [pool.submit(jobs.add_and_rebuild, str(home), [str(f)], False) for f in files]]
    names = [o["added"][0]["name"] for o in outcomes]
    assert all(o["ok"] for o in outcomes) and len(set(names)) == 2
    assert {(home / "seeds" / n).read_text("utf-8") for n in names} == {f.read_text("utf-8") for f in files}
    facts = (home / "facts" / "factbase.yaml").read_text("utf-8")
    assert all(n in facts for n in names)


def _ready(_: int) -> int:
    import reportgen.intake  # noqa: F401
    import reportgen.web.jobs  # noqa: F401

    time.sleep(0.5)
    return 0


# a job is caught mid-way by holding the facts lock it needs: its worker waits in flock(2),
# where /proc/locks shows it, for as long as the test wants

def _facts_lock(home: Path):  # type: ignore[no-untyped-def]
    import fcntl

    if not Path("/proc/locks").exists():
        pytest.skip("needs Linux's /proc/locks")
    folder = home / "output" / "web"
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / ".facts.lock", "a")
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


def _waiting_for(handle, seconds: float = 120) -> int:  # type: ignore[no-untyped-def]
    """The process waiting for the lock `handle` holds."""
    import os

    inode = os.fstat(handle.fileno()).st_ino
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for line in Path("/proc/locks").read_text().splitlines():
            parts = line.split()
            if len(parts) > 6 and parts[1] == "->" and parts[6].endswith(f":{inode}"):
                return int(parts[5])
        time.sleep(0.1)
    raise AssertionError("no job came to wait for the facts lock")


def _children(pid: int) -> list[int]:
    out = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if re.search(r"^PPid:\s+(\d+)$", status.read_text(), re.M).group(1) == str(pid):
                out.append(int(status.parent.name))
        except (OSError, AttributeError):
            continue
    return out


def _all_dead(pids: list[int], seconds: float) -> list[int]:
    """The processes of `pids` still running after `seconds` (a zombie is dead)."""
    end = time.monotonic() + seconds
    while True:
        alive = []
        for pid in pids:
            try:
                state = re.search(r"^State:\s+(\w)", Path(f"/proc/{pid}/status").read_text(), re.M).group(1)
            except (OSError, AttributeError):
                continue
            if state not in ("Z", "X"):
                alive.append(pid)
        if not alive or time.monotonic() > end:
            return alive
        time.sleep(0.1)


def _leftovers(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "output" / "web").glob(".*-*") if p.is_dir())


def test_kill_9_of_the_server_takes_its_worker_with_it(home):
    """Issue 17: `kill -9` of serve while a job runs: its worker exits at once and never
    writes seeds/ or the fact base afterwards; the next start removes what was left."""
    import os
    import signal

    before = _archive(home)
    server = _server(home)
    lock = _facts_lock(home)
    try:
        with server as base:
            t, _ = _in_background(base, "phien-hop-16.txt", _session(16))
            worker = _waiting_for(lock)
            family = _children(server.proc.pid)
            assert worker in family
            os.kill(server.proc.pid, signal.SIGKILL)
            server.proc.wait(timeout=30)
            assert _all_dead(family, 30) == []
    finally:
        lock.close()                  # what a surviving worker was waiting for
    time.sleep(5)                     # and would have used by now (the job takes about a second)
    assert _archive(home) == before
    assert not (home / "output" / "web" / "set-aside").exists()
    with _server(home):
        assert _leftovers(home) == []


def test_ctrl_c_stops_a_running_job_at_once(home):
    """Issue 17: Ctrl-C (SIGINT) while a job runs: serve stops its workers instead of
    waiting for the job (here it would wait forever), answers the waiting page, and leaves
    seeds/, the fact base and output/web/ as they were."""
    import signal

    before = _archive(home)
    server = _server(home)
    lock = _facts_lock(home)
    try:
        with server as base:
            t, out = _in_background(base, "phien-hop-16.txt", _session(16))
            _waiting_for(lock)
            family = _children(server.proc.pid)
            started = time.monotonic()
            server.proc.send_signal(signal.SIGINT)
            server.proc.wait(timeout=60)
            took = time.monotonic() - started
            assert _all_dead(family, 30) == []
            t.join(60)
    finally:
        lock.close()
    assert took < 30, took                        # about a second
    if "r" in out:
        assert "máy chủ đang dừng" in out["r"].text, out["r"].text[-2000:]
    time.sleep(2)
    assert _archive(home) == before
    assert _leftovers(home) == [] and not (home / "output" / "web" / "set-aside").exists()


def test_a_worker_that_dies_sets_its_upload_aside_and_the_page_goes_on(home):
    """A worker killed during an upload's job (out of memory, say): the page says the file
    was set aside and why, the archive is as it was, and the next upload gets a new worker."""
    import os
    import signal

    before = _archive(home)
    with _server(home) as base:
        lock = _facts_lock(home)
        try:
            t, out = _in_background(base, "phien-hop-16.txt", _session(16))
            os.kill(_waiting_for(lock), signal.SIGKILL)
            t.join(120)
        finally:
            lock.close()
        assert "r" in out, out
        assert "phien-hop-16.txt</strong>: chưa thêm, đã để riêng" in out["r"].text
        assert "tiến trình xử lý dừng đột ngột" in out["r"].text
        assert _archive(home) == before
        [kept] = (home / "output" / "web" / "set-aside").iterdir()
        assert (kept / "record.json").exists() and any(p.read_text("utf-8") == _session(16) for p in kept.iterdir())
        t, out = _in_background(base, "phien-hop-17.txt", _session(17))
        t.join(300)
        assert "Đã dựng lại cơ sở dữ kiện" in out["r"].text


def test_old_builds_are_pruned_and_never_linked(client, home):
    """Issue 17: output/web/builds keeps the last KEEP_BUILDS builds: a new build deletes
    the oldest folder and its history line (its address answers 404 saying so), and a stray
    folder no history line names once it is an hour old; a young one may be a build running."""
    import json
    import os

    from reportgen.web import store

    web = home / "output" / "web"
    (web / "builds").mkdir(parents=True)
    ids = [f"{n:016x}" for n in range(store.KEEP_BUILDS)]
    for build_id in ids:
        (web / "builds" / build_id / "quang-ngai").mkdir(parents=True)
        (web / "builds" / build_id / "quang-ngai" / "a.docx").write_bytes(b"PK")
    (web / "history.jsonl").write_text("".join(json.dumps(
        {"id": i, "province": "Quảng Ngãi", "date": DATE, "at": "01/01/2025 08:00", "files": ["quang-ngai/a.docx"],
         "pages": None, "notes": []}) + "\n" for i in ids), "utf-8")
    old, young = web / "builds" / ("a" * 16), web / "builds" / ("b" * 16)
    old.mkdir()
    young.mkdir()
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert client.get(f"/builds/{ids[0]}").status_code == 200
    r = client.post(f"/build?csrf={_csrf(client)}", data={"province": "Quảng Ngãi", "date": DATE, "format": "docx"})
    assert r.status_code == 200
    new = re.search(r'href="/builds/([0-9a-f]{16})/', r.text).group(1)
    left = sorted(p.name for p in (web / "builds").iterdir())
    assert left == sorted(ids[1:] + [new, young.name])
    assert [json.loads(line)["id"] for line in (web / "history.jsonl").read_text("utf-8").splitlines()] == ids[1:] + [new]
    gone = client.get(f"/builds/{ids[0]}")
    assert gone.status_code == 404 and f"chỉ {store.KEEP_BUILDS} lần tạo thông báo gần nhất được giữ lại" in gone.text
    assert client.get(f"/builds/{ids[0]}/a.docx").status_code == 404
    assert ids[0] not in client.get("/").text and new in client.get("/").text


def test_serve_refuses_a_host_it_cannot_use(run, home):
    r = run("serve", "--host", "no-such-host.invalid")
    assert r.exit_code == 2 and "--host 'no-such-host.invalid' is neither an IP address" in r.output
    r = run("serve", "--allow-host", "http://attacker.test")
    assert r.exit_code == 2 and "--allow-host 'http://attacker.test': give a host name" in r.output
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        r = run("serve", "--port", taken.getsockname()[1])
    assert r.exit_code == 1 and "cannot listen on 127.0.0.1:" in r.output and "in use" in r.output
    assert "Traceback" not in r.output


def test_a_body_that_stalls_or_trickles_after_a_refusal_is_cut_off(home):
    """A request body that stops for BODY_STALL seconds ends with 408; a body nobody will
    read (the post was refused before it: here 403, no CSRF token) may not be trickled for
    ever to hold the connection: it is closed HEAD_TIMEOUT after the answer."""
    from reportgen.web.security import BODY_STALL
    from reportgen.web.server import HEAD_TIMEOUT

    with _server(home) as base:
        port = int(base.rsplit(":", 1)[1])
        status, headers, body = _get(port, f"127.0.0.1:{port}")
        csrf = re.search(rb'\?csrf=([\w-]+)"', body).group(1).decode()
        stalled = socket.create_connection(("127.0.0.1", port), timeout=BODY_STALL + 60)
        stalled.sendall(f"POST /build?csrf={csrf} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: rg_csrf={csrf}\r\n"
                        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n"
                        "province=Qu".encode())
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as refused:
            refused.sendall(f"POST /build HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 40000000\r\n"
                            "Content-Type: application/x-www-form-urlencoded\r\n\r\nprovince=".encode())
            assert refused.recv(100).split()[1] == b"403"
            answered = time.monotonic()
            closed = None
            refused.settimeout(1)
            while time.monotonic() - answered < HEAD_TIMEOUT + 30:
                try:
                    refused.sendall(b"x" * 10)
                    if refused.recv(100) == b"":
                        closed = time.monotonic() - answered
                        break
                except socket.timeout:
                    continue
                except OSError:
                    closed = time.monotonic() - answered
                    break
            assert closed is not None and HEAD_TIMEOUT - 1 <= closed <= HEAD_TIMEOUT + 20, closed
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := stalled.recv(65536)):
            answer += chunk
        stalled.close()
        took = time.monotonic() - started
        assert answer.split()[1] == b"408" and BODY_STALL - 1 <= took <= BODY_STALL + 30, (answer[:100], took)


def test_the_bin_keeps_a_document_for_ninety_days(home):
    """Issue 20, item 2: a document set aside stays in the bin for a while (KEEP_SET_ASIDE_DAYS),
    then goes when the page starts."""
    import time as clock

    from reportgen.web import store

    (home / "x.txt").write_text("Sáng 3/9/2025, phiên họp.", "utf-8")
    old = store.set_aside(home / "x.txt", "x.txt", "x.txt", "thử", "", [])
    (home / "y.txt").write_text("Sáng 4/9/2025, phiên họp.", "utf-8")
    new = store.set_aside(home / "y.txt", "y.txt", "y.txt", "thử", "", [])
    store.prune_set_aside(now=clock.time() + 89 * 86400)
    assert {r["folder"] for r in store.set_aside_records()} == {old, new}
    store.prune_set_aside(now=clock.time() + 91 * 86400)
    assert store.set_aside_records() == []


def test_a_review_refused_keeps_what_was_typed_and_names_no_file(client, home):
    """Issue 20 (a clerk's review): a refused choice comes back to its item with what was typed;
    the reviewer's name is this browser's, not the office's; the sentence is whole from its
    first letter; a duplicate upload names the archive's document by its title."""
    from starlette.testclient import TestClient

    from reportgen.web.app import create_app

    page = client.get("/review").text
    form = _form(page, "/review/place")
    r = client.post(form.pop("url"), data={**form, "choice": "create", "label": "Dịch vụ công thiết yếu",
                                           "unit": "dịch vụ công", "kind": "count", "words": "không có trong câu",
                                           "by": "Lê Thị Hoa"}, follow_redirects=False)
    assert r.status_code == 303 and "#muc-" in r.headers["location"]
    shown = client.get(r.headers["location"].split("#")[0]).text
    item = shown[shown.index('id="muc-'):]
    assert "Chưa lưu: «không có trong câu» không có trong câu" in item
    assert 'value="Dịch vụ công thiết yếu"' in item and 'value="create" checked' in item
    assert 'value="Lê Thị Hoa"' in item                                   # the reviewer, for this browser
    with TestClient(create_app(workers=1), base_url="http://127.0.0.1:8000") as other:
        assert "Lê Thị Hoa" not in other.get("/review").text                # not for another browser
    # a duplicate upload names the document by its title, not by its file in the archive
    seed = home / "seeds" / "001_d7dc914617694146.txt"
    csrf = _csrf(client, "/documents")
    r = client.post(f"/documents?csrf={csrf}", data={}, files={"files": ("ban-sao.txt", seed.read_bytes())})
    assert "ban-sao.txt: không thêm được — nội dung này đã có trong kho tài liệu, «Phiên họp thứ 8 Ủy ban Quốc gia " \
        "về chuyển đổi số»" in r.text, r.text[-2000:]
    assert "001_d7dc914617694146" not in r.text.replace('href="/documents/001_d7dc914617694146.txt"', "")


def test_the_first_sentence_of_a_text_keeps_its_first_letter():
    from reportgen.review import _sentence

    text = "Bộ Công an: 3 triệu tài khoản VNeID mới trong tháng 10\nNgày 12/11, Bộ Công an cho biết …"
    assert _sentence(text, "3 triệu tài khoản") == "Bộ Công an: 3 triệu tài khoản VNeID mới trong tháng 10"


def test_a_document_set_aside_can_be_read_and_put_back(client, home):
    """Issue 20, item 2: a document in the bin opens with why it is there and its text; «Đưa lại
    vào kho» adds it (the archive rebuilds) and it leaves the bin; an unreadable one says why."""
    import html

    page = client.get("/documents/001_d7dc914617694146.txt").text
    form = _form(page, "/documents/001_d7dc914617694146.txt/remove")
    before = (home / "seeds" / "001_d7dc914617694146.txt").read_bytes()
    r = client.post(form.pop("url"), data={**form, "by": "Lê Thị Hoa", "why": "gửi nhầm"})
    assert "Đã để riêng «Phiên họp thứ 8 Ủy ban Quốc gia về chuyển đổi số»" in r.text, r.text[-2000:]
    assert not (home / "seeds" / "001_d7dc914617694146.txt").exists()
    [folder] = re.findall(r'href="/set-aside/([^"/]+)"', r.text)
    shown = html.unescape(client.get(f"/set-aside/{folder}").text)
    assert "Lê Thị Hoa để riêng: gửi nhầm" in shown and "Phiên họp thứ 8" in shown
    form = _form(shown, f"/set-aside/{folder}/restore")
    r = client.post(form.pop("url"), data=form)
    assert "Đã dựng lại cơ sở dữ kiện" in r.text, r.text[-2000:]
    assert any(p.read_bytes() == before for p in (home / "seeds").iterdir())
    assert client.get(f"/set-aside/{folder}").status_code == 404
    from reportgen.web import store

    (home / "rong.txt").write_bytes(b"")
    empty = store.set_aside(home / "rong.txt", "rong.txt", "rong.txt", "tài liệu rỗng", "", [])
    assert "Không đọc được nội dung tài liệu này: tài liệu rỗng." in client.get(f"/set-aside/{empty}").text

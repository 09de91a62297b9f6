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

    with TestClient(create_app(workers=1), raise_server_exceptions=False) as c:
        yield c


def _csrf(client, url: str = "/") -> str:
    r = client.get(url)
    assert r.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', r.text).group(1)


def test_pages_are_vietnamese_with_strict_headers(client):
    for url in ("/", "/documents", "/review", "/documents/001_d7dc914617694146.txt"):
        r = client.get(url)
        assert r.status_code == 200 and '<html lang="vi">' in r.text
        assert "default-src 'none'" in r.headers["content-security-policy"]
        assert "script-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "<label for=" in r.text or url.startswith("/documents/")


def test_a_post_without_its_csrf_token_is_refused(client, home):
    for data in ({"province": "Quảng Ngãi", "date": DATE}, {"province": "Quảng Ngãi", "date": DATE, "csrf": "x" * 32}):
        r = client.post("/build", data=data)
        assert r.status_code == 403 and "CSRF" in r.text
    r = client.post("/review", data={"which": "catalogue", "key": "ignore", "entry": "- 'x {n}'"})
    assert r.status_code == 403
    assert not (home / "output" / "web" / "builds").exists() or not list((home / "output" / "web" / "builds").iterdir())


def test_post_build_gives_the_cli_briefing(client, home, run):
    csrf = _csrf(client)
    r = client.post("/build", data={"csrf": csrf, "province": "quang ngai", "date": DATE})
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
    r = client.post("/build", data={"csrf": _csrf(client), "province": "Quảng", "date": DATE})
    assert r.status_code == 422 and "Chưa thực hiện được" in r.text and "Traceback" not in r.text
    r = client.post("/build", data={"csrf": _csrf(client), "province": "Quảng Ngãi", "date": "9999-12-31"})
    assert r.status_code == 422 and "2100-12-31" in r.text


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
    r = client.post("/documents", data={"csrf": csrf}, files={"files": ("big.txt", b"a" * (MAX_BODY + 1))})
    assert r.status_code == 413
    r = client.post("/documents", data={"csrf": csrf}, files={"files": ("one.txt", b"a " * (MAX_FILE // 2 + 1))})
    assert r.status_code == 413
    many = [("files", (f"{n}.txt", "Sáng 1/1/2025.".encode())) for n in range(MAX_FILES + 1)]
    r = client.post("/documents", data={"csrf": csrf}, files=many)
    assert r.status_code == 413
    before = sorted(p.name for p in (home / "seeds").iterdir())
    r = client.post("/documents", data={"csrf": csrf}, files={"files": ("bao-cao.pdf", b"\x00\x01binary\xff" * 50)})
    assert r.status_code == 200 and "bao-cao.pdf: không phải PDF" in r.text
    assert sorted(p.name for p in (home / "seeds").iterdir()) == before


def test_an_uploaded_document_is_read_and_its_facts_shown(client, home):
    text = ("Phiên họp thứ 11 Ủy ban Quốc gia về chuyển đổi số\n"
            "Sáng 12/6/2025, Thủ tướng Chính phủ chủ trì phiên họp thứ 11 của Ủy ban Quốc gia về chuyển đổi số. "
            "Báo cáo cho biết cả nước đã cấp trên 90 triệu thẻ căn cước gắn chíp. <script>alert(1)</script>\n")
    csrf = _csrf(client, "/documents")
    # named .pdf, but text: read as the text it is
    r = client.post("/documents", data={"csrf": csrf}, files={"files": ("phien-hop-11.pdf", text.encode())})
    assert r.status_code == 200, r.text
    assert "Đã dựng lại cơ sở dữ kiện" in r.text, r.text
    added = [p for p in (home / "seeds").iterdir() if p.suffix == ".txt" and "phien-hop" in p.name]
    assert len(added) == 1
    page = client.get(f"/documents/{added[0].name}")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text and "<script>alert" not in page.text
    assert '<mark title="số liệu · Thẻ căn cước gắn chíp đã cấp: trên 90 triệu thẻ">trên 90 triệu thẻ căn cước</mark>' \
        in page.text, page.text


def test_saving_a_reviewed_entry_validates_locks_and_rebuilds(client, home):
    catalogue = home / "facts" / "catalogue.yaml"
    before = catalogue.read_text("utf-8")
    page = client.get("/review").text
    assert "Số liệu chưa có chỉ tiêu" in page and "<mark" in page
    entry = re.search(r'name="entry" rows="9">([^<]+)</textarea>', page).group(1)
    csrf = _csrf(client, "/review")
    bad = client.post("/review", data={"csrf": csrf, "which": "catalogue", "key": "metrics",
                                       "entry": "- id: Bad Id\n  label: x\n  unit: u\n  kind: count\n  phrases: ['{n} x']"})
    assert bad.status_code == 200 and "Chưa thực hiện được" in bad.text and "catalogue.yaml" in bad.text
    assert catalogue.read_text("utf-8") == before
    import html

    r = client.post("/review", data={"csrf": csrf, "which": "catalogue", "key": "metrics", "entry": html.unescape(entry)})
    assert r.status_code == 200 and "Đã lưu vào catalogue.yaml" in r.text and "Đã dựng lại" in r.text, r.text
    assert "Không còn gì cần rà soát" in r.text
    facts = yaml.safe_load((home / "facts" / "factbase.yaml").read_text("utf-8"))
    assert not [f for f in facts["figures"] if f["metric"] == "unclassified"]
    assert catalogue.read_text("utf-8").startswith(before.split("metrics:")[0])   # comments kept


def test_a_disagreeing_document_is_resolved_on_the_review_page(client, home):
    """A reprint that changes a number: the rebuild fails, the review page shows both
    sentences in their paragraphs with a reject form for each; rejecting one rebuilds."""
    text = (ROOT / "seeds" / "001_d7dc914617694146.txt").read_text("utf-8").replace("21 bộ, ngành", "28 bộ, ngành", 1)
    csrf = _csrf(client, "/documents")
    upload = {"files": ("ban-sao.txt", ("Bản đăng lại\n" + text).encode())}
    r = client.post("/documents", data={"csrf": csrf}, files=upload)
    assert "ban-sao.txt: không thêm được — trùng nội dung với 001_d7dc914617694146.txt" in r.text
    assert ".upload" not in r.text and "Chưa dựng lại" not in client.get("/review").text   # nothing was rebuilt
    r = client.post("/documents", data={"csrf": csrf, "force": "1"}, files=upload)
    assert r.status_code == 200 and "Chưa dựng lại được cơ sở dữ kiện" in r.text
    page = client.get("/review").text
    assert "Hai tài liệu ghi khác nhau: " in page
    assert page.count('<mark title="con số khác nhau">') == 2
    entries = re.findall(r'<textarea id="reject-1-\d" name="entry" rows="4">([^<]+)</textarea>', page)
    import html

    wrong = next(html.unescape(e) for e in entries if "28 bộ" in html.unescape(e))
    unsigned = client.post("/review", data={"csrf": csrf, "which": "corrections", "key": "reject", "entry": wrong})
    assert "Chưa thực hiện được" in unsigned.text and "reviewed_by" in unsigned.text
    signed = wrong.replace("reviewed_by: ", "reviewed_by: Lê Thị Hoa").replace("reason: ", "reason: the notice says 21")
    r = client.post("/review", data={"csrf": csrf, "which": "corrections", "key": "reject", "entry": signed})
    assert r.status_code == 200 and "Đã lưu vào corrections.yaml" in r.text and "Đã dựng lại" in r.text, r.text
    assert "Hai tài liệu ghi khác nhau" not in r.text
    assert "Lê Thị Hoa" in (home / "facts" / "corrections.yaml").read_text("utf-8")


def test_one_bad_file_does_not_stop_the_others(client, home):
    csrf = _csrf(client, "/documents")
    good = ("Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số\nSáng 3/9/2025, Thủ tướng Chính phủ chủ trì phiên họp "
            "thứ 12 của Ủy ban Quốc gia về chuyển đổi số.\n")
    r = client.post("/documents", data={"csrf": csrf},
                    files=[("files", ("tot.txt", good.encode())), ("files", ("rong.txt", b"")),
                           ("files", ("hong.pdf", b"%PDF-1.7 not really"))])
    assert r.status_code == 200 and "Đã dựng lại cơ sở dữ kiện" in r.text
    assert "rong.txt: không thêm được — tài liệu rỗng" in r.text and "hong.pdf: không thêm được" in r.text
    assert any("phien-hop-thu-12" in p.name for p in (home / "seeds").iterdir())


def test_build_form_messages_are_vietnamese_and_fields_limited(client):
    csrf = _csrf(client)
    cases = [({"province": "Quảng"}, "Không xác định được tỉnh, thành phố «Quảng». Có phải: "),
             ({"province": "Quảng Ngãi", "date": "1999-01-01"}, "từ 01/01/2000 đến 31/12/2100".replace("từ ", "")),
             ({"province": "Quảng Ngãi", "number": "1" * 41}, "«Số, ký hiệu» dài 41 ký tự; tối đa 40 ký tự."),
             ({"province": "x" * 101}, "tối đa 100 ký tự")]
    for fields, words in cases:
        r = client.post("/build", data={"csrf": csrf, "date": DATE, **fields} if "date" not in fields else
                        {"csrf": csrf, **fields})
        assert r.status_code == 422 and words in r.text, (fields, r.text[-800:])
    assert client.get("/build", follow_redirects=False).status_code == 303    # a reload of the result's address


def test_a_former_province_is_named_on_the_result_page(client):
    r = client.post("/build", data={"csrf": _csrf(client), "province": "Kon Tum", "date": DATE, "format": "docx"})
    assert r.status_code == 200 and "là tỉnh Kon Tum cũ, nay thuộc tỉnh Quảng Ngãi" in r.text


def test_a_number_that_is_no_figure_can_be_ignored_from_the_page(client, home):
    import html

    page = client.get("/review").text
    entry = html.unescape(re.search(r'name="entry" rows="1">([^<]+)</textarea>', page).group(1))
    assert entry == '- "{n} dịch vụ công"'
    r = client.post("/review", data={"csrf": _csrf(client, "/review"), "which": "catalogue", "key": "ignore",
                                     "entry": entry})
    assert "Đã lưu vào catalogue.yaml" in r.text and "Không còn gì cần rà soát" in r.text
    data = yaml.safe_load((home / "facts" / "catalogue.yaml").read_text("utf-8"))
    assert "{n} dịch vụ công" in data["ignore"]


def test_two_saves_at_once_lose_nothing(home):
    from reportgen.web.store import add_entry

    entries = [f"- 'khẩu hiệu {n} {{n}} lần'" for n in range(6)]
    threads = [threading.Thread(target=add_entry, args=("catalogue", "ignore", e)) for e in entries]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    data = yaml.safe_load((home / "facts" / "catalogue.yaml").read_text("utf-8"))
    assert all(f"khẩu hiệu {n} {{n}} lần" in data["ignore"] for n in range(6))


def test_a_token_is_required_off_loopback(home):
    from starlette.testclient import TestClient

    from reportgen.web.app import create_app

    with TestClient(create_app("s3cret-token", workers=1)) as c:
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
    """`reportgen serve` on a free port of 127.0.0.1, for the project copy `home`."""

    def __init__(self, home: Path) -> None:
        self.home, self.port = home, _free_port()

    def __enter__(self) -> str:
        import os

        self.proc = subprocess.Popen([sys.executable, "-m", "reportgen", "serve", "--port", str(self.port)],
                                     env={**os.environ, "REPORTGEN_HOME": str(self.home)},
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{self.port}"
        _wait(base + "/")
        return base

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def test_the_server_answers_while_a_build_runs(home):
    """Builds run in worker processes: the pages answer at once during one."""
    import httpx

    with _server(home) as base:
        with httpx.Client(base_url=base, timeout=120) as c:
            csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/").text).group(1)
            result: dict = {}
            t = threading.Thread(target=lambda: result.update(
                r=c.post("/build", data={"csrf": csrf, "province": "Quảng Ngãi", "date": DATE})))
            t.start()
            time.sleep(0.3)
            with httpx.Client(base_url=base, timeout=60) as other:
                assert other.get("/documents").status_code == 200
                still_building = t.is_alive() and "r" not in result     # answered before the build ended
            t.join()
            assert result["r"].status_code == 200 and "Tải PDF" in result["r"].text
            assert still_building

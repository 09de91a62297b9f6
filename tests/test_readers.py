"""Documents as the office receives them (issue #9): web pages, Word files and PDFs give
the same facts as their plain text; scans, encrypted, damaged and oversized files are
refused by name; the fact base records what read each file and notices a change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import CATALOGUE, CORRECTIONS, ROOT, SEEDS
from formats import paragraphs, scan_of, scanned_pdf, to_docx, to_html, to_pdf

NOTICE = "003_7687aff471724f1c.txt"


def _cli(home: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = dict(os.environ, REPORTGEN_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "reportgen", *map(str, args)], cwd=home, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _office(tmp: Path, seeds: list[Path]) -> Path:
    home = tmp / "office"
    (home / "seeds").mkdir(parents=True)
    (home / "facts").mkdir()
    for name in ("catalogue.yaml", "corrections.yaml", "registry.yaml"):
        shutil.copy(ROOT / "facts" / name, home / "facts" / name)
    for p in seeds:
        shutil.copy(p, home / "seeds" / p.name)
    return home


CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def plain_folder(tmp_path_factory) -> Path:
    """The seeds and the corpus of test_corpus as plain text: the reference."""
    folder = tmp_path_factory.mktemp("plain")
    for seed in sorted(SEEDS.glob("*.txt")) + sorted(CORPUS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    return folder


@pytest.fixture(scope="module")
def converted(tmp_path_factory, plain_folder) -> dict[str, Path]:
    """The same documents as web pages, Word files and PDFs, a folder per format."""
    root = tmp_path_factory.mktemp("formats")
    folders = {}
    for fmt in ("html", "docx", "pdf"):
        folders[fmt] = root / fmt
        folders[fmt].mkdir()
    for seed in sorted(plain_folder.iterdir()):
        text = seed.read_text("utf-8")
        (folders["html"] / f"{seed.stem}.html").write_text(to_html(text), "utf-8")
        to_docx(text, folders["docx"] / f"{seed.stem}.docx")
        to_pdf(text, folders["pdf"] / f"{seed.stem}.pdf")
    return folders


def _facts(seeds: Path) -> dict:
    from reportgen.build_facts import build
    from reportgen.catalogue import load_catalogue
    from reportgen.corrections import load_corrections

    return build(seeds, load_catalogue(CATALOGUE), load_corrections(CORRECTIONS)).model_dump()


def _comparable(fb: dict) -> dict:
    """Each record without its id and with its source's stem: the same facts whatever the file's format."""
    stem = lambda s: Path(s).stem  # noqa: E731
    out = {}
    for kind in ("figures", "targets", "tasks", "statements", "bridge_points"):
        out[kind] = sorted(repr(sorted({**{k: v for k, v in r.items() if k != "id"}, "source": stem(r["source"]),
                                        "also_in": sorted(map(stem, r.get("also_in", [])))}.items()))
                           for r in fb[kind])
    out["events"] = sorted(repr((e["date"], e["number"], e["kind"], e["body"], sorted(map(stem, e["sources"]))))
                           for e in fb["events"])
    out["documents"] = sorted(repr((stem(d["id"]), d["kind"], d["number"], d["issued"], d["event_date"], d["session"],
                                    d["body"], d["province"])) for d in fb["documents"])
    return out


@pytest.fixture(scope="module")
def plain(plain_folder) -> dict:
    return _comparable(_facts(plain_folder))


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_the_same_documents_in_another_format_give_the_same_facts(converted, plain, fmt):
    other = _comparable(_facts(converted[fmt]))
    for kind in plain:
        assert other[kind] == plain[kind], f"{fmt}: {kind} differ"


def test_readers_are_recorded(converted):
    fb = _facts(converted["pdf"])
    assert {d["reader"].split(" (")[0] for d in fb["documents"]} == {"pdf"}
    assert all("pdfplumber" in d["reader"] for d in fb["documents"])
    fb = _facts(converted["html"])
    assert all(d["reader"].startswith("html (trafilatura") for d in fb["documents"])


def test_a_web_page_gives_its_article_only_and_its_own_metadata(tmp_path):
    from reportgen.readers import read

    text = (SEEDS / "004_5957c542c223577d.txt").read_text("utf-8")
    page = tmp_path / "bai-viet.html"
    page.write_text(to_html(text, title="Phiên họp thứ 9 Ủy ban Quốc gia về chuyển đổi số", published="2024-07-10",
                            url="https://vnexpress.net/phien-hop-thu-9.html"), "utf-8")
    r = read(page)
    for boilerplate in ("0912", "345 678", "Trang chủ", "Tin liên quan", "81%", "5,5 triệu", "999 triệu", "Giấy phép",
                        "4792", "dataLayer"):
        assert boilerplate not in r.text
    assert paragraphs(text)[1] in r.text            # the article's paragraphs, verbatim
    assert r.meta.published == "2024-07-10" and r.meta.url == "https://vnexpress.net/phien-hop-thu-9.html"
    assert r.text.startswith("Phiên họp thứ 9 Ủy ban Quốc gia về chuyển đổi số\n")
    home = _office(tmp_path, [page])
    assert _cli(home, "facts", "build").returncode == 0
    fb = yaml.safe_load((home / "facts" / "factbase.yaml").read_text("utf-8"))
    doc = fb["documents"][0]
    assert doc["url"] == "https://vnexpress.net/phien-hop-thu-9.html" and doc["published"] == "2024-07-10"
    assert doc["event_date"] == "2024-07-10" and doc["session"] == 9      # "chiều 10/7" dated by the page's year
    assert not {f["value"] for f in fb["figures"]} & {912, 345, 678, 999_000_000, 81, 5_500_000}


_ISSUER = ["VĂN PHÒNG CHÍNH PHỦ", "Số: 71/TB-VPCP"]
_MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 20 tháng 02 năm 2026"]
_NOTICE_BODY = """THÔNG BÁO
Kết luận của Thủ tướng Chính phủ tại Phiên họp tổng kết năm 2025 của Ủy ban Quốc gia về chuyển đổi số
Ngày 12 tháng 02 năm 2026, Thủ tướng Chính phủ Phạm Minh Chính, Chủ tịch Ủy ban Quốc gia về chuyển đổi số đã chủ trì Phiên họp tổng kết năm 2025 của Ủy ban Quốc gia về chuyển đổi số. Sau khi nghe báo cáo và ý kiến các đại biểu, Thủ tướng Chính phủ kết luận như sau:
1. Những kết quả đạt được
Năm 2025, cả nước đã kích hoạt 70,2 triệu tài khoản định danh điện tử; tỷ lệ hồ sơ được xử lý trực tuyến đạt 61,5%, vượt mục tiêu đề ra cho năm. Các bộ, ngành, địa phương đã tích cực vào cuộc, nhiều mô hình hay được nhân rộng trên cả nước và được người dân đánh giá cao.
5. Nhiệm vụ, giải pháp trọng tâm
Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương chỉ đạo hoàn thành số hóa dữ liệu đất đai trên địa bàn, hoàn thành trước ngày 30 tháng 6 năm 2026; Bộ Công an hướng dẫn việc kết nối, chia sẻ dữ liệu với Cơ sở dữ liệu quốc gia về dân cư.
Văn phòng Chính phủ thông báo để các cơ quan, đơn vị liên quan biết, thực hiện./."""


def test_an_official_pdf_reads_its_two_column_header_and_drops_running_lines(tmp_path):
    from reportgen.readers import read

    filler = "\n".join(f"Đoạn {i}: các bộ, ngành tiếp tục rà soát, cập nhật dữ liệu và báo cáo định kỳ theo quy định "
                       "để bảo đảm tiến độ chung, tránh chồng chéo giữa các hệ thống thông tin." for i in range(1, 40))
    body = _NOTICE_BODY.replace("5. Nhiệm vụ", filler + "\n5. Nhiệm vụ")
    pdf = to_pdf(body, tmp_path / "tb-71.pdf", header=(_ISSUER, _MOTTO), centred=2)
    r = read(pdf)
    lines = r.text.split("\n")
    assert lines[:5] == _ISSUER + _MOTTO                    # column by column, not across
    assert "Cổng Thông tin điện tử" not in r.text and "Trang 1/" not in r.text and "Trang 2" not in r.text
    assert lines.count("THÔNG BÁO") == 1
    for p in paragraphs(body)[2:]:
        assert p in lines, p                                 # paragraphs rejoined across lines and pages
    home = _office(tmp_path, [pdf])
    assert _cli(home, "facts", "build").returncode == 0
    fb = yaml.safe_load((home / "facts" / "factbase.yaml").read_text("utf-8"))
    doc = fb["documents"][0]
    assert (doc["kind"], doc["number"], doc["issued"], doc["event_date"]) == ("notice", "71/TB-VPCP", "2026-02-20",
                                                                              "2026-02-12")
    assert doc["issuer"] == "Văn phòng Chính phủ"
    chairs = [t for t in fb["tasks"] if "provincial_chairs" in t["responsible"]]
    assert chairs and chairs[0]["deadline"] == "2026-06-30"


def test_a_word_file_reads_its_header_table_in_order(tmp_path):
    from reportgen.readers import read

    path = to_docx(_NOTICE_BODY, tmp_path / "tb-71.docx", header=(_ISSUER, _MOTTO))
    r = read(path)
    assert r.text.split("\n")[:5] == _ISSUER + _MOTTO
    assert r.meta.title == "THÔNG BÁO" and r.meta.created          # the core properties


def test_a_scanned_pdf_is_refused_by_name_and_skip_bad_skips_it(tmp_path):
    scan = scanned_pdf("x", tmp_path / "cong-van-scan.pdf")
    home = _office(tmp_path, [scan, SEEDS / NOTICE])
    r = _cli(home, "facts", "build")
    assert r.returncode == 2 and "cong-van-scan.pdf" in r.stderr and "no text layer" in r.stderr
    assert "Traceback" not in r.stderr and not (home / "facts" / "factbase.yaml").exists()
    r = _cli(home, "facts", "build", "--skip-bad")
    assert r.returncode == 0 and "cong-van-scan.pdf" in r.stderr
    fb = yaml.safe_load((home / "facts" / "factbase.yaml").read_text("utf-8"))
    assert [d["id"] for d in fb["documents"]] == [NOTICE]


def _zip_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/media/big.bin", "w") as f:
            chunk = b"\0" * (1 << 20)
            for _ in range(100):
                f.write(chunk)
    return path


def _encrypted(path: Path, tmp: Path) -> Path:
    import pikepdf

    plain = to_pdf(_NOTICE_BODY, tmp / "plain.pdf")
    with pikepdf.open(plain) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="mat-khau", owner="chu", R=6))
    return path


def _many_pages(path: Path, tmp: Path) -> Path:
    import pikepdf

    one = to_pdf("Một trang.", tmp / "one.pdf")
    with pikepdf.open(one) as src:
        out = pikepdf.new()
        for _ in range(2000):
            out.pages.append(src.pages[0])
        out.save(path)
    return path


@pytest.mark.parametrize("make, words", [
    (lambda p, t: _zip_bomb(p.with_suffix(".docx")), ["unpacks to", "MiB"]),
    (lambda p, t: (p.with_suffix(".docx").write_bytes(b"PK\x03\x04" + os.urandom(3000)), p.with_suffix(".docx"))[1],
     ["damaged"]),
    (lambda p, t: _encrypted(p.with_suffix(".pdf"), t), ["encrypted"]),
    (lambda p, t: _many_pages(p.with_suffix(".pdf"), t), ["2000 pages", "300 pages"]),
    (lambda p, t: (p.with_suffix(".pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(5000)), p.with_suffix(".pdf"))[1],
     ["damaged"]),
    (lambda p, t: (p.with_suffix(".html").write_text(
        "<html><head><script>while(true){}</script></head><body><script>alert(1)</script></body></html>"),
        p.with_suffix(".html"))[1], ["no article text"]),
])
def test_hostile_files_are_refused_by_name(tmp_path, make, words):
    bad = make(tmp_path / "hong", tmp_path)
    home = _office(tmp_path, [bad, SEEDS / NOTICE])
    r = _cli(home, "facts", "build", timeout=120)
    assert r.returncode == 2, r.stderr
    assert bad.name in r.stderr and all(w in r.stderr for w in words), r.stderr
    assert "Traceback" not in r.stderr


def test_a_changed_file_is_noticed(tmp_path):
    home = _office(tmp_path, [SEEDS / NOTICE])
    assert _cli(home, "facts", "build").returncode == 0
    seed = home / "seeds" / NOTICE
    seed.write_text(seed.read_text("utf-8").replace("63 địa phương", "64 địa phương"), "utf-8")
    r = _cli(home, "facts", "verify")
    assert r.returncode == 1 and "has changed since the fact base was built" in r.stdout + r.stderr
    r = _cli(home, "build", "--province", "Quảng Ngãi", "--date", "2025-03-10", "--dry-run")
    assert r.returncode == 2 and "has changed" in r.stderr


def test_show_document_prints_what_was_read(tmp_path):
    text = (SEEDS / "001_d7dc914617694146.txt").read_text("utf-8")
    pdf = to_pdf(text, tmp_path / "phien-hop-8.pdf")
    home = _office(tmp_path, [pdf])
    assert _cli(home, "facts", "build").returncode == 0
    r = _cli(home, "facts", "show", "--document", "phien-hop-8.pdf")
    assert r.returncode == 0
    assert "read by pdf (pdfplumber" in r.stdout and paragraphs(text)[2][:60] in r.stdout
    assert "Facts taken from it" in r.stdout and "80,2%" in r.stdout
    r = _cli(home, "facts", "show", "--document", "khong-co.pdf")
    assert r.returncode == 2 and "no document of the fact base has this name" in r.stderr


def test_facts_add_copies_under_a_clean_name_and_refuses_the_same_content(tmp_path):
    text = (SEEDS / NOTICE).read_text("utf-8")
    docx_file = to_docx(text, tmp_path / "Thông báo 56 (bản Word).docx")
    home = _office(tmp_path, [])
    r = _cli(home, "facts", "add", docx_file)
    assert r.returncode == 0, r.stderr
    added = list((home / "seeds").iterdir())
    assert len(added) == 1 and added[0].suffix == ".docx" and added[0].name.isascii()
    assert added[0].name.startswith("2025-02-23-")
    assert "Thông báo số 56/TB-VPCP" in r.stdout and "06/02/2025" in r.stdout
    r = _cli(home, "facts", "add", docx_file)
    assert r.returncode == 2 and added[0].name in r.stderr and "same content" in r.stderr
    assert len(list((home / "seeds").iterdir())) == 1
    scan = scanned_pdf("x", tmp_path / "scan.pdf")
    r = _cli(home, "facts", "add", scan)
    assert r.returncode == 2 and "scan.pdf" in r.stderr and len(list((home / "seeds").iterdir())) == 1
    assert _cli(home, "facts", "build").returncode == 0


def test_ocr_reads_a_scan_and_marks_it(tmp_path):
    """With --ocr (tesseract-ocr-vie, installed by the README's test command) a scan is read
    and its facts are marked as OCR text; without it the scan is refused."""
    text = (CORPUS / "202_phien_hop_bcd_thu_3_baochinhphu.txt").read_text("utf-8")
    scan = scan_of(text, tmp_path / "bao-in-scan.pdf")
    home = _office(tmp_path, [scan])
    r = _cli(home, "facts", "build")
    assert r.returncode == 2 and "bao-in-scan.pdf" in r.stderr and "--ocr" in r.stderr
    r = _cli(home, "facts", "build", "--ocr", timeout=600)
    assert r.returncode == 0, r.stderr
    fb = yaml.safe_load((home / "facts" / "factbase.yaml").read_text("utf-8"))
    doc = fb["documents"][0]
    assert doc["ocr"] is True and "ocr (tesseract" in doc["reader"]
    assert (doc["event_date"], doc["session"], doc["body"]) == ("2025-09-24", 3, "government_steering_committee")
    values = {(f["metric"], f["value"]) for f in fb["figures"]}
    assert ("eid_accounts_activated", 66_100_000) in values and ("online_dossier_share", 47.5) in values
    assert _cli(home, "facts", "verify").returncode == 0
    r = _cli(home, "facts", "show", "--document", "bao-in-scan.pdf")
    assert "OCR text" in r.stdout and "Cổng Thông tin điện tử" not in r.stdout   # the running header is gone


# --- what a careful user found (review of issue 9) -------------------------------------------

def test_a_pdf_decompression_bomb_is_refused_not_a_hang(tmp_path):
    import zlib

    import pikepdf

    squeeze = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    packed = b"".join(squeeze.compress(chunk) for _ in range(2000)) + squeeze.flush()   # 2 GB of spaces
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(packed)
    pdf.pages[0].Contents.Filter = pikepdf.Name.FlateDecode
    bomb = tmp_path / "bom.pdf"
    pdf.save(bomb, compress_streams=False)
    assert bomb.stat().st_size < 5 * 1024 * 1024
    home = _office(tmp_path, [bomb])
    r = _cli(home, "facts", "build", timeout=240)
    assert r.returncode == 2 and "bom.pdf" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_directive_written_twice_is_one_task(tmp_path):
    text = (SEEDS / NOTICE).read_text("utf-8")
    line = next(p for p in paragraphs(text) if "57-NQ/TW" in p)
    twice = tmp_path / "hai-lan.txt"
    twice.write_text(text.replace(line, line + "\n" + line, 1), "utf-8")
    home = _office(tmp_path, [twice])
    r = _cli(home, "facts", "build")
    assert r.returncode == 0, r.stderr


def _closed_header_pdf(out: Path, body: str) -> Path:
    """An official header whose columns stand only 12 pt apart, as a 6 cm | 10 cm table makes them."""
    from weasyprint import HTML

    left = "<p>THỦ TƯỚNG CHÍNH PHỦ</p><p>Số: 35/CT-TTg</p>"
    right = ("<p>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p><p>Độc lập - Tự do - Hạnh phúc</p>"
             "<p>Hà Nội, ngày 06 tháng 11 năm 2025</p>")
    paras = "".join(f"<p class='b'>{p}</p>" for p in paragraphs(body))
    HTML(string=f"""<html lang='vi'><head><meta charset='utf-8'><style>
      @page {{ size: A4; margin: 20mm 15mm 20mm 30mm }} body {{ font-family: 'Liberation Serif'; font-size: 13pt }}
      td {{ vertical-align: top; font-weight: bold; padding: 0 }} td p {{ margin: 0 }}
      td.l {{ text-align: right; padding-right: 6pt; width: 58mm }} td.r {{ text-align: left; padding-left: 6pt }}
      p.b {{ text-indent: 1cm; text-align: justify; margin: 0 0 6pt 0 }}</style></head><body>
      <table style='border-collapse: collapse'><tr><td class='l'>{left}</td><td class='r'>{right}</td></tr></table>
      <p style='text-align:center; font-weight:bold; margin-top: 18pt'>CHỈ THỊ</p>{paras}</body></html>""").write_pdf(out)
    return out


def test_a_header_whose_columns_stand_close_is_still_read_column_by_column(tmp_path):
    from reportgen.readers import read

    pdf = _closed_header_pdf(tmp_path / "ct.pdf", "Thủ tướng Chính phủ chỉ thị các bộ, ngành thực hiện./.")
    lines = read(pdf).text.split("\n")
    assert lines[:5] == ["THỦ TƯỚNG CHÍNH PHỦ", "Số: 35/CT-TTg", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 06 tháng 11 năm 2025"]


def test_a_year_at_the_top_of_a_page_is_text_not_a_page_number():
    from reportgen.readers.pdf import _Line, _drop_running

    def line(page: int, top: float, text: str) -> _Line:
        return _Line(page, top, top + 12, 85, 300, 13, [(85, 300, text)], [(85, 300, text)])

    pages = [[line(0, 60, "… hoàn thành trong tháng 12 năm"), line(0, 800, "1")],
             [line(1, 60, "2025."), line(1, 80, "Tiếp theo."), line(1, 800, "2")]]
    kept = _drop_running(pages, [842.0, 842.0])
    assert [ln.text for ln in kept[1]] == ["2025.", "Tiếp theo."]      # the page numbers "1", "2" are gone
    assert [ln.text for ln in kept[0]] == ["… hoàn thành trong tháng 12 năm"]


def test_a_word_file_gives_what_word_shows(tmp_path):
    """Text inside a content control, a smart tag and a tracked insertion is read; deleted text is not;
    a line break inside a paragraph does not split it."""
    import docx
    from docx.oxml import parse_xml

    from reportgen.readers import read

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    d = docx.Document()
    d.add_paragraph("CÔNG ĐIỆN")
    body = d.element.body
    body.append(parse_xml(f'<w:p {w}><w:smartTag w:uri="urn:x" w:element="City"><w:r><w:t>Hà Nội</w:t></w:r>'
                          f'</w:smartTag><w:r><w:t>, ngày 22 tháng 10 năm 2025</w:t></w:r></w:p>'))
    body.append(parse_xml(f'<w:sdt {w}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Thủ tướng Chính phủ yêu cầu:</w:t>'
                          f'</w:r></w:p></w:sdtContent></w:sdt>'))
    body.append(parse_xml(f'<w:p {w}><w:r><w:t xml:space="preserve">Hoàn thành trước ngày </w:t></w:r>'
                          f'<w:del w:id="1" w:author="A"><w:r><w:delText>30/11/2025</w:delText></w:r></w:del>'
                          f'<w:ins w:id="2" w:author="A"><w:r><w:t>15/11/2025</w:t></w:r></w:ins>'
                          f'<w:r><w:br/><w:t>theo quy định.</w:t></w:r></w:p>'))
    path = tmp_path / "cd.docx"
    d.save(path)
    lines = read(path).text.strip().split("\n")
    assert lines == ["CÔNG ĐIỆN", "Hà Nội, ngày 22 tháng 10 năm 2025", "Thủ tướng Chính phủ yêu cầu:",
                     "Hoàn thành trước ngày 15/11/2025 theo quy định."]


_PORTAL = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258">
<title>Quảng Ngãi dự phiên họp thứ 3 Ban Chỉ đạo</title></head><body><table width="100%">
<tr><td class="banner">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH QUẢNG NGÃI</td></tr>
<tr><td class="menu"><a href="/">Trang chủ</a> | <a href="/gt">Giới thiệu</a> | <a href="/tt">Tin tức</a></td></tr>
<tr><td><table><tr><td class="left"><ul><li><a href="/a">Thủ tục hành chính</a></li></ul></td><td>
<div class="news-detail"><b>Quảng Ngãi dự phiên họp thứ 3 Ban Chỉ đạo</b>
<p>Chiều 24/9, tại điểm cầu tỉnh Quảng Ngãi, Chủ tịch UBND tỉnh Nguyễn Hoàng Giang chủ trì phiên họp thứ 3 của Ban Chỉ đạo của Chính phủ về phát triển khoa học, công nghệ, đổi mới sáng tạo, chuyển đổi số và Đề án 06.</p>
<p>Tỷ lệ hồ sơ được xử lý trực tuyến của tỉnh đạt 49,8%, cao hơn mức bình quân chung cả nước.</p></div>
<div class="other-news"><b>Các tin khác:</b><ul><li><a href="/c">Tỉnh đạt 55% hồ sơ trực tuyến (20/09/2025)</a></li></ul></div>
</td></tr></table></td></tr>
<tr><td class="footer">Cơ quan chủ quản: UBND tỉnh. Địa chỉ: 52 Hùng Vương. Đường dây nóng: 0912 345 678</td></tr>
</table></body></html>"""


def test_an_old_portal_in_windows_1258_with_layout_tables(tmp_path):
    from reportgen.readers import read

    page = tmp_path / "tin.html"
    page.write_bytes(_PORTAL.encode("cp1258", errors="xmlcharrefreplace"))   # Windows-1258, as such portals serve
    r = read(page)
    assert "Tỷ lệ hồ sơ được xử lý trực tuyến của tỉnh đạt 49,8%" in r.text
    for junk in ("Trang chủ", "0912", "Hùng Vương", "Các tin khác", "55%", "CỔNG THÔNG TIN"):
        assert junk not in r.text
    assert r.meta.published is None          # no date in its markup: none guessed from "(20/09/2025)"


def test_pages_that_are_no_article_are_refused(tmp_path):
    redirect = tmp_path / "chuyen-huong.html"
    redirect.write_text('<html><head><meta http-equiv="refresh" content="0; url=https://baochinhphu.vn/a.htm">'
                        "<title>Đang chuyển hướng...</title></head><body><p>Đang chuyển hướng...</p></body></html>",
                        "utf-8")
    rtf = tmp_path / "cong-dien.docx"
    rtf.write_bytes(b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Cong dien so 180}")
    doc = tmp_path / "cong-dien-cu.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000)
    for bad, words in ((redirect, "redirects"), (rtf, "Rich Text Format"), (doc, "old Word (.doc)")):
        home = _office(tmp_path / bad.stem, [bad])
        r = _cli(home, "facts", "build")
        assert r.returncode == 2 and bad.name in r.stderr and words in r.stderr, r.stderr


def test_a_scan_with_a_signature_stamp_is_still_a_scan(tmp_path):
    import base64

    from weasyprint import HTML

    scan = scan_of((SEEDS / NOTICE).read_text("utf-8"), tmp_path / "scan.pdf")
    import subprocess as sp

    sp.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(scan), str(tmp_path / "pg")], check=True)
    png = base64.b64encode(next(tmp_path.glob("pg*.png")).read_bytes()).decode()
    stamped = tmp_path / "scan-ky-so.pdf"
    HTML(string=f"<html><body style='margin:0'><img src='data:image/png;base64,{png}' style='width:180mm'>"
                "<p style='position:absolute; top:5mm; right:5mm; font-size:8pt'>Người ký: Văn phòng Chính phủ "
                "Email: vanthu@chinhphu.vn Thời gian ký: 23.02.2025 17:05:12 +07:00</p></body></html>",
         base_url=str(tmp_path)).write_pdf(stamped)
    home = _office(tmp_path, [stamped])
    r = _cli(home, "facts", "build")
    assert r.returncode == 2 and "scan-ky-so.pdf" in r.stderr and "no text layer" in r.stderr


def test_facts_add_refuses_the_same_document_in_another_format_and_a_folder(tmp_path):
    text = (SEEDS / NOTICE).read_text("utf-8")
    home = _office(tmp_path, [])
    assert _cli(home, "facts", "add", to_docx(text, tmp_path / "tb56.docx")).returncode == 0
    r = _cli(home, "facts", "add", to_pdf(text, tmp_path / "tb56.pdf"))
    assert r.returncode == 2 and "same document" in r.stderr and "--force" in r.stderr
    assert _cli(home, "facts", "add", "--force", tmp_path / "tb56.pdf").returncode == 0
    r = _cli(home, "facts", "add", tmp_path)
    assert r.returncode == 2 and "is a folder" in r.stderr
    r = _cli(home, "facts", "add", "/dev/zero")        # was "no such file" (helper-30)
    assert r.returncode == 2 and "/dev/zero: not a file" in r.stderr


def test_a_document_dropped_in_after_the_build_is_noticed(tmp_path):
    home = _office(tmp_path, [SEEDS / NOTICE])
    assert _cli(home, "facts", "build").returncode == 0
    shutil.copy(SEEDS / "000_d4cb23978cb4175d.txt", home / "seeds")
    r = _cli(home, "facts", "verify")
    assert r.returncode == 1 and "000_d4cb23978cb4175d.txt" in r.stdout + r.stderr and "facts build" in r.stdout + r.stderr


# --- issue 17, items 8 and 9: budgets, Word files in bounded memory, duplicate parts, BOM ------

def _slow_pdf(path: Path, runs: int, comments: int) -> Path:
    """One page whose text takes pdfplumber long to read (many tiny text runs), and `comments`
    lines "% /Type /Page" after the end of the file: strings that name pages without being pages."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"".join(b"BT /F1 1 Tf %d %d Td (so lieu hop) Tj ET\n"
                                             % (20 + i % 500, 20 + (i // 500) % 800) for i in range(runs)))
    pdf.save(path)
    with path.open("ab") as f:
        f.write(b"".join(b"%% /Type /Page %d\n" % i for i in range(comments)))
    return path


def test_a_pdf_gets_the_time_of_its_real_pages_not_of_page_strings(tmp_path):
    """Item 8: the PDF's time limit grew with the count of "/Type /Page" anywhere in its bytes,
    comments included (a one-page file got 610 s). Now it comes from the page tree once the
    file is open: one page, its small budget (30 s + 3 s, a fifth of it here), however many
    such strings it holds — and a page that takes longer is set aside by name."""
    slow = _slow_pdf(tmp_path / "mot-trang.pdf", 40_000, 400)
    home = _office(tmp_path, [slow])
    env = dict(os.environ, REPORTGEN_HOME=str(home), REPORTGEN_BUDGET_TIME_SCALE="0.2")
    r = subprocess.run([sys.executable, "-m", "reportgen", "facts", "build"], cwd=home, env=env, capture_output=True,
                       text=True, timeout=240)
    assert r.returncode == 2, r.stderr
    assert "mot-trang.pdf: the PDF (1 page) could not be read within the document's time budget of 6.6 s" in r.stderr, \
        r.stderr


def _word_file(out: Path, documents: list[bytes]) -> Path:
    """A Word file (python-docx's own parts) whose word/document.xml is each of `documents`
    in turn: two of them make two parts of one name."""
    import io
    import warnings

    import docx

    base = io.BytesIO()
    docx.Document().save(base)
    source = zipfile.ZipFile(base)
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        warnings.simplefilter("ignore")       # "Duplicate name": that is the point
        for info in source.infolist():
            for data in (documents if info.filename == "word/document.xml" else [source.read(info.filename)]):
                z.writestr(info.filename, data)
    return out


def _document_xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
            '"http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' + body
            + "</w:body></w:document>").encode()


def _para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def test_a_word_file_with_a_huge_text_part_is_refused_by_name_quickly(tmp_path):
    """Item 8: a 207 kB Word file whose document.xml unpacks to 58 MB ran over 22 minutes at
    1.5 GB. Real documents need a few MB; over 16 MiB is refused by name at once."""
    para = _para("Tỷ lệ hồ sơ trực tuyến đạt 80% trong năm 2024, tăng 5% so với năm 2023.")
    big = _word_file(tmp_path / "lon.docx", [_document_xml(para * (58_000_000 // len(para.encode())))])
    assert big.stat().st_size < 1024 * 1024
    home = _office(tmp_path, [big, SEEDS / NOTICE])
    start = time.monotonic()
    r = _cli(home, "facts", "build", timeout=120)
    assert r.returncode == 2 and "lon.docx" in r.stderr and "16 MiB" in r.stderr, r.stderr
    assert time.monotonic() - start < 60


def test_a_word_file_is_read_in_bounded_memory(tmp_path):
    """Item 8: python-docx built the whole tree of document.xml (15 MB of markup: 280 MB).
    It is read as a stream now: memory grows with the text, not with the markup."""
    text = _para("Phiên họp thứ 12 Ủy ban Quốc gia về chuyển đổi số: đạt 80% hồ sơ trực tuyến.")
    junk = ('<w:r><w:rPr><w:b/><w:i/><w:sz w:val="26"/></w:rPr><w:t></w:t></w:r>'
            '<w:bookmarkStart w:id="1" w:name="a"/><w:bookmarkEnd w:id="1"/>')
    body = text[:-len("</w:p>")] + junk * (15 * 1024 * 1024 // len(junk)) + "</w:p>"
    doc = _word_file(tmp_path / "nhieu-dinh-dang.docx", [_document_xml(body)])
    code = ("import resource, sys\nfrom pathlib import Path\nfrom reportgen.readers import read\n"
            "text = read(Path(sys.argv[1])).text\n"
            "own = next(line for line in open('/proc/self/status') if line.startswith('VmHWM:')).split()[1]\n"
            "print(own, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "print(text)")
    r = subprocess.run([sys.executable, "-c", code, str(doc)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    peaks, read = r.stdout.split("\n", 1)
    assert "đạt 80% hồ sơ trực tuyến" in read
    # (VmHWM: ru_maxrss would count the test process this one was forked from)
    assert max(map(int, peaks.split())) < 150 * 1024, f"peak RSS (KB, of the process and of its worker): {peaks}"


def test_a_word_file_with_two_parts_of_one_name_is_refused(tmp_path):
    """Item 9: with two word/document.xml in its zip, the file was read from the last one
    while unzip (and other programs) show the first."""
    two = _word_file(tmp_path / "hai-phan.docx", [
        _document_xml(_para("Phiên họp thứ 12: tỷ lệ hồ sơ trực tuyến đạt 80%.")),
        _document_xml(_para("Phiên họp thứ 12: tỷ lệ hồ sơ trực tuyến đạt 95%."))])
    assert [i.filename for i in zipfile.ZipFile(two).infolist()].count("word/document.xml") == 2
    home = _office(tmp_path, [SEEDS / NOTICE])
    r = _cli(home, "facts", "add", two)
    assert r.returncode == 2 and "hai-phan.docx" in r.stderr and "two parts named 'word/document.xml'" in r.stderr, \
        r.stderr
    shutil.copy(two, home / "seeds" / two.name)
    r = _cli(home, "facts", "build")
    assert r.returncode == 2 and "hai-phan.docx" in r.stderr and "two parts named" in r.stderr, r.stderr


@pytest.mark.parametrize("content", [b"\xef\xbb\xbf", b"\xef\xbb\xbf \r\n\t\n", b"\xef\xbb\xbf\xef\xbb\xbf\n"],
                         ids=["bom", "bom and spaces", "two boms"])
def test_a_file_of_only_a_byte_order_mark_is_empty(tmp_path, content):
    """Item 9: a file holding only a BOM (or spaces after one) was accepted as a document."""
    bom = tmp_path / "chi-bom.txt"
    bom.write_bytes(content)
    home = _office(tmp_path, [SEEDS / NOTICE])
    r = _cli(home, "facts", "add", bom)
    assert r.returncode == 2 and "chi-bom.txt" in r.stderr and "empty" in r.stderr, r.stderr
    shutil.copy(bom, home / "seeds" / bom.name)
    r = _cli(home, "facts", "build", "--skip-bad")
    assert r.returncode == 0 and "skipped chi-bom.txt: the document is empty" in r.stderr, r.stderr

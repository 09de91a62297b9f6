"""reportgen sign / signatures (issue #11): a briefing signed by the signer, then by the
organisation, validated by pyHanko against a test root the tests make; stamps where Decree
30 puts them; PDF/A kept; bad input refused with no file written."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT
from pki import make

MM = 72 / 25.4


def _cli(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reportgen", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, **(env or {})))


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> dict:
    from PIL import Image, ImageDraw

    folder = tmp_path_factory.mktemp("sign")
    certs = make(folder)
    (folder / "pw").write_text("mat-khau\n", "utf-8")
    sig = Image.new("RGBA", (600, 300), (0, 0, 0, 0))
    ImageDraw.Draw(sig).line([(40, 200), (160, 80), (260, 220), (380, 90), (560, 180)], fill=(20, 40, 200, 255), width=14)
    sig.save(folder / "chu-ky.png")
    seal = Image.new("RGBA", (500, 500), (0, 0, 0, 0))
    ImageDraw.Draw(seal).ellipse((10, 10, 490, 490), outline=(210, 20, 20, 255), width=24)
    seal.save(folder / "con-dau.png")
    r = _cli(folder, "build", "--province", "Quảng Ngãi", "--date", "2025-03-10", "--format", "pdf", "--out", folder,
             env={"REPORTGEN_HOME": str(ROOT)})
    assert r.returncode == 0, r.stderr
    pdf = next((folder / "quang-ngai").glob("*.pdf"))
    return {"dir": folder, "pdf": pdf, **certs}


@pytest.fixture(scope="module")
def signed(kit) -> dict:
    d = kit["dir"]
    r = _cli(d, "sign", kit["pdf"], "--cert", kit["signer"], "--password-file", d / "pw", "--image", d / "chu-ky.png")
    assert r.returncode == 0, r.stderr
    first = kit["pdf"].with_name(kit["pdf"].stem + ".signed.pdf")        # the default name, beside the input
    final = d / "final.pdf"
    r = _cli(d, "sign", first, "--cert", kit["org"], "--image", d / "con-dau.png", "--organisation", "--out", final,
             env={"REPORTGEN_CERT_PASSWORD": "mat-khau"})
    assert r.returncode == 0, r.stderr
    return {"first": first, "final": final}


def test_two_pades_signatures_validate_and_the_first_survives_the_second(kit, signed):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = load_cert_from_pemder(str(kit["root"]))
    with signed["final"].open("rb") as f:
        sigs = PdfFileReader(f).embedded_signatures
        assert [s.field_name for s in sigs] == ["ChuKyNguoiKy", "ChuKyCoQuan"]
        statuses = [validate_pdf_signature(s, ValidationContext(trust_roots=[root], allow_fetching=False)) for s in sigs]
        subfilters = [str(s.sig_object["/SubFilter"]) for s in sigs]
    assert all(s.intact and s.valid and s.trusted for s in statuses)
    assert statuses[0].modification_level.name == "FORM_FILLING"      # the seal added after it, nothing else
    assert subfilters == ["/ETSI.CAdES.detached"] * 2
    assert signed["final"].read_bytes().startswith(signed["first"].read_bytes())   # an incremental update
    assert b"/ByteRange" not in kit["pdf"].read_bytes()                           # the input is untouched


def test_pdfa_identification_and_metadata_are_kept(kit, signed):
    import pikepdf

    with pikepdf.open(signed["final"]) as pdf:
        assert pdf.open_metadata().pdfa_status == "2B" and str(pdf.Root.Lang) == "vi"
        assert "Quảng Ngãi" in str(pdf.docinfo.Title)


def test_stamps_sit_where_decree_30_puts_them(kit, signed):
    import pdfplumber
    import pikepdf

    with pdfplumber.open(kit["pdf"]) as doc:
        page_no = next(i for i, p in enumerate(doc.pages) if "Nơi nhận:" in (p.extract_text() or ""))
        page = doc.pages[page_no]
        height = float(page.height)
        words = page.extract_words(extra_attrs=["fontname"])
        title = [w for w in words if w["text"] in ("CHỦ", "TỊCH")]
        title_bottom, title_centre = max(w["bottom"] for w in title), (min(w["x0"] for w in title) + max(w["x1"] for w in title)) / 2
    with pikepdf.open(signed["final"]) as pdf:
        rects = {}
        for annot in pdf.pages[page_no].get("/Annots", []):
            if annot.get("/FT") == "/Sig" or "/T" in annot:
                rects[str(annot.T)] = [float(v) for v in annot.Rect]
    sx1, sy1, sx2, sy2 = rects["ChuKyNguoiKy"]
    top = height - sy2                                                   # pdfplumber's top of the stamp
    assert title_bottom <= top <= title_bottom + 8                       # right under the signature title
    assert abs((sx1 + sx2) / 2 - title_centre) < 2                       # centred on it
    ox1, oy1, ox2, oy2 = rects["ChuKyCoQuan"]
    assert abs((ox2 - ox1) - 36 * MM) < 1 and abs((oy2 - oy1) - 36 * MM) < 1      # the seal's real size
    assert abs(ox2 - (sx1 + (sx2 - sx1) / 3)) < 1                        # over the left third of the signature
    assert oy1 < (sy1 + sy2) / 2 < oy2


def test_the_signed_page_shows_blue_signature_and_red_seal(kit, signed, tmp_path):
    from PIL import Image

    subprocess.run(["pdftoppm", "-r", "40", "-png", str(signed["final"]), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    colours = set()
    for p in pages:
        raw = Image.open(p).convert("RGB").tobytes()
        for r, g, b in zip(raw[0::3], raw[1::3], raw[2::3]):
            if b > 150 and r < 90:
                colours.add("blue")
            if r > 170 and g < 80 and b < 80:
                colours.add("red")
    assert colours == {"blue", "red"}


def test_signatures_lists_them_and_exits_1_when_one_is_broken(kit, signed, tmp_path):
    d = kit["dir"]
    r = _cli(d, "signatures", signed["final"], "--trust", kit["root"], env={"COLUMNS": "200"})
    assert r.returncode == 0 and "Nguyễn Văn A" in r.stdout and "PAdES B-B" in r.stdout, r.stdout + r.stderr
    assert "Kết luận: ĐẠT" in r.stdout and "chỉ chữ ký sau: ChuKyCoQuan" in r.stdout and r.stderr == ""
    r = _cli(d, "signatures", _flip_signed_byte(signed["first"], tmp_path / "broken.pdf"), "--trust", kit["root"])
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert "KHÔNG ĐẠT" in r.stdout and "ChuKyNguoiKy: nội dung đã ký bị thay đổi" in r.stdout, r.stdout


# Tampered files, made as an attacker would: pyHanko's incremental writer appends an update
# to a signed file; the signatures' bytes stay as they were.

def _flip_signed_byte(pdf: Path, out: Path) -> Path:
    data = bytearray(pdf.read_bytes())
    at = data.find(b"/Producer")                                        # inside the signed bytes
    data[at + 12] ^= 0x01
    out.write_bytes(bytes(data))
    return out


def _draw_on_page_1(pdf: Path, out: Path, text: bytes = b"SUA DOI SAU KHI KY - 999%") -> Path:
    """An incremental update that adds a content stream drawing `text` on page 1."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    name = generic.pdf_name
    with pdf.open("rb") as f:
        w = IncrementalPdfFileWriter(f, strict=False)
        page = w.root["/Pages"]["/Kids"][0].get_object()
        font = w.add_object(generic.DictionaryObject({name("/Type"): name("/Font"), name("/Subtype"): name("/Type1"),
                                                      name("/BaseFont"): name("/Helvetica")}))
        drawing = w.add_object(generic.StreamObject(stream_data=b"BT /FX 24 Tf 60 400 Td (" + text + b") Tj ET"))
        contents = page.raw_get("/Contents")
        page["/Contents"] = generic.ArrayObject([*(contents if isinstance(contents, generic.ArrayObject) else [contents]),
                                                 drawing])
        resources = page["/Resources"]
        if "/Font" in resources:
            resources["/Font"][name("/FX")] = font
            w.update_container(resources["/Font"])
        else:
            resources[name("/Font")] = generic.DictionaryObject({name("/FX"): font})
        w.update_container(resources)
        w.update_container(page)
        with out.open("wb") as o:
            w.write(o)
    return out


def _page_1_text(pdf: Path) -> str:
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return doc.pages[0].extract_text() or ""


def _signatures(kit, pdf: Path, *roots: Path) -> subprocess.CompletedProcess:
    trust = [a for root in roots for a in ("--trust", root)]
    return _cli(kit["dir"], "signatures", pdf, *trust, env={"COLUMNS": "200"})


def test_text_drawn_on_page_1_after_both_signatures_fails_for_both(kit, signed, tmp_path):
    tampered = _draw_on_page_1(signed["final"], tmp_path / "tampered.pdf")
    assert "SUADOISAUKHIKY-999%" in _page_1_text(tampered).replace(" ", "")   # the change is there to see
    r = _signatures(kit, tampered, kit["root"])
    assert r.returncode == 1, r.stdout
    assert r.stderr == ""                                                   # no pyHanko log, no traceback
    assert "Kết luận: KHÔNG ĐẠT" in r.stdout and "FAIL" in r.stdout
    verdict = r.stdout.splitlines()[-1]
    assert "ChuKyNguoiKy: nội dung bị sửa sau khi ký" in verdict and "ChuKyCoQuan: nội dung bị sửa sau khi ký" in verdict
    assert "the document was changed after it was signed" in verdict
    assert "có, ngoài phép" in r.stdout


def test_a_seal_applied_over_a_change_does_not_hide_it(kit, signed, tmp_path):
    """Drawn after the signer's signature, then sealed with pyHanko directly (reportgen sign
    refuses to): the seal itself holds, the signer's signature does not."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    changed = _draw_on_page_1(signed["first"], tmp_path / "changed.pdf")
    org = signers.SimpleSigner.load_pkcs12(kit["org"], passphrase=b"mat-khau")
    sealed = tmp_path / "sealed.pdf"
    with changed.open("rb") as f, sealed.open("wb") as o:
        signers.sign_pdf(IncrementalPdfFileWriter(f, strict=False), signers.PdfSignatureMetadata(field_name="ChuKyCoQuan"),
                         signer=org, new_field_spec=fields.SigFieldSpec("ChuKyCoQuan", on_page=0, box=(60, 60, 160, 160)),
                         output=o)
    r = _signatures(kit, sealed, kit["root"])
    assert r.returncode == 1 and r.stderr == "", r.stdout + r.stderr
    verdict = r.stdout.splitlines()[-1]
    assert "ChuKyNguoiKy: nội dung bị sửa sau khi ký" in verdict and "ChuKyCoQuan:" not in verdict


def test_a_root_the_signers_do_not_chain_to_is_not_trust(kit, signed):
    r = _signatures(kit, signed["final"], kit["other_root"])
    assert r.returncode == 1 and r.stderr == "", r.stdout + r.stderr
    assert "ChuKyNguoiKy: chứng thư không thuộc gốc tin cậy đã cho (--trust)" in r.stdout
    assert "ChuKyCoQuan: chứng thư không thuộc gốc tin cậy đã cho (--trust)" in r.stdout
    r = _signatures(kit, signed["final"], kit["other_root"], kit["root"])     # one of the roots given is theirs
    assert r.returncode == 0 and "Kết luận: ĐẠT" in r.stdout, r.stdout
    r = _signatures(kit, signed["final"])                                     # not checked, and said so
    assert r.returncode == 0 and "chưa kiểm tra nguồn tin cậy" in r.stdout and "trust not checked" in r.stdout


def test_a_later_signature_by_someone_else_is_reported_with_its_own_verdict(kit, signed, tmp_path):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    intruder = signers.SimpleSigner.load_pkcs12(kit["intruder"], passphrase=b"mat-khau")
    out = tmp_path / "third.pdf"
    with signed["final"].open("rb") as f, out.open("wb") as o:
        signers.sign_pdf(IncrementalPdfFileWriter(f, strict=False), signers.PdfSignatureMetadata(field_name="ChuKyKhac"),
                         signer=intruder, new_field_spec=fields.SigFieldSpec("ChuKyKhac", on_page=0, box=(60, 60, 260, 160)),
                         output=o)
    r = _signatures(kit, out, kit["root"])
    assert r.returncode == 1 and r.stderr == ""
    verdict = r.stdout.splitlines()[-1]
    assert "ChuKyKhac: chứng thư không thuộc gốc tin cậy" in verdict and "Kẻ Mạo Danh" in r.stdout
    assert "ChuKyNguoiKy:" not in verdict and "ChuKyCoQuan:" not in verdict  # a later signature is what they allow


@pytest.mark.parametrize("case", ["junk", "old-trailer", "empty-field", "new-title", "annotation"])
def test_anything_added_after_the_last_signature_fails(kit, signed, tmp_path, case):
    import re

    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    data = signed["final"].read_bytes()
    out = tmp_path / f"{case}.pdf"
    if case == "junk":                          # appended after the last %%EOF: no revision, no viewer shows it
        out.write_bytes(data + b"\n% SUA DOI 999%\n")
        expected = "byte lạ sau lần cập nhật cuối"
    elif case == "old-trailer":                 # objects and a trailer pointing back at the signed revision
        last = re.findall(rb"startxref\s+(\d+)\s+%%EOF", data)[-1]
        out.write_bytes(data + b"99 0 obj (999%) endobj\nstartxref\n" + last + b"\n%%EOF\n")
        expected = "byte lạ sau lần cập nhật cuối"
    else:
        from pyhanko.sign import fields

        name = generic.pdf_name
        with signed["final"].open("rb") as f, out.open("wb") as o:
            w = IncrementalPdfFileWriter(f, strict=False)
            if case == "empty-field":           # an empty signature field added after the organisation's
                fields.append_signature_field(w, fields.SigFieldSpec("ThemSau", on_page=0, box=(100, 100, 300, 200)))
            elif case == "new-title":           # the title a viewer shows, changed
                w.trailer["/Info"][name("/Title")] = generic.TextStringObject("Thông báo đã sửa")
                w.update_container(w.trailer["/Info"])
            else:                               # a note on page 1 that shows 999%
                page = w.root["/Pages"]["/Kids"][0].get_object()
                page[name("/Annots")] = generic.ArrayObject([w.add_object(generic.DictionaryObject({
                    name("/Type"): name("/Annot"), name("/Subtype"): name("/FreeText"),
                    name("/Rect"): generic.ArrayObject([generic.FloatObject(v) for v in (50, 50, 300, 100)]),
                    name("/Contents"): generic.TextStringObject("999%"),
                    name("/DA"): generic.TextStringObject("/Helv 20 Tf 0 g")}))])
                w.update_container(page)
            w.write(o)
        expected = "ChuKyNguoiKy: nội dung bị sửa sau khi ký" if case == "annotation" else \
            "ChuKyCoQuan: có thay đổi sau chữ ký cuối cùng"
    r = _signatures(kit, out, kit["root"])
    assert r.returncode == 1 and r.stderr == "", r.stdout + r.stderr
    assert expected in r.stdout.splitlines()[-1], r.stdout
    if case == "junk":
        whitespace = tmp_path / "whitespace.pdf"
        whitespace.write_bytes(data + b"\r\n\n")                         # line ends after %%EOF are no change
        assert _signatures(kit, whitespace, kit["root"]).returncode == 0


def test_a_damaged_signature_or_no_signature_is_a_verdict_not_a_crash(kit, signed, tmp_path):
    data = bytearray(signed["final"].read_bytes())
    at = data.find(b"/Contents <") + len(b"/Contents <")                   # the signer's CMS, its first bytes
    data[at:at + 2] = b"ff"
    damaged = tmp_path / "cms.pdf"
    damaged.write_bytes(bytes(data))
    r = _signatures(kit, damaged, kit["root"])
    assert r.returncode == 1 and r.stderr == "", r.stdout + r.stderr
    assert "ChuKyNguoiKy: chữ ký hỏng, không đọc được" in r.stdout
    assert "ChuKyCoQuan: nội dung đã ký bị thay đổi" in r.stdout          # the seal signed those bytes too
    r = _signatures(kit, kit["pdf"])
    assert r.returncode == 1 and "tệp không có chữ ký số" in r.stdout and "the file has no signature" in r.stdout
    r = _signatures(kit, kit["dir"] / "pw")
    assert r.returncode == 2 and "cannot be read as a PDF" in r.stderr and "Traceback" not in r.stderr
    r = _signatures(kit, signed["final"], kit["signer"])                  # a PKCS#12 file is no root certificate
    assert r.returncode == 2 and "not a PEM or DER certificate" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("case", ["flipped-byte", "drawn-after-signer"])
def test_the_organisation_does_not_seal_a_broken_or_modified_document(kit, signed, tmp_path, case):
    d = kit["dir"]
    if case == "flipped-byte":
        pdf = _flip_signed_byte(signed["first"], tmp_path / "broken.pdf")
        expected = "ChuKyNguoiKy: the signed bytes were changed"
    else:
        pdf = _draw_on_page_1(signed["first"], tmp_path / "changed.pdf")
        expected = "ChuKyNguoiKy: the document was changed after it was signed"
    out = tmp_path / "out.pdf"
    r = _cli(d, "sign", pdf, "--cert", kit["org"], "--password-file", d / "pw", "--image", d / "con-dau.png",
             "--organisation", "--out", out)
    assert r.returncode == 2, r.stderr
    assert expected in r.stderr and "nothing was signed or written" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() and not pdf.with_name(pdf.stem + ".signed.pdf").exists()


@pytest.mark.parametrize("case", ["password", "keyless", "expired", "nousage", "not-png", "huge", "not-briefing",
                                  "again", "no-password"])
def test_bad_input_exits_2_and_writes_nothing(kit, signed, tmp_path, case):
    from PIL import Image

    d = kit["dir"]
    pdf, cert, image, extra = kit["pdf"], kit["signer"], d / "chu-ky.png", []
    env = {}
    password = d / "pw"
    if case == "password":
        password = tmp_path / "sai"
        password.write_text("sai-mat-khau")
    elif case in ("keyless", "expired", "nousage"):
        cert = kit[case]
    elif case == "not-png":
        image = tmp_path / "chu-ky.jpg"
        Image.open(d / "chu-ky.png").convert("RGB").save(image, format="JPEG")
    elif case == "huge":
        image = tmp_path / "to.png"
        Image.new("RGBA", (5000, 100), (0, 0, 0, 0)).save(image)
    elif case == "not-briefing":
        from formats import to_pdf

        pdf = to_pdf("Một văn bản không có khối chữ ký.", tmp_path / "khac.pdf")
    elif case == "again":
        pdf, cert, image, extra = signed["final"], kit["org"], d / "con-dau.png", ["--organisation"]
    out = tmp_path / "out.pdf"
    args = ["sign", pdf, "--cert", cert, "--image", image, "--out", out, *extra]
    if case != "no-password":
        args += ["--password-file", password]
    r = _cli(d, *args, env=env)
    assert r.returncode == 2, (case, r.stderr)
    assert not out.exists() and "Traceback" not in r.stderr
    assert "mat-khau" not in r.stderr + r.stdout and "sai-mat-khau" not in r.stderr + r.stdout
    expected = {"password": "password", "keyless": "no private key", "expired": "not today", "nousage": "not for signatures",
                "not-png": "not a PNG", "huge": "pixels", "not-briefing": "--page", "again": "already signed",
                "no-password": "REPORTGEN_CERT_PASSWORD"}[case]
    assert expected in r.stderr, r.stderr


def test_another_document_signed_at_a_given_place(kit, tmp_path):
    from formats import to_pdf

    d = kit["dir"]
    other = to_pdf("Một văn bản không có khối chữ ký.", tmp_path / "khac.pdf")
    r = _cli(d, "sign", other, "--cert", kit["signer"], "--password-file", d / "pw", "--image", d / "chu-ky.png",
             "--page", "1", "--box", "120,200,50,25")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "khac.signed.pdf").exists()


@pytest.mark.parametrize("box,expected", [
    ("nan,200,50,25", "not nan or inf"), ("120,200,inf,25", "not nan or inf"), ("120,200,0,0", "0×0 mm"),
    ("120,200,50,0.5", "at least 5 mm"), ("120,200,-50,25", "at least 5 mm"), ("-5,200,50,25", "not inside page 1"),
    ("180,200,50,25", "not inside page 1"), ("120,290,50,25", "not inside page 1"), ("120,9000,50,25", "not inside page 1"),
    ("1,2,3", "write X,Y,W,H")])
def test_a_box_that_would_not_show_is_refused_naming_it(kit, tmp_path, box, expected):
    from formats import to_pdf

    d = kit["dir"]
    other = to_pdf("Một văn bản không có khối chữ ký.", tmp_path / "khac.pdf")
    out = tmp_path / "out.pdf"
    r = _cli(d, "sign", other, "--cert", kit["signer"], "--password-file", d / "pw", "--image", d / "chu-ky.png",
             "--page", "1", "--box", box, "--out", out)
    assert r.returncode == 2 and f"--box {box!r}" in r.stderr and expected in r.stderr, r.stderr
    assert not out.exists() and "Traceback" not in r.stderr


def test_the_seal_must_fit_on_the_page_too(kit, signed, tmp_path):
    d = kit["dir"]
    out = tmp_path / "out.pdf"
    r = _cli(d, "sign", signed["first"], "--cert", kit["org"], "--password-file", d / "pw", "--image",
             d / "con-dau.png", "--organisation", "--page", "1", "--box", "2,100,50,25", "--out", out)
    assert r.returncode == 2 and "the seal" in r.stderr and "'2,100,50,25'" in r.stderr and not out.exists(), r.stderr


def test_out_and_input_mistakes_are_sentences(kit, tmp_path):
    d = kit["dir"]
    args = ["--cert", kit["signer"], "--password-file", d / "pw", "--image", d / "chu-ky.png"]
    r = _cli(d, "sign", kit["pdf"], *args, "--out", "")
    assert r.returncode == 2 and "--out is empty" in r.stderr and "Traceback" not in r.stderr
    not_pdf = tmp_path / "thong-bao.pdf"
    not_pdf.write_text("Thông báo, chưa phải PDF.\n", "utf-8")
    r = _cli(d, "sign", not_pdf, *args)
    assert r.returncode == 2 and "cannot be read as a PDF" in r.stderr and "internal error" not in r.stderr
    assert not (tmp_path / "thong-bao.signed.pdf").exists()
    folder = tmp_path / "da-ky"                                          # an existing folder: the file goes in it
    folder.mkdir()
    r = _cli(d, "sign", kit["pdf"], *args, "--out", folder)
    assert r.returncode == 0, r.stderr
    assert [p.name for p in folder.iterdir()] == [kit["pdf"].stem + ".signed.pdf"]
    (tmp_path / "in-the-way.signed.pdf").mkdir()                         # a folder where the file would go
    pdf = tmp_path / "in-the-way.pdf"
    pdf.write_bytes(kit["pdf"].read_bytes())
    r = _cli(d, "sign", pdf, *args)
    assert r.returncode == 2 and "a folder is in the way" in r.stderr and "Traceback" not in r.stderr


@contextlib.contextmanager
def _http_server(answer):
    """A local HTTP server whose POST answers are answer(body) -> (status, content type, bytes)."""
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            status, kind, data = answer(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize("case", ["unreachable", "not-a-tsa", "error-status", "not-http"])
def test_a_failing_time_stamping_authority_is_named_and_nothing_is_written(kit, tmp_path, case):
    d = kit["dir"]
    out = tmp_path / "out.pdf"
    args = ["sign", kit["pdf"], "--cert", kit["signer"], "--password-file", d / "pw", "--image", d / "chu-ky.png",
            "--out", out, "--tsa"]
    answers = {"not-a-tsa": (200, "text/html", "<html>Trang chủ</html>".encode()), "error-status": (500, "text/plain", b"x")}
    if case in answers:
        with _http_server(lambda body: answers[case]) as url:
            r = _cli(d, *args, url)
        code = 1
    else:
        url = f"http://127.0.0.1:{_closed_port()}/tsa" if case == "unreachable" else "ftp://tsa.example/"
        r = _cli(d, *args, url)
        code = 1 if case == "unreachable" else 2
    assert r.returncode == code and f"--tsa {url}" in r.stderr.replace("'", ""), r.stderr
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr and not out.exists()


def test_a_time_stamp_makes_b_t_and_its_authority_must_be_trusted_too(kit, tmp_path):
    import asyncio

    from asn1crypto import tsp
    from pyhanko.sign import signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    d = kit["dir"]
    tsa = signers.SimpleSigner.load_pkcs12(kit["tsa"], passphrase=b"mat-khau")
    stamper = DummyTimeStamper(tsa_cert=tsa.signing_cert, tsa_key=tsa.signing_key)

    def answer(body):
        response = asyncio.run(stamper.async_request_tsa_response(tsp.TimeStampReq.load(body)))
        return 200, "application/timestamp-reply", response.dump()

    out = tmp_path / "b-t.pdf"
    with _http_server(answer) as url:
        r = _cli(d, "sign", kit["pdf"], "--cert", kit["signer"], "--password-file", d / "pw", "--image",
                 d / "chu-ky.png", "--out", out, "--tsa", url)
    assert r.returncode == 0, r.stderr
    r = _signatures(kit, out, kit["root"], kit["other_root"])                # the signer's root and the TSA's
    assert r.returncode == 0 and "PAdES B-T" in r.stdout and "Kết luận: ĐẠT" in r.stdout, r.stdout + r.stderr
    r = _signatures(kit, out, kit["root"])                                    # the TSA's root not given
    assert r.returncode == 1 and "ChuKyNguoiKy: dấu thời gian không thuộc gốc tin cậy" in r.stdout, r.stdout

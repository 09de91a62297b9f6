"""reportgen sign / signatures (issue #11): a briefing signed by the signer, then by the
organisation, validated by pyHanko against a test root the tests make; stamps where Decree
30 puts them; PDF/A kept; bad input refused with no file written."""

from __future__ import annotations

import os
import subprocess
import sys
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
    assert r.returncode == 0 and "Nguyễn Văn A" in r.stdout and "PAdES B-B" in r.stdout
    broken = tmp_path / "broken.pdf"
    data = bytearray(signed["first"].read_bytes())
    at = data.find(b"/Producer")                                        # inside the signed bytes
    data[at + 12] ^= 0x01
    broken.write_bytes(bytes(data))
    r = _cli(d, "signatures", broken, "--trust", kit["root"])
    assert r.returncode in (1, 2) and "Traceback" not in r.stderr


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

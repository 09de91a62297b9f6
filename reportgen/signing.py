"""Digital signatures as Decree 30 places them (Phụ lục I, Mục II, 7d and 8a): the signer's
image between the signature title and the name, the organisation's seal over the left third
of it. pyHanko does the cryptography (PAdES, incremental updates, validation); this module
finds where the briefing's signature block is and checks what the user hands in.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

MM = 72 / 25.4
SIGNER_FIELD, ORG_FIELD = "ChuKyNguoiKy", "ChuKyCoQuan"
IMAGE_MAX_BYTES = 2 * 1024 * 1024
IMAGE_MAX_PX = 4000
SIGNER_WIDTH_MM = 50.0
SEAL_MM = 36.0                                    # a seal's real size, 35–40 mm


@dataclass(frozen=True)
class Box:
    page: int                                     # 0-based
    x1: float                                     # PDF points, origin bottom left
    y1: float
    x2: float
    y2: float


def signature_box(pdf: Path) -> Box:
    """Where the signer's image goes: under the signature title (the bold lines beside
    "Nơi nhận:"), above the signer's name, centred on the title."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        for index, page in enumerate(doc.pages):
            words = page.extract_words(extra_attrs=["fontname", "size"])
            label = next((w for a, w in zip(words, words[1:]) if a["text"] == "Nơi" and w["text"] == "nhận:"), None)
            if label is None:
                continue
            column = [w for w in words if w["x0"] > label["x1"] + 40 and w["top"] >= label["top"] - 4
                      and "Bold" in w["fontname"]]
            if not column:
                continue
            lines: list[list[dict]] = []
            for w in sorted(column, key=lambda w: (round(w["top"]), w["x0"])):
                if lines and abs(lines[-1][0]["top"] - w["top"]) < 3:
                    lines[-1].append(w)
                else:
                    lines.append([w])
            title = [lines[0]]
            for line in lines[1:]:
                if line[0]["top"] - title[-1][0]["bottom"] > 12:
                    break
                title.append(line)
            name = lines[len(title)] if len(lines) > len(title) else None
            centre = (min(w["x0"] for w in title[0]) + max(w["x1"] for w in title[0])) / 2
            top = max(w["bottom"] for w in title[-1]) + 3
            bottom = (min(w["top"] for w in name) - 3) if name else top + 26 * MM
            height = float(page.height)
            half = SIGNER_WIDTH_MM * MM / 2
            return Box(index, centre - half, height - bottom, centre + half, height - top)
    raise InputError(f"{pdf}: no signature block was found (no “Nơi nhận:” beside a signature title); for another "
                     "document give its place with --page N --box X,Y,W,H (millimetres from the page's top left).")


def box_from_option(pdf: Path, page: int, box: str) -> Box:
    import pdfplumber

    try:
        x, y, w, h = (float(v) for v in box.split(","))
    except ValueError:
        raise InputError(f"--box {box!r}: write X,Y,W,H in millimetres from the page's top left, e.g. 120,200,50,25.") from None
    with pdfplumber.open(pdf) as doc:
        if not 1 <= page <= len(doc.pages):
            raise InputError(f"--page {page}: {pdf} has {len(doc.pages)} pages.")
        height = float(doc.pages[page - 1].height)
    return Box(page - 1, x * MM, height - (y + h) * MM, (x + w) * MM, height - y * MM)


def seal_box(signer: Box) -> Box:
    """The seal at its real size, covering about the left third of the signer's image."""
    size = SEAL_MM * MM
    right = signer.x1 + (signer.x2 - signer.x1) / 3
    middle = (signer.y1 + signer.y2) / 2
    return Box(signer.page, right - size, middle - size / 2, right, middle + size / 2)


def check_image(path: Path) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        size = path.stat().st_size
        head = path.read_bytes()[:8]
    except OSError as exc:
        raise InputError(f"{path}: cannot read the image ({exc.strerror}).") from None
    if head != b"\x89PNG\r\n\x1a\n":
        raise InputError(f"{path}: the image is not a PNG (Decree 30: a PNG with a transparent background).")
    if size > IMAGE_MAX_BYTES:
        raise InputError(f"{path}: the image is {size // 1024} KiB; images over {IMAGE_MAX_BYTES // 1024 // 1024} MiB "
                         "are refused.")
    try:
        with Image.open(path) as im:
            if max(im.size) > IMAGE_MAX_PX:
                raise InputError(f"{path}: the image is {im.size[0]}×{im.size[1]} pixels; more than {IMAGE_MAX_PX} "
                                 "are refused.")
            im.verify()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise InputError(f"{path}: the PNG image is damaged.") from None


def load_signer(cert: Path, password: bytes):  # type: ignore[no-untyped-def]
    """The key and certificate of a PKCS#12 file, refused with a sentence when they cannot sign."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    try:
        data = cert.read_bytes()
    except OSError as exc:
        raise InputError(f"{cert}: cannot read the certificate file ({exc.strerror}).") from None
    try:
        key, certificate, extra = pkcs12.load_key_and_certificates(data, password)
    except ValueError:
        raise InputError(f"{cert}: the password does not open this PKCS#12 file (or it is not one).") from None
    if key is None or certificate is None:
        raise InputError(f"{cert}: the PKCS#12 file holds no private key and certificate to sign with.")
    now = dt.datetime.now(dt.timezone.utc)
    if certificate.not_valid_after_utc < now or certificate.not_valid_before_utc > now:
        raise InputError(f"{cert}: the certificate is valid from {certificate.not_valid_before_utc:%d/%m/%Y} to "
                         f"{certificate.not_valid_after_utc:%d/%m/%Y}, not today.")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        if not (usage.digital_signature or usage.content_commitment):
            raise InputError(f"{cert}: the certificate is not for signatures (no digitalSignature or "
                             "nonRepudiation key usage).")
    except x509.ExtensionNotFound:
        pass
    signer = signers.SimpleSigner.load_pkcs12(cert, passphrase=password)
    if signer is None:
        raise InputError(f"{cert}: the PKCS#12 file cannot be used to sign.")
    return signer


def existing_fields(pdf: Path) -> list[str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    with pdf.open("rb") as f:
        reader = PdfFileReader(f, strict=False)
        return [s.field_name for s in reader.embedded_signatures]


def sign(pdf: Path, cert: Path, password: bytes, image: Path, organisation: bool = False, reason: str | None = None,
         tsa: str | None = None, box: Box | None = None) -> bytes:
    """The signed PDF's bytes: an incremental update of `pdf` with one PAdES signature."""
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.stamp import TextStampStyle

    check_image(image)
    signer = load_signer(cert, password)
    present = existing_fields(pdf)
    field = ORG_FIELD if organisation else SIGNER_FIELD
    if ORG_FIELD in present:
        raise InputError(f"{pdf}: the organisation has already signed this file; a signature after it would not "
                         "be part of what it sealed.")
    if field in present:
        raise InputError(f"{pdf}: the signer has already signed this file.")
    if organisation and SIGNER_FIELD not in present:
        raise InputError(f"{pdf}: the organisation signs after the person with authority; sign without "
                         "--organisation first.")
    place = box or signature_box(pdf)
    if organisation:
        place = seal_box(place)
    stamp = TextStampStyle(stamp_text="", background=PdfImage(str(image)), background_opacity=1, border_width=0)
    meta = signers.PdfSignatureMetadata(field_name=field, subfilter=fields.SigSeedSubFilter.PADES,
                                        reason=reason or ("Đóng dấu cơ quan" if organisation else "Ký ban hành"),
                                        md_algorithm="sha256")
    stamper = timestamps.HTTPTimeStamper(tsa) if tsa else None
    out = io.BytesIO()
    with pdf.open("rb") as f:
        writer = IncrementalPdfFileWriter(f, strict=False)
        fields.append_signature_field(writer, fields.SigFieldSpec(
            field, on_page=place.page, box=(place.x1, place.y1, place.x2, place.y2)))
        signers.PdfSigner(meta, signer=signer, stamp_style=stamp, timestamper=stamper).sign_pdf(writer, output=out)
    return out.getvalue()


@dataclass
class SignatureReport:
    field: str
    signer: str
    organisation: str
    time: str
    level: str
    intact: bool
    valid: bool
    trusted: bool
    after: str


def signatures(pdf: Path, roots: list[Path]) -> list[SignatureReport]:
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        trust = [load_cert_from_pemder(str(r)) for r in roots]
    except Exception:  # noqa: BLE001 - a file that is not a certificate
        raise InputError(f"--trust: {', '.join(map(str, roots))}: not a PEM or DER certificate.") from None
    out = []
    try:
        with pdf.open("rb") as f:
            reader = PdfFileReader(f, strict=False)
            for sig in reader.embedded_signatures:
                context = ValidationContext(trust_roots=trust, allow_fetching=False) if trust else \
                    ValidationContext(allow_fetching=False)
                status = validate_pdf_signature(sig, context)
                subject = sig.signer_cert.subject.native
                when = sig.self_reported_timestamp
                level = "B-T" if status.timestamp_validity is not None else "B-B"
                out.append(SignatureReport(
                    field=sig.field_name, signer=subject.get("common_name", ""),
                    organisation=subject.get("organization_name", ""),
                    time=when.astimezone(dt.timezone(dt.timedelta(hours=7))).strftime("%d/%m/%Y %H:%M:%S +07")
                    if when else "", level=f"PAdES {level}", intact=status.intact, valid=status.valid,
                    trusted=status.trusted,
                    after=status.modification_level.name if status.modification_level is not None else "?"))
    except OSError as exc:
        raise InputError(f"{pdf}: cannot read the file ({exc.strerror}).") from None
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - not a PDF, or a damaged one
        raise InputError(f"{pdf}: the file cannot be read as a PDF ({type(exc).__name__}).") from None
    return out

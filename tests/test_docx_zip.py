"""The DOCX's zip (render/docx.py, reproducible_zip): written from python-docx's members
without a first zip, and a member met before (the charts' pictures, the styles) deflated once
per process — the bytes are those zipfile writes with its own deflater."""

from __future__ import annotations

import io
import os
import zipfile


def _zipfile_own(members: dict[str, bytes]) -> bytes:
    """The reference: zipfile's writestr, with its own deflater for every member."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in sorted(members, key=lambda n: (n != "[Content_Types].xml", n)):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            dst.writestr(info, members[name])
    return out.getvalue()


def test_the_zip_is_zipfiles_own_bytes_also_when_a_member_was_deflated_before():
    from reportgen.render.docx import reproducible_zip

    picture = os.urandom(40_000)                       # does not deflate: stored bigger than it is
    styles = ("<w:styles>" + "<w:style w:styleId='a'/>" * 500 + "</w:styles>").encode()
    first = {"[Content_Types].xml": b"<Types/>", "word/document.xml": "<w:body>Quảng Ngãi</w:body>".encode(),
             "word/media/image1.png": picture, "word/styles.xml": styles, "word/empty.xml": b""}
    second = {**first, "word/document.xml": "<w:body>Lâm Đồng</w:body>".encode()}
    for members in (first, second, first):             # the second and third reuse deflated members
        made = reproducible_zip(dict(members))
        assert made == _zipfile_own(members)
        with zipfile.ZipFile(io.BytesIO(made)) as z:
            assert z.testzip() is None
            assert {n: z.read(n) for n in z.namelist()} == members
            assert z.namelist()[0] == "[Content_Types].xml"


def test_a_briefings_docx_is_the_zip_of_the_members_python_docx_saves(tmp_path):
    """_members gives what python-docx's own save writes, member for member."""
    import docx

    from reportgen.render.docx import _members

    doc = docx.Document()
    doc.add_paragraph("Ủy ban nhân dân tỉnh Quảng Ngãi")
    saved = io.BytesIO()
    doc.save(saved)
    with zipfile.ZipFile(saved) as z:
        expected = {n: z.read(n) for n in z.namelist()}
    assert _members(doc) == expected

"""render/docx._styled: the Word styles are set up once per process and each later document takes
its own copy — the same bytes as setting them up again, and a change to one document's styles
stays in it."""

from __future__ import annotations

import io
import zipfile

HTML = """<html><head><title>Thông báo</title></head><body>
<p class="body">Ủy ban nhân dân tỉnh Quảng Ngãi giao Sở Khoa học và Công nghệ chủ trì.</p>
</body></html>"""


def _render() -> bytes:
    from datetime import datetime

    from reportgen.render.docx import render_docx

    return render_docx(HTML, {}, "UBND tỉnh Quảng Ngãi", ["chuyển đổi số"], datetime(2025, 8, 1, 8, 0))


def test_styles_set_up_once_give_the_same_bytes(monkeypatch):
    from reportgen.render import docx

    monkeypatch.setattr(docx, "_STYLES", [])
    calls = []
    real = docx._setup_styles
    monkeypatch.setattr(docx, "_setup_styles", lambda doc: (calls.append(1), real(doc)))
    first, second = _render(), _render()
    assert len(calls) == 1
    assert first == second
    monkeypatch.setattr(docx, "_STYLES", [])           # set up again, as a new process would
    assert _render() == first
    styles = zipfile.ZipFile(io.BytesIO(first)).read("word/styles.xml").decode("utf-8")
    assert 'w:styleId="ND30Body"' in styles and "Times New Roman" in styles


def test_a_documents_styles_are_its_own(monkeypatch):
    import docx as python_docx

    from reportgen.render import docx

    monkeypatch.setattr(docx, "_STYLES", [])
    _render()
    made = python_docx.Document(str(docx.TEMPLATE))
    docx._styled(made)
    made.styles["ND30 Body"].font.size = python_docx.shared.Pt(30)    # a user's change, in one document
    other = python_docx.Document(str(docx.TEMPLATE))
    docx._styled(other)
    assert other.styles["ND30 Body"].font.size.pt == 14

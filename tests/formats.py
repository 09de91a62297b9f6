"""Documents in the formats an office receives, made by the tests themselves: a web page
saved from a browser (with menus, related links, a footer with a hotline, scripts), a Word
file (python-docx), a PDF with a text layer (WeasyPrint: running header, page numbers,
first-line indents, an official two-column header), an image-only PDF (a scan)."""

from __future__ import annotations

import html
from pathlib import Path


def paragraphs(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def to_html(text: str, title: str | None = None, published: str | None = None, url: str | None = None) -> str:
    ps = paragraphs(text)
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in ps)
    meta = ""
    if published:
        meta += f'<meta property="article:published_time" content="{published}T19:40:00+07:00">'
    if url:
        meta += f'<link rel="canonical" href="{url}">'
    return f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>{html.escape(title or ps[0])}</title>{meta}
<script>var hotline = "0912 345 678"; document.write("<p>Có 999 triệu lượt truy cập</p>");</script>
<style>nav li {{ display: inline }}</style></head><body>
<nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li>
<li><a href="/cds">Chuyển đổi số</a></li><li><a href="/lh">Liên hệ</a></li></ul></nav>
<div class="topbar">Đường dây nóng: 0912 345 678 · Hà Nội 28°C · Thứ Tư, 24/9/2025</div>
<article>{body}</article>
<aside><h3>Tin liên quan</h3><ul>
<li><a href="/a">Hà Nội đạt 81% hồ sơ trực tuyến trong quý III</a></li>
<li><a href="/b">Thêm 5,5 triệu tài khoản định danh điện tử được kích hoạt</a></li></ul></aside>
<footer><p>Cơ quan chủ quản: Văn phòng. Giấy phép số 123/GP-BTTTT ngày 1/1/2020.</p>
<p>Đường dây nóng: 0912 345 678. Email: toasoan@example.vn</p></footer>
<script>window.dataLayer = [{{"views": 4792}}];</script></body></html>"""


def to_docx(text: str, out: Path, header: tuple[list[str], list[str]] | None = None,
            created: str | None = None) -> Path:
    """A Word file of the text's paragraphs; `header` puts an official two-column header
    (issuer lines | motto lines) in a table before them; `created` (YYYY-MM-DD) is the date
    its core properties say it was made (else python-docx's template's, 2013-12-23)."""
    import datetime

    import docx

    d = docx.Document()
    if header:
        table = d.add_table(rows=1, cols=2)
        for cell, lines in zip(table.rows[0].cells, header):
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for p in paragraphs(text):
        d.add_paragraph(p)
    d.core_properties.title = paragraphs(text)[0][:200]
    if created:
        d.core_properties.created = datetime.datetime.fromisoformat(created + "T19:40:00+07:00")
    d.save(out)
    return out


_CSS = """@page { size: A4; margin: 25mm 20mm 20mm 30mm;
  @top-center { content: "Cổng Thông tin điện tử – Văn bản chỉ đạo"; font-size: 9pt }
  @bottom-right { content: "Trang " counter(page) "/" counter(pages); font-size: 9pt } }
body { font-family: 'Liberation Serif'; font-size: 13pt; }
p { margin: 0 0 6pt 0; text-align: justify; text-indent: 1cm }
table.head { width: 100%; border-collapse: collapse; margin-bottom: 12pt }
table.head td { vertical-align: top; text-align: center; font-weight: bold; font-size: 12pt; padding: 0 }
table.head td p { text-indent: 0; margin: 0; text-align: center }
p.center { text-align: center; text-indent: 0; font-weight: bold }"""


def to_pdf(text: str, out: Path, header: tuple[list[str], list[str]] | None = None,
           centred: int = 0, created: str | None = None) -> Path:
    """A PDF (text layer) of the text's paragraphs, with a running header and page numbers;
    `header` as for to_docx; the first `centred` paragraphs are set centred (a title);
    `created` (YYYY-MM-DD) its information's CreationDate (else it has none)."""
    from weasyprint import HTML

    ps = paragraphs(text)
    head = ""
    if header:
        cells = "".join(f"<td style='width: {w}'>" + "".join(f"<p>{html.escape(x)}</p>" for x in lines) + "</td>"
                        for w, lines in zip(("38%", "62%"), header))
        head = f"<table class='head'><tr>{cells}</tr></table>"
    body = "\n".join(f"<p class='{'center' if i < centred else ''}'>{html.escape(p)}</p>" for i, p in enumerate(ps))
    made = f"<meta name='dcterms.created' content='{created}T19:40:00+07:00'>" if created else ""
    HTML(string=f"<html lang='vi'><head><meta charset='utf-8'>{made}<style>{_CSS}</style></head>"
                f"<body>{head}{body}</body></html>").write_pdf(out)
    return out


def scanned_pdf(text: str, out: Path) -> Path:
    """A PDF whose pages are only pictures of text: no text layer."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(out) as pages:
        fig = plt.figure(figsize=(8.27, 11.69))
        fig.figimage([[0.2 + 0.6 * ((x // 7 + y // 3) % 2) for x in range(600)] for y in range(200)],
                     xo=60, yo=600, cmap="gray")
        pages.savefig(fig)
        plt.close(fig)
    return out


def scan_of(text: str, out: Path, dpi: int = 150) -> Path:
    """A scan of the text: its PDF printed to greyscale pictures, one a page, no text layer."""
    import subprocess
    import tempfile

    from PIL import Image

    with tempfile.TemporaryDirectory() as tmp:
        printed = to_pdf(text, Path(tmp) / "printed.pdf")
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(printed), str(Path(tmp) / "p")], check=True)
        pages = [Image.open(p).convert("L") for p in sorted(Path(tmp).glob("p-*.png"))]
        pages[0].save(out, save_all=True, append_images=pages[1:], resolution=dpi)
    return out

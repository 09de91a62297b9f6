"""Accessible and Word-native (issue 19, item 7), measured from the files `reportgen build`
writes for Quảng Ngãi on 10/3/2025:

PDF (pikepdf, pdfplumber): page numbers are pagination artifacts, not content; the letterhead
and the signature block are laid out, not data tables; the appendix is one section holding one
table, its header once (repeated on later pages as artifacts); the title and the Phụ lục are
level-1 headings with outline entries.
DOCX (zipfile, python-docx, LibreOffice): every style a part names is defined; "THÔNG BÁO" and
"Phụ lục" are headings of the navigation pane (outline level 1) that look as before; captions
numbered by SEQ fields whose cached result is the number."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

from briefing_files import MM, struct_elements

DATE = "2025-03-10"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def qn(tmp_path_factory):
    from typer.testing import CliRunner

    from reportgen.cli import app

    out = tmp_path_factory.mktemp("out")
    r = CliRunner().invoke(app, ["build", "--province", "Quảng Ngãi", "--date", DATE, "--out", str(out)])
    assert r.exit_code == 0, r.output
    folder = out / "quang-ngai"
    return {"pdf": folder / f"thong-bao-quang-ngai-{DATE}.pdf", "docx": folder / f"thong-bao-quang-ngai-{DATE}.docx"}


@pytest.fixture(scope="module")
def tree(qn):
    return struct_elements(qn["pdf"])


@pytest.fixture(scope="module")
def libreoffice_pdf(qn, tmp_path_factory):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by the README's test command"
    out = tmp_path_factory.mktemp("lo")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", "pdf",
                    "--outdir", str(out), str(qn["docx"])], check=True, capture_output=True, timeout=240)
    return next(out.glob("*.pdf"))


def test_page_numbers_are_pagination_artifacts(qn):
    """A screen reader skips them: /Artifact marked content (/Type /Pagination /Subtype
    /Header), with no MCID, so in no structure element."""
    import pdfplumber
    import pikepdf

    with pdfplumber.open(qn["pdf"]) as pdf:
        numbered = 0
        for page in pdf.pages:
            top = [c for c in page.chars if c["bottom"] < 20 * MM and c["text"].strip()]
            numbered += bool(top)
            assert all(c.get("tag") == "Artifact" and c.get("mcid") is None for c in top), \
                [(c["text"], c.get("tag"), c.get("mcid")) for c in top]
    assert numbered >= 5
    with pikepdf.open(qn["pdf"]) as pdf:
        headers = 0
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page, "BDC"):
                if operands[0] == "/Artifact" and isinstance(operands[1], pikepdf.Dictionary):
                    headers += operands[1].get("/Type") == "/Pagination" and operands[1].get("/Subtype") == "/Header"
    assert headers == numbered
    assert not any("Span" in e["S"] and re.fullmatch(r"\d", e["text"] or "") and e["page"] and e["depth"] <= 1
                   for e in struct_elements(qn["pdf"]))


def test_layout_tables_are_not_data_tables(tree):
    """The letterhead and the signature block are /Div groups of /Div cells, in reading order;
    the only /Table is the appendix's."""
    tables = [e for e in tree if e["S"] == "/Table"]
    assert len(tables) == 1 and tables[0]["text"].startswith("STTChỉ tiêuĐơn vịtínhKết quảThời điểm")
    cells = {e["S"] for e in tree if e["S"] in ("/TD", "/TH", "/TR")}
    assert cells == {"/TD", "/TH", "/TR"}
    divs = [e for e in tree if e["S"] == "/Div" and e["depth"] == 1]
    letterhead = next(e for e in divs if e["text"].startswith("ỦY BAN NHÂN DÂN"))
    assert "Độc lập - Tự do - Hạnh phúc" in letterhead["text"] and "Số:" in letterhead["text"]
    closing = next(e for e in divs if e["text"].startswith("Nơi nhận:"))
    assert "CHỦ TỊCH" in closing["text"]
    for e in tree:                                   # no table cell holds the letterhead or the signature
        if e["S"] in ("/TD", "/TH"):
            assert "ỦY BAN NHÂN DÂN" not in e["text"] and "Nơi nhận" not in e["text"]


def test_the_appendix_is_one_section_with_one_table(qn, tree):
    """One /Sect across its pages; one /Table: one header row (/THead), one /TBody with every
    row of the Word table; the header WeasyPrint repeats on later pages is an artifact there."""
    import docx
    import pdfplumber

    sects = [e for e in tree if e["S"] == "/Sect"]
    assert len(sects) == 1 and sects[0]["text"].startswith("Phụ lục")
    i = tree.index(next(e for e in tree if e["S"] == "/Table"))
    table = tree[i]
    parts = [e for e in tree[i + 1:] if e["depth"] == table["depth"] + 1
             and tree.index(e) < next((k for k in range(i + 1, len(tree)) if tree[k]["depth"] <= table["depth"]),
                                      len(tree))]
    assert [e["S"] for e in parts] == ["/THead", "/TBody"]
    rows = [e for e in tree if e["S"] == "/TR" and e["depth"] == table["depth"] + 2]
    word_rows = next(t for t in docx.Document(str(qn["docx"])).tables if t.rows[0].cells[0].text == "STT").rows
    assert len(rows) == len(word_rows)                  # the header row once, and every data row
    assert parts[0]["text"] == "STTChỉ tiêuĐơn vịtínhKết quảThời điểmsố liệuNguồn"
    with pdfplumber.open(qn["pdf"]) as pdf:
        pages = [p for p in pdf.pages if "Chỉ tiêu" in (p.extract_text() or "") and "STT" in (p.extract_text() or "")]
        assert len(pages) >= 2
        for k, page in enumerate(pages):
            head = [c for c in page.chars if c["text"].strip() and "Bold" in c["fontname"]
                    and any(abs(c["top"] - w["top"]) < 1 for w in page.extract_words() if w["text"] == "Chỉ")]
            assert head and all((c.get("tag") == "Artifact") == (k > 0) for c in head), k


def test_title_and_appendix_are_level_one_headings_with_outline_entries(qn, tree):
    import pikepdf

    headings = [e for e in tree if e["S"] == "/H1"]
    assert len(headings) == 2
    assert headings[0]["text"].startswith("THÔNG BÁOKết luận") and headings[0]["page"] == 1
    assert headings[1]["text"].startswith("Phụ lụcMỘT SỐ KẾT QUẢ")
    assert all(e["S"] != "/H2" or e["page"] < headings[1]["page"] for e in tree)   # the sections come under the title
    with pikepdf.open(qn["pdf"]) as pdf:
        pages = {p.obj.objgen: i + 1 for i, p in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            top = [(item.title, pages[item.destination[0].objgen], [c.title for c in item.children])
                   for item in outline.root]
    assert [t[0].split()[0] for t in top] == ["THÔNG", "Phụ"]
    assert top[0][1] == 1 and top[1][1] == headings[1]["page"]
    assert "1. Những kết quả đạt được" in top[0][2]


def test_every_style_a_part_uses_is_defined(qn):
    """Word repairs (or silently drops) a style a part names that styles.xml lacks: the
    headers used "Header"."""
    from lxml import etree

    with zipfile.ZipFile(qn["docx"]) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        defined = {s.get(f"{W}styleId") for s in styles.iter(f"{W}style")}
        parts = {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")}
    assert any(n.startswith("word/header") for n in parts) and len(parts) >= 5
    for name, root in parts.items():
        used = {e.get(f"{W}val") for tag in ("pStyle", "rStyle", "tblStyle", "numStyle") for e in root.iter(f"{W}{tag}")}
        if name == "word/styles.xml":
            used |= {e.get(f"{W}val") for tag in ("basedOn", "next", "link") for e in root.iter(f"{W}{tag}")}
        assert used <= defined, (name, sorted(used - defined))


def _outline_level(para) -> int | None:  # type: ignore[no-untyped-def]
    """The outline level Word reads for a paragraph: its own, else its style's, else the base's."""
    level = para._p.find(f"{W}pPr/{W}outlineLvl")
    style = para.style
    while level is None and style is not None:
        level = style.element.find(f"{W}pPr/{W}outlineLvl")
        style = style.base_style
    return int(level.get(f"{W}val")) if level is not None else None


def _styled(style, get):  # type: ignore[no-untyped-def]
    """A style's formatting as Word resolves it: its own value, else its base style's."""
    while style is not None and get(style) is None:
        style = style.base_style
    return get(style) if style is not None else None


def test_title_and_appendix_are_headings_in_word_without_changing_their_look(qn, libreoffice_pdf):
    import docx
    import pikepdf

    d = docx.Document(str(qn["docx"]))
    paras = {p.text: p for p in d.paragraphs}
    title, appendix = paras["THÔNG BÁO"], paras["Phụ lục"]
    assert _outline_level(title) == 0 and _outline_level(appendix) == 0
    section = next(p for p in d.paragraphs if p.text.startswith("1. Những kết quả"))
    assert _outline_level(section) == 1                 # the numbered sections under the title
    assert _outline_level(paras[next(t for t in paras if t.startswith("Kết luận"))]) is None
    for p in (title, appendix):                       # as Decree 30 has them: 14 pt, bold, centred
        assert _styled(p.style, lambda s: s.font.size).pt == 14 and _styled(p.style, lambda s: s.font.bold)
        assert _styled(p.style, lambda s: s.paragraph_format.alignment) == 1 and p.alignment is None
        assert p.runs and all(r.font.size is None and r.font.bold is None for r in p.runs)
    # LibreOffice reads them as headings: its PDF's bookmarks are the navigation pane's entries
    with pikepdf.open(libreoffice_pdf) as pdf, pdf.open_outline() as outline:
        top = [item.title for item in outline.root]
    assert top == ["THÔNG BÁO", "Phụ lục"]


def test_captions_are_numbered_by_seq_fields(qn, libreoffice_pdf):
    """Each "Biểu đồ N:" holds a SEQ field (Word's caption numbering), N its cached result."""
    import docx
    import pdfplumber

    d = docx.Document(str(qn["docx"]))
    captions = [p for p in d.paragraphs if re.match(r"Biểu đồ \d+:", p.text)]
    assert len(captions) == 2
    for n, p in enumerate(captions, start=1):
        runs = list(p._p.iter(f"{W}r"))
        kinds = [(r.find(f"{W}fldChar").get(f"{W}fldCharType") if r.find(f"{W}fldChar") is not None else
                  "instr" if r.find(f"{W}instrText") is not None else "text") for r in runs]
        begin, end = kinds.index("begin"), kinds.index("end")
        instr = "".join(r.find(f"{W}instrText").text for r in runs[begin:end] if r.find(f"{W}instrText") is not None)
        assert re.fullmatch(r"\s*SEQ Hình \\\* ARABIC\s*", instr), instr
        separate = kinds.index("separate")
        cached = "".join(t.text for r in runs[separate:end] for t in r.iter(f"{W}t"))
        assert cached == str(n)
        assert p.text.startswith(f"Biểu đồ {n}:")
    with pdfplumber.open(libreoffice_pdf) as pdf:          # LibreOffice shows the numbers
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
    assert "Biểu đồ 1:" in text and "Biểu đồ 2:" in text


def test_every_marked_content_is_in_the_tree_or_an_artifact(qn):
    """What PDF/UA asks of content (ISO 14289-1, 7.1): each MCID of a page maps, through the
    parent tree, to a structure element reachable from the root; the rest is /Artifact; no
    structure element is left outside the tree."""
    import pikepdf

    with pikepdf.open(qn["pdf"]) as pdf:
        root = pdf.Root.StructTreeRoot
        reached: set = set()

        def walk(e):  # type: ignore[no-untyped-def]
            if isinstance(e, pikepdf.Array):
                for x in e:
                    walk(x)
            elif isinstance(e, pikepdf.Dictionary) and "/S" in e:
                reached.add(e.objgen)
                if "/K" in e:
                    walk(e.K)

        walk(root.K)
        nums = root.ParentTree.Nums
        tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        marked = artifacts = 0
        for page in pdf.pages:
            parents = tree[int(page.StructParents)]
            for operands, operator in pikepdf.parse_content_stream(page, "BDC BMC"):
                if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    marked += 1
                    element = parents[int(operands[1].MCID)]
                    assert isinstance(element, pikepdf.Dictionary) and element.objgen in reached
                else:
                    artifacts += operands[0] == "/Artifact"
        outside = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"
                   and o.objgen not in reached]
    assert marked > 300 and artifacts > 100 and not outside


def test_a_table_caption_is_numbered_by_a_seq_bang_field(run, tmp_path):
    """A template that gives the appendix table a <caption>: in the DOCX a caption paragraph
    above the table, kept with it, its number a SEQ Bảng field; in the PDF the table's /Caption."""
    import docx

    from briefing_files import docx_words, pdf_words
    from conftest import ROOT

    custom = tmp_path / "tpl"
    shutil.copytree(ROOT / "templates", custom)
    path = custom / "briefing.html.j2"
    html = path.read_text("utf-8")
    table = '<table class="data" data-span="appendix-table">'
    assert html.count(table) == 1
    path.write_text(html.replace(table, table + '\n<caption>Bảng 1: Số liệu mới nhất</caption>'), "utf-8")
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out", "--templates", custom)
    assert r.exit_code == 0, r.output
    folder = tmp_path / "out" / "quang-ngai"
    made_pdf, made_docx = folder / f"thong-bao-quang-ngai-{DATE}.pdf", folder / f"thong-bao-quang-ngai-{DATE}.docx"
    d = docx.Document(str(made_docx))
    body = list(d.element.body)
    caption = next(el for el in body if el.tag == f"{W}p" and "".join(t.text or "" for t in el.iter(f"{W}t"))
                   .startswith("Bảng 1: Số liệu mới nhất"))
    after = body[body.index(caption) + 1]
    assert after.tag == f"{W}tbl"                                        # the table right after it
    assert caption.find(f"{W}pPr/{W}keepNext") is not None
    instr = "".join(t.text for t in caption.iter(f"{W}instrText"))
    assert re.fullmatch(r"\s*SEQ Bảng \\\* ARABIC\s*", instr), instr
    tables = [e for e in struct_elements(made_pdf) if e["S"] in ("/Table", "/Caption")]
    assert any(e["S"] == "/Caption" and e["text"] == "Bảng 1: Số liệu mới nhất" for e in tables)
    assert "Bảng1:Sốliệumớinhất" in "".join(pdf_words(made_pdf)) and "Bảng1:Sốliệumớinhất" in "".join(
        docx_words(made_docx))


def test_a_tree_not_as_expected_stops_the_build_cleanly(run, tmp_path, monkeypatch):
    """Should a WeasyPrint release shape its tree otherwise, the build says so (exit 1, the
    WeasyPrint version named) and writes nothing, rather than a half-mended tree."""
    from reportgen.render import pdftags

    def broken(self):  # type: ignore[no-untyped-def]
        raise KeyError("K")

    monkeypatch.setattr(pdftags._Mender, "mend", broken)
    r = run("build", "-p", "Quảng Ngãi", "--date", DATE, "--out", tmp_path / "out")
    assert r.exit_code == 1 and "structure tree" in r.stderr and "WeasyPrint" in r.stderr, r.output
    assert "Traceback" not in r.output
    assert not list((tmp_path / "out").rglob("*.pdf")) and not list((tmp_path / "out").rglob("*.docx"))

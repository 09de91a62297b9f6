"""HTML → DOCX with python-docx: the same content as the PDF, in named Word styles a
user can restyle, with the Decree 30 page setup, a PAGE field from page 2 on, drawn
rules, core properties, and reproducible bytes."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from ..briefing import nd30
from ..errors import BuildError
from .drawn import ChartFiles

FONT = "Times New Roman"
TEMPLATE = Path(__file__).resolve().parents[1] / "data" / "briefing-template.docx"


@dataclass(frozen=True)
class StyleSpec:
    size: float
    bold: bool = False
    italic: bool = False
    align: str = "justify"          # left | center | right | justify
    indent_cm: float = 0.0
    after_pt: float = 0.0
    before_pt: float = 0.0
    line: float | None = nd30.LINE_SPACING   # × the size, exact, as CSS line-height; None: Word's single
    base: str | None = "ND30 Body"  # the style it inherits from; only what differs is written
    keep_next: bool = False
    outline: int | None = None      # heading level in Word's navigation pane
    hidden: bool = False            # a technical style, kept out of the style gallery


BODY = StyleSpec(nd30.SIZE_BODY, indent_cm=nd30.INDENT_CM, after_pt=nd30.SPACE_AFTER_PT, base=None)

# class in the HTML → Word style. Both renderers read their sizes from nd30.py; line pitches
# equal briefing.css's line-height (14 pt × 1.15 = 16.1 pt, exact), so Word and LibreOffice
# break lines and pages where the PDF does.
STYLES: dict[str, tuple[str, StyleSpec]] = {
    "body": ("ND30 Body", BODY),
    "item": ("ND30 List Item", replace(BODY, base="ND30 Body")),
    "lead": ("ND30 Lead", replace(BODY, italic=True, keep_next=True, base="ND30 Body")),   # with what it leads to
    "note": ("ND30 Note", replace(BODY, italic=True, base="ND30 Body")),
    "source": ("ND30 Source", replace(BODY, size=12, after_pt=3, base="ND30 Body")),
    "section": ("ND30 Heading 1", replace(BODY, bold=True, align="left", after_pt=6, before_pt=6, keep_next=True,
                                          outline=1, base="ND30 Body")),
    "subsection": ("ND30 Heading 2", replace(BODY, bold=True, italic=True, align="left", after_pt=6, before_pt=6,
                                             keep_next=True, outline=2, base="ND30 Body")),
    "issuer": ("ND30 Issuer", StyleSpec(nd30.SIZE_ISSUER, bold=True, align="center", line=1.1)),
    "motto-1": ("ND30 National Title", StyleSpec(nd30.SIZE_MOTTO_1, bold=True, align="center", line=1.1)),
    "motto-2": ("ND30 Motto", StyleSpec(nd30.SIZE_MOTTO_2, bold=True, align="center", line=1.1)),
    "rule": ("ND30 Rule", StyleSpec(2, align="center", line=None, after_pt=6, hidden=True)),
    "number": ("ND30 Number", StyleSpec(nd30.SIZE_NUMBER, align="center", before_pt=2)),
    "place-date": ("ND30 Place and Date", StyleSpec(nd30.SIZE_PLACE_DATE, italic=True, align="center", before_pt=2)),
    # "THÔNG BÁO" and "Phụ lục" head the notice and its appendix in Word's navigation pane
    # (outline level 1, as H1 in the PDF), the numbered sections below them; the look is unchanged.
    "type-name": ("ND30 Type Name", StyleSpec(nd30.SIZE_TITLE, bold=True, align="center", before_pt=18, keep_next=True,
                                              outline=0)),
    "summary": ("ND30 Summary", StyleSpec(nd30.SIZE_TITLE, bold=True, align="center", keep_next=True)),
    "caption": ("ND30 Caption", StyleSpec(nd30.SIZE_CAPTION, italic=True, align="center", after_pt=8)),
    "figure": ("ND30 Figure", StyleSpec(nd30.SIZE_BODY, align="center", before_pt=6, keep_next=True, line=None,
                                        hidden=True)),
    "table": ("ND30 Table Text", StyleSpec(nd30.SIZE_TABLE, align="left", line=1.1)),
    "table-head": ("ND30 Table Heading", StyleSpec(nd30.SIZE_TABLE, bold=True, align="center", line=1.1)),
    "recipients-label": ("ND30 Recipients Label", StyleSpec(nd30.SIZE_RECIPIENTS_LABEL, bold=True, italic=True,
                                                            align="left")),
    "recipient": ("ND30 Recipient", StyleSpec(nd30.SIZE_RECIPIENTS, align="left", line=1.1)),
    "signature": ("ND30 Signature", StyleSpec(nd30.SIZE_SIGNATURE, bold=True, align="center")),
    "signature-space": ("ND30 Signature Space", StyleSpec(nd30.SIZE_SIGNATURE, align="center", hidden=True)),
    "signer": ("ND30 Signer", StyleSpec(nd30.SIZE_SIGNATURE, bold=True, align="center")),
    "page-number": ("ND30 Page Number", StyleSpec(nd30.SIZE_PAGE_NUMBER, align="center", line=None, hidden=True)),
    "appendix-title": ("ND30 Appendix Title", StyleSpec(nd30.SIZE_BODY, bold=True, align="center", keep_next=True,
                                                        outline=0)),
    "appendix-name": ("ND30 Appendix Name", StyleSpec(nd30.SIZE_BODY, bold=True, align="center", keep_next=True)),
    "appendix-note": ("ND30 Appendix Note", StyleSpec(nd30.SIZE_BODY, italic=True, align="center", keep_next=True)),
}
CITATION = "ND30 Citation"        # the character style of the [n] marks
# A caption's label and number ("Biểu đồ 2: …"): the number becomes a SEQ field of Word's
# caption sequences — figures ("Hình", whatever the label says) and tables ("Bảng").
CAPTION = re.compile(r"((Biểu đồ|Hình|Bảng) )(\d+)(?=[:.])")
SEQUENCES = {"Biểu đồ": "Hình", "Hình": "Hình", "Bảng": "Bảng"}


def _pin_fonts(rpr) -> None:  # type: ignore[no-untyped-def]
    """Times New Roman in all four slots, theme fonts removed (Word prefers themes)."""
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme", "w:csTheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _lang(rpr) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml.ns import qn

    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _setup_styles(doc) -> None:  # type: ignore[no-untyped-def]
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _pin_fonts(rpr)
    _lang(rpr)
    for fonts in list(styles_el.iter(qn("w:rFonts"))):   # every style, table conditions included
        _pin_fonts(fonts.getparent())
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(nd30.SIZE_BODY)
    _pin_fonts(normal.element.get_or_add_rPr())
    align = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
             "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}
    specs = {name: spec for name, spec in STYLES.values()}
    for name, spec in STYLES.values():
        style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        base = specs.get(spec.base) if spec.base else None
        style.base_style = doc.styles[spec.base] if spec.base else normal
        style.quick_style = not spec.hidden
        style.hidden = spec.hidden
        inherited = base or StyleSpec(-1, align="", indent_cm=-1, after_pt=-1, before_pt=-1, line=-1)

        def differs(field: str) -> bool:
            return base is None or getattr(spec, field) != getattr(inherited, field)

        font, fmt = style.font, style.paragraph_format
        if base is None:
            font.name = FONT
            font.color.rgb = RGBColor(0, 0, 0)
            _pin_fonts(style.element.get_or_add_rPr())
        if differs("size"):
            font.size = Pt(spec.size)
        if differs("bold"):
            font.bold = spec.bold
        if differs("italic"):
            font.italic = spec.italic
        if differs("align"):
            fmt.alignment = align[spec.align]
        if differs("indent_cm"):
            fmt.first_line_indent = Cm(spec.indent_cm)
        if base is None:
            fmt.left_indent = Cm(0)
        if differs("after_pt"):
            fmt.space_after = Pt(spec.after_pt)
        if differs("before_pt"):
            fmt.space_before = Pt(spec.before_pt)
        if differs("line") or differs("size"):
            fmt.line_spacing = Pt(round(spec.size * spec.line, 2)) if spec.line else 1.0
        if spec.keep_next:
            fmt.keep_with_next = True
        if spec.outline is not None:
            level = OxmlElement("w:outlineLvl")
            level.set(qn("w:val"), str(spec.outline))
            style.element.get_or_add_pPr().insert_element_before(level, "w:divId", "w:cnfStyle", "w:rPr",
                                                                 "w:sectPr", "w:pPrChange")
    following = {"ND30 Type Name": "ND30 Summary", "ND30 Appendix Title": "ND30 Appendix Name"}
    for name, spec in STYLES.values():
        if spec.outline is not None:       # after a heading comes body text (after a title, its second line)
            doc.styles[name].next_paragraph_style = doc.styles[following.get(name, "ND30 Body")]
    citation = doc.styles.add_style(CITATION, WD_STYLE_TYPE.CHARACTER)
    citation.font.superscript = True
    citation.quick_style = False
    doc.styles["ND30 Signature Space"].paragraph_format.space_before = Pt(60)
    summary = doc.styles["ND30 Summary"].paragraph_format
    summary.left_indent = summary.right_indent = Cm(1)   # as in briefing.css


_STYLES: list = []   # the styles part as _setup_styles leaves it, per process  # type: ignore[type-arg]


def _styled(doc) -> None:  # type: ignore[no-untyped-def]
    """_setup_styles, worked out once per process: what it writes depends only on STYLES, nd30
    and the template, so later documents take a copy of the first's styles part (half of a
    DOCX's time in a batch or a warm page)."""
    import copy

    part = doc.part._styles_part
    if _STYLES:
        part._element = copy.deepcopy(_STYLES[0])
        return
    _setup_styles(doc)
    _STYLES.append(copy.deepcopy(part._element))


def _page_setup(doc) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(nd30.PAGE_W), Mm(nd30.PAGE_H)
    section.top_margin, section.bottom_margin = Mm(nd30.MARGIN_TOP), Mm(nd30.MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Mm(nd30.MARGIN_LEFT), Mm(nd30.MARGIN_RIGHT)
    section.header_distance = section.footer_distance = Mm(nd30.HEADER_DISTANCE)
    section.different_first_page_header_footer = True   # w:titlePg: no number on page 1
    para = section.header.paragraphs[0]
    para.style = doc.styles["ND30 Page Number"]
    run = para.add_run()
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        elif text == " PAGE ":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
            run._r.append(el)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    section.first_page_header.is_linked_to_previous = False
    _blank_header(doc, section.first_page_header)


def _blank_header(doc, header) -> None:  # type: ignore[no-untyped-def]
    """An empty first-page header in a style the document defines: python-docx makes it
    from its own template, whose paragraph names a style "Header" no part defines."""
    for para in header.paragraphs:
        para.style = doc.styles["ND30 Page Number"]


_BLOCKS: dict[bytes, list] = {}   # HTML block → the Word XML made for it, per process


class _Writer:
    def __init__(self, doc, charts: dict[str, ChartFiles], template: Path | None = None) -> None:  # type: ignore[no-untyped-def]
        self.doc, self.charts, self.template = doc, charts, template
        self.ids = {cls: doc.styles[name].style_id for cls, (name, _) in STYLES.items()}
        self.citation = doc.styles[CITATION]

    def styled(self, para, cls: str):  # type: ignore[no-untyped-def]
        """Set the paragraph style by id: python-docx's by-name lookup scans all styles each time."""
        para._p.style = self.ids[cls]
        return para

    def paragraph(self, container, el, cls: str, width_mm: float):  # type: ignore[no-untyped-def]
        return self.fill(container.add_paragraph(), el, cls, width_mm)

    def fill(self, para, el, cls: str, width_mm: float):  # type: ignore[no-untyped-def]
        """Style a paragraph and give it the element's content: a drawn rule or its text."""
        self.styled(para, cls)
        if cls == "rule":
            self._rule(para, float(el.get("data-width-mm")), width_mm)
        elif cls == "caption" and all(c.tag == "span" and c.get("class") == "nowrap" for c in el) \
                and CAPTION.match(el.text_content()):
            self._caption(para, el.text_content())     # (a document number kept whole is plain text here)
        else:
            self._inline(para, el)
        return para

    def _caption(self, para, text: str) -> None:  # type: ignore[no-untyped-def]
        """ "Biểu đồ 2: …" with its number a SEQ field (the number its cached result), as Word's
        Insert Caption makes it: Word renumbers it and lists it in a table of figures."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        m = CAPTION.match(text)
        assert m is not None
        para.add_run(m.group(1))
        sequence = SEQUENCES[m.group(2)]
        for kind, value in (("begin", None), ("instr", f" SEQ {sequence} \\* ARABIC "), ("separate", None),
                            ("text", m.group(3)), ("end", None)):
            run = para.add_run()
            if kind == "instr":
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = value
            elif kind == "text":
                el = OxmlElement("w:t")
                el.text = value
            else:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            run._r.append(el)
        para.add_run(text[m.end():])

    def _inline(self, para, el) -> None:  # type: ignore[no-untyped-def]
        if el.text:
            para.add_run(el.text)
        for child in el:
            run = para.add_run(child.text_content())
            if child.tag == "sup":
                run.style = self.citation
            elif child.tag in ("b", "strong"):
                run.bold = True
            elif child.tag in ("i", "em"):
                run.italic = True
            if child.tail:
                para.add_run(child.tail)

    def _rule(self, para, length_mm: float, container_mm: float) -> None:  # type: ignore[no-untyped-def]
        """A short rule drawn as the paragraph's bottom border, its length set by indents."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm

        side = max((container_mm - length_mm) / 2, 0)
        fmt = para.paragraph_format
        fmt.left_indent, fmt.right_indent, fmt.first_line_indent = Mm(side), Mm(side), Mm(0)
        ppr = para._p.get_or_add_pPr()
        border = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
            bottom.set(qn(k), v)
        border.append(bottom)
        ppr.insert_element_before(border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku",
                                  "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
                                  "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing",
                                  "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
                                  "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                                  "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")

    def table(self, el, cls: str) -> None:  # type: ignore[no-untyped-def]
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn
        from docx.shared import Mm

        caption = el.find("caption")
        if caption is not None:           # "Bảng N: …" above its table, kept with it (its number a SEQ Bảng field)
            self.paragraph(self.doc, caption, "caption", nd30.TEXT_W).paragraph_format.keep_with_next = True
        widths = [float(c.get("data-mm")) for c in el.iter("col")]
        rows = [tr for tr in el.iter("tr")]
        ncols = max(len(tr.findall("td")) + len(tr.findall("th")) for tr in rows)
        table = self.doc.add_table(rows=0, cols=ncols)
        table.autofit = False
        if cls == "data":
            table.style = self.doc.styles["Table Grid"]
        tbl_pr = table._tbl.tblPr                  # table.autofit = False wrote w:tblLayout fixed
        # Cell padding as in the PDF (briefing.css): data tables 1.5 pt above and below, 3 pt
        # at the sides; the letterhead and closing tables none at the sides.
        pad = {"top": 30, "left": 60, "bottom": 30, "right": 60} if cls == "data" else {"left": 0, "right": 0}
        margins = OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):       # CT_TblCellMar's order
            if side in pad:
                m = OxmlElement(f"w:{side}")
                m.set(qn("w:w"), str(pad[side]))
                m.set(qn("w:type"), "dxa")
                margins.append(m)
        tbl_pr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
        for tr in rows:
            cells = tr.findall("th") + tr.findall("td")
            row = table.add_row()
            if cls == "data":
                tr_pr = row._tr.get_or_add_trPr()
                cant = OxmlElement("w:cantSplit")
                tr_pr.append(cant)
                if tr.findall("th"):
                    head = OxmlElement("w:tblHeader")
                    tr_pr.append(head)
            for i, cell_el in enumerate(cells):
                cell = row.cells[i]
                cell.width = Mm(widths[i])
                first = cell.paragraphs[0]
                paras = cell_el.findall("p")
                if not paras:
                    self.styled(first, "table-head" if cell_el.tag == "th" else "table")
                    if cell_el.get("class") == "cite":
                        from docx.enum.text import WD_ALIGN_PARAGRAPH

                        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
                    self._inline(first, cell_el)
                    continue
                for k, p in enumerate(paras):   # a new cell already holds one empty paragraph
                    self.fill(first if k == 0 else cell.add_paragraph(), p, p.get("class"), widths[i])
        for i, col in enumerate(table.columns):
            col.width = Mm(widths[i])
        if cls != "data":
            row = table.rows[-1]._tr.get_or_add_trPr()
            row.append(OxmlElement("w:cantSplit"))

    def figure(self, el) -> None:  # type: ignore[no-untyped-def]
        from docx.shared import Mm

        img = el.find("img")
        chart_id = img.get("data-png")[len("chart:"):-len(".png")]
        para = self.styled(self.doc.add_paragraph(), "figure")
        shape = para.add_run().add_picture(io.BytesIO(self.charts[chart_id].png),
                                           width=Mm(float(img.get("data-width-mm"))))
        caption = el.find("figcaption")
        doc_pr = shape._inline.docPr          # alt text: what the chart shows, value by value; its title the caption's
        doc_pr.set("descr", img.get("alt") or "")
        doc_pr.set("title", caption.text_content().split(" (")[0] if caption is not None else "")
        self.paragraph(self.doc, caption, "caption", nd30.TEXT_W)

    def body(self, root) -> None:  # type: ignore[no-untyped-def]
        for el in root.find("body"):
            self.reused_or_written(el)

    def reused_or_written(self, el) -> None:  # type: ignore[no-untyped-def]
        """A batch writes the same national paragraphs and tables (the Phụ lục's too) for every
        province: reuse the Word XML made for an identical HTML block (no pictures: they carry
        relationship ids of their own document; no section: it holds its own)."""
        import copy

        import lxml.html

        body = self.doc.element.body
        key = lxml.html.tostring(el) if el.tag not in ("figure", "section") else None
        if key is not None and key in _BLOCKS:
            for made in _BLOCKS[key]:
                body.sectPr.addprevious(copy.deepcopy(made))
            return
        before = len(body)
        self.block(el)
        if key is not None and len(_BLOCKS) < 2000:
            made = list(body)[before - 1: len(body) - 1] if body.sectPr is not None else list(body)[before:]
            _BLOCKS[key] = [copy.deepcopy(m) for m in made]

    def appendix(self, el) -> None:  # type: ignore[no-untyped-def]
        """The Phụ lục in a section of its own: a new page, page numbers restarting at 1,
        none on its first page (w:pgNumType start, w:titlePg with an empty first-page header)."""
        from docx.enum.section import WD_SECTION
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        sect_pr = section._sectPr
        numbering = OxmlElement("w:pgNumType")
        numbering.set(qn("w:start"), "1")
        sect_pr.insert_element_before(numbering, "w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg",
                                      "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid",
                                      "w:printerSettings", "w:sectPrChange")
        section.different_first_page_header_footer = True
        section.header.is_linked_to_previous = True
        section.first_page_header.is_linked_to_previous = False
        _blank_header(self.doc, section.first_page_header)
        for child in el:
            self.reused_or_written(child)

    def block(self, el) -> None:  # type: ignore[no-untyped-def]
        try:
            self._block(el)
        except (LookupError, AttributeError, TypeError, ValueError) as exc:   # HTML the template made
            raise unusable_element(self.template, el, exc) from None

    def _block(self, el) -> None:  # type: ignore[no-untyped-def]
        cls = (el.get("class") or "").split()
        if el.tag == "section":
            self.appendix(el)
        elif el.tag == "table":
            self.table(el, cls[0] if cls else "")
        elif el.tag == "figure":
            self.figure(el)
        elif el.tag == "h1":            # a title: one paragraph a line (its spans), each in its class's style
            parts = [child for child in el if child.get("class")] or [el]
            for part in parts:
                self.paragraph(self.doc, part, (part.get("class") or "").split()[0], nd30.TEXT_W)
        elif el.tag in ("h2", "h3"):
            self.paragraph(self.doc, el, cls[0], nd30.TEXT_W)
        elif el.tag == "p":
            para = self.paragraph(self.doc, el, cls[0] if cls else "body", nd30.TEXT_W)
            if "closing" in cls:   # the closing sentence stays on the page of the signature
                para.paragraph_format.keep_with_next = True


def render_docx(html: str, charts: dict[str, ChartFiles], author: str,
                keywords: list[str], created: datetime, template: Path | None = None) -> bytes:
    """The DOCX of the briefing's HTML; its title and subject are the HTML's <title> and
    description, as the template writes them."""
    import docx
    import lxml.html

    doc = docx.Document(str(TEMPLATE))       # the clean package of scripts/make_docx_template.py
    _styled(doc)
    _page_setup(doc)
    # The default document starts with one empty paragraph; drop it.
    body = doc.element.body
    for p in list(body.iterchildren("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")):
        body.remove(p)
    root = lxml.html.document_fromstring(html.encode("utf-8"))
    title = (root.findtext(".//head/title") or "").strip()
    subject = next((m.get("content", "") for m in root.iterfind(".//head/meta[@name='description']")), "")
    _Writer(doc, charts, template).body(root)
    props = doc.core_properties
    # Core properties hold at most 255 characters (python-docx, and Word's own limit):
    # a long notice title is shortened there; the document's text keeps it whole.
    fit = lambda v: v if len(v) <= 255 else v[:254] + "…"  # noqa: E731
    props.title, props.subject, props.author = fit(title), fit(subject), fit(author)
    props.keywords, props.language = fit(", ".join(keywords)), "vi-VN"
    props.last_modified_by, props.revision, props.comments = fit(author), 1, ""
    props.created = props.modified = created.replace(tzinfo=None)
    # Never printed: no "last printed" date (the template's would be a day of its own).
    for el in props._element.findall("{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}lastPrinted"):
        props._element.remove(el)
    from xml.sax.saxutils import escape

    from .. import __version__

    # Word's own name for "no template": the file this writer starts from is internal.
    app = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns="http://schemas.openxmlformats.org'
           '/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
           f'docPropsVTypes"><Template>Normal.dotm</Template><Application>reportgen {__version__}'
           f'</Application><DocSecurity>0</DocSecurity><Company>{escape(fit(author))}</Company></Properties>')
    members = _members(doc)
    members["docProps/app.xml"] = app.encode("utf-8")
    return reproducible_zip(members)


def _members(doc) -> dict[str, bytes]:  # type: ignore[no-untyped-def]
    """The package's members (name -> bytes) as python-docx's save writes them, without the
    zip it would deflate only for reproducible_zip to inflate and deflate again."""
    try:
        from docx.opc.pkgwriter import PackageWriter

        package = doc.part.package
        members: dict[str, bytes] = {}

        class Collected:
            def write(self, pack_uri, blob) -> None:  # type: ignore[no-untyped-def]
                members[pack_uri.membername] = blob

        for part in package.parts:           # as OpcPackage.save does
            part.before_marshal()
        written = Collected()
        PackageWriter._write_content_types_stream(written, package.parts)
        PackageWriter._write_pkg_rels(written, package.rels)
        PackageWriter._write_parts(written, package.parts)
        return members
    except AttributeError:                  # another python-docx: its own save, read back
        out = io.BytesIO()
        doc.save(out)
        with zipfile.ZipFile(out) as src:
            return {name: src.read(name) for name in src.namelist()}


def reproducible_zip(members: dict[str, bytes]) -> bytes:
    """Same members, fixed timestamps and order: the same DOCX gives the same bytes. A member
    written before (the charts' pictures, the styles: the same in every briefing of a day) is
    deflated once per process: zlib gives the same bytes for the same data."""
    names = sorted(members, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            data = members[name]
            info.file_size = len(data)
            with dst.open(info, "w") as member:
                if getattr(member, "_compressor", None) is not None:    # zipfile's deflater: its output, kept
                    member._compressor = _Deflated()
                member.write(data)
    return out.getvalue()


class _Deflated:
    """Stands in for zipfile's raw deflater (level -1, no header) of a member written at once:
    what it would give, from a small per-process store."""
    KEPT: "OrderedDict[bytes, bytes]" = OrderedDict()
    LIMIT = 32

    def compress(self, data: bytes) -> bytes:       # called once, with the whole member (reproducible_zip)
        kept = self.KEPT.get(data)
        if kept is None:
            z = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
            kept = self.KEPT[data] = z.compress(data) + z.flush()
            if len(self.KEPT) > self.LIMIT:
                self.KEPT.popitem(last=False)
        else:
            self.KEPT.move_to_end(data)
        return kept

    def flush(self) -> bytes:
        return b""


def unusable_element(folder: Path | None, el, exc: Exception) -> BuildError:  # type: ignore[no-untyped-def]
    """The DOCX writer met an element of the template's HTML it cannot use: the error
    names the template file, the element and, when its tag can be found there, the line."""
    from .html import element_line, templates_dir

    start = "<" + el.tag + "".join(f' {k}="{v}"' for k, v in el.attrib.items()) + ">"
    start = start if len(start) <= 120 else start[:116] + "…\">"
    cls = (el.get("class") or "").split()
    img = el.find("img") if el.tag == "figure" else None
    if el.tag == "h1":
        why = ("a title heading holds spans whose classes name Word styles (type-name, summary; appendix-title, "
               "appendix-name), or has such a class itself")
    elif el.tag in ("h2", "h3") and (not cls or cls[0] not in STYLES):
        why = "a heading needs a class naming its Word style: section or subsection"
    elif el.tag == "p" and cls and cls[0] not in STYLES:
        why = "a paragraph's class names its Word style, one of: " + ", ".join(STYLES)
    elif el.tag == "figure" and (img is None or not img.get("data-png") or not img.get("data-width-mm")
                                 or el.find("figcaption") is None):
        why = ('a figure needs an <img> with data-png="chart:ID.png" (one of the briefing\'s charts) and '
               "data-width-mm, and a <figcaption>")
    else:
        why = f"{type(exc).__name__}: {exc}"
    line = element_line(folder or templates_dir(), el, start)
    where = line or f"{(folder or templates_dir()) / 'briefing.html.j2'} (line {el.sourceline} of the HTML it made)"
    return BuildError(f"{where}: the DOCX writer cannot use {start}: {why}.")

"""The PDF's structure tree as a screen reader needs it, on top of WeasyPrint's tagging.

WeasyPrint (69, 70) tags a PDF page by page and knows no artifacts of its own making, so:

- an element that runs over a page break becomes one structure element per page: the
  appendix table was three tables, its section four, a paragraph two;
- a table header repeated on a new page is tagged as header cells again;
- the page numbers (the @page margin boxes) are marked as content (/Span with an MCID) and
  only left out of the tree (its maintainers: an Artifact node needs PDF 2.0; issue #1836);
- a table used for layout (the letterhead, the signature block) is tagged as a data table:
  WeasyPrint reads no ARIA role.

`install()` wraps WeasyPrint's tagging: while its tree is built, each structure element is
noted with the HTML element it came from, and the page-margin content with its marked-content
ids; then, before the PDF is written, the tree is mended in memory:

- the fragments of one HTML element on consecutive pages are one structure element;
- a repeated header row, and the page-margin content, become /Artifact marked content
  (/Type /Pagination; /Subtype /Header or /Footer for the margins), out of the parent tree;
- a <table role="presentation"> (or role="none") is a /Div of /Div cells holding its
  paragraphs: a layout table, not a data table.

Everything happens on WeasyPrint's objects before they are serialised, so the bytes stay
reproducible and PDF/A-2b is kept. If WeasyPrint's internals lack what is wrapped,
`install()` leaves its tagging as it is (the tests of the tree then fail); if its tree is not
as expected, the build stops with a BuildError rather than write a half-mended tree.
"""

from __future__ import annotations

from ..i18n import msg

import threading
from dataclasses import dataclass, field

from .engine import once

_local = threading.local()

LAYOUT_ROLES = ("presentation", "none")


@dataclass
class _Notes:
    origin: dict = field(default_factory=dict)     # id(struct elem) -> (struct elem, HTML element)
    margins: list = field(default_factory=list)    # (page index, MCIDs, objects made, at-keyword)


@once
def install() -> bool:
    """Wrap WeasyPrint's tagging; False if its internals are not as expected."""
    import pydyf  # noqa: F401
    import weasyprint.pdf as wpdf
    from weasyprint.formatting_structure.boxes import MarginBox
    from weasyprint.pdf import tags as wtags

    build, add_tags = getattr(wtags, "_build_box_tree", None), getattr(wpdf, "add_tags", None)
    if build is None or add_tags is None:
        return False

    def traced(box, parent, pdf, page_number, nums, *rest):  # type: ignore[no-untyped-def]
        notes = getattr(_local, "notes", None)
        if notes is None:
            yield from build(box, parent, pdf, page_number, nums, *rest)
            return
        made, known = len(pdf.objects), set(nums)
        for element in build(box, parent, pdf, page_number, nums, *rest):
            notes.origin.setdefault(id(element), (element, getattr(box, "element", None)))
            yield element
        if isinstance(box, MarginBox):
            notes.margins.append((page_number, sorted(set(nums) - known), pdf.objects[made:], box.at_keyword))

    def tagged(pdf, document, pdf_version, page_streams):  # type: ignore[no-untyped-def]
        _local.notes = notes = _Notes()
        try:
            add_tags(pdf, document, pdf_version, page_streams)
        finally:
            _local.notes = None
        try:
            _Mender(pdf, page_streams, notes).mend()
        except (LookupError, TypeError, ValueError, AttributeError) as exc:
            from weasyprint import __version__ as version

            from ..errors import BuildError

            raise BuildError(msg('pdftags.pdf_s_structure_tree', "the PDF's structure tree is not as reportgen.render.pdftags expects from WeasyPrint {version} ({name}: {exc}); no PDF was written.", version=version, name=type(exc).__name__, exc=exc)) from None

    wtags._build_box_tree = traced
    wpdf.add_tags = tagged
    return True


class _Mender:
    def __init__(self, pdf, page_streams, notes: _Notes) -> None:  # type: ignore[no-untyped-def]
        self.pdf, self.streams, self.notes = pdf, page_streams, notes
        root = self.obj(pdf.catalog["StructTreeRoot"])
        self.document = self.obj(root["K"][0])
        nums = self.obj(root["ParentTree"])["Nums"]
        self.parent_tree = nums                          # [key, value, key, value, …]
        self.page_index = {ref: i for i, ref in enumerate(pdf.page_references)}
        self.moved: dict[bytes, bytes] = {}              # absorbed element → the one that took its content
        self.table_ids: dict[str, str] = {}              # absorbed table's number → the kept table's

    # -- plumbing ------------------------------------------------------------------------
    def obj(self, ref):  # type: ignore[no-untyped-def]
        return self.pdf.objects[int(bytes(ref).split()[0])]

    def struct(self, kid):  # type: ignore[no-untyped-def]
        """The structure element a kid of K refers to, or None (an MCID, an MCR, an OBJR)."""
        if isinstance(kid, bytes):                       # a reference "12 0 R"
            target = self.obj(kid)
            if isinstance(target, dict) and target.get("Type") == "/StructElem":
                return target
        return None

    def html(self, element):  # type: ignore[no-untyped-def]
        noted = self.notes.origin.get(id(element))
        return noted[1] if noted and noted[0] is element else None

    def page_array(self, page: int):  # type: ignore[no-untyped-def]
        for key, value in zip(self.parent_tree[::2], self.parent_tree[1::2]):
            if key == page:
                return value
        raise LookupError(page)

    # -- the mending ---------------------------------------------------------------------
    def mend(self) -> None:
        for page, mcids, made, keyword in self.notes.margins:
            subtype = "/Footer" if keyword.startswith("@bottom") else "/Header"
            self.artifact_mcids(page, mcids, subtype)
            for o in made:
                if isinstance(o, dict):
                    o.clear()                            # the unlinked elements WeasyPrint made for them
        self.merge(self.document)
        self.layout_tables(self.document)
        if self.table_ids:
            self.renumber_headers(self.document)
        self.repoint_parent_tree()

    def artifact_mcids(self, page: int, mcids, subtype: str | None = None) -> None:  # type: ignore[no-untyped-def]
        """Marked content → /Artifact of pagination, and out of the parent tree."""
        import pydyf

        if not mcids:
            return
        wanted, ops = set(mcids), self.streams[page].stream
        for i, op in enumerate(ops):
            if isinstance(op, dict) and op.get("MCID") in wanted and i and i + 1 < len(ops) and ops[i + 1] == b"BDC":
                ops[i - 1] = "/Artifact"
                props = {"Type": "/Pagination"}
                if subtype:
                    props["Subtype"] = subtype
                ops[i] = pydyf.Dictionary(props)
        array = self.page_array(page)
        for m in wanted:
            if m < len(array):
                array[m] = "null"

    def merge(self, element) -> None:  # type: ignore[no-untyped-def]
        """Fragments of one HTML element on later pages join its first fragment; a repeated
        table header (a later fragment of a thead or tfoot) becomes an artifact."""
        import pydyf

        kept, first = pydyf.Array(), {}
        for kid in element["K"]:
            child = self.struct(kid)
            html = self.html(child) if child is not None else None
            # One HTML element, or the same part of a document laid out twice: the Phụ lục's first page
            # and its following pages may come from two layouts (render/pdf.py), marked data-span.
            key = ((html.get("data-span") or id(html)), child["S"]) if html is not None else None
            earlier = first.get(key) if key else None
            if earlier is not None and earlier.get("Pg") != child.get("Pg"):
                if child["S"] in ("/THead", "/TFoot"):
                    self.drop_as_artifact(child)
                else:
                    self.absorb(earlier, child)
                continue
            if key and key not in first:
                first[key] = child
            kept.append(kid)
        element["K"] = kept
        for kid in kept:
            child = self.struct(kid)
            if child is not None:
                self.merge(child)

    def absorb(self, into, part) -> None:  # type: ignore[no-untyped-def]
        import pydyf

        for kid in part["K"]:
            child = self.struct(kid)
            if child is not None:
                child["P"] = into.reference
                into["K"].append(kid)
            elif isinstance(kid, int) and part.get("Pg") != into.get("Pg"):
                into["K"].append(pydyf.Dictionary({"Type": "/MCR", "Pg": part["Pg"], "MCID": kid}))
            else:
                into["K"].append(kid)
        if part["S"] == "/Table":
            self.table_ids[str(part.number)] = str(into.number)
        self.moved[part.reference] = into.reference
        part.clear()

    def drop_as_artifact(self, element) -> None:  # type: ignore[no-untyped-def]
        by_page: dict[int, list[int]] = {}
        for page, mcid in self.mcids(element):
            by_page.setdefault(page, []).append(mcid)
        for page, mcids in sorted(by_page.items()):
            self.artifact_mcids(page, mcids)
        self.clear_tree(element)

    def mcids(self, element):  # type: ignore[no-untyped-def]
        page = self.page_index.get(element.get("Pg"))
        for kid in element["K"]:
            child = self.struct(kid)
            if child is not None:
                yield from self.mcids(child)
            elif isinstance(kid, int) and page is not None:
                yield page, kid
            elif isinstance(kid, dict) and kid.get("Type") == "/MCR":
                yield self.page_index[kid["Pg"]], kid["MCID"]

    def clear_tree(self, element) -> None:  # type: ignore[no-untyped-def]
        for kid in element["K"]:
            child = self.struct(kid)
            if child is not None:
                self.clear_tree(child)
        element.clear()

    def layout_tables(self, element) -> None:  # type: ignore[no-untyped-def]
        """A table with role="presentation" (or "none") is laid out, not read as data: a /Div of
        /Div cells in reading order (row by row), without table attributes."""
        for kid in element["K"]:
            child = self.struct(kid)
            if child is None:
                continue
            html = self.html(child)
            if child["S"] == "/Table" and html is not None and html.get("role") in LAYOUT_ROLES:
                child["S"] = "/Div"
                child["K"] = self.cells(child)
            else:
                self.layout_tables(child)

    def cells(self, table):  # type: ignore[no-untyped-def]
        import pydyf

        out = pydyf.Array()
        for kid in table["K"]:
            child = self.struct(kid)
            if child is None:
                out.append(kid)
            elif child["S"] in ("/THead", "/TBody", "/TFoot", "/TR"):
                out.extend(self.cells(child))
                child.clear()
            else:
                if child["S"] in ("/TD", "/TH"):
                    child["S"] = "/Div"
                    child.pop("A", None)
                    child.pop("ID", None)
                out.append(kid)
        for kid in out:
            child = self.struct(kid)
            if child is not None:
                child["P"] = table.reference
        return out

    def renumber_headers(self, element) -> None:  # type: ignore[no-untyped-def]
        """Cells of a joined table point to the header cells of its first page."""
        import pydyf

        attrs = element.get("A")
        if isinstance(attrs, dict) and "Headers" in attrs:
            fixed = pydyf.Array()
            for h in attrs["Headers"]:
                number, _, rest = h.string.partition("-")
                fixed.append(pydyf.String(f"{self.table_ids.get(number, number)}-{rest}"))
            attrs["Headers"] = fixed
        for kid in element["K"]:
            child = self.struct(kid)
            if child is not None:
                self.renumber_headers(child)

    def repoint_parent_tree(self) -> None:
        def final(ref):  # type: ignore[no-untyped-def]
            while ref in self.moved:
                ref = self.moved[ref]
            return ref

        if not self.moved:
            return
        for i in range(1, len(self.parent_tree), 2):
            value = self.parent_tree[i]
            if isinstance(value, list):
                for k, ref in enumerate(value):
                    if isinstance(ref, bytes) and ref in self.moved:
                        value[k] = final(ref)
            elif isinstance(value, bytes) and value in self.moved:
                self.parent_tree[i] = final(value)

"""Element order in WordprocessingML parts, checked against the ECMA-376 schema (wml.xsd).

The schema's other files (DrawingML, shared types) are not at hand, so this checks what
Word is strictest about: that the children of every w: element come in the order its
complex type's sequence gives (groups expanded, extensions after their base, the members
of a choice sharing one place), and that no unknown w: child appears.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

XS = "{http://www.w3.org/2001/XMLSchema}"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


class Schema:
    def __init__(self, xsd: Path) -> None:
        self.root = etree.parse(str(xsd)).getroot()
        self.types = {t.get("name"): t for t in self.root.iter(f"{XS}complexType") if t.get("name")}
        self.groups = {g.get("name"): g for g in self.root.iter(f"{XS}group") if g.get("name")}
        self.elements = {e.get("name"): e.get("type") for e in self.root.findall(f"{XS}element")}

    @staticmethod
    def _local(qname: str | None) -> str | None:
        return qname.split(":")[-1] if qname else None

    @lru_cache(maxsize=None)
    def once(self, type_name: str) -> frozenset[str]:
        """Children the type allows at most once: in its own sequence, maxOccurs 1, not in a choice."""
        node = self.types[type_name]
        out = set()
        for ext in node.iter(f"{XS}extension"):
            base = self._local(ext.get("base"))
            if base in self.types:
                out |= self.once(base)
        for seq in node.iter(f"{XS}sequence"):
            if seq.get("maxOccurs", "1") != "1":
                continue
            for e in seq.findall(f"{XS}element"):
                if e.get("maxOccurs", "1") == "1":
                    out.add(e.get("name") or self._local(e.get("ref")))
        return frozenset(out)

    @lru_cache(maxsize=None)
    def children(self, type_name: str) -> dict[str, tuple[int, str | None]]:
        """Child element name → (position in the content model, its type)."""
        out: dict[str, tuple[int, str | None]] = {}
        counter = [0]

        def walk(node, in_choice: bool = False) -> None:  # type: ignore[no-untyped-def]
            for child in node:
                tag = child.tag
                if tag == f"{XS}sequence":
                    walk(child, False)
                elif tag == f"{XS}choice":
                    start = counter[0]
                    counter[0] += 1
                    saved = counter[0]
                    counter[0] = start
                    walk_choice(child)
                    counter[0] = max(saved, counter[0] + 1)
                elif tag == f"{XS}group" and child.get("ref"):
                    walk(self.groups[self._local(child.get("ref"))], in_choice)
                elif tag == f"{XS}element":
                    name = child.get("name") or self._local(child.get("ref"))
                    out.setdefault(name, (counter[0], self._local(child.get("type"))))
                    if not in_choice:
                        counter[0] += 1
                elif tag in (f"{XS}complexContent", f"{XS}extension", f"{XS}restriction"):
                    base = self._local(child.get("base"))
                    if base in self.types:
                        for name, (pos, typ) in self.children(base).items():
                            out.setdefault(name, (pos, typ))
                        counter[0] = max([p for p, _ in self.children(base).values()], default=-1) + 1
                    walk(child, in_choice)
                elif tag == f"{XS}all":
                    walk_choice(child)

        def members(node, seen: frozenset = frozenset()):  # type: ignore[no-untyped-def]
            """Every element a node allows, group references followed."""
            for child in node.iter(f"{XS}element", f"{XS}group"):
                if child.tag == f"{XS}group" and child.get("ref"):
                    ref = self._local(child.get("ref"))
                    if ref not in seen:
                        yield from members(self.groups[ref], seen | {ref})
                elif child.tag == f"{XS}element":
                    yield child

        def walk_choice(node) -> None:  # type: ignore[no-untyped-def]
            # every member of a choice (and of what it contains) shares the choice's place
            place = counter[0]
            for e in members(node):
                name = e.get("name") or self._local(e.get("ref"))
                out.setdefault(name, (place, self._local(e.get("type"))))

        walk(self.types[type_name])
        return out


def order_errors(part: bytes, schema: Schema, root_type: str) -> list[str]:
    """Children out of the schema's order, or unknown, in one XML part."""
    tree = etree.fromstring(part)
    errors: list[str] = []

    def check(el, type_name: str | None) -> None:  # type: ignore[no-untyped-def]
        if type_name is None or type_name not in schema.types:
            return
        allowed = schema.children(type_name)
        once = schema.once(type_name)
        seen: set[str] = set()
        last = -1
        for child in el:
            if not isinstance(child.tag, str) or not child.tag.startswith(f"{{{W}}}"):
                continue
            name = etree.QName(child).localname
            if name not in allowed:
                errors.append(f"{etree.QName(el).localname} ({type_name}): unknown child w:{name}")
                continue
            if name in once and name in seen:
                errors.append(f"{etree.QName(el).localname} ({type_name}): w:{name} twice; the schema allows one")
            seen.add(name)
            pos, child_type = allowed[name]
            if pos < last:
                errors.append(f"{etree.QName(el).localname} ({type_name}): w:{name} comes after an element "
                              "the schema puts after it")
            last = max(last, pos)
            check(child, child_type)

    check(tree, root_type)
    return errors

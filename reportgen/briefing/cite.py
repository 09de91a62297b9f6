"""The documents a briefing relies on, as an office cites them.

An official text is cited by kind, number, date and issuer; a press report by outlet and
date. The order of first citation numbers them for the review copy only.
"""

from __future__ import annotations

import re
from datetime import date

from ..extract.dates import day as _day
from ..factbase import DocumentFact
from ..registry import Registry
from .model import Cited


class Citations:
    """Cites documents, numbering them in the order the briefing first relies on them."""

    def __init__(self, docs: dict[str, DocumentFact], registry: Registry) -> None:
        self.docs, self.registry = docs, registry
        self.order: list[str] = []
        self._made: dict[str, Cited] = {}

    def __call__(self, doc_id: str) -> Cited:
        if doc_id not in self.order:
            self.order.append(doc_id)
        made = self._made.get(doc_id)
        if made is None:
            made = self._made[doc_id] = self._cite(self.docs[doc_id], self.order.index(doc_id) + 1)
        return made

    def all(self, *doc_ids: str) -> tuple[Cited, ...]:
        return tuple(self(d) for d in dict.fromkeys(doc_ids))

    def copy(self) -> "Citations":
        other = Citations(self.docs, self.registry)
        other.order, other._made = list(self.order), dict(self._made)
        return other

    def cited(self) -> list[Cited]:
        return [self(d) for d in self.order]

    def running(self, title: str | None) -> str | None:
        """A title as running text writes it: one a law site copied in capitals ("KẾT LUẬN CỦA THỦ
        TƯỚNG CHÍNH PHỦ TẠI PHIÊN HỌP … CỦA BAN CHỈ ĐẠO") in sentence case, the names the registry
        spells — bodies, their short names and heads — as it spells them (a briefing cites it
        "về kết luận của Thủ tướng Chính phủ …", not "về kẾT LUẬN …")."""
        if not title or title.upper() != title or not any(c.isalpha() for c in title):
            return title
        from ..provinces import sentence_case

        out = sentence_case(title)
        names = {n for b in self.registry.bodies for n in [b.name, *b.phrases, *b.short_names, *b.head]}
        for name in sorted(names, key=len, reverse=True):
            out = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", lambda m, n=name: n if m.start() else n[:1].upper() + n[1:],
                         out, flags=re.IGNORECASE)
        return out

    def _cite(self, doc: DocumentFact, n: int) -> Cited:
        kind = self.registry.kind.get(doc.kind)
        official = bool(doc.official)
        if official:
            day: date | None = _day(doc.issued)
        else:
            day = _day(doc.published) if doc.published and len(doc.published) >= 10 else None
        month = None
        if not official and doc.published and len(doc.published) == 7:
            month = f"{doc.published[5:7]}/{doc.published[:4]}"
        return Cited(n=n, file=doc.id, official=official, kind=kind.label if kind and official else "Tin, bài",
                     number=doc.number if official else None, day=day, month=month,
                     issuer=doc.issuer if official else None, title=self.running(doc.title),
                     outlet=self.registry.outlet_name(doc.outlet), session=doc.session)

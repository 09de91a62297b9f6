"""The reading context of a document: its sentences, which of them are directives,
to whom, and which paragraphs speak of one province.

Figures, targets and tasks are all read against this context, so the rules live in
one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..catalogue import Catalogue, Party
from ..provinces import find_names
from ..sources import Document
from ..textnorm import fold
from . import spans as sp

# These run on the lower-cased NFC text: short words such as "cần"/"cán", "ông"/"ong"
# or "giao"/"giáo" only differ by their diacritics.
_LEADER = r"(?<!\w)(thủ tướng|ông|bà|lãnh đạo chính phủ|người đứng đầu chính phủ)(?!\w)"
_ORDER = re.compile(_LEADER + r"[^.;:]{0,80}?(yêu cầu|đề nghị|giao|chỉ đạo|nhắc lại mục tiêu|lưu ý|đặt mục tiêu)(?!\w)")
_STRESS = re.compile(_LEADER + r"[^.;]{0,80}?(nhấn mạnh|nêu rõ|quán triệt)\s*:")
_PASSIVE = re.compile(r"(?<!\w)(được giao|theo yêu cầu của|khẩn trương|phấn đấu)(?!\w)")
_MODAL = re.compile(r"(?<!\w)(cần|phải)\s+\w")
_TARGET_ONLY = re.compile(r"(?<!\w)(mục tiêu)(?!\w)")
_DUE = re.compile(r"(?<!\w)(hoàn thành trước|trước ngày|chậm nhất|đến ngày|hết tháng)(?!\w)")
_ASKS = re.compile(r"(?<!\w)(yêu cầu|đề nghị|giao)(?!\w)")
_TASK_HEADING = re.compile(r"^\s*(?:(\d+)\.|([ivx]+)\.|[a-z]\))?\s*(?:nhiem vu, giai phap|nhiem vu va giai phap|to chuc thuc hien)")
_OTHER_HEADING = re.compile(r"^\s*(?:(\d+)\.|([ivx]+)\.)\s+\S")
# The sentence that opens the directives of a dispatch or a directive: "Thủ tướng Chính phủ chỉ thị:".
_OPENER = re.compile(r"(chi thi|yeu cau|de nghi|giao nhiem vu)(?: nhu sau)?\s*:\s*$")
_BODY_WORDS = re.compile(r"ban chỉ đạo|tổ công tác|trưởng ban")
_NUMBERED = re.compile(r"^\s*\d+\.\s+")
_SUB_ITEM = re.compile(r"^\s*(?:[a-zđ]\)|[-–+•])\s*")
_SCOPE_LEAD = re.compile(r"^\s*(doi voi|rieng|tai|o) (tinh|thanh pho) ")
_PARTNER = re.compile(r"(phoi hop voi|cung voi|voi)\s*$")
# Words that place what a sentence says at a province ("toàn tỉnh", "của tỉnh đạt 49,8%"), or
# at the nation: read by the figures (their scope) and the press statements (left to section c).
LOCAL = re.compile(r"(?<![a-z])(toan tinh|cua tinh|tinh da|tinh co|tinh dat|tren dia ban tinh|tren dia ban|"
                   r"toan thanh pho|cua thanh pho|thanh pho da|thanh pho co)(?![a-z])")
NATIONAL = re.compile(r"(?<![a-z])(ca nuoc|toan quoc|binh quan chung|quoc gia|viet nam)(?![a-z])")
_REPORTING = re.compile(r"^\s*(theo|bao cao|day la|ket qua)")


@dataclass
class Sentence:
    span: sp.Span
    para: sp.Span
    directive: bool = False
    target_only: bool = False
    parties: list[Party] = field(default_factory=list)  # the addressees it inherits
    scope: str = "national"


@dataclass
class Context:
    doc: Document
    folded: str
    sentences: list[Sentence]
    cache: dict = field(default_factory=dict, repr=False)   # type: ignore[type-arg]  # what readers of it found once
    _starts: list[int] = field(default_factory=list, repr=False)

    def sentence_at(self, pos: int) -> Sentence | None:
        """The sentence holding a position (by bisection: sentences are in order, apart)."""
        from bisect import bisect_right

        if len(self._starts) != len(self.sentences):
            self._starts = [s.span.start for s in self.sentences]
        k = bisect_right(self._starts, pos) - 1
        return self.sentences[k] if k >= 0 and pos < self.sentences[k].span.end else None


def parties_in(catalogue: Catalogue, folded: str, start: int, end: int) -> list[tuple[int, int, Party]]:
    """Addressees named in folded[start:end] with their spans, in order, longest phrase first at a place."""
    found: list[tuple[int, int, Party]] = []
    for party, rx in catalogue.party_patterns:
        for m in rx.finditer(folded, start, end):
            found.append((m.start(), m.end(), party))
    found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
    out, covered_to, seen = [], -1, set()
    for s, e, party in found:
        if s < covered_to:
            continue
        covered_to = e
        if party.id not in seen:
            seen.add(party.id)
            out.append((s, e, party))
    return out


def split_parties(catalogue: Catalogue, folded: str, a: int, b: int) -> tuple[list[Party], list[Party]]:
    """Who must act (the first party named, with those coordinated with it) and who
    only takes part ("phối hợp với Bộ Tư pháp, Bộ Công an")."""
    responsible: list[Party] = []
    partners: list[Party] = []
    group: list[Party] | None = None
    prev_end = a
    for start, end, party in parties_in(catalogue, folded, a, b):
        coordinated = group is not None and re.fullmatch(r"\s*(,|va|;)?\s*", folded[prev_end:start])
        if _PARTNER.search(folded[max(a, start - 16): start]):
            group = partners
        elif not coordinated:
            group = responsible if not responsible else None
        if group is not None and party not in group:
            group.append(party)
        prev_end = end
    return responsible, partners


def read_context(doc: Document, catalogue: Catalogue) -> Context:
    text, folded = doc.text, fold(doc.text)
    sentences: list[Sentence] = []
    in_tasks = False
    level = ""            # what ends the directives: "roman" or "arabic" headings
    heading_parties: list[Party] = []   # the addressee of a numbered item, for its sub-items
    for para in sp.paragraphs(text, doc.body_start, doc.body_end):
        head = folded[para.start: para.end]
        task_heading = _TASK_HEADING.match(head)
        if task_heading:
            in_tasks, level = True, "roman" if task_heading.group(2) else "arabic"
            heading_parties = []
            continue  # the heading states the theme, not a task
        other = _OTHER_HEADING.match(head)
        if in_tasks and other and (level == "arabic" and other.group(1) or other.group(2)):
            in_tasks = False
        if doc.official and _OPENER.search(head.rstrip()) and len(head) < 400:
            in_tasks, level = True, "roman"
            continue
        if _NUMBERED.match(head):
            colon = head.find(":")
            lead_end = para.start + (colon if 0 < colon < 250 else min(len(head), 120))
            heading_parties = [p for _, _, p in parties_in(catalogue, folded, para.start, lead_end)] \
                if (0 < colon < 250 or len(head.split()) <= 15) else []
        elif not _SUB_ITEM.match(head):
            heading_parties = []
        scope = "national"
        lead = _SCOPE_LEAD.match(head)
        if lead:
            names = [n for n in find_names(text[para.start: para.end]) if n[0] < 40]
            if names:
                scope = names[0][2]
        # An addressee line ("Chủ tịch UBND cấp tỉnh: …" or the subject that opens the paragraph).
        colon = head.find(": ")
        prefix_parties = [p for _, _, p in parties_in(catalogue, folded, para.start, para.start + colon)] \
            if 0 < colon < 250 else []
        para_parties: list[Party] = list(prefix_parties) or (list(heading_parties) if not _NUMBERED.match(head) else [])
        directive_mode = in_tasks
        for s in sp.sentences(text, para):
            f = folded[s.start: s.end]
            # "Ban Chỉ đạo" names a body; its "chỉ đạo" is no order.
            low = _BODY_WORDS.sub(lambda m: "_" * len(m.group()), text[s.start: s.end].lower())
            named = [p for _, _, p in parties_in(catalogue, folded, s.start, s.end)]
            order = bool(_ORDER.search(low) or _STRESS.search(low) or _PASSIVE.search(low))
            modal = bool((_MODAL.search(low) or _DUE.search(low)) and named)
            if directive_mode and _REPORTING.match(f) and not (order or modal):
                directive_mode = in_tasks
            is_directive = directive_mode or order or modal
            target_only = bool(_TARGET_ONLY.search(low)) and not (in_tasks or modal or _PASSIVE.search(low)) \
                and not _ASKS.search(low)
            if is_directive and not para_parties and named:
                para_parties = split_parties(catalogue, folded, s.start, s.end)[0]
            sentences.append(Sentence(span=s, para=para, directive=is_directive, target_only=target_only,
                                      parties=list(para_parties), scope=scope))
            if order or modal:
                directive_mode = True
    return Context(doc=doc, folded=folded, sentences=sentences)

"""Events: the committee sessions (date, number, chair, attendance) and the provincial
bridge points (điểm cầu) that joined them online."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..provinces import find_names
from ..textnorm import fold
from . import spans as sp
from .context import Context

SURNAMES = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đào Cao "
            "Lương Trịnh Mai Tô Hà Lâm Chu Đoàn Vương Tạ Thái Hứa Lưu Quách Châu Triệu Kiều Nông Lò "
            "Giàng Mạc Văn Tăng Từ Lại Khổng Âu Doãn Đàm Hầu Lã Mã Nghiêm Quan Tống Thân Ông").split()
_NAME = re.compile(r"(?<!\w)(?:" + "|".join(SURNAMES) + r")(?:\s+[^\W\d_][^\s,;.()]*){1,3}")
_ATTEND = re.compile(r"\s*(?:cung du|du hop|tham du(?: phien hop)?|du(?: tai diem cau [^c]+?)?)\s+co\s+")
_CHAIR = re.compile(r"chu tri")
# Who chaired, said by what the chair does: "Thủ tướng … chủ trì Phiên họp", "dưới sự chủ trì
# của Thủ tướng …" — not "đồng chủ trì" (co-chairs), "chủ trì, phối hợp" (a task's lead) or
# "chủ trì tại điểm cầu" (a bridge point's chair).
_CHAIRED = re.compile(r"(?<!dong )chu tri(?!\s*(?:,\s*)?phoi hop)(?!\s+(?:hoi nghi |phien hop )?tai (?:diem|dau) cau)")
# Where no sentence says so: who opens or concludes the meeting chairs it ("Phát biểu khai
# mạc phiên họp, Thủ tướng …", "… khi phát biểu kết luận phiên họp thứ 4", "Kết luận phiên
# họp, Thủ tướng …", "kết luận của Phó Thủ tướng … tại cuộc họp").
_OPENS_OR_CONCLUDES = re.compile(r"(?<![a-z])(?:(?:phat bieu )?(?:khai mac|ket luan)(?: tai)? (?:phien hop|hoi nghi|cuoc hop)"
                                 r"|phat bieu khai mac|mo dau (?:phien hop|hoi nghi)|ket luan cua)(?![a-z])")
_MEETING_WORDS = re.compile(r"phien hop|hoi nghi|cuoc hop|uy ban quoc gia|ban chi dao|(?<![a-z])ubqg|chuong trinh|su kien")


@dataclass
class Person:
    name: str
    role: str | None


@dataclass
class SessionReading:
    number: int | None
    kind: str
    chair: Person | None = None
    chair_quote: str | None = None
    attended: list[str] = field(default_factory=list)


@dataclass
class BridgeReading:
    province: str
    chaired_by: Person | None = None
    attended: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    span: tuple[int, int] | None = None   # the sentences that say it, contiguous

    def cover(self, start: int, end: int) -> None:
        self.span = (start, end) if self.span is None else (self.span[0], max(self.span[1], end))


def people(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Vietnamese personal names (surname + given names, each capitalised) in a span."""
    places = {fold(n) for _, _, n in find_names(text[start:end])}
    lengths = sorted({len(p) for p in places})
    out = []
    for m in _NAME.finditer(text, start, end):
        words = m.group(0).split()
        first_lower = next((i for i, w in enumerate(words) if not w[:1].isupper()), len(words))
        words = words[:first_lower]      # every word of a name is capitalised: not "Văn phòng Chính phủ"
        if len(words) < 2:
            continue
        name = " ".join(words)
        folded = fold(name)
        if any(folded[:n] in places for n in lengths if n <= len(folded)):
            continue      # a place, or a name that starts with one
        out.append((m.start(), m.start() + len(name), name))
    return out


def _role(text: str, sentence: sp.Span, name_start: int, name_end: int) -> str | None:
    """The title written with a name: the words before it in its comma-piece, or the piece after."""
    piece_start = max(text.rfind(",", sentence.start, name_start) + 1, sentence.start)
    before = text[piece_start:name_start].strip()
    before = re.sub(r"^(Đồng chí|đồng chí|Ông|ông|Bà|bà|có)\s*", "", before).strip()
    if before and not re.search(r"\d", before) and len(before.split()) <= 12:
        return re.sub(r"^(?:có|Cùng dự có|Dự có)\s+", "", before) or None
    # "đồng chí Phạm Quang Ngọc, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh chủ trì": the titles
    # after the name, up to what the person did.
    stop = text.find(";", name_end, sentence.end)
    after = text[name_end: stop if stop >= 0 else sentence.end]
    m = re.match(r"\s*[,–-]\s*(.+)", after, re.S)
    if m:
        role = re.split(r"\s+(?:đã\s+|cùng\s+)?(?:chủ trì|dự họp|tham dự|dự|phát biểu|theo dõi)(?!\w)", m.group(1),
                        flags=re.IGNORECASE)[0]
        role = role.strip(" ,.")
        if role[:1].isupper() and len(role.split()) <= 16 and not re.search(r"\d", role):
            return role
    return None


def _chair(text: str, folded: str, sentence: sp.Span, cue: re.Pattern[str] = _CHAIR) -> Person | None:
    """The person a sentence says chaired: the last one named before the cue, else (the cue
    opens the sentence, or "dưới sự chủ trì của …") the first one after it."""
    hit = cue.search(folded, sentence.start, sentence.end)
    if not hit:
        return None
    names = [n for n in people(text, sentence.start, sentence.end)]
    if not names:
        return None
    before = [n for n in names if n[0] < hit.start()]
    after = [n for n in names if n[0] >= hit.end()]
    passive = re.search(r"(su|do)\s+$", folded[max(sentence.start, hit.start() - 6): hit.start()]) is not None
    pick = after[0] if (passive or not before) and after else (before[-1] if before else names[0])
    s, e, name = pick
    return Person(name=name, role=_role(text, sentence, s, e))


def _unwrapped(text: str, s: sp.Span, reach: int = 600) -> sp.Span:
    """The sentence s with the lines it goes on from and to, where a page copied with its
    line breaks cuts it ("… Chủ tịch Ủy ban Quốc gia" / "về chuyển đổi số đã chủ trì …").
    Only lines within `reach` of it are looked at, so a long text costs time linear in it."""
    from .held import goes_on

    start, end = s.start, s.end
    while start > 0 and text[start - 1] == "\n" and goes_on(text, start - 1):
        before = text.rfind("\n", max(0, start - reach), start - 1)
        if before < 0 and start - reach > 0:
            break                                           # a line longer than reach
        start = before + 1                                  # the line it goes on from
        if s.start - start > reach:
            break
    while end - s.end < reach and end < len(text) and text[end] == "\n" and goes_on(text, end):
        nxt = text.find("\n", end + 1, end + 1 + reach)
        end = (len(text) if end + 1 + reach >= len(text) else end + 1 + reach) if nxt < 0 else nxt
    return sp.Span(start, end)


def _attendees(text: str, folded: str, sentence: sp.Span) -> list[str]:
    m = _ATTEND.match(folded, sentence.start, sentence.end)
    if not m:
        return []
    parts = re.split(r";\s*", text[m.end(): sentence.end])
    return [p.strip().rstrip(".").strip() for p in parts if p.strip().rstrip(".").strip()]


def _add_new(have: list[str], seen: dict[int, set[str]], new: list[str]) -> None:
    """have += what of new it does not hold yet, with a set beside it (testing the list
    for each one was quadratic in the people named)."""
    known = seen.setdefault(id(have), set(have))
    fresh = [a for a in new if a not in known]
    have += fresh
    known.update(fresh)


def read_events(ctx: Context) -> tuple[SessionReading, list[BridgeReading]]:
    doc, text, folded = ctx.doc, ctx.doc.text, ctx.folded
    seen: dict[int, set[str]] = {}
    session = SessionReading(number=doc.session, kind=doc.event_kind or "session")
    bridges: dict[str, BridgeReading] = {}
    current: BridgeReading | None = None
    fallback: tuple[Person, str] | None = None     # who opened or concluded it, where no sentence says who chaired
    last_para = None
    for sentence in ctx.sentences:
        s = sentence.span
        if sentence.para != last_para:
            current, last_para = None, sentence.para
        f = folded[s.start: s.end]
        if "diem cau" in f:
            names = [n for n in find_names(text[s.start: s.end])
                     if "diem cau" in folded[max(s.start, s.start + n[0] - 20): s.start + n[0]]]
            if names:
                province = names[0][2]
                current = bridges.setdefault(province, BridgeReading(province=province))
                current.quotes.append(text[s.start: s.end].strip())
                if current.span is None or current.attended == [] and current.chaired_by is None:
                    current.span = None
                    current.cover(s.start, s.end)
                if _CHAIR.search(f) and current.chaired_by is None:
                    # The piece of the sentence (between semicolons) that names the bridge point.
                    at = s.start + f.find("diem cau")
                    lo = max(text.rfind(";", s.start, at) + 1, s.start)
                    hi = text.find(";", at, s.end)
                    piece = sp.Span(lo, hi if hi > 0 else s.end)
                    current.chaired_by = _chair(text, folded, piece) if _CHAIR.search(folded, piece.start, piece.end) \
                        else _chair(text, folded, s)
                _add_new(current.attended, seen, _attendees(text, folded, s))
                continue
        if current is not None and _ATTEND.match(folded, s.start, s.end):
            _add_new(current.attended, seen, _attendees(text, folded, s))
            current.quotes.append(text[s.start: s.end].strip())
            current.cover(s.start, s.end)
            continue
        if session.chair is None and _CHAIRED.search(f) and "diem cau" not in f:
            whole = _unwrapped(text, s)    # a sentence a copied page breaks across lines
            if _MEETING_WORDS.search(folded, whole.start, whole.end):
                chair = _chair(text, folded, whole, _CHAIRED)
                if chair:
                    session.chair = chair
                    session.chair_quote = text[whole.start: whole.end].strip()
                    continue
        if fallback is None and _OPENS_OR_CONCLUDES.search(f) and "diem cau" not in f:
            whole = _unwrapped(text, s)
            chair = _chair(text, folded, whole, _OPENS_OR_CONCLUDES)
            if chair:
                fallback = (chair, text[whole.start: whole.end].strip())
        if _ATTEND.match(folded, s.start, s.end) and "diem cau" not in f:
            _add_new(session.attended, seen, _attendees(text, folded, s))
    if session.chair is None and fallback is not None:
        session.chair, session.chair_quote = fallback
    return session, list(bridges.values())

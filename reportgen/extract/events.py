"""Events: the committee sessions (date, number, chair, attendance) and the provincial
bridge points (điểm cầu) that joined them online."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import patterns
from ..provinces import find_names
from ..textnorm import fold
from . import spans as sp
from .context import Context

SURNAMES = ("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đào Cao "
            "Lương Trịnh Mai Tô Hà Lâm Chu Đoàn Vương Tạ Thái Hứa Lưu Quách Châu Triệu Kiều Nông Lò "
            "Giàng Mạc Văn Tăng Từ Lại Khổng Âu Doãn Đàm Hầu Lã Mã Nghiêm Quan Tống Thân Ông").split()
_NAME = patterns.compile(r"(?<!\w)(?:" + "|".join(SURNAMES) + r")(?:\s+[^\W\d_][^\s,;.()]*){1,3}")
# Who attended, listed after the verb: "Cùng dự có …", "Tham dự tại điểm cầu Nghệ An có các đồng
# chí: …", "Dự hội nghị tại điểm cầu tỉnh Sơn La có đồng chí …".
_ATTEND = patterns.compile(r"\s*(?:cung (?:tham )?)?(?:tham du|du)(?: hop| phien hop| hoi nghi| buoi lam viec)?"
                     r"(?: (?:tai|o) (?:diem cau|hoi truong|phong hop|tru so)[^.;:]{0,60}?)?\s+co"
                     r"(?: cac(?: dong chi)?)?\s*:?\s+")
# … or before it: "Chủ tịch UBND tỉnh Nguyễn Thanh Bình; Phó Chủ tịch … tham dự tại điểm cầu An Giang."
_ATTEND_BEFORE = patterns.compile(r"\s(?:cung )?(?:tham du|du hop|du)(?: phien hop| hoi nghi)? (?:tai|o) diem cau")
_CHAIR = patterns.compile(r"chu tri")
# Who chaired, said by what the chair does: "Thủ tướng … chủ trì Phiên họp", "dưới sự chủ trì
# của Thủ tướng …" — not "đồng chủ trì" (co-chairs), "chủ trì, phối hợp" (a task's lead) or
# "chủ trì tại điểm cầu" (a bridge point's chair).
_CHAIRED = patterns.compile(r"(?<!dong )chu tri(?!\s*(?:,\s*)?phoi hop)(?!\s+(?:hoi nghi |phien hop )?tai (?:diem|dau) cau)")
# Where no sentence says so: who opens or concludes the meeting chairs it ("Phát biểu khai
# mạc phiên họp, Thủ tướng …", "… khi phát biểu kết luận phiên họp thứ 4", "Kết luận phiên
# họp, Thủ tướng …", "kết luận của Phó Thủ tướng … tại cuộc họp").
_OPENS_OR_CONCLUDES = patterns.compile(r"(?<![a-z])(?:(?:phat bieu )?(?:khai mac|ket luan)(?: tai)? (?:phien hop|hoi nghi|cuoc hop)"
                                 r"|phat bieu khai mac|mo dau (?:phien hop|hoi nghi)|ket luan cua)(?![a-z])")
_MEETING_WORDS = patterns.compile(r"phien hop|hoi nghi|cuoc hop|uy ban quoc gia|ban chi dao|(?<![a-z])ubqg|chuong trinh|su kien")
# Between "điểm cầu" and the province's name only words of place: "điểm cầu UBND tỉnh Nghệ An",
# "điểm cầu trụ sở Ủy ban nhân dân tỉnh Bạc Liêu", "Điểm cầu phiên họp tại UBND tỉnh …".
_TO_NAME = patterns.compile(r"diem cau(?:\s+(?:chinh|cua|tai|o|tru so|hoi truong|phong hop|truc tuyen|phien hop|hoi nghi|"
                      r"ubnd|uy ban nhan dan|tinh uy|thanh uy|tinh|thanh pho|tp\.?))*\s+$")
# "điểm cầu tỉnh" with no name after it: in a provincial outlet's article, the outlet's province
# ("Bí thư Tỉnh ủy … chủ trì tại điểm cầu tỉnh"; a district's "điểm cầu huyện Quảng Xương").
_OWN_POINT = patterns.compile(r"diem cau (?:(?:cua |tai )?(?:ubnd |uy ban nhan dan |tru so )?(?:tinh|thanh pho)(?![a-z])(?!,? thanh)"
                        r"|(?:huyen|thi xa|quan|xa|phuong) [^\W\d_])")


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
    span: tuple[int, int] | None = None   # the sentences that say it, contiguous, in one paragraph
    para: sp.Span | None = None           # … that one

    def cover(self, start: int, end: int, para: sp.Span | None = None, text: str = "") -> None:
        """Take the sentence text[start:end] into the quote. The quote stays in one paragraph
        (the blank lines between paragraphs differ from one format of a document to another):
        a later paragraph's sentence replaces it, unless it already says who chaired."""
        if self.span is not None and para is not None and self.para is not None and para != self.para:
            said = text[self.span[0]: self.span[1]]
            if self.chaired_by is not None and self.chaired_by.name in said and "chủ trì" in said.lower():
                return
            self.span = None
        self.span = (start, end) if self.span is None else (self.span[0], max(self.span[1], end))
        self.para = para if para is not None else self.para


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
    before = re.split(r"(?<!\w)[Đđ]ồng chí\s+", before)[-1]   # "Hội nghị do đồng chí Tổng Bí thư"
    if before and not re.search(r"\d", before) and len(before.split()) <= 12:
        return re.sub(r"^(?:có|Cùng dự có|Dự có)\s+", "", before) or None
    # "đồng chí Phạm Quang Ngọc, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh chủ trì": the titles
    # after the name, up to what the person did.
    stop = text.find(";", name_end, sentence.end)
    after = text[name_end: stop if stop >= 0 else sentence.end]
    m = re.match(r"\s*[,–-]\s*(.+)", after, re.S)
    if m:
        role = re.split(r"\s+(?:đã\s+|cùng\s+)?(?:chủ trì|dự họp|tham dự|dự(?! khuyết)|phát biểu|theo dõi)(?!\w)"
                        r"|\s+(?:và|cùng)\s+đồng chí\s", m.group(1), flags=re.IGNORECASE)[0]
        role = role.strip(" ,.")
        if len(role.split()) > 16 and "," in role:
            # "Ủy viên Bộ Chính trị, Bí thư Trung ương Đảng, …, Phó Trưởng Ban Chỉ đạo": the
            # last title, the one the meeting's body gave
            role = role.rsplit(",", 1)[1].strip()
        if role[:1].isupper() and len(role.split()) <= 16 and not re.search(r"\d", role):
            return role
    return None


def _chair(text: str, folded: str, sentence: sp.Span, cue: re.Pattern[str] = _CHAIR,
           listed: bool = False) -> Person | None:
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
    pick = after[0] if (passive or not before) and after else (_principal(folded, before, listed) if before else names[0])
    s, e, name = pick
    return Person(name=name, role=_role(text, sentence, s, e))


# Who chairs with whom: "Thủ tướng Chính phủ Phạm Minh Chính cùng Phó Thủ tướng Thường trực Chính phủ
# Nguyễn Hòa Bình, Phó Thủ tướng Chính phủ Phạm Thị Thanh Trà chủ trì Hội nghị" — the names joined
# by "cùng" (then commas or "và", each with its title only) are one group, its first the principal.
_WITH = patterns.compile(r"\s*(?:,\s*(?:va\s+)?|va\s+|cung(?:\s+voi)?\s+)[^;:.,]{0,60}")
# "đồng chí Nguyễn Văn A, Ủy viên Bộ Chính trị, …, Phó Trưởng Ban Chỉ đạo và đồng chí Nguyễn Văn B, …
# đã chủ trì": each named with all their titles, listed by rank (a session's chair, not a bridge's)
_AND_COMRADE = patterns.compile(r"^[^;:.]{0,300}\s(?:va|cung)\s+dong chi\s+$")


def _principal(folded: str, before: list[tuple[int, int, str]], listed: bool = False) -> tuple[int, int, str]:
    """Of the names before the cue, the one who chaired: the last, unless it ends a group
    opened with "cùng" (or, `listed`, "và đồng chí") — then the first of that group."""
    def opens(gap: str) -> bool:
        return gap.lstrip(" ,").startswith("cung") or (listed and _AND_COMRADE.match(gap) is not None)

    first, joined = len(before) - 1, False
    while first > 0:
        gap = folded[before[first - 1][1]: before[first][0]]
        if not (_WITH.fullmatch(gap) or opens(gap)):
            break
        joined = joined or opens(gap)
        first -= 1
    if not joined:
        return before[-1]
    while not opens(folded[before[first][1]: before[first + 1][0]]):
        first += 1          # the group opens at its "cùng": who stands before it is its first
    return before[first]


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
    if m:
        parts = re.split(r";\s*", text[m.end(): sentence.end])
    else:
        before = _ATTEND_BEFORE.search(folded, sentence.start, sentence.end)
        if not before or _CHAIR.search(folded, sentence.start, before.start()) \
                or not people(text, sentence.start, before.start()):
            return []       # (who "chủ trì dự phiên họp tại điểm cầu …" chaired it)
        parts = re.split(r";\s*", text[sentence.start: before.start()])
    return [p.strip().rstrip(".").strip() for p in parts if p.strip().rstrip(".").strip()]


# "Tại điểm cầu tỉnh Quảng Ngãi, đồng chí …, Chủ tịch UBND tỉnh tham dự."
_AT_POINT_THEN = patterns.compile(r"tai diem cau [^,;]{2,60},\s*")
_ATTENDS = patterns.compile(r"\s+(?:cung\s+)?(?:tham du|du hop|du)(?: phien hop| hoi nghi)?[\s.]*$")


def _attending_at_point(text: str, folded: str, s: sp.Span) -> list[str]:
    """Who attended, named between "Tại điểm cầu …," and the verb that ends the sentence."""
    lead = _AT_POINT_THEN.match(folded, s.start, s.end)
    verb = _ATTENDS.search(folded, s.start, s.end)
    if not lead or not verb or verb.start() <= lead.end() or not people(text, lead.end(), verb.start()):
        return []
    parts = re.split(r";\s*", text[lead.end(): verb.start()])
    return [p.strip() for p in parts if p.strip()]


def _bridge_chair(text: str, folded: str, piece: sp.Span) -> Person | None:
    """Who chaired at a bridge point; co-chairs named together ("Bí thư Tỉnh ủy Đặng Quốc
    Khánh và Chủ tịch UBND tỉnh Nguyễn Văn Sơn chủ trì …") are one entry, their words as written."""
    chair = _chair(text, folded, piece)
    hit = _CHAIR.search(folded, piece.start, piece.end)
    if chair is None or hit is None:
        return chair
    names = [n for n in people(text, piece.start, hit.start())]
    for k in range(len(names) - 1):
        s, e, name = names[k]
        between = folded[e: names[k + 1][0]]
        if name == chair.name or not re.fullmatch(r"\s+va\s+[^,;:]{0,40}", between):
            continue
        last = k + 1
        while last + 1 < len(names) and re.fullmatch(r"\s+va\s+[^,;:]{0,40}", folded[names[last][1]: names[last + 1][0]]):
            last += 1
        chair = Person(name=text[s: names[last][1]], role=_role(text, piece, s, e))
        break
    if chair.role is not None and re.search(r"(?i)điểm cầu|^tại(?!\w)", chair.role):
        chair.role = None     # "Tại điểm cầu Thái Nguyên do đồng chí …, Chủ tịch UBND tỉnh chủ trì": the titles follow
    if chair.role is None:
        # "Đồng chí Nguyễn Đình Dự - Ủy viên BTV Huyện ủy, Phó Chủ tịch UBND huyện, Tổ trưởng Tổ
        # công tác Đề án 06 cấp huyện chủ trì …": the titles after the name, numbers and all
        # ("Chủ trì tại điểm cầu tỉnh … có đồng chí Võ Trọng Hải, Chủ tịch UBND tỉnh.": to the end)
        at = text.find(chair.name, piece.start, piece.end)
        after = text[at + len(chair.name): hit.end() if hit.start() > at else piece.end]
        m = re.match(r"\s*[,–-]\s*([^;]+?)(?:\s+(?:đã\s+)?chủ trì(?!\w)|[\s.]*$)", after) if at >= 0 else None
        if m and m.group(1)[:1].isupper() and len(m.group(1).split()) <= 24:
            chair.role = m.group(1).strip(" ,")
    return chair


def _without_chair(point: "BridgeReading") -> None:
    """Who chaired is not listed again among those who attended."""
    if point.chaired_by is None:
        return
    chairs = {n for _, _, n in people(point.chaired_by.name, 0, len(point.chaired_by.name))}
    point.attended = [a for a in point.attended if not any(n in chairs for _, _, n in people(a, 0, len(a)))]


def _bridge_province(text: str, folded: str, s: sp.Span, home: str | None) -> str | None:
    """The province a sentence's "điểm cầu …" names, else — "điểm cầu tỉnh" alone — the
    province the document speaks for."""
    for a, _, name in find_names(text[s.start: s.end]):
        if _TO_NAME.search(folded, max(s.start, s.start + a - 60), s.start + a):
            return name
    if home and _OWN_POINT.search(folded, s.start, s.end):
        return home
    return None


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
    carried: BridgeReading | None = None   # the bridge point of the paragraph before
    last_para = None
    for sentence in ctx.sentences:
        s = sentence.span
        first = sentence.para != last_para
        if first:
            # the paragraph after a bridge point's may open by saying who was there ("Dự tại
            # điểm cầu tỉnh có đồng chí …", "Đồng chí …, Chủ tịch UBND tỉnh chủ trì.")
            carried, current, last_para = current, None, sentence.para
        f = folded[s.start: s.end]
        if "diem cau" in f:
            province = _bridge_province(text, folded, s, doc.province)
            if province:
                current = bridges.setdefault(province, BridgeReading(province=province))
                current.quotes.append(text[s.start: s.end].strip())
                if current.span is None or current.attended == [] and current.chaired_by is None:
                    current.span = None
                    current.cover(s.start, s.end, sentence.para, text)
                if _CHAIR.search(f) and current.chaired_by is None:
                    # The piece of the sentence (between semicolons) that names the bridge point.
                    at = s.start + f.find("diem cau")
                    lo = max(text.rfind(";", s.start, at) + 1, s.start)
                    hi = text.find(";", at, s.end)
                    piece = sp.Span(lo, hi if hi > 0 else s.end)
                    current.chaired_by = _bridge_chair(text, folded, piece) \
                        if _CHAIR.search(folded, piece.start, piece.end) else _bridge_chair(text, folded, s)
                    if current.chaired_by:
                        current.cover(s.start, s.end, sentence.para, text)
                attended = _attendees(text, folded, s) or (
                    [] if _CHAIR.search(f) else _attending_at_point(text, folded, s))
                if attended:
                    _add_new(current.attended, seen, attended)
                    current.cover(s.start, s.end, sentence.para, text)
                continue
        point = current or (carried if first else None)
        if point is not None and _ATTEND.match(folded, s.start, s.end):
            _add_new(point.attended, seen, _attendees(text, folded, s))
            point.quotes.append(text[s.start: s.end].strip())
            point.cover(s.start, s.end, sentence.para, text)
            current = point
            continue
        if point is not None and point.chaired_by is None and _CHAIR.search(f) \
                and not re.search(r"thu tuong|chinh phu|uy ban quoc gia|ban chi dao", f):
            chair = _bridge_chair(text, folded, s)   # "Đồng chí …, Chủ tịch UBND tỉnh chủ trì." after the point
            if chair:
                point.chaired_by = chair
                point.quotes.append(text[s.start: s.end].strip())
                point.cover(s.start, s.end, sentence.para, text)
                current = point
                continue
        if session.chair is None and _CHAIRED.search(f) and "diem cau" not in f:
            whole = _unwrapped(text, s)    # a sentence a copied page breaks across lines
            if _MEETING_WORDS.search(folded, whole.start, whole.end):
                chair = _chair(text, folded, whole, _CHAIRED, listed=True)
                if chair:
                    session.chair = chair
                    session.chair_quote = text[whole.start: whole.end].strip()
                    continue
        if fallback is None and _OPENS_OR_CONCLUDES.search(f) and "diem cau" not in f:
            whole = _unwrapped(text, s)
            chair = _chair(text, folded, whole, _OPENS_OR_CONCLUDES, listed=True)
            if chair:
                fallback = (chair, text[whole.start: whole.end].strip())
        if _ATTEND.match(folded, s.start, s.end) and "diem cau" not in f:
            _add_new(session.attended, seen, _attendees(text, folded, s))
    if session.chair is None and fallback is not None:
        session.chair, session.chair_quote = fallback
    for point in bridges.values():
        _without_chair(point)
    return session, list(bridges.values())

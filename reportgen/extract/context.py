"""The reading context of a document: its sentences, which of them are directives,
to whom, and which paragraphs speak of one province.

Figures, targets and tasks are all read against this context, so the rules live in
one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import patterns
from ..catalogue import Catalogue, Party
from ..provinces import find_names
from ..sources import Document
from ..textnorm import fold
from . import spans as sp
from .dates import find_deadline

# These run on the lower-cased NFC text: short words such as "cần"/"cán", "ông"/"ong"
# or "giao"/"giáo" only differ by their diacritics.
_LEADER = r"(?<!\w)(thủ tướng|chủ tịch|bộ trưởng|ông|bà|lãnh đạo chính phủ|người đứng đầu chính phủ)(?!\w)"
_ORDER = patterns.compile(_LEADER + r"[^.;:]{0,80}?(yêu cầu|đề nghị|giao|chỉ đạo|chỉ thị|gợi ý|nhắc lại mục tiêu|lưu ý|đặt mục tiêu)(?!\w)")
_STRESS = patterns.compile(_LEADER + r"[^.;]{0,80}?(nhấn mạnh|nêu rõ|quán triệt)\s*:")
# A quoted instruction, then who gave it: "“… dứt khoát khoanh lại …”, Thủ tướng quán triệt."
_QUOTED_ORDER = patterns.compile(r"[”\"]\s*,\s*" + _LEADER + r"[^.;:]{0,60}?(yêu cầu|quán triệt|chỉ đạo|lưu ý|đề nghị)[\s.]*$")
# "Sở … được giao chủ trì", "Sở … được Ủy ban nhân dân tỉnh giao chủ trì"
_PASSIVE = patterns.compile(r"(?<!\w)(được (?:[^\s,.;:]+ ){0,6}?giao|theo yêu cầu của|khẩn trương|phấn đấu)(?!\w)")
_MODAL = patterns.compile(r"(?<!\w)(cần|phải)\s+\w")
_TARGET_ONLY = patterns.compile(r"(?<!\w)(mục tiêu)(?!\w)")
# "tính đến ngày 7/6" dates a figure; it sets no deadline.
_DUE = patterns.compile(r"(?<!\w)(hoàn thành trước|trước ngày|chậm nhất|(?<!tính )đến ngày|đến hết ngày|hết tháng)(?!\w)")
_ASKS = patterns.compile(r"(?<!\w)(yêu cầu|đề nghị|giao)(?!\w)")
# Words that hold an order verb without giving an order: a body's name ("Trưởng Ban Chỉ đạo"),
# a speech ("phát biểu chỉ đạo"), a noun ("yêu cầu khách quan", "công tác chỉ đạo"). Longest first.
_NOT_ORDER_WORDS = patterns.compile(r"trưởng ban chỉ đạo|ban chỉ đạo|tổ công tác|trưởng ban|phát biểu chỉ đạo|"
                              r"phát biểu kết luận chỉ đạo|sự chỉ đạo|công tác chỉ đạo|lãnh đạo, chỉ đạo|"
                              r"chỉ đạo, điều hành|chỉ đạo điều hành|yêu cầu khách quan|yêu cầu cấp thiết|"
                              r"đáp ứng yêu cầu|yêu cầu đặt ra|yêu cầu công việc|chỉ thị số|ban hành chỉ thị|"
                              # a count of texts issued: "02 Chỉ thị của Thủ tướng Chính phủ", "12 chỉ thị, 20 công điện"
                              r"\d+ chỉ thị|"
                              r"(?:chỉ tiêu|nhiệm vụ|mục tiêu|kế hoạch|công việc) được (?:[^\s,.;:]+ ){0,5}?giao|"
                              # what was set, named by who set it: "vượt chỉ tiêu Thủ tướng Chính phủ giao"
                              r"(?:chỉ tiêu|mục tiêu) (?:do )?(?:thủ tướng chính phủ|thủ tướng|chính phủ) giao|"
                              r"(?:đề nghị|yêu cầu) (?:các )?đại biểu|chỉ đạo(?=,)|, chỉ đạo(?!\w)|"
                              r"khẩn trương(?=\s*[,.;]|\s*$)|ngoại giao|bàn giao|chuyển giao|giao dịch|giao thông|"
                              r"giao lưu|giao diện|giao tiếp|giao ban|"
                              # an account of how orders were given: "Chính phủ, Thủ tướng đã chỉ đạo
                              # kịp thời, sâu sát và liên tục; đã ban hành 12 chỉ thị"
                              r"đã (?:[^\s,.;:]+ ){0,2}?(?:chỉ đạo|yêu cầu|đề nghị)(?: rất)? (?:kịp thời|sâu sát|sát sao|"
                              r"quyết liệt|liên tục|thường xuyên|xuyên suốt|mạnh mẽ|đồng bộ)(?!\w)")
_TASK_HEADING = patterns.compile(r"^\s*(?:(\d+)\.|([ivx]+)\.|([a-d])\.|[a-z]\))?\s*(?:nhiem vu, giai phap|nhiem vu va giai phap|"
                           r"to chuc thuc hien)")
# A short heading of the tasks of a conclusion notice: "B. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", "II. Nhiệm vụ cụ thể".
_SHORT_TASK_HEADING = patterns.compile(r"^\s*(?:(\d+)\.|([ivx]+)\.|([a-d])\.)?\s*(?:nhiem vu (?:trong tam|cu the|chu yeu)|"
                                 r"mot so nhiem vu|phan cong nhiem vu)[^.;:]*:?\s*$")
_OTHER_HEADING = patterns.compile(r"^\s*(?:(\d+)\.|([ivx]+)\.|([a-d])\.)\s+\S")
# The sentence that opens the directives of a dispatch or a directive: "Thủ tướng Chính phủ chỉ thị:".
_OPENER = patterns.compile(r"(chi thi|yeu cau|de nghi|giao nhiem vu|y kien chi dao)(?: nhu sau)?\s*:\s*$")
_LEAD_IN = patterns.compile(r"(chi thi|yeu cau|de nghi|giao nhiem vu|chi dao|ket luan)(?: nhu sau| cu the)?\s*:$")
# A letter's closing formula: "Văn phòng Chính phủ thông báo để Bộ … biết, thực hiện./."
_CLOSING = patterns.compile(r"thong bao (?:de|cho) [^.;]{0,200}?biet(?:,? (?:thuc hien|phoi hop))?[\s./]*$")
_NUMBERED = patterns.compile(r"^\s*\d+\.\s+")
_SUB_ITEM = patterns.compile(r"^\s*(?:[a-zđ]\)|[-–+•])\s*")
_SCOPE_LEAD = patterns.compile(r"^\s*(doi voi|rieng|tai|o) (tinh|thanh pho) ")
_PARTNER = patterns.compile(r"(phoi hop voi|cung voi|voi)\s*$")
# On the folded text. An order and right after it who must act: "yêu cầu các sở, ban ngành …",
# "giao Sở Khoa học và Công nghệ chủ trì …", "Chủ tịch UBND tỉnh yêu cầu: Thủ trưởng các cơ quan …"
# ("được giao cho …" and "Ban Chỉ đạo …" give none; "văn bản chỉ đạo toàn bộ cán bộ …" does).
_ADDRESSED = patterns.compile(r"(?<![a-z])(?<!duoc )(?<!(?<!van )ban )(?<!ngoai )(yeu cau|de nghi|giao(?: cho)?|chi dao|chi thi|luu y)"
                        r"(?:\s+(?:tat ca|toan bo|cac|doi voi))*\s*:?\s*$")
# Who is only the object of an action, not who acts: "báo cáo kết quả về Bộ Công an",
# "gửi Bộ Nội vụ", "đôn đốc các bộ, ngành, địa phương", "hỗ trợ kỹ thuật để các bộ …".
_OBJECT = patterns.compile(r"(?<![a-z])(ve|cho|gui|toi|den|trinh|qua|cua|tai|tu|don doc|huong dan|ho tro|giup|kiem tra|"
                     r"bao cao|tham muu|theo doi|de|thuoc|tren|voi|giua|doi voi)\s*\(?\s*$")
# A person named before an order gives it ("Chủ tịch UBND tỉnh Lê Trí Thanh vừa yêu cầu …");
# one who "chỉ đạo số hóa dữ liệu …" does the task (directing it).
_GIVES_ORDER = patterns.compile(r"\s*(?:(?:vua|da|cung|tiep tuc|dong thoi|lai)\s+)*(yeu cau|de nghi|giao|chi thi|luu y)(?![a-z])")
# The words that open a task given without its subject ("Bám sát tiến độ …", "Đặc biệt, rà
# soát …"): after an order, such a paragraph goes on with the order's addressees.
_IMPERATIVE = patterns.compile(
    r"(?:(?:dac biet|dong thoi|ben canh do|ngoai ra|cung voi do|mat khac|rieng|tiep theo)\s*,?\s*)?"
    r"(?:bam sat|trien khai|cong bo|cong khai|tich hop|phoi hop|xay dung|day manh|day nhanh|tang cuong|hoan thanh|"
    r"hoan thien|ra soat|tap trung|chu dong|khan truong|tiep tuc|chi dao|to chuc|thuc hien|nang cao|bao dam|dam bao|"
    r"kien toan|ban hanh|cap nhat|nghien cuu|uu tien|quan triet|phat huy|huy dong|don doc|thuc day|cung cap|"
    r"huong dan|tuyen truyen|so hoa|ket noi|chuan hoa|sua doi|bo sung|khac phuc|lam sach|bo tri|ho tro|neu guong|"
    r"lua chon|xoa bo|doi moi|rut ngan|cat giam|don gian hoa|chan chinh|xu ly|giai quyet|thi diem|ap dung|"
    r"van dong|duy tri|cung co|mo rong|nhan rong|dut khoat|khong de|nghiem tuc|kich hoat|quyet liet)(?![a-z])")
_ENUM_LEAD = patterns.compile(r"^\s*(?:(?:\(?\d{1,2}[.)]|[a-zđ]\)|[ivx]+\.)\s+|[-–+•*]\s*)")
# Who took part, and how the meeting was held: never a task.
# (two patterns: one that opens the sentence, matched there, and one searched anywhere)
_ATTENDANCE = patterns.compile(r"\s*(?:cung du|cung tham du|tham du|du hop|du phien hop|du hoi nghi|du tai|dong chu tri|"
                               r"(?:phien hop|hoi nghi) (?:duoc )?(?:to chuc|truyen|ket noi|dien ra))(?![a-z])")
_ATTENDING_AT = patterns.compile(r"(?:tham du|du hop|du) tai diem cau")
_DONE_WORD = patterns.compile(r"(?<!\w)đã(?!\w)")
# Who chaired the meeting: a report of it, no order.
_CHAIR_ONLY = patterns.compile(r"(?<![a-z])chu tri(?: (?:phien hop|hoi nghi|cuoc hop|buoi lam viec|hop|tai)(?![a-z])|[\s.]*$)")
# A subject followed by what it did or said reports; it is given no task ("Bộ Công an cho biết …").
_REPORTED_AFTER = patterns.compile(r"[\s,]*(?:da|dang|vua|cho biet|bao cao|phat bieu|neu|thong tin|trinh bay|chia se|"
                             r"kien nghi|la|duoc)(?![a-z])")
# A photo's caption: neither an order nor the end of one (on the lower-cased text: "ảnh", a photo, is not "anh").
_CAPTION = patterns.compile(r"(?<!\w)ảnh(?: minh họa)?\s*:|\(ảnh(?!\w)|^\s*(?:toàn|quang) cảnh(?!\w)")
# A sentence that only gives the deadline of the task before it: "Thời gian hoàn thành trong tháng 3-2023.",
# "Hoàn thành trong tháng 8 năm 2021."
_DEADLINE_ONLY = patterns.compile(r"^\s*(?:(?:thoi gian|thoi han)(?: hoan thanh| thuc hien)?\s*(?::|la)?\s*"
                            r"|hoan thanh (?=(?:truoc|trong|cham nhat|den)\s[^.;]{0,40}[.;]?\s*$))")
# An aim with its deadline opens a directive: "Để đảm bảo hoàn thành chỉ tiêu đến hết ngày 30/6/2023, …".
_AIM_DUE = patterns.compile(r"^\s*de (?:dam bao |bao dam )?(?:hoan thanh|dat)(?![a-z])")
# Words that stand beside the addressees in a heading: "Chủ tịch Ủy ban nhân dân các tỉnh,
# thành phố trực thuộc trung ương:".
_ADDRESSEE_FILLER = patterns.compile(r"(?<![a-z])(thanh pho truc thuoc trung uong|truc thuoc trung uong|co lien quan|lien quan|"
                               r"cac|cap tinh|va|giao|yeu cau|de nghi|doi voi|thanh pho|tinh)(?![a-z])")
# Words that place what a sentence says at a province ("toàn tỉnh", "của tỉnh đạt 49,8%", "tỉnh này
# đã vượt …"), or at the nation: read by the figures (their scope) and the press statements (left to section c).
LOCAL = patterns.compile(r"(?<![a-z])(toan tinh|cua tinh|tinh da|tinh co|tinh dat|tinh nay|tren dia ban tinh|tren dia ban|"
                   r"toan thanh pho|cua thanh pho|thanh pho da|thanh pho co|thanh pho nay)(?![a-z])")
NATIONAL = patterns.compile(r"(?<![a-z])(ca nuoc|toan quoc|binh quan chung|quoc gia|viet nam)(?![a-z])")
# "Theo báo cáo, …", "Tính đến ngày 1-3, …", "Tuy nhiên, …" report; "Theo đó, …" goes on with the order.
_REPORTING = patterns.compile(r"^\s*(theo(?! do)|bao cao|day la|ket qua|tinh den|den nay|hien nay|tuy nhien|thoi gian qua|"
                        r"trong thoi gian qua|nhu vay)(?![a-z])")
# What was done, with its numbers ("… đã cấp 1.497.360 tài khoản"), reports too (on the lower-cased text;
# "đã đề ra", "đã có điện lưới" in a task are no result).
_DONE = patterns.compile(r"(?<!\w)đã (?:cấp|kích hoạt|tạo lập|tiếp nhận|thu nhận|tích hợp|đạt|hoàn thành|cung cấp)"
                   r"(?!\w)[^.;]{0,30}?\d")


# A heading of aims, its items after it: "- Mục tiêu cơ bản đến năm 2025:", "Chỉ tiêu cụ thể:" (not
# "Mục tiêu đã đạt được:", "Kết quả thực hiện mục tiêu …:")
_AIMS = r"(?:cac\s+)?(?:muc tieu|chi tieu)(?![^:]*(?:da dat|dat duoc|ket qua|thuc hien))[^.:;]{0,100}"
_AIM_HEADING = patterns.compile(r"^\s*(?:[-–+•*]\s*|(?:\d{1,2}|[a-zđ]|[ivx]+)[.)]\s*)?" + _AIMS + r":\s*$")
# A plan's section of aims, numbered as its other sections: "I. MỤC TIÊU ĐẾN NĂM 2030", "1. Mục
# tiêu" — its paragraphs, numbered or not, are aims, up to the next section of its rank
# (_OTHER_HEADING's group: 1 arabic, 2 roman).
_AIM_SECTION = patterns.compile(r"^\s*(?:(\d{1,2})|([ivx]+))\.\s+" + _AIMS + r":?\s*$")


@dataclass
class Sentence:
    span: sp.Span
    para: sp.Span
    directive: bool = False
    target_only: bool = False
    parties: list[Party] = field(default_factory=list)  # the addressees it inherits
    scope: str = "national"
    deadline_only: bool = False   # "Thời gian hoàn thành …": the deadline of the task before it
    item_start: bool = False      # opens a task of its own (a paragraph, a verb or a subject first)
    aim: sp.Span | None = None    # the heading of aims it is an item of ("- Mục tiêu cơ bản đến năm 2025:")
    order_at: int | None = None   # where its own order starts, when only that makes it a directive:
                                  # what comes before ("… cho biết, năm 2026 là …; yêu cầu …") is no task


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


_PARTY_SCAN: list = [None, None, None]    # the catalogue and folded text last scanned, and what was found


def _party_scan(catalogue: Catalogue, folded: str) -> tuple[list[tuple[int, int, Party]], list[int]]:
    """Every party phrase matched in the whole text once, sorted by place (longest first at a
    place): the many spans asked about afterwards are looked up, not searched again (a
    sentence of a megabyte asked about once per task part was searched by every phrase each time)."""
    if _PARTY_SCAN[0] is not catalogue or _PARTY_SCAN[1] is not folded:
        found = [(m.start(), m.end(), party) for party, rx in catalogue.party_patterns for m in rx.finditer(folded)]
        found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        _PARTY_SCAN[:] = [catalogue, folded, (found, [t[0] for t in found])]
    return _PARTY_SCAN[2]


def parties_in(catalogue: Catalogue, folded: str, start: int, end: int) -> list[tuple[int, int, Party]]:
    """Addressees named in folded[start:end] with their spans, in order, longest phrase first at a place."""
    from bisect import bisect_left

    found, starts = _party_scan(catalogue, folded)
    out, covered_to, seen = [], -1, set()
    for k in range(bisect_left(starts, start), len(found)):     # (no slice: a copy of the rest each time)
        s, e, party = found[k]
        if s >= end:
            break
        if e > end or s < covered_to:
            continue
        covered_to = e
        if party.id not in seen:
            seen.add(party.id)
            out.append((s, e, party))
    return out


def addressees_only(catalogue: Catalogue, folded: str, a: int, b: int) -> list[Party]:
    """The parties folded[a:b] names when it names nothing else — a heading such as "1. Sở
    Khoa học và Công nghệ" or "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung
    ương:" — else []."""
    named = parties_in(catalogue, folded, a, b)
    pieces, pos = [], a
    for s, e, _ in named:     # the words between the names (joined once: cut one by one it was quadratic)
        pieces.append(folded[pos:s])
        pos = e
    rest = _ADDRESSEE_FILLER.sub(" ", "".join(pieces) + " " + folded[pos:b])
    return [p for _, _, p in named] if named and not re.sub(r"[\s,;:.()\-–]+", "", rest) else []


def _gives_order(text: str, folded: str, end: int, limit: int) -> bool:
    """A party followed by an order verb — after at most a person's name and "vừa", "đã" …
    — gave the order: "Chủ tịch UBND tỉnh Lê Trí Thanh vừa yêu cầu …"."""
    pos, names = end, 0
    while names < 4:
        m = re.match(r"\s+([^\W\d_][^\s,;:.()]*)", text[pos: min(limit, pos + 40)])
        if not m or not m.group(1)[:1].isupper():
            break
        pos += m.end()
        names += 1
    return _GIVES_ORDER.match(folded, pos, min(limit, pos + 40)) is not None


def split_parties(catalogue: Catalogue, folded: str, a: int, b: int, text: str | None = None
                  ) -> tuple[list[Party], list[Party]]:
    """Who must act and who only takes part ("phối hợp với Bộ Tư pháp, Bộ Công an").

    Who acts is the party an order goes to ("… yêu cầu các sở, ban ngành, UBND các huyện …",
    with those coordinated with it), else the first party named that neither gives the order
    ("Chủ tịch UBND tỉnh … yêu cầu") nor is only its object ("báo cáo kết quả về Bộ Công an",
    "đôn đốc các bộ, ngành, địa phương")."""
    named = parties_in(catalogue, folded, a, b)
    addressed = next((k for k, (s, _, _) in enumerate(named) if _ADDRESSED.search(folded, max(a, s - 30), s)), None)
    responsible: list[Party] = []
    partners: list[Party] = []
    group: list[Party] | None = None
    prev_end = a
    for k, (start, end, party) in enumerate(named):
        coordinated = group is not None and re.fullmatch(r"\s*(,|va|;)?\s*", folded[prev_end:start])
        if _PARTNER.search(folded[max(a, start - 16): start]):
            group = partners
        elif not coordinated:
            if responsible or (addressed is not None and k < addressed):
                group = None
            elif addressed is None and (_OBJECT.search(folded, max(a, start - 16), start)
                                        or (text is not None and _gives_order(text, folded, end, b))):
                group = None
            else:
                group = responsible
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
    # The addressees of the order in force: the paragraphs after it that open with a verb
    # ("Bám sát tiến độ …") or with their own subject go on with it; None: no order in force.
    chain: list[Party] | None = None
    year = doc.speaks_on.year if doc.speaks_on else None
    aim: sp.Span | None = None            # the heading of aims whose items follow
    section: tuple[sp.Span, int] | None = None   # a section of aims, and its rank
    for para in sp.paragraphs(text, doc.body_start, doc.body_end):
        head = folded[para.start: para.end]
        if section is not None and (heading := _OTHER_HEADING.match(head)) and heading.group(section[1]):
            section = None                    # the next section of its rank
        opens = _AIM_SECTION.match(head) if len(head) < 200 else None
        if opens:
            section = (para, 1 if opens.group(1) else 2)
        if _AIM_HEADING.match(head):
            aim = para
        elif aim is not None and not _SUB_ITEM.match(head):
            aim = None                        # the items end where a paragraph is none
        item_aim = aim if aim is not None and aim is not para else (
            section[0] if section is not None and section[0] is not para else None)
        task_heading = _TASK_HEADING.match(head) or (_SHORT_TASK_HEADING.match(head) if len(head) < 120 else None)
        if task_heading:
            in_tasks, level = True, ("letter" if task_heading.group(3) else "roman" if task_heading.group(2)
                                     else "arabic")
            heading_parties, chain = [], []
            continue  # the heading states the theme, not a task
        other = _OTHER_HEADING.match(head)
        if in_tasks and other and (level == "arabic" and other.group(1) or level in ("roman", "arabic") and other.group(2)
                                   or other.group(3) and text[para.start: para.end].lstrip()[:1].isupper()):
            in_tasks = False
        if doc.official and _OPENER.search(head.rstrip()) and len(head) < 400:
            in_tasks, level = True, "roman"
            chain = chain or []
            continue
        lead = _ENUM_LEAD.match(head)
        body_at = para.start + (lead.end() if lead else 0)
        # A heading that only names who acts ("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực
        # thuộc trung ương:"): no task itself; the items after it are theirs.
        if head.rstrip().endswith(":") and len(head) < 300:
            named_only = addressees_only(catalogue, folded, body_at, para.start + len(head.rstrip()))
            if named_only:
                heading_parties, chain = named_only, named_only
                sentences.append(Sentence(span=sp.Span(*sp.trim(text, para.start, para.end)), para=para))
                continue
        if _NUMBERED.match(head):
            colon = head.find(":")
            lead_end = para.start + (colon if 0 < colon < 250 else min(len(head), 120))
            own = [p for _, _, p in parties_in(catalogue, folded, para.start, lead_end)] \
                if (0 < colon < 250 or len(head.split()) <= 15) else []
            heading_parties = own or (heading_parties if chain else [])
        elif not _SUB_ITEM.match(head) and not (chain is not None and _IMPERATIVE.match(folded, body_at)):
            heading_parties = []
        scope = "national"
        scope_lead = _SCOPE_LEAD.match(head)
        if scope_lead:
            names = [n for n in find_names(text[para.start: para.end]) if n[0] < 40]
            if names:
                scope = names[0][2]
        # An addressee line ("Chủ tịch UBND cấp tỉnh: …" or the subject that opens the paragraph).
        colon = head.find(": ")
        # All it names, or — "Chủ tịch UBND thành phố giao Công an thành phố: …" — who the order goes to.
        prefix_parties = []
        if 0 < colon < 250:
            named_before = parties_in(catalogue, folded, para.start, para.start + colon)
            if any(_ADDRESSED.search(folded, max(para.start, a - 30), a) for a, _, _ in named_before):
                prefix_parties = split_parties(catalogue, folded, para.start, para.start + colon, text)[0]
            else:
                prefix_parties = [p for _, e, p in named_before if not _gives_order(text, folded, e, para.start + colon)]
        para_parties: list[Party] = list(prefix_parties) or (list(heading_parties) if not _NUMBERED.match(head) else [])
        caption = bool(_CAPTION.search(text[para.start: para.end].lower()))
        # After an order, a paragraph that opens with a verb ("Bám sát tiến độ …"), with who must
        # act ("Chủ tịch UBND cấp huyện, cấp xã tiếp tục …") or as an item of a list goes on with it.
        subject_first = [p for a, e, p in parties_in(catalogue, folded, body_at, min(para.end, body_at + 120))
                         if a == body_at and not _REPORTED_AFTER.match(folded, e, min(para.end, e + 20))][:1]
        goes_on = chain is not None and not caption and bool(_IMPERATIVE.match(folded, body_at) or subject_first or lead)
        if goes_on and not para_parties and not subject_first:
            para_parties = list(chain or [])
        directive_mode = in_tasks or goes_on
        ordered = False                             # the paragraph gives an order of its own
        addressees: list[Party] | None = None       # … to these
        for n, s in enumerate(sp.sentences(text, para)):
            f = folded[s.start: s.end]
            low = _NOT_ORDER_WORDS.sub(lambda m: "_" * len(m.group()), text[s.start: s.end].lower())
            found = parties_in(catalogue, folded, s.start, s.end)
            named = [p for _, _, p in found]
            attendance = bool(_ATTENDANCE.match(f) or _ATTENDING_AT.search(f)
                              or (_CHAIR_ONLY.search(f) and not _ASKS.search(low))
                              or _CLOSING.search(f))
            cues = [a for a, _, _ in found if _ADDRESSED.search(folded, max(s.start, a - 30), a)] \
                + [s.start + m.start() for rx in (_ORDER, _STRESS, _QUOTED_ORDER, _PASSIVE) for m in [rx.search(low)] if m]
            order = not attendance and bool(cues or (_AIM_DUE.match(f) and find_deadline(text, s.start, s.end, year)))
            # "… phải làm căn cước … trong tháng 4-2023": who must act is named, or a deadline is set
            # (not in what was done: "Nghệ An đã cụ thể hóa … nhiệm vụ cần phải hoàn thành trong năm 2025")
            # (what was done, with its numbers, and when it was done by — "Bộ Công an đã cấp trên 84,7
            # triệu thẻ … (hoàn thành trước ngày 31/7/2023)" — reports)
            modal = not attendance and bool((_MODAL.search(low) or _DUE.search(low) and not _DONE.search(low)) and named
                                            or _MODAL.search(low) and not _DONE_WORD.search(low)
                                            and find_deadline(text, s.start, s.end, year))
            if directive_mode and (_REPORTING.match(f) or attendance or _DONE.search(low)) and not (order or modal):
                directive_mode = in_tasks
            # "… Thủ tướng Chính phủ có ý kiến chỉ đạo như sau:" leads into the orders; it is none itself
            lead_in = bool(_LEAD_IN.search(f.rstrip()))
            is_directive = (directive_mode or order or modal) and not attendance and not caption and not lead_in
            imperative = bool(_IMPERATIVE.match(f))
            target_only = bool(_TARGET_ONLY.search(low)) and not (in_tasks or modal or _PASSIVE.search(low)) \
                and not _ASKS.search(low) and not (is_directive and imperative)
            if is_directive and not para_parties and named:
                para_parties = split_parties(catalogue, folded, s.start, s.end, text)[0]
            deadline_only = is_directive and n > 0 and bool(_DEADLINE_ONLY.match(f)) \
                and find_deadline(text, s.start, s.end, year) is not None
            own_order = min(cues) if order and cues and not (directive_mode or modal) else None
            sentences.append(Sentence(span=s, para=para, directive=is_directive, target_only=target_only,
                                      parties=list(para_parties), scope=scope, deadline_only=deadline_only,
                                      item_start=n == 0 or imperative or any(a == s.start for a, _, _ in found),
                                      aim=item_aim, order_at=own_order))
            if order or modal:
                directive_mode = ordered = True
            if is_directive and found:
                addressees = split_parties(catalogue, folded, s.start, s.end, text)[0] or addressees
        if caption:
            continue          # a photo's caption neither gives an order nor ends one
        if ordered:
            chain = addressees or chain or para_parties or []
        elif goes_on or in_tasks:
            chain = subject_first or (chain if chain is not None else [])
        else:
            chain = None
    return Context(doc=doc, folded=folded, sentences=sentences)

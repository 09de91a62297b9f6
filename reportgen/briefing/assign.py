"""National tasks → the province's own assignments: who leads, who joins, what, by when.

A national notice tells "Chủ tịch UBND các tỉnh, thành phố" or "Bộ Công an" what to do; a
provincial notice gives the province's bodies their work: "Giao Sở Khoa học và Công nghệ chủ
trì, phối hợp với Công an tỉnh … báo cáo UBND tỉnh trước ngày …". Which body answers to which
national addressee on which day, and who leads a task given to the province as a whole, is
reviewed data (facts/assignments.yaml); this module reads it and turns each task the province
must act on into one Assignment: the words of the task as a verb phrase without its addressee
and its deadline, the deadline once, the lead and the partners. Tasks only for ministries,
tasks that only repeat a target, and second statements of the same work are left out. The
sentences are the templates' (compose hands them these records).
"""

from __future__ import annotations

from ..i18n import msg

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable, Literal, Sequence

from pydantic import ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .. import paths
from ..errors import InputError
from ..extract.dates import find_deadline
from ..factbase import Target, Task, check_day
from ..registry import _Entry
from ..textnorm import fold, nfc
from ..yamlio import locate, read_text, validate

UNIT_KINDS = ("tỉnh", "thành phố")


@dataclass(frozen=True)
class Assignment:
    task_id: str                       # the national task (the first, when several say the same work)
    source: str                        # its document (a file name in seeds/)
    lead: str                          # "Sở Khoa học và Công nghệ"
    partners: tuple[str, ...]          # the bodies that coordinate, without the lead
    work: str                          # the task's own words as a verb phrase: no addressee, no deadline,
                                       # lower-case first letter unless a proper noun, no final punctuation
    deadline: date | None              # stated once, here, never in `work`
    report_to: str | None              # "Ủy ban nhân dân tỉnh" when the task asks for a report
    report_by: date | None = None      # when the report is due, if the task gives it another day than `deadline`
    own_deadline: date | None = None   # the province's own day for a national deadline already past on the notice's day
    outside: tuple[str, ...] = ()      # lead or partners outside the UBND's hierarchy ("Đề nghị …", not "Giao …")
    listed: tuple[str, ...] = ()       # lead or partners the "Nơi nhận" names (not among "các sở, ban, ngành")
    merged: tuple[str, ...] = ()       # other tasks that state the same work (left out, merged here)
    everyone: bool = False             # every head's own duty: heads of departments and local chairs, no lead


# ---------------------------------------------------------------------------------------------
# The table (facts/assignments.yaml)

class _Model(_Entry):
    """The registry's entries' rules (unknown keys refused, text NFC), with `from` as `from_`."""
    model_config = ConfigDict(extra="forbid", frozen=False, populate_by_name=True)


class NameEntry(_Model):
    """A body's name on the days from `from` to `until` (both inclusive, either open), for a
    kind of unit and a local level when they are given."""
    name: str = Field(min_length=1)
    from_: str | None = Field(None, alias="from")
    until: str | None = None
    unit: Literal["tỉnh", "thành phố"] | None = None
    level: Literal["districts", "communes"] | None = None

    _days = field_validator("from_", "until")(check_day)

    @model_validator(mode="after")
    def _ordered(self) -> "NameEntry":
        if self.from_ and self.until and self.from_ > self.until:
            raise ValueError(msg("assign.from_after_until", "'from' {start} is after 'until' {end}", start=self.from_,
                                 end=self.until))
        return self

    def holds(self, when: date, unit: str, level: str) -> bool:
        day = when.isoformat()
        return ((self.from_ is None or self.from_ <= day) and (self.until is None or day <= self.until)
                and self.unit in (None, unit) and self.level in (None, level))


class Body(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    outside: bool = False
    listed: bool = False               # named in "Nơi nhận" when it has work (outside bodies always are)
    names: list[NameEntry] = Field(min_length=1)

    @property
    def recipient(self) -> bool:
        """Named in "Nơi nhận" when it has work: not one of "các sở, ban, ngành"."""
        return self.outside or self.listed


class Addressee(_Model):
    party: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    body: str | None = None
    whole: bool = False
    own: bool = False
    partners: list[str] = []

    @model_validator(mode="after")
    def _one_kind(self) -> "Addressee":
        if self.whole == (self.body is not None):
            raise ValueError(msg("assign.body_or_whole", "give either 'body' (the provincial body) or 'whole: true' (the "
                                 "province as a whole)"))
        return self


class Topic(_Model):
    words: list[str] = Field(min_length=1)
    lead: str = ""
    partners: list[str] = []
    everyone: bool = False      # every head's own duty ("nêu gương", "chỉ đạo quyết liệt"): no one body leads

    @model_validator(mode="after")
    def _a_lead(self) -> "Topic":
        if not self.everyone and not self.lead:
            raise ValueError(msg("assign.topic_lead", "a topic needs a 'lead' (or 'everyone: true' for every head's own "
                                 "duty)"))
        return self

    @field_validator("words")
    @classmethod
    def _words(cls, v: list[str]) -> list[str]:
        for w in v:
            if not re.search(r"[a-z0-9]", fold(w)):
                raise ValueError(msg("assign.no_letters", "{word} has no letters", word=repr(w)))
        return v


class AssignmentTable(_Model):
    districts_until: str
    default_lead: str
    report_to: str = Field(min_length=1)
    overdue_days: int | None = Field(None, ge=1, le=366)
    bodies: list[Body] = Field(min_length=1)
    addressees: list[Addressee] = []
    topics: list[Topic] = []
    _path: Path | None = PrivateAttr(None)

    _day = field_validator("districts_until")(check_day)

    def body(self, body_id: str) -> Body:
        return next(b for b in self.bodies if b.id == body_id)

    def addressee(self, party: str) -> Addressee | None:
        return next((a for a in self.addressees if a.party == party), None)


def _check_references(table: AssignmentTable, path: Path) -> None:
    """Ids that must exist, ids that must be unique, names that must not overlap: each error
    names the file, the line and the entry."""
    text = read_text(path, "assignment table")

    def fail(loc: list, message: str) -> None:  # type: ignore[type-arg]
        pos = locate(text, loc)
        where = f"{path}:{pos[0]}:{pos[1]}" if pos else str(path)
        raise InputError(msg('assign.assignment_table_invalid', "The assignment table is invalid: {where}: {message}.", where=where, message=message))

    ids: set[str] = set()
    for i, b in enumerate(table.bodies):
        if b.id in ids:
            fail(["bodies", i, "id"], f"body {b.id!r} is listed twice")
        ids.add(b.id)
        for j, n in enumerate(b.names):
            for k, m in enumerate(b.names[:j]):
                if (n.unit, n.level) == (m.unit, m.level) and (n.from_ or "") <= (m.until or "9999") \
                        and (m.from_ or "") <= (n.until or "9999"):
                    fail(["bodies", i, "names", j], f"body {b.id!r}: the name {n.name!r} and the name {m.name!r} "
                                                    "(entry {}) hold on the same days; give them 'from'/'until' "
                                                    "that do not overlap".format(k + 1))

    def known(body_id: str, loc: list, what: str) -> None:  # type: ignore[type-arg]
        if body_id not in ids:
            fail(loc, f"{what}: {body_id!r} is not a body listed under 'bodies:'")

    known(table.default_lead, ["default_lead"], "default_lead")
    parties: set[str] = set()
    for i, a in enumerate(table.addressees):
        if a.party in parties:
            fail(["addressees", i, "party"], f"addressee {a.party!r} is listed twice")
        parties.add(a.party)
        if a.body is not None:
            known(a.body, ["addressees", i, "body"], f"addressee {a.party!r}")
        for j, p in enumerate(a.partners):
            known(p, ["addressees", i, "partners", j], f"addressee {a.party!r}, partner")
    for i, t in enumerate(table.topics):
        label = f"topic {i + 1} ({t.words[0]!r}…)"
        if not t.everyone:
            known(t.lead, ["topics", i, "lead"], f"{label}, lead")
        for j, p in enumerate(t.partners):
            known(p, ["topics", i, "partners", j], f"{label}, partner")


_CACHE: dict[Path, tuple[tuple[int, int], AssignmentTable]] = {}


def load_table(path: Path | None = None) -> AssignmentTable:
    """The assignment table of the project (facts/assignments.yaml) or of `path`; a bad entry
    is an InputError naming the file, the line and the entry."""
    path = Path(path or paths.assignments_file())
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (-1, -1)
    cached = _CACHE.get(path)
    if cached and cached[0] == key and key != (-1, -1):
        return cached[1]
    table = validate(AssignmentTable, path, "assignment table")
    _check_references(table, path)
    table._path = path
    _CACHE[path] = (key, table)
    return table


# ---------------------------------------------------------------------------------------------
# Who

class _Resolver:
    def __init__(self, table: AssignmentTable, when: date, unit_kind: str, districts: bool,
                 local: str | None = None) -> None:
        self.table, self.when, self.unit, self.local = table, when, unit_kind, local
        self.level = "districts" if districts else "communes"
        self._topics = [(t, [re.compile(r"(?<![a-z0-9])" + re.escape(fold(w).strip()).replace(r"\ ", r"\s+")
                                        + r"(?![a-z0-9])") for w in t.words]) for t in table.topics]

    def name(self, body_id: str) -> str:
        if body_id == "local" and self.local:
            return self.local         # the unit's own name for its local level on the day
        body = self.table.body(body_id)
        held = [n for n in body.names if n.holds(self.when, self.unit, self.level)]
        if not held:
            raise InputError(msg('assign.body_has_no_name', "{value}: body {body_id} has no name on {strftime} for a {unit} ({value2}); add one under its 'names:'.", value=self.table._path or 'the assignment table', body_id=f"{body_id!r}", strftime=self.when.strftime('%d/%m/%Y'), unit=self.unit, value2=msg('assign.with_districts', 'with districts') if self.level == 'districts' else msg('assign.communes_only', 'with communes only')))
        best = max(held, key=lambda n: (n.unit is not None) + (n.level is not None))
        return best.name.replace("{unit}", self.unit)

    def for_province(self, task: Task) -> bool:
        """Whether the province acts on the task: it is addressed to provinces, or names the
        province's own bodies as its doers or partners."""
        if task.provinces:
            return True
        for p in list(task.responsible) + list(task.partners):
            a = self.table.addressee(p)
            if a is not None and (a.whole or a.own):
                return True
        return False

    def topic(self, words: str) -> Topic | None:
        folded = fold(words)
        return next((t for t, rxs in self._topics if any(rx.search(folded) for rx in rxs)), None)

    def who(self, task: Task, work: str) -> tuple[str, list[str], list[str], list[str]]:
        """The lead, the partners (without the lead), those of them outside the hierarchy and
        those the "Nơi nhận" names."""
        named: list[str] = []         # the provincial counterparts of the ministries it names as doers
        own: list[str] = []           # the province's own bodies it names as doers
        joined: list[str] = []        # the counterparts of those it names as partners
        joining: list[str] = []       # who joins a task given to the province as a whole
        whole = False
        for p in task.responsible:
            a = self.table.addressee(p)
            if a is None:
                continue
            if a.whole:
                whole = True
                joining += a.partners
            elif a.own:
                own.append(a.body)  # type: ignore[arg-type]
            else:
                named.append(a.body)  # type: ignore[arg-type]
        for p in task.partners:
            a = self.table.addressee(p)
            if a is None:
                continue
            if a.whole:
                joining += a.partners
            else:
                joined.append(a.body)  # type: ignore[arg-type]
        topic_partners: list[str] = []
        if not named and not (own and not whole):
            topic = self.topic(work)
            if topic is not None and topic.everyone:
                return "", [], [], []
        if named:
            lead = named[0]
        elif own and not whole:
            lead = own[0]
        else:
            topic = self.topic(work)
            if topic is not None:
                lead, topic_partners = topic.lead, list(topic.partners)
            elif joined:
                lead = joined[0]
            else:
                lead = self.table.default_lead
        ids = named + own + joined + topic_partners + joining
        lead_name = self.name(lead)
        partners: list[str] = []
        outside = [lead_name] if self.table.body(lead).outside else []
        listed = [lead_name] if self.table.body(lead).recipient else []
        for body_id in ids:
            n = self.name(body_id)
            if n != lead_name and n not in partners:
                partners.append(n)
                if self.table.body(body_id).outside:
                    outside.append(n)
                if self.table.body(body_id).recipient:
                    listed.append(n)
        return lead_name, partners, outside, listed


# ---------------------------------------------------------------------------------------------
# What: the task's words as a verb phrase

_UPPER = "".join(c for c in map(chr, range(0x41, 0x1F00)) if c.isalpha() and c.isupper())
_CAP = f"[{re.escape(_UPPER)}]"
_MINISTRY = (r"(?:Bộ (?:Công an|Tư pháp|Nội vụ|Y tế|Tài chính|Công Thương|Xây dựng|Quốc phòng|Ngoại giao|"
             r"Thông tin và Truyền thông|Khoa học và Công nghệ|Tài nguyên và Môi trường|Nông nghiệp và Môi trường|"
             r"Nông nghiệp và Phát triển nông thôn|Giáo dục và Đào tạo|Kế hoạch và Đầu tư|Giao thông vận tải|"
             r"Lao động - Thương binh và Xã hội|Văn hóa, Thể thao và Du lịch|Dân tộc và Tôn giáo|"
             r"KH&CN|TT&TT|TN&MT|NN&MT|GD&ĐT|KH&ĐT)|Văn phòng Chính phủ|Ngân hàng Nhà nước(?: Việt Nam)?|"
             r"Bảo hiểm xã hội Việt Nam|Thanh tra Chính phủ|Ủy ban Dân tộc)")
_SPEAKER = (rf"(?:(?:Phó )?Thủ tướng(?: Chính phủ)?(?: {_CAP}\w*){{0,4}}|[Ll]ãnh đạo Chính phủ|"
            r"[Nn]gười đứng đầu Chính phủ|Chính phủ|Ông|Bà|ông|bà)")
_ORDER = r"(?:đề nghị|yêu cầu|giao|chỉ đạo|lưu ý|nhấn mạnh|quán triệt|nêu rõ|đề ra|chỉ rõ)"
_MODAL = r"(?:phải|cần phải|cần|có trách nhiệm|chịu trách nhiệm)"
_ADDRESSEE = (
    r"(?:(?:Chủ tịch|chủ tịch|Lãnh đạo|lãnh đạo) )?(?:UBND|Ủy ban nhân dân|ủy ban nhân dân) "
    r"(?:cấp tỉnh|các tỉnh(?:, thành phố)?(?: trực thuộc [Tt]rung ương)?|tỉnh, thành phố(?: trực thuộc [Tt]rung ương)?)"
    r"|(?:[Cc]ác |[Tt]hủ trưởng các )?(?:bộ|Bộ),? (?:ngành|cơ quan ngang bộ),?(?: cơ quan,?)?(?: Trung ương)?(?: và)? địa phương"
    r"|(?:[Cc]ác |[Tt]hủ trưởng các )?(?:bộ|Bộ), (?:ngành|cơ quan ngang bộ)"
    r"|(?:[Tt]hủ trưởng )?các cơ quan, (?:đơn vị, )?địa phương"
    r"|[Cc]ác địa phương|[Cc]ác tỉnh, thành phố(?: trực thuộc [Tt]rung ương)?"
    r"|Bộ trưởng, (?:Thủ trưởng cơ quan ngang bộ(?:, Thủ trưởng cơ quan thuộc Chính phủ)?|[Tt]rưởng ngành)"
    r"|(?:[Cc]ác )?doanh nghiệp viễn thông"
    rf"|(?:[Tt]ất cả|[Tt]oàn bộ) [^.;:]{{0,120}}?(?=\s{_MODAL}\s)"
)
_LEADING = [
    re.compile(r"^(?:trong đó|do đó|vì vậy|vì thế|đồng thời|bên cạnh đó|ngoài ra|thời gian tới|tiếp theo|theo đó|"
               r"mặt khác|mặt khác|trước mắt)\s*,?\s+", re.I),
    re.compile(rf"^(?:(?:Về|Phát biểu) [^.;:]{{1,60}}?,\s*)?{_SPEAKER}\s+(?:đồng thời\s+|cũng\s+)?{_ORDER}\s*[:,]?\s+"),
    re.compile(rf"^(?:[Gg]iao|[Yy]êu cầu|[Đđ]ề nghị)\s+(?={_ADDRESSEE})"),
    re.compile(rf"^(?:{_ADDRESSEE})(?:\s*\([^()]*\))?(?:\s*(?:,|và)\s*(?:{_ADDRESSEE})(?:\s*\([^()]*\))?)*\s*,?\s*"
               rf"(?:{_MODAL}\s+)?"),
    re.compile(rf"^{_MODAL}\s+", re.I),
    re.compile(rf"^(?:chủ động\s+)?phối hợp(?: chặt chẽ)? với {_MINISTRY}(?:\s*(?:,|và)\s*{_MINISTRY})*"
               r"(?:\s*(?:,|và)\s*các (?:bộ, ngành|cơ quan)(?: liên quan)?)?\s*,?\s+", re.I),
]
_TRAILING = [
    re.compile(rf"\s*[\"”]?\s*,?\s*{_SPEAKER}\s+(?:quán triệt|nhấn mạnh|yêu cầu|chỉ đạo|lưu ý|nói|cho biết|khẳng định)"
               r"\s*[.!]?\s*$"),
    re.compile(r",?\s*theo (?:yêu cầu|chỉ đạo) của (?:người đứng đầu Chính phủ|Thủ tướng(?: Chính phủ)?)\s*[.!]?\s*$"),
]
# "…, báo cáo Thủ tướng Chính phủ (trước ngày …)", "và gửi báo cáo về Bộ … (qua Cục …)": the
# province reports to its own People's Committee, which reports up.
_REPORT = re.compile(
    rf"\s*[,;]?\s*(?:và\s+)?(?:gửi\s+)?báo cáo(?: kết quả| tình hình[^,;.]*?)?\s+(?:về\s+|cho\s+|lên\s+)?"
    rf"(?:Thủ tướng Chính phủ|Thủ tướng|Chính phủ|Phó Thủ tướng[^,;.]*|Ban Chỉ đạo[^,;.]*|Ủy ban Quốc gia[^,;.]*|"
    rf"{_MINISTRY}[^,;.]*?|cấp có thẩm quyền)(?:\s*\([^()]*\))?"
    r"(?:\s+kết quả(?: thực hiện)?)?"
    r"(?:\s+(?:trước|chậm nhất|trong|hằng|định kỳ|đến)\s[^,;.]*?)?(?=\s*(?:[,;.]|$))")
_REPORT_WORD = re.compile(r"(?<!\w)báo cáo(?!\w)", re.I)


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s+([,;:.!?)])", r"\1", text)
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)
    text = re.sub(r"^[\s,;:.–-]+", "", text)
    text = re.sub(r"[\s,;:.!…/–-]+$", "", text)
    return text.strip()


def _balance_quotes(text: str) -> str:
    if text.count('"') % 2:
        i = text.rfind('"') if text.rstrip().endswith('"') else text.find('"')
        text = text[:i] + text[i + 1:]
    for o, c in (("“", "”"), ("(", ")")):
        while text.count(c) > text.count(o) and text.rstrip().endswith(c):
            text = text.rstrip()[:-1]
        while text.count(o) > text.count(c) and text.lstrip().startswith(o):
            text = text.lstrip()[1:]
    return text


def _strip_deadline(text: str, task: Task) -> str:
    """Every phrase of the text that states the task's deadline, removed (with the "hoàn
    thành" that opens it); a different date the text also names stays."""
    if not task.deadline:
        return text
    deadline = date.fromisoformat(task.deadline)
    year = int(task.stated[:4]) if task.stated else deadline.year
    pos = 0
    for _ in range(8):
        found = find_deadline(text, pos, len(text), year)
        if found is None:
            break
        if found.date != deadline:
            pos = found.end
            continue
        start = found.start
        before = re.search(r"(?:,\s*)?(?:(?:và |để )?(?:hoàn thành|xong)(?: xong)?\s*)?(?:[,;]\s*)?$", text[:start])
        if before and before.group(0).strip():
            start = before.start()
        text = text[:start] + text[found.end:]
        pos = start
    if task.deadline_quote:
        i = text.lower().find(task.deadline_quote.lower())
        if i >= 0:
            text = text[:i] + text[i + len(task.deadline_quote):]
    return text


def _lower_first(text: str) -> str:
    words = text.split(" ", 2)
    first = words[0]
    if not first or not first[0].isupper():
        return text
    if len(first) > 1 and (first.isupper() or any(c.isupper() for c in first[1:])):
        return text                       # CĐS, TTHC, VNeID
    if len(words) > 1 and words[1] and (words[1][0].isupper() or words[1][0].isdigit()):
        return text                       # "Đề án 06", "Cổng Dịch vụ công quốc gia", "Nghị quyết 57"
    return first[0].lower() + text[1:]


def work_of(task: Task) -> tuple[str, bool, date | None]:
    """The task's own words as a verb phrase, whether it asks for a report, and the day the
    report is due when the words give it (and it is not the task's deadline)."""
    text = re.sub(r"\s+", " ", nfc(task.text)).strip()
    text = _strip_deadline(text, task)
    text = _tidy(text)
    reports, report_by = False, None
    m = _REPORT.search(text)
    if m:
        reports = True
        year = int(task.stated[:4]) if task.stated else (int(task.deadline[:4]) if task.deadline else None)
        due = find_deadline(m.group(0), 0, len(m.group(0)), year)
        report_by = due.date if due else None
        text = _tidy(text[:m.start()] + text[m.end():])
    for _ in range(6):
        before = text
        for rx in _TRAILING:
            text = _tidy(rx.sub("", text))
        for rx in _LEADING:
            text = _tidy(rx.sub("", text, count=1))
        if text == before:
            break
    text = _tidy(_balance_quotes(text))
    if _REPORT_WORD.search(text):
        reports = True
    return _lower_first(text), reports, report_by


# ---------------------------------------------------------------------------------------------
# Targets stated again as tasks; the same work stated twice

_ABBREVIATIONS = {"tthc": "thu tuc hanh chinh", "cds": "chuyen doi so", "dvc": "dich vu cong",
                  "csdl": "co so du lieu", "dvctt": "dich vu cong truc tuyen"}
_FILLER = set("phan dau dat it nhat toi thieu tren den het cuoi nam trong va cac duoc muc tieu chi ty le "
              "nhu sau cu the la voi se huong toi".split())


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    for w in re.findall(r"[a-z0-9]+", fold(text)):
        out += _ABBREVIATIONS.get(w, w).split()
    return out


def _content(tokens: Iterable[str]) -> set[str]:
    return {t for t in tokens if t not in _FILLER and not t.isdigit()}


def _numbers(text: str) -> set[float]:
    out = set()
    for raw in re.findall(r"\d+(?:[.,]\d+)*", text):
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
            out.add(float(raw.replace(".", "")))
        else:
            try:
                out.add(float(raw.replace(".", "").replace(",", ".") if raw.count(",") == 1 else raw.replace(",", "")))
            except ValueError:
                pass
    return out


def repeats_target(work: str, targets: Sequence[Target]) -> bool:
    """Whether the words only state targets again: every clause that says something names a
    target's value and most of its quote's words ("100% hồ sơ TTHC được gắn định danh"), and
    at least one does."""
    found = False
    for clause in re.split(r"[,;]", work):
        content = _content(_tokens(clause))
        if not content:
            continue                     # "phấn đấu", "trong đó"
        numbers = _numbers(clause)
        hit = False
        for t in targets:
            if not numbers or not ({float(t.value)} | ({float(t.upper)} if t.upper is not None else set())) & numbers:
                continue
            quote = _content(_tokens(t.quote))
            if quote and len(quote & content) >= 0.6 * len(quote):
                hit = True
                break
        if not hit:
            return False
        found = True
    return found


def same_work(a: str, b: str) -> bool:
    """Near-identical words: the same task stated twice (in the notice and a report, in two
    sentences of one notice)."""
    x, y = _content(_tokens(a)), _content(_tokens(b))
    if not x or not y:
        return False
    small, large = (x, y) if len(x) <= len(y) else (y, x)
    return len(x & y) / len(x | y) >= 0.7 or (small <= large and len(small) >= 0.6 * len(large))


# What only the People's Committee can do: issue a plan (a department advises it to), direct
# others (a department that leads a task does it: "chỉ đạo làm sạch …" → "làm sạch …").
_ISSUE = re.compile(r"^((?:khẩn trương|kịp thời|sớm|chủ động)\s+)?ban hành(?!\w)")
_DIRECT = re.compile(r"^((?:khẩn trương|kịp thời|sớm|chủ động)\s+)?chỉ đạo(?:,?\s+(?:và|đôn đốc|hướng dẫn),?)*\s+(?=\w)")


# What only the People's Council decides: fees and charges (Luật Phí và lệ phí 2015, Điều 21:
# HĐND cấp tỉnh quyết định mức thu, miễn, giảm các khoản phí, lệ phí thuộc thẩm quyền) — a
# department advises the committee to propose it ("áp dụng chính sách thu phí không đồng …").
_FEES = re.compile(r"(?<!\w)((?:nghiên cứu,?\s+)?(?:áp dụng|ban hành|thực hiện)\s+(?:chính sách\s+)?"
                   r"(?:miễn|giảm|thu)(?:,?\s+(?:miễn|giảm))*\s+(?:phí|lệ phí))")


def _advise(work: str, unit_kind: str, already: bool = False) -> str:
    """A department's part in the People's Committee's own acts: "khẩn trương ban hành Kế hoạch …"
    → "khẩn trương tham mưu Ủy ban nhân dân tỉnh ban hành Kế hoạch …"; "chỉ đạo và tổ chức thực hiện
    …" → "tổ chức thực hiện …"; a fee the council decides: "áp dụng chính sách thu phí không đồng"
    → "tham mưu Ủy ban nhân dân tỉnh trình Hội đồng nhân dân tỉnh quyết định áp dụng chính sách thu
    phí không đồng" — or, where the unit `already` does it (the national text's model), "tiếp tục
    áp dụng …"."""
    work = _ISSUE.sub(lambda m: f"{m.group(1) or ''}tham mưu Ủy ban nhân dân {unit_kind} ban hành", work, count=1)
    work = _FEES.sub(lambda m: f"tiếp tục {m.group(1)}" if already else (
        f"tham mưu Ủy ban nhân dân {unit_kind} trình Hội đồng nhân dân {unit_kind} quyết định {m.group(1)}"),
        work, count=1)
    return _DIRECT.sub(lambda m: m.group(1) or "", work, count=1)


def _own_example(work: str, label: str | None) -> tuple[str, bool]:
    """A national text's example is not an example for itself: in Hà Nội's notice "…, áp dụng
    chính sách thu phí không đồng như mô hình thành phố Hà Nội đã triển khai" loses its last words,
    and says that the unit already does it."""
    if not label:
        return work, False
    own = re.compile(rf"\s*,?\s+(?:như|theo)\s+(?:mô hình|cách làm|kinh nghiệm)\s+(?:của\s+)?{re.escape(label)}"
                     r"(?:\s+đã\s+(?:triển khai|thực hiện|áp dụng))?(?!\w)", re.IGNORECASE)
    m = own.search(work)
    return (work, False) if m is None else (work[:m.start()] + work[m.end():], True)


def _merge(items: list[Assignment]) -> list[Assignment]:
    out: list[Assignment] = []
    for a in items:
        # The same work by two different days is two obligations ("lãnh đạo … đến tháng 6", "tất cả
        # cán bộ … đến cuối năm"): merged only when the days agree or one is not stated.
        i = next((i for i, b in enumerate(out) if a.everyone == b.everyone and same_work(a.work, b.work)
                  and (a.deadline is None or b.deadline is None or a.deadline == b.deadline)), None)
        if i is None:
            out.append(a)
            continue
        b = out[i]
        partners = list(b.partners)
        for n in (a.lead,) + a.partners:
            if n != b.lead and n not in partners:
                partners.append(n)
        deadlines = [d for d in (b.deadline, a.deadline) if d]
        out[i] = replace(b, partners=tuple(partners), deadline=min(deadlines) if deadlines else None,
                         report_to=b.report_to or a.report_to, report_by=b.report_by or a.report_by,
                         outside=tuple(dict.fromkeys(b.outside + a.outside)),
                         listed=tuple(dict.fromkeys(b.listed + a.listed)), merged=b.merged + (a.task_id,))
    return out


# ---------------------------------------------------------------------------------------------

def assignments(tasks: Sequence[Task], targets: Sequence[Target], when: date, unit_kind: str,
                districts: bool | None = None, table: AssignmentTable | Path | None = None,
                local: str | None = None, label: str | None = None) -> list[Assignment]:
    """The province's assignments for these national tasks, in their order, on the day `when`.

    `unit_kind` is "tỉnh" or "thành phố" (it names "Công an tỉnh", "UBND thành phố" …);
    `districts` whether the province has a district level (default: the table's
    `districts_until` on `when`); `table` the assignment table or its file (default:
    facts/assignments.yaml); `local` how the unit itself names its local level that day
    ("Ủy ban nhân dân các huyện, thành phố": no "thị xã" where it has none), in place of the
    table's generic name; `label` the unit as running text names it ("thành phố Hà Nội"), whom
    a national text may give as the model. `targets` are those the briefing states: a task that
    only says them again is left out."""
    if unit_kind not in UNIT_KINDS:
        raise ValueError(f"unit_kind must be one of {UNIT_KINDS}, not {unit_kind!r}")
    tbl = table if isinstance(table, AssignmentTable) else load_table(table)
    if districts is None:
        districts = when.isoformat() <= tbl.districts_until
    resolver = _Resolver(tbl, when, unit_kind, districts, local)
    report_to = tbl.report_to.replace("{unit}", unit_kind)
    out: list[Assignment] = []
    for task in tasks:
        if not resolver.for_province(task):
            continue                     # a ministry's, an operator's, nobody's
        work, reports, report_by = work_of(task)
        if not re.search(r"\w", work) and reports and out and out[-1].source == task.source:
            # "…; báo cáo kết quả về Văn phòng Chính phủ trước ngày 31/01/2026": the report of the item before
            out[-1] = replace(out[-1], report_to=report_to,
                              report_by=report_by or (date.fromisoformat(task.deadline) if task.deadline else None))
            continue
        if not re.search(r"\w", work) or repeats_target(work, targets):
            continue
        lead, partners, outside, listed = resolver.who(task, work)
        work, already = _own_example(work, label)
        if lead:
            work = _advise(work, unit_kind, already)
        out.append(Assignment(task_id=task.id, source=task.source, lead=lead, partners=tuple(partners), work=work,
                              everyone=not lead,
                              deadline=date.fromisoformat(task.deadline) if task.deadline else None,
                              report_to=report_to if reports else None, report_by=report_by,
                              outside=tuple(outside), listed=tuple(listed)))
    out = _merge(out)
    if tbl.overdue_days:
        out = [replace(a, own_deadline=own_deadline(when, tbl.overdue_days)) if a.deadline and a.deadline < when else a
               for a in out]
    return out


def own_deadline(when: date, days: int) -> date:
    """The province's day for work whose national deadline has passed: `days` after the notice,
    on a working day (a Saturday or Sunday moves to the Monday)."""
    day = when + timedelta(days=days)
    return day + timedelta(days=(7 - day.weekday()) % 7) if day.weekday() >= 5 else day

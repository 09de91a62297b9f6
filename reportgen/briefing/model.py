"""The briefing as data: what the facts say, typed, for the templates to write down.

The model is the boundary between the facts and the rendering. It holds no sentence:
the Jinja templates write every sentence (so an office changes a phrase in
`templates/`, never in code) from these records — the session, the national results,
the targets, each assignment with its lead and coordinating bodies, the province's
part, the appendix rows — with filters for Vietnamese dates and numbers. Values are
already written the Decree 30 way (value_text), since a value's form is the document's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..provinces import UnitOfDay


@dataclass(frozen=True)
class Cited:
    """A source document as a briefing cites it: an official text by kind, number, date
    and issuer; a press report by outlet and date. `n` and `file` are for the review
    copy and the manifest only — never printed in what is sent."""
    n: int
    file: str
    official: bool
    kind: str                  # the registry's label: "Thông báo", "Công điện", "Tin, bài"
    number: str | None
    day: date | None           # issued (official) or published (press), when known to the day
    month: str | None          # "02/2025" when only the month of publication is known
    issuer: str | None
    title: str | None
    outlet: str | None         # the outlet's name as a reader knows it ("Báo VnExpress")
    session: int | None


@dataclass(frozen=True)
class Chair:
    role: str | None
    name: str


@dataclass(frozen=True)
class Session:
    day: date
    meeting: str               # "Phiên họp lần thứ 10 của Ủy ban Quốc gia về chuyển đổi số" (registry's names)
    year_end: bool             # a year-end session not already named so
    chair: Chair | None
    notice: Cited | None       # the official conclusion notice, when the archive holds it
    reports: tuple[Cited, ...]  # what the opening relies on when there is no notice
    months_before: int         # whole months between the session and the briefing's date


@dataclass(frozen=True)
class Statement:
    text: str                  # one paragraph of the source, as a sentence
    source: Cited


@dataclass(frozen=True)
class Result:
    """One row of the appendix table: the latest value of a metric for one scope."""
    metric: str
    label: str
    unit: str                  # "%", "thủ tục", "triệu thẻ" … ("" for ranks and levels)
    value: str                 # the value as written ("ước đạt 18,3%")
    change: str | None         # "tăng 5,62 điểm phần trăm so với năm 2023"
    period: str                # what the figure refers to: "năm 2024", "tính đến 06/02/2025"
    stale: bool                # the period ended more than a year before the briefing
    source: Cited


@dataclass(frozen=True)
class TargetItem:
    label: str
    value: str
    deadline: date | None
    deadline_year_end: bool    # "đến hết năm 2025"
    expired: bool              # the deadline is before the briefing's date
    earlier_value: str | None  # a different value stated earlier
    earlier_day: date | None
    sources: tuple[Cited, ...]


@dataclass(frozen=True)
class Assignment:
    """A national task turned into the province's work."""
    lead: str                  # "Sở Khoa học và Công nghệ"
    partners: tuple[str, ...]  # coordinating bodies, without the lead
    work: str                  # what to do (a verb phrase, no addressee, no deadline words)
    deadline: date | None
    days_left: int | None      # negative: overdue by that many days
    report_to: str | None      # whom to report the result to
    report_by: date | None     # when the report is due, if another day than the deadline
    ask: bool                  # the lead is outside the People's Committee's hierarchy: "Đề nghị", not "Giao"
    everyone: bool             # every head's own duty: the heads of departments and the local chairs
    source: Cited
    several: bool = False      # `work` joins several tasks of the same bodies ("…; …; …")
    listed: tuple[str, ...] = ()   # its bodies the "Nơi nhận" names ("Công an tỉnh", "Bảo hiểm xã hội tỉnh")
    own_deadline: date | None = None   # the province's day when `deadline` (national) has passed on the notice's day


@dataclass(frozen=True)
class TaskGroup:
    source: Cited
    items: tuple[Assignment, ...]


@dataclass(frozen=True)
class Bridge:
    meeting: str | None
    session: int | None
    day: date | None
    unit: str                  # "tỉnh Quảng Ngãi", "tỉnh Kon Tum (cũ)"
    unit_kind: str             # "tỉnh" | "thành phố"
    chair: Chair | None
    attended: tuple[str, ...]
    source: Cited


@dataclass(frozen=True)
class UnitFigure:
    label: str
    unit: str | None           # the former unit's name when the part covers several
    value: str
    period: str
    national_value: str | None
    national_period: str | None
    sources: tuple[Cited, ...]


@dataclass(frozen=True)
class OwnTask:
    text: str
    deadline: date | None
    days_left: int | None
    who: str | None


@dataclass(frozen=True)
class OwnTaskGroup:
    source: Cited
    tasks: tuple[OwnTask, ...]


@dataclass
class ProvincePart:
    other_names: bool          # it holds facts under another name the unit had (a former unit's, an old name)
    bridges: list[Bridge]
    figures: list[UnitFigure]
    figures_unit: str          # whose figures ("tỉnh Kon Tum (cũ)", or "các địa bàn")
    own_tasks: list[OwnTaskGroup]


@dataclass
class Chart:
    id: str
    number: int
    caption: str                  # the catalogue's words: what the chart shows
    kind: str                     # targets | series | timeline
    data: dict
    width_mm: float = 150.0
    height_mm: float = 80.0
    sources: tuple[str, ...] = ()     # the documents it draws from (file names)
    unit: str = ""                    # said in the caption before the sources ("triệu")
    cited: tuple[Cited, ...] = ()     # the same documents, as the caption cites them


@dataclass
class Briefing:
    province_code: str
    date: date
    unit: UnitOfDay               # the provincial unit of the briefing's day (provinces.py)
    issuer_lines: list[str]
    default_issuer: bool          # the People's Committee issues it (not an --issuer)
    issuer_name: str              # "Ủy ban nhân dân tỉnh Quảng Ngãi" (in the appendix note)
    number: str | None            # "05/TB-UBND" (Decree 30 padding), None: left blank to be filled
    base_summary: str             # the national notice's title ("Kết luận Phiên họp …"); the template ends it
    session: Session
    statements: dict[str, list[Statement]]   # results, shortcomings, lessons, views
    theme: Statement | None
    results: list[Result]
    charts_in_appendix: list[Chart]
    targets: list[TargetItem]
    task_groups: list[TaskGroup]
    timeline: Chart | None
    province: ProvincePart
    signature_lines: list[str]    # "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"
    signer: str | None
    sources: list[Cited]          # every document cited, in order of first citation
    author: str
    keywords: list[str]
    rules_mm: dict[str, float]    # lengths of the drawn short rules
    review: bool = False          # the review copy: sources marked, for the office's file

    @property
    def charts(self) -> list[Chart]:
        return list(self.charts_in_appendix)

    @property
    def listed_recipients(self) -> list[str]:
        """The bodies given work that "Nơi nhận" names, beside "Các sở, ban, ngành", in order."""
        return list(dict.fromkeys(n for g in self.task_groups for a in g.items for n in a.listed))

    @property
    def appendix(self) -> bool:
        return bool(self.results or self.charts_in_appendix)

    @property
    def stale(self) -> bool:
        """The latest session in the archive is more than three months before the briefing."""
        return self.session.months_before > 3

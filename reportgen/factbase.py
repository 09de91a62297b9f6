"""The fact base: typed records, each traceable to a source file and a verbatim quote.

This module is the boundary between extraction and everything after it: the briefing
model reads only these records, loaded from the YAML file a person can review.
"""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path
from typing import Literal

from .i18n import msg
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .textnorm import is_nfc

SCHEMA = "reportgen-facts/2"
Number = int | float


def check_day(v: str | None) -> str | None:
    """A calendar day written YYYY-MM-DD."""
    if v is not None:
        try:
            date.fromisoformat(v)
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
                raise ValueError
        except ValueError:
            raise ValueError(msg("models.not_a_day", "{value} is not a date (write YYYY-MM-DD, a day that exists)",
                                 value=repr(v))) from None
    return v


def check_day_or_month(v: str | None) -> str | None:
    if v is not None and re.fullmatch(r"\d{4}-\d{2}", v):
        if not 1 <= int(v[5:]) <= 12:
            raise ValueError(msg("models.not_a_month", "{value} is not a month (write YYYY-MM)", value=repr(v)))
        return v
    return check_day(v)


def check_period(v: str) -> str:
    """What a figure is "as of": a year, a half-year, a month or a day ('2024', '2024-H1',
    '2024-07', '2024-07-10'), or 'unknown'."""
    if v == "unknown" or re.fullmatch(r"\d{4}(-H1)?", v):
        return v
    try:
        return check_day_or_month(v)  # type: ignore[return-value]
    except ValueError:
        raise ValueError(msg("models.not_a_period", "{value} is not a period (write 2024, 2024-H1, 2024-07 or 2024-07-10)",
                             value=repr(v))) from None


def plain_name(v: str) -> str:
    """A document's id: the plain name of a file in seeds/ — no folders, no leading dot."""
    if any(c in v for c in "/\\\x00") or v.startswith(".") or v != v.strip() or not v:
        raise ValueError(msg("models.not_a_file_name", "{value} is not a file name in seeds/ (no folders, no leading dot)",
                             value=repr(v)))
    return v


def check_number(v: float | int | None) -> float | int | None:
    if isinstance(v, float) and not math.isfinite(v):
        raise ValueError(msg("models.not_a_number", "{value} is not a number a document can state", value=repr(v)))
    return v


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _must_be_nfc(cls, v):  # type: ignore[no-untyped-def]
        # (a list of names — also_in, responsible, partners — as well as a text)
        if isinstance(v, str) and not is_nfc(v) or isinstance(v, list) and any(
                isinstance(x, str) and not is_nfc(x) for x in v):
            raise ValueError(msg("models.not_nfc", "text is not NFC-normalised"))
        return v


class _Reviewed(_Record):
    """A fact that is either extracted (re-derived from its source by `facts verify`) or
    recorded by a person in facts/corrections.yaml, who signs it and says why."""
    origin: Literal["extracted", "correction"] = "extracted"
    reviewed_by: str | None = None
    note: str | None = None
    also_in: list[str] = []            # other documents that say the same words (reprints)

    @model_validator(mode="after")
    def _signed(self):  # type: ignore[no-untyped-def]
        if self.origin == "correction" and not ((self.reviewed_by or "").strip() and (self.note or "").strip()):
            raise ValueError(msg("models.unsigned", "a hand-recorded fact needs reviewed_by (who) and note (why)"))
        return self


class DocumentFact(_Record):
    """What a document is (kind and number from facts/registry.yaml), who issued or
    published it, when, the event it reports and the province it speaks for."""
    id: str

    title: str | None = None
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    official: bool = False
    number: str | None = None          # its own number, "180/CĐ-TTg"
    issued: str | None = None          # the date it was issued
    issuer: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    province: str | None = None        # the province it speaks for
    province_quote: str | None = None
    event: str | None = None           # id of the event it reports
    event_kind: str | None = None
    body: str | None = None
    body_quote: str | None = None
    event_date: str | None = None
    event_date_quote: str | None = None
    event_year_inferred: bool = False
    session: int | None = None
    session_quote: str | None = None
    url: str | None = None             # a web page's own address
    reader: str = "text"               # what read the file ("pdf (pdfplumber 0.11.10)")
    ocr: bool = False                  # read by OCR from a scan: check the text by eye
    sha256: str                        # of the file's bytes

    _days = field_validator("issued", "event_date")(check_day)
    _published = field_validator("published")(check_day_or_month)

    def dated(self) -> date:
        """The latest day the document names (issued, held, published): when it can be known."""
        days = [date.fromisoformat(x if len(x) == 10 else x + "-01") for x in (self.issued, self.event_date,
                                                                               self.published) if x]
        return max(days) if days else date.max

    _plain_name = field_validator("id")(lambda v: plain_name(v))


# How a number states what it states, so a briefing words it as the document did: a value
# or count ("62 mục tiêu", "87,7 triệu thẻ"), a ratio "29/45 chỉ tiêu", a rank "thứ 71/193",
# "top 10", a level "cấp độ 6/10", a multiple "gấp 3,5 lần", a range "8,3 - 8,5%", or a
# value reached from another "từ 0,48 lên 0,71" (`was` holds the first).
Form = Literal["number", "ratio", "rank", "level", "multiple", "range", "from_to"]


class Figure(_Reviewed):
    id: str
    metric: str
    value: Number
    upper: Number | None = None
    of: Number | None = None
    was: Number | None = None
    form: Form = "number"
    unit: str
    qualifier: str | None = None
    change: bool = False
    baseline: str | None = None
    as_of: str
    scope: str
    source: str
    quote: str = Field(min_length=1)

    _period = field_validator("as_of")(check_period)
    _numbers = field_validator("value", "upper", "of", "was")(check_number)


class Target(_Reviewed):
    id: str
    metric: str
    value: Number
    upper: Number | None = None
    of: Number | None = None
    was: Number | None = None
    form: Form = "number"
    unit: str
    qualifier: str | None = None
    deadline: str | None = None
    deadline_quote: str | None = None
    set_by: str | None = None
    stated: str | None = None
    session: int | None = None
    scope: str = "national"
    current: bool = False
    source: str
    quote: str = Field(min_length=1)

    _deadline = field_validator("deadline")(check_day)
    _stated = field_validator("stated")(check_day_or_month)
    _numbers = field_validator("value", "upper", "of", "was")(check_number)


class Task(_Reviewed):
    id: str
    text: str
    responsible: list[str]
    partners: list[str] = []
    provinces: bool
    deadline: str | None = None
    deadline_quote: str | None = None
    stated: str | None = None
    session: int | None = None
    scope: str = "national"            # a province's own task: section c) of its briefing only
    source: str
    quote: str = Field(min_length=1)

    _deadline = field_validator("deadline")(check_day)
    _stated = field_validator("stated")(check_day_or_month)


class Statement(_Record):
    """A paragraph of an official notice, quoted whole (results, shortcomings, lessons…)."""
    id: str
    section: Literal["opening", "results", "shortcomings", "causes", "lessons", "views", "tasks", "other"]
    heading: str
    text: str
    source: str
    quote: str = Field(min_length=1)
    also_in: list[str] = []


class PersonFact(_Record):
    name: str
    role: str | None = None


class Event(_Record):
    """One event (a session of a body, a conference), however many documents report it."""
    id: str
    body: str | None = None
    kind: str
    date: str | None
    number: int | None = None
    chair: PersonFact | None = None
    chair_quote: str | None = None
    attended: list[str] = []
    notice: str | None = None          # id of the official notice that reports it
    sources: list[str]

    _date = field_validator("date")(check_day)


class BridgePoint(_Record):
    province: str
    event: str | None = None
    session: int | None = None
    date: str | None = None
    chaired_by: PersonFact | None = None
    attended: list[str] = []
    source: str
    quote: str
    also_in: list[str] = []

    _date = field_validator("date")(check_day)


class SkippedFile(_Record):
    """A file in seeds/ that `facts build --skip-bad` left out, and why."""
    id: str
    sha256: str
    reason: str


class FactBase(_Record):
    schema_: str = Field(SCHEMA, alias="schema")
    documents: list[DocumentFact]
    figures: list[Figure]
    targets: list[Target]
    tasks: list[Task]
    statements: list[Statement]
    events: list[Event]
    bridge_points: list[BridgePoint]
    skipped: list[SkippedFile] = []

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    @model_validator(mode="after")
    def _unique_ids(self) -> "FactBase":
        seen: set[str] = set()
        for kind, items in (("document", self.documents), ("figure", self.figures), ("target", self.targets),
                            ("task", self.tasks), ("statement", self.statements), ("event", self.events)):
            for item in items:
                if item.id in seen:
                    raise ValueError(msg("models.duplicate_id", "duplicate {kind} id {id}", kind=kind, id=repr(item.id)))
                seen.add(item.id)
        return self

    def document(self, doc_id: str) -> DocumentFact | None:
        return next((d for d in self.documents if d.id == doc_id), None)

    def event(self, event_id: str | None) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)


def load_factbase(path: Path) -> FactBase:
    from .yamlio import validate

    return validate(FactBase, path, "fact base")


def dump_factbase(fb: FactBase) -> str:
    from .yamlio import dump_yaml

    data = fb.model_dump(by_alias=True, exclude_defaults=False)
    for kind in ("figures", "targets", "tasks", "statements", "bridge_points"):
        for record in data[kind]:   # written only where they say something
            for key in ("also_in", "origin", "reviewed_by", "note"):
                if key in record:
                    value = record.pop(key)
                    if value or key == "origin":
                        record[key] = value
    header = ("# reportgen fact base — generated by `reportgen facts build`; do not edit by hand.\n"
              "# Review it; record fixes in facts/corrections.yaml or facts/catalogue.yaml and rebuild.\n")
    return header + dump_yaml(data)

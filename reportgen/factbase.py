"""The fact base: typed records, each traceable to a source file and a verbatim quote.

This module is the boundary between extraction and everything after it: the briefing
model reads only these records, loaded from the YAML file a person can review.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .textnorm import is_nfc

SCHEMA = "reportgen-facts/2"
Number = int | float


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _must_be_nfc(cls, v):  # type: ignore[no-untyped-def]
        if isinstance(v, str) and not is_nfc(v):
            raise ValueError("text is not NFC-normalised")
        return v


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

    @field_validator("id")
    @classmethod
    def _plain_name(cls, v: str) -> str:
        if any(c in v for c in "/\\\x00") or v.startswith(".") or v != v.strip() or not v:
            raise ValueError(f"{v!r} is not a file name in seeds/ (no folders, no leading dot)")
        return v


class Figure(_Record):
    id: str
    metric: str
    value: Number
    upper: Number | None = None
    of: Number | None = None
    unit: str
    qualifier: str | None = None
    change: bool = False
    baseline: str | None = None
    as_of: str
    scope: str
    source: str
    quote: str = Field(min_length=1)
    origin: Literal["extracted", "correction"] = "extracted"
    note: str | None = None


class Target(_Record):
    id: str
    metric: str
    value: Number
    upper: Number | None = None
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
    origin: Literal["extracted", "correction"] = "extracted"
    note: str | None = None


class Task(_Record):
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
    origin: Literal["extracted", "correction"] = "extracted"


class Statement(_Record):
    """A paragraph of an official notice, quoted whole (results, shortcomings, lessons…)."""
    id: str
    section: Literal["opening", "results", "shortcomings", "causes", "lessons", "views", "tasks", "other"]
    heading: str
    text: str
    source: str
    quote: str = Field(min_length=1)


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


class BridgePoint(_Record):
    province: str
    event: str | None = None
    session: int | None = None
    date: str | None = None
    chaired_by: PersonFact | None = None
    attended: list[str] = []
    source: str
    quote: str


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
                    raise ValueError(f"duplicate {kind} id {item.id!r}")
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
    header = ("# reportgen fact base — generated by `reportgen facts build`; do not edit by hand.\n"
              "# Review it; record fixes in facts/corrections.yaml or facts/catalogue.yaml and rebuild.\n")
    return header + dump_yaml(data)

"""Reviewed corrections: facts a person recorded by hand (still with source and quote),
document metadata that could not be inferred, and extracted facts a reviewer rejected."""

from __future__ import annotations

from pathlib import Path

from datetime import date

from typing import Literal

from .i18n import msg
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from .factbase import Figure, Target, Task, _Record, plain_name


class DocumentFix(_Record):
    event_date: str | None = None
    session: int | None = None
    kind: str | None = None        # a document kind of facts/registry.yaml
    body: str | None = None        # a body of facts/registry.yaml
    province: str | None = None    # the province the document speaks for
    title: str | None = None
    reviewed_by: str = Field(min_length=1)   # who decided
    reason: str = Field(min_length=1)        # why

    @field_validator("event_date")
    @classmethod
    def _iso_date(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                date.fromisoformat(v)
            except ValueError:
                raise ValueError(msg("corrections.not_a_day", "{value} is not a date (write YYYY-MM-DD)", value=repr(v))) from None
        return v

    @field_validator("session")
    @classmethod
    def _positive(cls, v: int | None) -> int | None:
        if v is not None and v < 1:
            raise ValueError(msg("corrections.session_number", "a session number is 1 or more"))
        return v


class Rejection(_Record):
    source: str
    _source = field_validator("source")(lambda v: plain_name(v))
    quote: str = Field(min_length=1)
    reviewed_by: str = Field(min_length=1)
    reason: str = Field(min_length=1)


class _ManualFigure(Figure):
    id: str = ""
    origin: Literal["correction"] = "correction"  # type: ignore[assignment]
    _source = field_validator("source")(lambda v: plain_name(v))


class _ManualTarget(Target):
    id: str = ""
    origin: Literal["correction"] = "correction"  # type: ignore[assignment]
    _source = field_validator("source")(lambda v: plain_name(v))


class _ManualTask(Task):
    id: str = ""
    origin: Literal["correction"] = "correction"  # type: ignore[assignment]
    _source = field_validator("source")(lambda v: plain_name(v))


class Corrections(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: dict[str, DocumentFix] = {}
    figures: list[_ManualFigure] = []
    targets: list[_ManualTarget] = []
    tasks: list[_ManualTask] = []
    reject: list[Rejection] = []
    _path: Path | None = PrivateAttr(default=None)

    def where(self, key: str) -> str:
        """"facts/corrections.yaml:12" for the line that holds `key`, for messages."""
        if self._path is None:
            return "corrections"
        try:
            for n, line in enumerate(self._path.read_text("utf-8").split("\n"), start=1):
                if line.strip().startswith((f"{key}:", f"'{key}':", f'"{key}":')):
                    return f"{self._path}:{n}"
        except OSError:
            pass
        return str(self._path)

    def where_text(self, text: str) -> str:
        """"facts/corrections.yaml:12" for the first line that holds `text` (or its start)."""
        if self._path is None:
            return "corrections"
        try:
            for n, line in enumerate(self._path.read_text("utf-8").split("\n"), start=1):
                if text[:40] in line:
                    return f"{self._path}:{n}"
        except OSError:
            pass
        return str(self._path)


def load_corrections(path: Path | None) -> Corrections:
    if path is None or not path.exists():
        return Corrections()
    from .yamlio import load_yaml, validate

    data, _ = load_yaml(path, "corrections file")
    if data is None:
        return Corrections()
    corrections = validate(Corrections, path, "corrections file")
    corrections._path = path
    return corrections

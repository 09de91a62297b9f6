"""Reviewed corrections: facts a person recorded by hand (still with source and quote),
document metadata that could not be inferred, and extracted facts a reviewer rejected."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from .factbase import Figure, Target, Task, _Record


class DocumentFix(_Record):
    event_date: str | None = None
    session: int | None = None
    kind: str | None = None        # a document kind of facts/registry.yaml
    body: str | None = None        # a body of facts/registry.yaml
    province: str | None = None    # the province the document speaks for
    title: str | None = None
    reason: str


class Rejection(_Record):
    source: str
    quote: str
    reason: str


class _ManualFigure(Figure):
    id: str = ""
    origin: str = "correction"  # type: ignore[assignment]


class _ManualTarget(Target):
    id: str = ""
    origin: str = "correction"  # type: ignore[assignment]


class _ManualTask(Task):
    id: str = ""
    origin: str = "correction"  # type: ignore[assignment]


class Corrections(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: dict[str, DocumentFix] = {}
    figures: list[_ManualFigure] = []
    targets: list[_ManualTarget] = []
    tasks: list[_ManualTask] = []
    reject: list[Rejection] = []


def load_corrections(path: Path | None) -> Corrections:
    if path is None or not path.exists():
        return Corrections()
    from .yamlio import load_yaml, validate

    data, _ = load_yaml(path, "corrections file")
    if data is None:
        return Corrections()
    return validate(Corrections, path, "corrections file")

"""The document registry: bodies, document kinds, event kinds and the cue words of
press sentences. People edit it (facts/registry.yaml); the code only reads it."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from .i18n import msg
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import patterns
from .textnorm import fold, nfc
from .yamlio import validate

_ID = r"^[a-z][a-z0-9_]*$"


def phrase_pattern(phrases: list[str]) -> re.Pattern[str] | None:
    """One pattern for several phrases, on folded text, whole words, longest first."""
    parts = sorted({re.escape(fold(p.strip())).replace(r"\ ", r"\s+") for p in phrases if p.strip()},
                   key=len, reverse=True)
    return patterns.compile(r"(?<![a-z0-9])(?:" + "|".join(parts) + r")(?![a-z0-9])") if parts else None


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @field_validator("*", mode="after")
    @classmethod
    def _nfc(cls, v):  # type: ignore[no-untyped-def]
        if isinstance(v, str):
            return nfc(v)
        if isinstance(v, list):
            return [nfc(x) if isinstance(x, str) else x for x in v]
        return v


class Body(_Entry):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)
    short_names: list[str] = []    # names that stand for it alone ("Ban Chỉ đạo"), beside its head's title
    head: list[str] = []           # the title of who leads it ("Thủ tướng")


class DocumentKind(_Entry):
    id: str = Field(pattern=_ID)
    label: str = Field(min_length=1)
    official: bool
    tasks: bool
    event: bool
    symbols: list[str] = []
    headings: list[str] = []
    phrases: list[str] = []


class EventKind(_Entry):
    id: str = Field(pattern=_ID)
    label: str = Field(min_length=1)
    phrases: list[str] = Field(min_length=1)
    briefing: bool = True          # False: a briefing does not report it as its session (a ceremony)


class Outlet(_Entry):
    province: str
    names: list[str] = Field(min_length=1)


class Press(_Entry):
    """A national outlet: the name a briefing cites it by, and the addresses and spellings
    a document's `outlet` may hold ("vnexpress.net")."""
    name: str
    also: list[str] = []


class Registry(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bodies: list[Body] = Field(min_length=1)
    document_kinds: list[DocumentKind] = Field(min_length=1)
    event_kinds: list[EventKind] = Field(min_length=1)
    sections: dict[str, list[str]] = {}
    outlets: list[Outlet] = []
    press: list[Press] = []

    @model_validator(mode="after")
    def _check(self) -> "Registry":
        for what, items in (("body", self.bodies), ("document kind", self.document_kinds),
                            ("event kind", self.event_kinds)):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    raise ValueError(msg("models.duplicate_id", "duplicate {kind} id {id}", kind=what, id=repr(item.id)))
                seen.add(item.id)
        if "press" not in {k.id for k in self.document_kinds}:
            raise ValueError(msg("registry.no_press", "document_kinds must include `press`, the kind of a document with no "
                                  "other sign"))
        unknown = set(self.sections) - {"results", "shortcomings", "lessons", "views"}
        if unknown:
            raise ValueError(msg("registry.unknown_section", "sections: unknown section {section} (results, shortcomings, "
                                 "lessons, views)", section=repr(sorted(unknown)[0])))
        from .provinces import known_name

        for o in self.outlets:
            if known_name(o.province) is None:
                raise ValueError(msg("registry.unknown_province", "outlets: unknown province {province}", province=repr(o.province)))
        return self

    def outlet_name(self, outlet: str | None) -> str | None:
        """The name a briefing cites an outlet by: the registry's name for a known address or
        spelling (national press, then the provinces' outlets, first name), else as stored."""
        if not outlet:
            return None
        from urllib.parse import urlsplit

        from .textnorm import fold

        if "://" in outlet:
            # a page's address ("https://vietnamnet.vn/kinh-te-so-…-2446462.html"): its site, by
            # the registry's name or else its host — a clerk cites a paper, not a page's path
            outlet = (urlsplit(outlet).hostname or outlet).removeprefix("www.")
        key = fold(outlet).removeprefix("www.")
        for p in self.press:
            if key in {fold(n).removeprefix("www.") for n in [p.name, *p.also]}:
                return p.name
        for o in self.outlets:
            if key in {fold(n).removeprefix("www.") for n in o.names}:
                return o.names[0]
        return outlet

    @cached_property
    def kind(self) -> dict[str, DocumentKind]:
        return {k.id: k for k in self.document_kinds}

    @cached_property
    def body(self) -> dict[str, Body]:
        return {b.id: b for b in self.bodies}

    @cached_property
    def event_kind(self) -> dict[str, EventKind]:
        return {k.id: k for k in self.event_kinds}

    @cached_property
    def body_patterns(self) -> list[tuple[Body, re.Pattern[str]]]:
        return [(b, p) for b in self.bodies if (p := phrase_pattern(b.phrases))]

    @cached_property
    def event_patterns(self) -> list[tuple[EventKind, re.Pattern[str]]]:
        return [(k, p) for k in self.event_kinds if (p := phrase_pattern(k.phrases))]

    @cached_property
    def folded_signs(self) -> dict[str, tuple[list[str], list[str], list[str]]]:
        """Each document kind's symbols, headings and phrases, folded (asked for each document)."""
        return {k.id: ([fold(x) for x in k.symbols], [fold(x) for x in k.headings], [fold(x) for x in k.phrases])
                for k in self.document_kinds}

    @cached_property
    def folded_outlets(self) -> dict[str, str]:
        """Each outlet's names, folded → the province it speaks for (asked for each document)."""
        return {fold(n): o.province for o in self.outlets for n in o.names}

    @cached_property
    def section_patterns(self) -> list[tuple[str, re.Pattern[str]]]:
        order = ("lessons", "shortcomings", "views", "results")
        return [(s, p) for s in order if (p := phrase_pattern(self.sections.get(s, [])))]

    def official(self, kind: str) -> bool:
        k = self.kind.get(kind)
        return bool(k and k.official)


def load_registry(path: Path) -> Registry:
    return validate(Registry, path, "document registry")

"""The metric catalogue: what indicators exist, how documents phrase them, who tasks
are addressed to. People edit it (facts/catalogue.yaml); the code only reads it."""

from __future__ import annotations

from .i18n import msg

import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from . import patterns
from .errors import InputError
from .textnorm import fold, nfc
from .yamlio import validate

_FILLER = r"(?:[^\s,;.:()]+\s+){0,4}?"


@lru_cache(maxsize=4096)
def _folded(unit: str) -> str:
    """A number's unit folded (a few hundred distinct ones in an archive, asked for each metric)."""
    return fold(unit)


def _compile_part(part: str) -> str:
    pieces = [re.escape(fold(p.strip())).replace(r"\ ", r"\s+") for p in part.split("{*}")]
    return (r"\s+" + _FILLER).join(pieces) if len(pieces) > 1 else pieces[0]


class Phrase:
    """One way a document names something; "{n}" anchors it to the number."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.anchored = "{n}" in text
        if self.anchored:
            before, after = text.split("{n}", 1)
            self.before = re.compile(_compile_part(before) + r"\s+" + _FILLER + r"$") if before.strip() else None
            self.after = re.compile(r"\s*" + _compile_part(after)) if after.strip() else None
            # How many runs of spaces a match of `before` can hold (its words', and each
            # "{*}" and the end's up to four filler words): where it can start, seen from the number.
            self.before_spaces = sum(c.isspace() for c in fold(before)) + 5 * (before.count("{*}") + 1) + 2
            self.free = None
        else:
            self.before = self.after = None
            self.free = patterns.compile(r"(?<![a-z0-9])" + _compile_part(text) + r"(?![a-z0-9])")
        self.weight = len(fold(text.replace("{n}", "").replace("{*}", "")).strip())


class Metric(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str = Field(min_length=1)
    unit: str
    kind: Literal["percent", "rate", "money", "count", "rank"]
    counts: list[str] = []
    stock: bool = False
    # Whose figure it is: "national" (the country's), "province" (one province's), or "any".
    # A number the document states for the other level is not read as this metric: it stays
    # for a reviewer.
    scope: Literal["any", "national", "province"] = "any"
    phrases: list[str] = Field(min_length=1)

    @field_validator("label", "unit", "phrases", "counts", mode="after")
    @classmethod
    def _nfc(cls, v):  # type: ignore[no-untyped-def]
        return [nfc(x) for x in v] if isinstance(v, list) else nfc(v)

    @field_validator("phrases")
    @classmethod
    def _one_anchor(cls, v: list[str]) -> list[str]:
        for p in v:
            if p.count("{n}") > 1:
                raise ValueError(msg("catalogue.phrase_two_numbers", "phrase {phrase} has more than one {{n}}", phrase=repr(p)))
            if not fold(p.replace("{n}", "").replace("{*}", "")).strip():
                raise ValueError(msg("catalogue.phrase_no_words", "phrase {phrase} has no words", phrase=repr(p)))
        return v

    def compiled(self) -> list[Phrase]:
        return [Phrase(p) for p in self.phrases]

    def covers(self, scope: str) -> bool:
        """Whether a figure read for `scope` ("national" or a province's name) can be this metric's."""
        return self.scope == "any" or (self.scope == "national") == (scope == "national")

    @cached_property
    def folded_unit(self) -> str:
        return fold(self.unit)

    @cached_property
    def folded_counts(self) -> tuple[str, ...]:
        return tuple(fold(c) for c in self.counts)

    def accepts(self, unit: str, unit_kind: str, change: bool) -> bool:
        """Whether a number written with this unit can be a value of the metric. (Asked for
        every metric a number's sentence names: the folded words are worked out once.)"""
        if change:
            return True
        if self.kind == "percent":
            return unit == "%"
        if self.kind == "rate":
            return unit in ("%/năm", "%")
        if self.kind == "money":
            return unit_kind == "currency" and _folded(unit) == self.folded_unit
        if unit_kind != "count":
            return False
        if self.counts and unit:
            u = _folded(unit)
            return any(u == c or u.startswith(c + " ") for c in self.folded_counts)
        return True


class Party(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    provinces: bool
    phrases: list[str] = Field(min_length=1)


class ChartSpec(BaseModel):
    """A chart a briefing draws: `series` plots the metrics' values over time, `targets`
    the current targets of shares (all percentage targets up to 100 %, or those of `metrics`)
    against the latest values, on a 0–100 % completion scale. A chart is drawn only when
    more than `coverage` of what it shows has data (targets with a latest value, series with
    two dates or more) and at least two items do; otherwise it is left out."""
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    kind: Literal["series", "targets"]
    caption: str = Field(min_length=1)
    unit: Literal["", "nghìn", "triệu", "tỷ"] | None = None
    metrics: list[str] = []
    coverage: float = Field(0.5, ge=0, lt=1)


class Wording(BaseModel):
    """One more way a document names an existing metric, recorded by a reviewer (the page's
    "gắn vào chỉ tiêu có sẵn"): added to that metric's phrases when the catalogue is read."""
    model_config = ConfigDict(extra="forbid")
    metric: str
    phrase: str = Field(min_length=1)

    @field_validator("phrase", mode="after")
    @classmethod
    def _nfc(cls, v: str) -> str:
        v = nfc(v)
        if v.count("{n}") > 1:
            raise ValueError(msg("catalogue.phrase_two_numbers", "phrase {phrase} has more than one {{n}}", phrase=repr(v)))
        if not fold(v.replace("{n}", "").replace("{*}", "")).strip():
            raise ValueError(msg("catalogue.phrase_no_words", "phrase {phrase} has no words", phrase=repr(v)))
        return v


class Catalogue(BaseModel):
    model_config = ConfigDict(extra="forbid")
    metrics: list[Metric]
    nouns: list[str] = []
    ignore: list[str] = []
    parties: list[Party] = []
    charts: list[ChartSpec] = []
    wording: list[Wording] = []

    @model_validator(mode="after")
    def _unique(self) -> "Catalogue":
        by_id = {m.id: m for m in self.metrics}
        for w in self.wording:
            if w.metric not in by_id:
                raise ValueError(msg("catalogue.wording_unknown_metric", "wording: metric {metric} is not in the catalogue",
                                      metric=repr(w.metric)))
            if w.phrase not in by_id[w.metric].phrases:
                by_id[w.metric].phrases.append(w.phrase)
        for kind, items in (("metric", self.metrics), ("party", self.parties)):
            seen: set[str] = set()
            for item in items:
                if item.id in seen:
                    raise ValueError(msg("models.duplicate_id", "duplicate {kind} id {id}", kind=kind, id=repr(item.id)))
                seen.add(item.id)
        ids = {m.id for m in self.metrics}
        kinds = {m.id: m.kind for m in self.metrics}
        for chart in self.charts:
            for metric in chart.metrics:
                if metric not in ids:
                    raise ValueError(msg("catalogue.chart_unknown_metric", "chart {chart}: metric {metric} is not in the catalogue",
                                          chart=repr(chart.id), metric=repr(metric)))
                if chart.kind == "targets" and kinds[metric] != "percent":
                    raise ValueError(msg("catalogue.chart_not_a_share", "chart {chart}: metric {metric} is a {kind}, not a "
                                         "share: a targets chart is a 0–100% completion scale", chart=repr(chart.id),
                                         metric=repr(metric), kind=kinds[metric]))
        return self

    @cached_property
    def by_id(self) -> dict[str, Metric]:
        return {m.id: m for m in self.metrics}

    @cached_property
    def folded_nouns(self) -> list[str]:
        return sorted({fold(n) for n in self.nouns}, key=len, reverse=True)

    @cached_property
    def ignore_patterns(self) -> list[re.Pattern[str]]:
        """Each ignore entry as a pattern of the folded text: its words around a number, the first
        of them not inside a longer word (compiled by reportgen.patterns, so the regex engine
        jumps to that word instead of trying the look-behind at every position)."""
        out = []
        for p in self.ignore:
            before, _, after = p.partition("{n}")
            rx = (re.escape(fold(before.strip())) + r"\s*" if before.strip() else "") + r"\d[\d.,]*(?:/\d[\d.,]*)?" \
                + (r"\s*" + re.escape(fold(after.strip())) if after.strip() else "")
            out.append(patterns.compile(r"(?<![a-z0-9])" + rx.replace(r"\ ", r"\s+")))
        return out

    @cached_property
    def phrase_table(self) -> list[tuple[Metric, Phrase]]:
        return [(m, p) for m in self.metrics for p in m.compiled()]

    @cached_property
    def _accepting(self) -> dict[tuple[str, str, bool], list[int]]:
        return {}

    def accepting(self, unit: str, unit_kind: str, change: bool) -> list[int]:
        """The indices in phrase_table of the metrics a number with this unit can be a value
        of (Metric.accepts), worked out once per unit: asked for every number of every document."""
        key = (unit, unit_kind, change)
        found = self._accepting.get(key)
        if found is None:
            found = self._accepting[key] = [i for i, (m, _) in enumerate(self.phrase_table)
                                            if m.accepts(unit, unit_kind, change)]
        return found

    @cached_property
    def party_patterns(self) -> list[tuple[Party, re.Pattern[str]]]:
        return [(party, patterns.compile(r"(?<![a-z])" + _compile_part(p) + r"(?![a-z])"))
                for party in self.parties for p in party.phrases]


def load_catalogue(path: Path) -> Catalogue:
    catalogue = validate(Catalogue, path, "metric catalogue")
    if not catalogue.metrics:
        raise InputError(msg('catalogue.metric_catalogue_lists_no', "{path}: the metric catalogue lists no metrics.", path=path))
    return catalogue

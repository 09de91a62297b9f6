"""`reportgen facts review`: what new documents brought that the catalogue and the
registry cannot place — unclassified figures, events of unknown bodies, events no document dates,
document numbers of unknown kinds — each with its sentence, its document and an entry to
paste into facts/catalogue.yaml or facts/registry.yaml."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .extract.mentions import find_mentions
from .factbase import FactBase
from .registry import Registry
from .readers import read
from .sources import NUMBER_LINE
from .i18n import Message, msg
from .textnorm import fold

_VERBS = {"dat", "la", "co", "o", "muc", "khoang", "tren", "hon", "gan", "uoc", "vuot", "len", "toi", "duoc",
          "da", "voi", "va", "cua", "trong", "tai", "nay"}
_STOP = {"cua", "va", "tren", "tai", "voi", "trong", "cho", "tu", "den", "nam", "theo", "thi", "nhung", "nen"}


@dataclass
class Item:
    what: str          # "figure", "body", "date", "kind"
    document: str
    sentence: str
    message: object    # an i18n.Message (str() in the reader's language)
    suggestion: str | Message    # YAML to paste (its placeholders in the user's language)
    quote: str = ""    # the figure's own words, for a figure


class _Sentences:
    """Where the sentence around a quote starts and ends in a text (after ". " or a line
    break, up to the next): from the full stops and line breaks found once, not searched
    for each figure (a sentence of thousands of figures was quadratic)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.stops = [m.start() for m in re.finditer(r"\. ", text)]
        self.breaks = [m.start() for m in re.finditer("\n", text)]

    def span(self, quote: str) -> tuple[int, int] | None:
        from bisect import bisect_left

        at = self.text.find(quote)
        if at < 0:
            return None
        k, j = bisect_left(self.stops, at - 1), bisect_left(self.breaks, at)   # ". " ending before at: stop <= at - 2
        start = max(self.stops[k - 1] + 2 if k else 0, self.breaks[j - 1] + 1 if j else 0)
        after = at + len(quote)
        k, j = bisect_left(self.stops, after), bisect_left(self.breaks, after)
        ends = [e for e in (self.stops[k] if k < len(self.stops) else -1,
                            self.breaks[j] if j < len(self.breaks) else -1) if e >= 0]
        return start, min(ends) + 1 if ends else len(self.text)

    def sentence(self, quote: str) -> str:
        span = self.span(quote)
        return self.text[span[0]: span[1]].strip() if span else quote


def _sentence(text: str, quote: str) -> str:
    return _Sentences(text).sentence(quote)


def _slug(words: list[str]) -> str:
    ascii_words = [unicodedata.normalize("NFKD", fold(w)).encode("ascii", "ignore").decode() for w in words]
    slug = "_".join(re.sub(r"[^a-z0-9]", "", w) for w in ascii_words if re.sub(r"[^a-z0-9]", "", w))
    return slug[:40].rstrip("_") or "new_metric"


def suggest_metric(sentence: str, quote: str, value: float, unit: str, catalogue: Catalogue,
                   scope: str = "any") -> str:
    """A catalogue entry for a figure: the words that name it before the number, and whose
    figure it is (the country's or a province's, as the sentence states it)."""
    at = sentence.find(quote)
    mentions = find_mentions(sentence, max(at, 0), len(sentence), catalogue.folded_nouns, [])
    m = mentions[0] if mentions else None
    before = sentence[: m.start if m else max(at, 0)]
    before = re.split(r"[,;:()]", before)[-1]
    words = before.split()
    while words and fold(words[-1]).strip(".") in _VERBS:
        words.pop()
    words = words[-7:]
    while words and fold(words[0]) in _VERBS:
        words.pop(0)
    percent = unit.startswith("%")
    if not percent and unit and m is not None:
        # A count names itself after the number: "7.200 trạm BTS 5G" → "{n} trạm BTS 5G".
        more = []
        for w in re.split(r"[,;:.()]", sentence[m.end:])[0].split()[:3]:
            if fold(w) in _STOP or re.fullmatch(r"[\d.,]+", w):
                break
            more.append(w)
        words = unit.split() + more
        phrase = "{n} " + " ".join(words)
    elif not words and m is not None:
        # "…, 100% thủ tục hành chính đủ điều kiện …": the words after the number name it.
        words = re.split(r"[,;:.()]", sentence[m.end:])[0].split()[:6]
        phrase = "{n} " + " ".join(words) if words else quote
    else:
        phrase = " ".join(words) if words else quote
    label_text = phrase.replace("{n} ", "")
    label = label_text[:1].upper() + label_text[1:]
    kind = "percent" if percent else ("money" if fold(unit) in {"dong", "usd", "ty dong", "trieu dong"} else "count")
    lines = [f"  - id: {_slug(words[:6])}",
             f"    label: {label}",
             f"    unit: \"{unit}\"" if percent else f"    unit: {unit or 'lượt'}",
             f"    kind: {kind}",
             *([f"    scope: {'national' if scope == 'national' else 'province'}"] if scope != "any" else []),
             f"    phrases: [\"{phrase}\"]"]
    return "\n".join(lines)


def review(fb: FactBase, catalogue: Catalogue, registry: Registry, seeds: Path,
           cache: Path | None = None, texts: dict[str, str] | None = None) -> list[Item]:
    """What a person should look at. `texts`: the documents' texts by id, as verify has just
    read them (each read once per build); the others are read here."""
    texts = dict(texts or {})
    sentences: dict[str, _Sentences] = {}

    def text_of(doc_id: str) -> str:
        if doc_id not in texts:
            try:
                texts[doc_id] = read(seeds / doc_id, cache=cache).text
            except Exception:  # noqa: BLE001 - verify reports unreadable sources; here the quote serves
                texts[doc_id] = ""
        return texts[doc_id]

    items: list[Item] = []
    seen: set[tuple[str, object]] = set()
    for f in list(fb.figures) + list(fb.targets):
        if f.metric != "unclassified":
            continue
        if f.source not in sentences:
            sentences[f.source] = _Sentences(text_of(f.source))
        span = sentences[f.source].span(f.quote)
        # one item a sentence: told by where it stands (its words hashed for each figure were quadratic)
        key = (f.source, span if span is not None else f.quote)
        if key in seen:
            continue
        sentence = sentences[f.source].sentence(f.quote)
        if (f.source, sentence) in seen:
            continue
        seen.update({key, (f.source, sentence)})
        items.append(Item("figure", f.source, sentence,
                          msg("review.figure_no_metric", "figure {quote} has no metric in the catalogue", quote=repr(f.quote)),
                          suggest_metric(sentence, f.quote, f.value, f.unit, catalogue, f.scope), quote=f.quote))
    for d in fb.documents:
        if d.event_kind and d.body is None:
            items.append(Item("body", d.id, d.title or "",
                              msg("review.unknown_body", "reports an event of a body the registry does not know"),
                              msg("review.suggest_body", "  - id: new_body\n    name: <the body's full name>\n"
                                  "    phrases: [\"<how this document names it>\"]")))
        text = text_of(d.id)
        m = NUMBER_LINE.search(fold(text[:1500]))          # "Số: 12/XYZ-ABC" as sources reads it
        known = {fold(sym) for k in registry.document_kinds for sym in k.symbols}
        number = text[:1500][m.start(1): m.end(1)] if m else ""
        symbol = number.split("/")[-1]
        if m and fold(symbol) not in known and d.kind == "press":
            items.append(Item("kind", d.id, text[:1500][m.start(): m.end()].strip(),
                              msg("review.unknown_kind", "its number has the symbol {symbol}, of no document kind in the "
                                  "registry", symbol=repr(symbol)),
                              msg("review.suggest_symbol", "    symbols: [\"{symbol}\"]   # add to the kind it is "
                                  "(document_kinds:)", symbol=symbol)))
    documents = {d.id: d for d in fb.documents}
    for e in fb.events:
        said = any(documents[s].event_date == e.date for s in e.sources if s in documents)
        if not e.date or not said:
            items.append(Item("date", e.sources[0], "",
                              msg("review.undated", "event {id} could not be dated", id=e.id) if not e.date else
                              msg("review.day_not_stated", "event {id}: no document states the day it was held ({day} "
                                  "is when its reports were published)", id=e.id, day=e.date),
                              msg("review.suggest_date", "  {source}:\n    event_date: 'YYYY-MM-DD'\n"
                                  "    reviewed_by: <your name and office>\n"
                                  "    reason: <the sentence that dates it>   # facts/corrections.yaml, documents:",
                                  source=e.sources[0])))
    return items


def counts(items: list[Item]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i in items:
        out[i.what] = out.get(i.what, 0) + 1
    return out

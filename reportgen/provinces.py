"""Provinces: the 34 current units (vietnam-provinces) and the 63 former ones mapped to
their successors (Nghị quyết 202/2025/QH15), the unit of a given day (unit_of_day), and
finding their names in text. The units, their kinds, names and acts are reviewed data in
data/units.yaml."""

from __future__ import annotations

from . import patterns
from .i18n import msg

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

import yaml

from .textnorm import fold, modern_tones

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml: the same data, 7 times sooner

_PREFIX = patterns.compile(r"^(thanh pho|tinh|tp\.?)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Province:
    code: str            # vietnam-provinces codename, e.g. "quang_ngai"
    name: str            # short name, e.g. "Quảng Ngãi", "Hồ Chí Minh"
    full_name: str       # "Tỉnh Quảng Ngãi", "Thành phố Hồ Chí Minh"
    former: tuple[str, ...]  # names of the former units merged into it


@dataclass(frozen=True)
class FormerProvince:
    name: str
    type: str
    successor: str  # codename


def short_name(name: str) -> str:
    return re.sub(r"^(Thành phố|Tỉnh)\s+", "", name).strip()


@lru_cache(maxsize=1)
def _units_data() -> dict:  # type: ignore[type-arg]
    path = resources.files("reportgen").joinpath("data/units.yaml")
    data = yaml.load(path.read_text("utf-8"), Loader=_Loader)
    check_units(data, "reportgen/data/units.yaml")
    return data


def check_units(data: object, where: str) -> None:
    """The units file as units_of_day reads it, or BuildError naming the entry at fault
    (the file is reviewed data an office may edit)."""
    from .errors import BuildError

    def bad(what: str) -> BuildError:
        return BuildError(f"{where}: {what}; nothing was built. Fix the file (see its header).")

    def day(text: object, what: str) -> date:
        try:
            return date.fromisoformat(str(text))
        except ValueError:
            raise bad(f"{what}: {text!r} is not a date YYYY-MM-DD") from None

    if not isinstance(data, dict) or not all(isinstance(data.get(k), list)
                                             for k in ("acts", "until_merger", "from_merger")):
        raise bad("it must hold the lists acts, until_merger and from_merger")
    acts = set()
    for i, a in enumerate(data["acts"], 1):
        if not isinstance(a, dict) or not all(a.get(k) for k in ("number", "day", "issuer", "effective")):
            raise bad(f"acts, entry {i}: number, day, issuer and effective are required")
        day(a["day"], f"act {a['number']}"), day(a["effective"], f"act {a['number']}")
        acts.add(a["number"])
    if data.get("merger") not in acts:
        raise bad(f"merger {data.get('merger')!r} is not one of the acts")
    after = set()
    for i, row in enumerate(data["from_merger"], 1):
        if not isinstance(row, dict) or not all(row.get(k) for k in ("code", "name", "kind")):
            raise bad(f"from_merger, entry {i}: code, name and kind are required")
        after.add(row["code"])
    for i, row in enumerate(data["until_merger"], 1):
        if not isinstance(row, dict) or not all(row.get(k) for k in ("code", "name", "kind", "successor", "local")):
            raise bad(f"until_merger, entry {i}: code, name, kind, successor and local are required")
        if row["successor"] not in after:
            raise bad(f"until_merger, {row['name']}: successor {row['successor']!r} is not a code of from_merger")
        for part in [row, *row.get("changes", [])]:
            if "from" in part:
                day(part["from"], f"until_merger, {row['name']}, change")
            if part.get("kind", "tỉnh") not in ("tỉnh", "thành phố"):
                raise bad(f"until_merger, {row['name']}: kind {part['kind']!r} is neither tỉnh nor thành phố")
            if part.get("made_by") and part["made_by"] not in acts:
                raise bad(f"until_merger, {row['name']}: made_by {part['made_by']!r} is not one of the acts")
    for row in data["from_merger"]:
        if row["kind"] not in ("tỉnh", "thành phố"):
            raise bad(f"from_merger, {row['name']}: kind {row['kind']!r} is neither tỉnh nor thành phố")
        if row.get("made_by") and row["made_by"] not in acts:
            raise bad(f"from_merger, {row['name']}: made_by {row['made_by']!r} is not one of the acts")
        if row.get("special_zones", False) not in (True, False):
            raise bad(f"from_merger, {row['name']}: special_zones {row['special_zones']!r} is neither true nor false")
        if not any(row["name"] in _lineage_names(r) for r in data["until_merger"] if r["successor"] == row["code"]):
            raise bad(f"from_merger, {row['name']}: no unit of until_merger with its name has it as successor")


@lru_cache(maxsize=1)
def former_provinces() -> tuple[FormerProvince, ...]:
    """The 63 units in force until 30/6/2025, by the names documents of the time use."""
    return tuple(FormerProvince(name=row["name"], type=row["kind"], successor=row["successor"])
                 for row in _units_data()["until_merger"])


@dataclass(frozen=True)
class Alias:
    alias: str
    name: str            # a current or former province's name
    text: bool = True    # also looked for in documents


@lru_cache(maxsize=1)
def aliases() -> tuple[Alias, ...]:
    text = resources.files("reportgen").joinpath("data/province_aliases.yaml").read_text("utf-8")
    return tuple(Alias(**row) for row in yaml.load(text, Loader=_Loader)["aliases"])


@lru_cache(maxsize=1)
def current_provinces() -> tuple[Province, ...]:
    former = former_provinces()
    return tuple(Province(code=row["code"], name=row["name"], full_name=f"{row['kind'].capitalize()} {row['name']}",
                          former=tuple(f.name for f in former if f.successor == row["code"]))
                 for row in _units_data()["from_merger"])


def key(name: str) -> str:
    """Comparison key for a province name typed by a person."""
    folded = fold(modern_tones(name))
    folded = re.sub(r"[\s\-–]+", " ", folded).strip()
    folded = _PREFIX.sub("", folded)
    return folded


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern[str]:
    alts = "|".join(sorted((re.escape(n).replace(r"\ ", r"[\s-]+") for n in _canonical()), key=len, reverse=True))
    return patterns.compile(rf"(?<![a-z0-9])({alts})(?![a-z0-9])")


@lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    """Folded name as documents write it → the name of the unit as of their time."""
    table = {fold(f.name): f.name for f in former_provinces()}
    table.update({fold(p.name): p.name for p in current_provinces() if fold(p.name) not in table})
    table["hue"] = "Thừa Thiên Huế"
    for a in aliases():
        if a.text:
            table.setdefault(fold(a.alias), a.name)
    return table


@lru_cache(maxsize=1)
def _squeezed_names() -> dict[str, str]:
    """Each name of _canonical as an address writes it (letters and digits only) → the unit."""
    return {re.sub(r"[^a-z0-9]", "", folded_name): name for folded_name, name in _canonical().items()
            if len(folded_name) > 3}


def known_name(name: str) -> str | None:
    """The canonical name of a current or former province, an alias or a spelling of one."""
    k = key(name)
    for n in list(_canonical().values()):
        if key(n) == k:
            return n
    for a in aliases():
        if key(a.alias) == k:
            return a.name
    return None


def province_of_outlet(outlet: str, extra: dict[str, str] | None = None) -> str | None:
    """The province an outlet speaks for: a portal or newspaper whose name or address holds
    a province's name ("quangngai.gov.vn", "Báo Ninh Bình", "nghean24h.vn",
    "truyenhinhthanhhoa.vn", "sct.dongnai.gov.vn"), or one listed in `extra` (folded outlet
    name → province). Of an address only the host counts: a national paper's page whose
    path names a province ("thanhnien.vn/…-quang-ngai-…") speaks for no province."""
    f = fold(outlet)
    for name, province in (extra or {}).items():
        if name in f:
            return province
    host = re.match(r"\s*(?:[a-z][a-z0-9+.-]*://)?(?:www\.)?([a-z0-9.-]+\.[a-z]{2,})(?=[/:?#\s]|$)", f)
    names = _squeezed_names()
    if host:
        # a label that is the province's name, bare or as a paper, a station or a site names it
        # ("dongnai", "baonghean", "truyenhinhthanhhoa", "nghean24h", "tuyenquangtv"); a longer
        # name that holds it ("hoabinhrachgiaresort") does not
        found = []
        for label in host.group(1).split(".")[:-1]:
            core = re.sub(r"^(?:bao|truyenhinh|ptth|dai|congthongtin|tintuc)", "", label)
            found += [name for squeezed, name in names.items()
                      if core.startswith(squeezed) and len(core) - len(squeezed) <= 4]
    else:
        squeezed = re.sub(r"[^a-z0-9]", "", f)
        local = ("gov.vn" in f or re.search(r"(?<![a-z])bao\s*\S", f) is not None or "cong thong tin" in f
                 or squeezed.startswith("bao") or re.search(r"(?<![a-z])(dai|truyen hinh|phat thanh)(?![a-z])", f))
        if not local:
            return None
        found = [name for folded_name, name in names.items() if folded_name in squeezed]
    found = sorted(set(found), key=len, reverse=True)
    return found[0] if found else None


# A document's dateline: "Thanh Hoá, ngày 27 tháng 6 năm 2025" (on the folded text).
_DATELINE = patterns.compile(r"(?<![a-z])([a-z][a-z .-]{1,30}?)\s*,\s*ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}")


def province_of_dateline(text: str) -> tuple[str, str] | None:
    """The province a document is dated from, with the words that say it: a provincial
    People's Committee's plan is dated "Bắc Ninh, ngày 29 tháng 12 năm 2025" (a national one
    "Hà Nội, ngày …": only a document known to be a People's Committee's is asked)."""
    folded = fold(text)
    for m in _DATELINE.finditer(folded):
        place = re.sub(r"^(?:.*\s)?(?:tp\.?|thanh pho|tinh)\s+", "", m.group(1)).strip()
        name = known_name(text[m.end(1) - len(place): m.end(1)])
        if name:
            return name, text[m.end(1) - len(place): m.end()]
    return None


# Capitalised words that may stand right before a province's name without being part of a
# person's name: administrative prefixes and the prepositions that open a sentence.
_BEFORE_NAME = {"tinh", "pho", "tp", "tp.", "cau", "tai", "o", "voi", "theo", "rieng", "con", "cung", "tu", "den",
                "trong", "ca", "toan"}


def find_names(text: str) -> list[tuple[int, int, str]]:
    """Province names in a text: (start, end, canonical name as of the documents' time).

    Matching runs on the folded text, so NFD or unaccented copies are found too. A name
    preceded by a capitalised word that is not an administrative prefix is part of a
    longer proper name and ignored (e.g. "Nguyễn Hoàng Giang" is a person).
    """
    folded = fold(text)
    out = []
    for m in _name_pattern().finditer(folded):
        # the word before the name: looked for in the 80 characters before it only (the whole
        # text before each name was quadratic in a text of thousands of names)
        before = text[max(0, m.start() - 80): m.start()].rstrip()
        prev = before.split()[-1] if before.split() else ""
        if prev and prev[:1].isupper() and fold(prev) not in _BEFORE_NAME \
                and prev[-1] not in ",;:.()":
            continue
        table = _canonical()     # as written ("br-vt"), else "Hà-Giang", "Hà  Giang" as Hà Giang
        name = table.get(m.group(1)) or table.get(re.sub(r"[\s-]+", " ", m.group(1)))
        if name is not None:
            out.append((m.start(), m.end(), name))
    return out


@dataclass(frozen=True)
class Act:
    """An act that made a unit what it is, as documents cite it."""
    number: str          # "202/2025/QH15"
    day: date            # the day it was adopted
    issuer: str          # "Quốc hội", "Ủy ban Thường vụ Quốc hội"
    effective: date      # the day it took effect
    kind: str = "Nghị quyết"
    about: str = ""      # "sắp xếp đơn vị hành chính cấp tỉnh"

    def citation(self) -> str:
        """"Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội" (Decree 30's short date)."""
        from .briefing.nd30 import short_date

        return f"{self.kind} số {self.number} ngày {short_date(self.day)} của {self.issuer}"


@dataclass(frozen=True)
class UnitOfDay:
    """A provincial-level unit as it was on a given day: its name, kind and the words
    documents of that day use for it, its district level, and the acts that made it."""
    code: str            # stable code for output file names: "kon_tum", "quang_ngai", "thua_thien_hue", "hue"
    name: str            # "Kon Tum", "Huế", "Thừa Thiên Huế", "Hồ Chí Minh"
    kind: str            # "tỉnh" | "thành phố" (thành phố trực thuộc trung ương)
    label: str           # as running text writes it: "tỉnh Kon Tum", "thành phố Huế", "Thành phố Hồ Chí Minh"
    full_name: str       # at the start of a line: "Tỉnh Kon Tum", "Thành phố Huế"
    issuer_upper: str    # the second issuer line: "TỈNH KON TUM", "THÀNH PHỐ HUẾ"
    place: str           # the place of "…, ngày … tháng … năm …": "Kon Tum", "Thành phố Hồ Chí Minh"
    party_committee: str  # "Tỉnh ủy" | "Thành ủy"
    level: str           # the unit's level word: "tỉnh" | "thành phố" ("Các sở, ban, ngành tỉnh")
    districts: bool      # a district level exists on that day (until 30/6/2025)
    local_recipients: str  # "UBND các huyện, thành phố", "UBND các quận, huyện, thị xã", "UBND các xã, phường, đặc khu"
    former: tuple[tuple[str, str], ...]  # ((kind, name), …) of the units merged into it; only from 01/7/2025
    merger_act: Act | None   # the merger that made it (202/2025/QH15); only from its effective day, only if merged
    made_by: Act | None      # the act that made it what it is on that day (Huế: 175/2024/QH15), else None
    names_in_documents: tuple[str, ...]  # every name documents may use for it or its former units
    when: date = field(default=date.min, compare=False)  # the day asked for


@lru_cache(maxsize=1)
def _acts() -> dict[str, Act]:
    return {a["number"]: Act(number=a["number"], day=date.fromisoformat(a["day"]), issuer=a["issuer"],
                             effective=date.fromisoformat(a["effective"]), kind=a.get("kind", "Nghị quyết"),
                             about=a.get("about", ""))
            for a in _units_data()["acts"]}


def merger() -> Act:
    """Nghị quyết số 202/2025/QH15: the 34 units from its effective day (01/7/2025)."""
    return _acts()[_units_data()["merger"]]


def _row_on(row: dict, when: date) -> dict:  # type: ignore[type-arg]
    """A row of until_merger with the changes in force on `when` applied."""
    out = {k: v for k, v in row.items() if k != "changes"}
    for change in sorted(row.get("changes", []), key=lambda c: c["from"]):
        if date.fromisoformat(change["from"]) <= when:
            out.update({k: v for k, v in change.items() if k != "from"})
    return out


def _lineage_names(row: dict) -> tuple[str, ...]:  # type: ignore[type-arg]
    """Every name a row of until_merger ever had, the name documents match first."""
    return tuple(dict.fromkeys([row["name"], *(c["name"] for c in row.get("changes", []) if "name" in c)]))


def _unit(code: str, name: str, kind: str, when: date, districts: bool, local: str,
          former: tuple[tuple[str, str], ...], merger_act: Act | None, made_by: Act | None,
          names: tuple[str, ...]) -> UnitOfDay:
    city = kind == "thành phố"
    hcm = city and name == "Hồ Chí Minh"
    label = "Thành phố Hồ Chí Minh" if hcm else f"{kind} {name}"
    return UnitOfDay(code=code, name=name, kind=kind, label=label, full_name=label[:1].upper() + label[1:],
                     issuer_upper=label.upper(), place="Thành phố Hồ Chí Minh" if hcm else name,
                     party_committee="Thành ủy" if city else "Tỉnh ủy", level=kind, districts=districts,
                     local_recipients=f"UBND {local}", former=former, merger_act=merger_act, made_by=made_by,
                     names_in_documents=names, when=when)


def units_of_day(when: date) -> list[UnitOfDay]:
    """The provincial-level units in force on `when`: the 63 until 30/6/2025, the 34 from
    01/7/2025 (Nghị quyết số 202/2025/QH15), in the official order."""
    data, act = _units_data(), merger()
    acts = _acts()
    if when < act.effective:
        out = []
        for row in data["until_merger"]:
            r = _row_on(row, when)
            out.append(_unit(r["code"], r["name"], r["kind"], when, True, r["local"], (), None,
                             acts.get(r.get("made_by", "")), tuple(dict.fromkeys([r["name"], *_lineage_names(row)]))))
        return out
    out = []
    for row in data["from_merger"]:
        before = [r for r in data["until_merger"] if r["successor"] == row["code"]]
        own = [r for r in before if row["name"] in _lineage_names(r)]
        others = [r for r in before if r not in own]
        former = tuple((r["kind"], r["name"]) for r in others)
        names = tuple(dict.fromkeys([row["name"], *(n for r in own + others for n in _lineage_names(r))]))
        local = "các xã, phường, đặc khu" if row.get("special_zones") else "các xã, phường"
        made_by = act if former else acts.get(row.get("made_by", ""))
        out.append(_unit(row["code"], row["name"], row["kind"], when, False, local, former,
                         act if former else None, made_by, names))
    return out


@dataclass(frozen=True)
class Resolution:
    province: Province         # the unit of the day as a Province (code, name, full name, former names)
    typed: str                 # what the user typed
    former: str | None = None  # set when the user typed an earlier unit's name (Kon Tum from 01/7/2025)
    unit: UnitOfDay | None = None  # the unit of the briefing's day (resolve and resolution_of set it)

    @property
    def names_in_documents(self) -> tuple[str, ...]:
        """Every name under which the documents may speak of this province."""
        if self.unit is not None:
            return self.unit.names_in_documents
        return tuple(dict.fromkeys((self.province.name, *self.province.former)))

    @property
    def former_note(self) -> str | None:
        """For the user, when the name typed is an earlier unit's: "tỉnh Kon Tum cũ, nay thuộc
        tỉnh Quảng Ngãi theo Nghị quyết số 202/2025/QH15" (Vietnamese, lower case first)."""
        if self.former is None:
            return None
        row = next((r for r in _units_data()["until_merger"] if r["name"] == self.former), None)
        kind = row["kind"] if row else "tỉnh"
        unit = self.unit
        label = unit.label if unit else self.province.full_name[:1].lower() + self.province.full_name[1:]
        if unit is not None and not unit.former and unit.made_by is not None:      # renamed, not merged
            return f"{kind} {self.former} cũ, nay là {label} theo {unit.made_by.kind} số {unit.made_by.number}"
        act = unit.merger_act if unit is not None and unit.merger_act else merger()
        return f"{kind} {self.former} cũ, nay thuộc {label} theo {act.kind} số {act.number}"


def _province_of(unit: UnitOfDay) -> Province:
    """The unit as the Province callers of Resolution.province read: `former` holds every
    former unit's name (its own first) only when it was made by merging several."""
    former = tuple(dict.fromkeys([unit.name, *(n for _, n in unit.former)])) if unit.former else ()
    return Province(code=unit.code, name=unit.name, full_name=unit.full_name, former=former)


def resolution_of(unit: UnitOfDay) -> Resolution:
    """The Resolution of a unit of the day itself (build --all)."""
    return Resolution(province=_province_of(unit), typed=unit.name, unit=unit)


def unit_of_day(typed: str, when: date) -> UnitOfDay:
    """The unit of `when` that a typed name stands for (see resolve)."""
    unit = resolve(typed, when).unit
    assert unit is not None
    return unit


def resolve(typed: str, when: date | None = None) -> Resolution:
    """A province name typed by a person → the provincial unit of `when` [default: today].

    Before 01/7/2025 a name is the unit of that day (Kon Tum is Kon Tum; Huế before
    01/01/2025 is tỉnh Thừa Thiên Huế); from 01/7/2025 a former name is its successor (Kon
    Tum is Quảng Ngãi, with `former` set). Case, diacritics, NFD, old tone placement (Khánh
    Hoà), spaces and the prefixes tỉnh, thành phố, TP. do not matter. An unknown or
    ambiguous name is refused with up to three suggestions.
    """
    when = when or date.today()
    found = _find(typed)
    data = _units_data()
    units = {u.code: u for u in units_of_day(when)}
    name = found.name                            # one of the 34 or of the 63
    row = next(r for r in data["until_merger"] if name in _lineage_names(r))
    if when >= merger().effective:
        unit = units[row["successor"]]
    else:
        unit = units[_row_on(row, when)["code"]]
    # an earlier name of the unit typed: say so (Kon Tum → Quảng Ngãi; Thừa Thiên Huế → Huế)
    earlier = name != unit.name and key(name) != key(unit.name) and (
        when >= merger().effective or key(name) in {key(n) for n in _names_before(row, when)})
    return Resolution(province=_province_of(unit), typed=typed, former=name if earlier else None, unit=unit)


def _names_before(row: dict, when: date) -> list[str]:  # type: ignore[type-arg]
    """The names a row of until_merger had before `when`."""
    names = [row["name"]]
    for change in row.get("changes", []):
        if date.fromisoformat(change["from"]) <= when and "name" in change:
            names.append(change["name"])
    return names[:-1] if len(names) > 1 else []


def _find(typed: str) -> Province | FormerProvince:
    """The current province or the former unit a typed name stands for, else InputError."""
    import difflib

    from .errors import InputError

    if len(typed) > 100:
        raise InputError(msg('provinces.province_name_characters_long', "the province name is {len} characters long; no province name is.", len=len(typed)))
    if any(ord(c) < 32 or ord(c) == 127 for c in typed) or "/" in typed or "\\" in typed:
        raise InputError(msg('provinces.province_name_holds_characters', "the province name {typed} holds characters no province name has.", typed=f"{typed!r}"))
    k = key(typed)
    if not k:
        raise InputError(msg('provinces.province_name_empty', "the province name is empty."))
    squeeze = lambda s: re.sub(r"[ .]", "", s)  # noqa: E731 - "BR-VT" is "BRVT", "TP. HCM" is "TPHCM"
    alias = next((a for a in aliases() if squeeze(key(a.alias)) == squeeze(k)), None)
    if alias is not None:
        k = key(alias.name)
    current = {key(p.name): p for p in current_provinces()}
    current.update({key(p.full_name): p for p in current_provinces()})
    if k in current:
        return current[k]
    for f in former_provinces():
        if key(f.name) == k or (f.name == "Thừa Thiên Huế" and k == "hue"):
            return f
    names = list(dict.fromkeys([p.name for p in current_provinces()] + [f.name for f in former_provinces()]))
    keys = {key(n): n for n in names}
    starts = [keys[c] for c in keys if c.startswith(k)] + [keys[c] for c in keys if f" {k}" in f" {c}" and not c.startswith(k)]
    close = starts[:3] if starts else [keys[c] for c in difflib.get_close_matches(k, list(keys), n=3, cutoff=0.6)]
    shown = typed if len(typed) <= 60 else typed[:60] + "…"
    hint = (msg("provinces.did_you_mean", " Did you mean: {names}?", names=", ".join(close)) if close else
            msg("provinces.run_list", " Run `reportgen provinces` for the list."))
    if len(starts) > 1:
        raise InputError(msg("provinces.ambiguous", "ambiguous province {shown}.{hint}", shown=f"{shown!r}", hint=hint,
                             close=close))
    raise InputError(msg("provinces.unknown", "unknown province {shown}.{hint}", shown=f"{shown!r}", hint=hint,
                         close=close))


def sentence_case(text: str) -> str:
    """An issuer written in capitals as running text writes it: "THỦ TƯỚNG CHÍNH PHỦ" →
    "Thủ tướng Chính phủ", "ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI" → "Ủy ban nhân dân tỉnh Quảng Ngãi"."""
    words = text.lower().split(" ")
    # "SỞ KHOA HỌC VÀ CÔNG NGHỆ" → "Sở Khoa học và Công nghệ": an agency's head noun is
    # followed by its field, each field's first syllable capitalised.
    agency = words[0] in {"sở", "bộ", "cục", "vụ", "ban"}
    for i, w in enumerate(list(words)):
        if i == 0 or (agency and i == 1) or (agency and i > 1 and words[i - 1] == "và"):
            words[i] = w[:1].upper() + w[1:]
    out = " ".join(words)
    out = re.sub(r"chính phủ", "Chính phủ", out)
    out = re.sub(r"(?<!\w)trung ương", "Trung ương", out)    # "Ban Chỉ đạo Trung ương"
    for start, end, _ in find_names(text):
        out = out[:start] + text[start:end].title() + out[end:]
    return out

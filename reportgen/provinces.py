"""Provinces: the 34 current units (vietnam-provinces) and the 63 former ones mapped to
their successors (Nghị quyết 202/2025/QH15), and finding their names in text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from .textnorm import fold, modern_tones

_PREFIX = re.compile(r"^(thanh pho|tinh|tp\.?)\s+", re.IGNORECASE)


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
def former_provinces() -> tuple[FormerProvince, ...]:
    text = resources.files("reportgen").joinpath("data/former_provinces.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return tuple(FormerProvince(**row) for row in data["former"])


@dataclass(frozen=True)
class Alias:
    alias: str
    name: str            # a current or former province's name
    text: bool = True    # also looked for in documents


@lru_cache(maxsize=1)
def aliases() -> tuple[Alias, ...]:
    text = resources.files("reportgen").joinpath("data/province_aliases.yaml").read_text("utf-8")
    return tuple(Alias(**row) for row in yaml.safe_load(text)["aliases"])


@lru_cache(maxsize=1)
def current_provinces() -> tuple[Province, ...]:
    from vietnam_provinces import Province as VNProvince, VietNamDivisionType

    former = former_provinces()
    out = []
    for p in VNProvince.iter_all():
        name = short_name(p.name)
        kind = "Thành phố" if p.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG else "Tỉnh"
        out.append(Province(code=p.codename, name=name, full_name=f"{kind} {name}",
                            former=tuple(f.name for f in former if f.successor == p.codename)))
    return tuple(out)


def key(name: str) -> str:
    """Comparison key for a province name typed by a person."""
    folded = fold(modern_tones(name))
    folded = re.sub(r"[\s\-–]+", " ", folded).strip()
    folded = _PREFIX.sub("", folded)
    return folded


@lru_cache(maxsize=1)
def _name_pattern() -> re.Pattern[str]:
    alts = "|".join(sorted((re.escape(n).replace(r"\ ", r"[\s-]+") for n in _canonical()), key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])({alts})(?![a-z0-9])")


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
    names = {re.sub(r"[^a-z0-9]", "", folded_name): name for folded_name, name in _canonical().items()
             if len(folded_name) > 3}
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
_DATELINE = re.compile(r"(?<![a-z])([a-z][a-z .-]{1,30}?)\s*,\s*ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}")


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
class Resolution:
    province: Province         # the current province whose briefing this is
    typed: str                 # what the user typed
    former: str | None = None  # set when the user typed a former province's name

    @property
    def names_in_documents(self) -> tuple[str, ...]:
        """Every name under which the documents may speak of this province."""
        return tuple(dict.fromkeys((self.province.name, *self.province.former)))


def resolve(typed: str) -> Resolution:
    """A province name typed by a person → the current province (former names map to successors).

    Case, diacritics, NFD, old tone placement (Khánh Hoà), spaces and the prefixes tỉnh,
    thành phố, TP. do not matter. An unknown or ambiguous name is refused with up to three
    suggestions.
    """
    import difflib

    from .errors import InputError

    if len(typed) > 100:
        raise InputError(f"the province name is {len(typed)} characters long; no province name is.")
    if any(ord(c) < 32 or ord(c) == 127 for c in typed) or "/" in typed or "\\" in typed:
        raise InputError(f"the province name {typed!r} holds characters no province name has.")
    k = key(typed)
    if not k:
        raise InputError("the province name is empty.")
    squeeze = lambda s: re.sub(r"[ .]", "", s)  # noqa: E731 - "BR-VT" is "BRVT", "TP. HCM" is "TPHCM"
    alias = next((a for a in aliases() if squeeze(key(a.alias)) == squeeze(k)), None)
    if alias is not None:
        k = key(alias.name)
    by_code = {p.code: p for p in current_provinces()}
    current = {key(p.name): p for p in current_provinces()}
    current.update({key(p.full_name): p for p in current_provinces()})
    if k in current:
        return Resolution(province=current[k], typed=typed)
    for f in former_provinces():
        if key(f.name) == k or (f.name == "Thừa Thiên Huế" and k == "hue"):
            return Resolution(province=by_code[f.successor], typed=typed, former=f.name)
    names = list(dict.fromkeys([p.name for p in current_provinces()] + [f.name for f in former_provinces()]))
    keys = {key(n): n for n in names}
    starts = [keys[c] for c in keys if c.startswith(k)] + [keys[c] for c in keys if f" {k}" in f" {c}" and not c.startswith(k)]
    close = starts[:3] if starts else [keys[c] for c in difflib.get_close_matches(k, list(keys), n=3, cutoff=0.6)]
    shown = typed if len(typed) <= 60 else typed[:60] + "…"
    what = "ambiguous" if len(starts) > 1 else "unknown"
    hint = f" Did you mean: {', '.join(close)}?" if close else " Run `reportgen provinces` for the list."
    raise InputError(f"{what} province {shown!r}.{hint}")


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
    for start, end, _ in find_names(text):
        out = out[:start] + text[start:end].title() + out[end:]
    return out

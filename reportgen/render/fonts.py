"""The body font: Times New Roman's metric twin Liberation Serif, found on disk, measured,
and checked for every character a briefing uses — a missing glyph is an error, never a
silent fallback."""

from __future__ import annotations

from ..i18n import msg

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import BuildError, InputError

FAMILY = "Liberation Serif"
STYLES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}
_DIRS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"),
         Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts"]
INSTALL_HINT = "install the Debian package fonts-liberation2 (apt-get install fonts-liberation2)"


# Faces for characters Liberation Serif lacks (other scripts, symbols, emoji), in order.
# Used only when a briefing needs them, embedded like the body font, and reported.
FALLBACKS = [
    ("DejaVu Sans", [Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")], "fonts-dejavu-core"),
    ("Symbola", [Path("/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf"),
                 Path("/usr/share/fonts/truetype/ancient-scripts/Symbola.ttf")], "fonts-symbola"),
]


@dataclass(frozen=True)
class FontSet:
    files: dict[str, Path]

    @property
    def folder(self) -> Path:
        return self.files["regular"].parent


@lru_cache(maxsize=1)
def body_font() -> FontSet:
    files: dict[str, Path] = {}
    for style, suffix in STYLES.items():
        name = f"LiberationSerif-{suffix}.ttf"
        found = next((d / name for d in _DIRS if (d / name).is_file()), None)
        if found is None and shutil.which("fc-match"):
            out = subprocess.run(["fc-match", "-f", "%{file}", f"{FAMILY}:style={suffix}"],
                                 capture_output=True, text=True, check=False).stdout.strip()
            if out.endswith(name) and Path(out).is_file():
                found = Path(out)
        if found is None:
            raise BuildError(msg('fonts.body_font_not_installed', "the body font {FAMILY} ({suffix}) is not installed: {INSTALL_HINT}.", FAMILY=FAMILY, suffix=suffix, INSTALL_HINT=INSTALL_HINT))
        files[style] = found
    return FontSet(files)


@lru_cache(maxsize=8)
def _metrics(style: str) -> tuple[dict[int, int], int]:
    """(advance width by code point, units per em) of a face of the body font."""
    return face_metrics(body_font().files[style])


@lru_cache(maxsize=16)
def face_digest(path: Path) -> str:
    """The sha256 of a font file, read once per process: what the kept widths and the kept
    charts (render/kept.py) are keyed by."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def face_metrics(path: Path) -> tuple[dict[int, int], int]:
    """(advance width by code point, units per em) of a font file, read with fontTools — or
    kept from an earlier run in `.cache/fonts/` under the file's hash, signed like the other
    caches (reportgen.sealed): reading a face's character map and widths costs fontTools'
    import and about 8 ms a face (their glyph names), a kept entry under 1 ms."""
    import json

    from .. import paths, sealed

    name = f"metrics-1-{face_digest(path)}"
    where = paths.project_root() / ".cache" / "fonts"
    body = sealed.read_entry("font", where, name)
    if body is not None:
        try:
            kept = json.loads(body)
            return {int(c): int(a) for c, a in kept["advances"]}, int(kept["upm"])
        except (ValueError, KeyError, TypeError):
            pass
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(path.read_bytes()), lazy=True)
    hmtx = font["hmtx"]
    advances = {code: hmtx[glyph][0] for code, glyph in font.getBestCmap().items()}
    upm = font["head"].unitsPerEm
    sealed.write_entry("font", where, name, json.dumps({"upm": upm, "advances": sorted(advances.items())}).encode(
        "ascii"), limit=32)
    return advances, upm


def text_width_mm(text: str, size_pt: float, style: str = "regular") -> float:
    advances, upm = _metrics(style)
    units = sum(advances[ord(c)] for c in text if ord(c) in advances)
    return units / upm * size_pt * 25.4 / 72


def missing_glyphs(text: str) -> list[str]:
    """Characters of text that no face of the body font can draw (whitespace and
    characters drawn as nothing excepted)."""
    missing = []
    for style in STYLES:
        advances = _metrics(style)[0]
        missing += [c for c in set(text) if not c.isspace() and ord(c) not in advances and not _ignorable(c)]
    return sorted(set(missing))


def _ignorable(c: str) -> bool:
    """Characters a renderer draws nothing for, glyph or not (Unicode's default-ignorable
    code points: format characters, variation selectors, the combining grapheme joiner). A
    combining mark is not one of them: without a glyph it is drawn as a box (U+A926)."""
    import unicodedata

    code = ord(c)
    return (unicodedata.category(c) == "Cf" or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF
            or 0x180B <= code <= 0x180F or code == 0x034F)


@lru_cache(maxsize=4)
def _fallback_cmap(family: str) -> tuple[Path, frozenset[int]] | None:
    from fontTools.ttLib import TTFont

    for name, paths, _ in FALLBACKS:
        if name == family:
            path = next((p for p in paths if p.is_file()), None)
            if path is None:
                return None
            return path, frozenset(TTFont(str(path), lazy=True).getBestCmap())
    return None


@dataclass(frozen=True)
class Fallback:
    family: str
    path: Path
    characters: str


def check_glyphs(text: str, where: str) -> list[Fallback]:
    """Which fallback faces the text needs; an error for a character no installed face has."""
    missing = missing_glyphs(text)
    used: list[Fallback] = []
    for family, _, _ in FALLBACKS:
        found = _fallback_cmap(family)
        if not missing or found is None:
            continue
        path, cmap = found
        covered = [c for c in missing if ord(c) in cmap]
        if covered:
            used.append(Fallback(family, path, "".join(covered)))
            missing = [c for c in missing if ord(c) not in cmap]
    if missing:
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:8])
        hint = ", ".join(pkg for _, _, pkg in FALLBACKS)
        raise InputError(msg('fonts.no_installed_font_can', "{where}: no installed font can draw {shown}: neither the body font {FAMILY} nor the fallback faces (Debian packages {hint}). Remove these characters; a briefing never shows a missing glyph.", where=where, shown=shown, FAMILY=FAMILY, hint=hint))
    return used

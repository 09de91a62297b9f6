"""The body font: Times New Roman's metric twin Liberation Serif, found on disk, measured,
and checked for every character a briefing uses — a missing glyph is an error, never a
silent fallback."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import BuildError

FAMILY = "Liberation Serif"
STYLES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bolditalic": "BoldItalic"}
_DIRS = [Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"),
         Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts"]
INSTALL_HINT = "install the Debian package fonts-liberation2 (apt-get install fonts-liberation2)"


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
            raise BuildError(f"the body font {FAMILY} ({suffix}) is not installed: {INSTALL_HINT}.")
        files[style] = found
    return FontSet(files)


@lru_cache(maxsize=8)
def _metrics(style: str) -> tuple[dict[int, str], object, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(body_font().files[style]), lazy=True)
    return font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm


def text_width_mm(text: str, size_pt: float, style: str = "regular") -> float:
    cmap, hmtx, upm = _metrics(style)
    units = sum(hmtx[cmap[ord(c)]][0] for c in text if ord(c) in cmap)  # type: ignore[index]
    return units / upm * size_pt * 25.4 / 72


def missing_glyphs(text: str) -> list[str]:
    """Characters of text that no face of the body font can draw (whitespace excepted)."""
    missing = []
    for style in STYLES:
        cmap = _metrics(style)[0]
        missing += [c for c in set(text) if not c.isspace() and ord(c) not in cmap]
    return sorted(set(missing))


def check_glyphs(text: str, where: str) -> None:
    missing = missing_glyphs(text)
    if missing:
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:8])
        raise BuildError(f"{where}: the body font {FAMILY} has no glyph for {shown}; "
                         "remove these characters or use another font — a briefing never falls back silently.")

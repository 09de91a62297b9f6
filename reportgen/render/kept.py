"""Charts kept between runs (`.cache/charts/`): a chart drawn once is not drawn again — nor
matplotlib loaded for it — while what its drawing depends on is the same: its data and size
(build.chart_key), reportgen's own code, the versions of matplotlib, Pillow (the DOCX's PNG)
and numpy, matplotlib's settings (a matplotlibrc), and the body font's files. The briefings of
one day share their national charts, so after the first build of the day a build starts its
PDF without waiting for matplotlib.

An entry is trusted no more than the readers' cache: it carries a tag made with the user's
key (reportgen.sealed) over its name and bytes, and one whose tag does not match is drawn
again. Without a key nothing is kept. The folder is not data: it may be deleted at any time.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from .drawn import ChartFiles

PURPOSE = "chart"
LIMIT = 2000          # entries; past it the older half is removed when one is added


def folder() -> Path:
    from .. import paths

    return paths.project_root() / ".cache" / "charts"


@lru_cache(maxsize=1)
def _inputs() -> bytes:
    """What every drawing depends on besides its chart: reportgen's code, matplotlib, the font."""
    from importlib.metadata import PackageNotFoundError, version

    from .. import paths
    from .fonts import body_font, face_digest

    h = hashlib.sha256(b"charts\x00")
    for package in ("matplotlib", "pillow", "numpy"):      # the drawing, the DOCX's PNG, the numbers
        try:
            h.update(f"{package} {version(package)}\x00".encode("utf-8"))
        except PackageNotFoundError:
            h.update(f"{package} -\x00".encode("utf-8"))
    h.update(paths.code_digest())
    for path in sorted(body_font().files.values()):
        h.update(f"{path.name}\x00{face_digest(path)}\x00".encode("utf-8"))
    # the settings matplotlib reads before reportgen's own (a line width, the PNG's dpi…)
    for path in _matplotlibrc():
        try:
            h.update(str(path).encode("utf-8", "surrogateescape") + b"\x00" + path.read_bytes())
        except OSError:
            h.update(str(path).encode("utf-8", "surrogateescape") + b"\x00-")
    h.update(os.environ.get("MPLBACKEND", "").encode("utf-8", "surrogateescape"))
    return h.digest()


def _matplotlibrc() -> list[Path]:
    """Where matplotlib looks for a matplotlibrc (matplotlib.matplotlib_fname), without loading it."""
    found = []
    env = os.environ.get("MATPLOTLIBRC")
    if env:
        found += [Path(env), Path(env) / "matplotlibrc"]
    found.append(Path.cwd() / "matplotlibrc")
    config = os.environ.get("MPLCONFIGDIR")
    xdg = os.environ.get("XDG_CONFIG_HOME")
    found.append(Path(config) / "matplotlibrc" if config else
                 (Path(xdg) if xdg else Path.home() / ".config") / "matplotlib" / "matplotlibrc")
    return [p for p in found if p.is_file()]


def _name(key: str) -> str:
    return hashlib.sha256(_inputs() + key.encode("ascii")).hexdigest()


def get(key: str) -> ChartFiles | None:
    """The chart of `key` (build.chart_key) drawn by an earlier run, or None."""
    from .. import sealed

    try:
        name = _name(key)
    except OSError:
        return None
    body = sealed.read_entry(PURPOSE, folder(), name)
    if body is None:
        return None
    length, _, drawings = body.partition(b"\n")        # the SVG's length, the SVG, the PNG
    if not length.isdigit() or int(length) > len(drawings):
        return None
    return ChartFiles(svg=drawings[:int(length)], png=drawings[int(length):])


def put(key: str, files: ChartFiles) -> None:
    """Keep a drawn chart for later runs; a project folder that cannot be written keeps nothing."""
    from .. import sealed

    try:
        name = _name(key)
    except OSError:
        return
    sealed.write_entry(PURPOSE, folder(), name, str(len(files.svg)).encode("ascii") + b"\n" + files.svg + files.png,
                       LIMIT)

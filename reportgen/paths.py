"""Where the project's files are, so commands work from the project root or anywhere
else in an editable install."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path


def project_root() -> Path:
    env = os.environ.get("REPORTGEN_HOME")
    if env:
        return Path(env)
    cwd = Path.cwd()
    if (cwd / "facts").is_dir() or (cwd / "seeds").is_dir():
        return cwd
    return Path(__file__).resolve().parents[1]


def seeds_dir() -> Path:
    return project_root() / "seeds"


def facts_file() -> Path:
    return project_root() / "facts" / "factbase.yaml"


def catalogue_file() -> Path:
    return project_root() / "facts" / "catalogue.yaml"


def corrections_file() -> Path:
    return project_root() / "facts" / "corrections.yaml"


def assignments_file() -> Path:
    """Which provincial body does a national task (reportgen.briefing.assign): the office's
    facts/assignments.yaml, or the one shipped with reportgen when its folder has none."""
    own = project_root() / "facts" / "assignments.yaml"
    return own if own.is_file() else Path(__file__).resolve().parents[1] / "facts" / "assignments.yaml"


def registry_file() -> Path:
    return project_root() / "facts" / "registry.yaml"


def cache_dir() -> Path:
    """What the readers made of each document (by sha256): not data, safe to delete, and
    never trusted: each entry is signed with the user's key (reportgen.sealed)."""
    return project_root() / ".cache" / "texts"


def code_files() -> list[Path]:
    """reportgen's own code and data, in a fixed order: what a cache of what reportgen made
    (a verified mark, what a document gave, a chart) depends on besides its inputs."""
    code = Path(__file__).resolve().parent
    return sorted(code.rglob("*.py")) + sorted((code / "data").glob("*"))


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """The sha256 of code_files (names and bytes), read once per process: the code it runs."""
    code = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in code_files():
        h.update(path.relative_to(code).as_posix().encode("utf-8") + b"\x00" + path.read_bytes() + b"\x00")
    return h.digest()


def templates_dir() -> Path:
    """The project's templates/, or the ones shipped with reportgen when an office's
    folder (facts/, seeds/) has none of its own."""
    own = project_root() / "templates"
    return own if (own / "briefing.html.j2").is_file() else Path(__file__).resolve().parents[1] / "templates"

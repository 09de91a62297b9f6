"""`reportgen facts add`: documents into seeds/ — read first (a file no reader takes is
refused by name), under a clean name, never twice the same content."""

from __future__ import annotations

from .i18n import msg

import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .readers import SUFFIXES, file_sha256, sniff
from .registry import Registry
from .textnorm import fold

_EXT = {"text": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf"}


@dataclass
class Added:
    source: Path
    target: Path
    summary: str      # what was found: kind, date, title, event


def clean_name(title: str | None, fallback: str) -> str:
    """An ASCII file name from a title: "Công điện 180/CĐ-TTg" → "cong-dien-180-cd-ttg"."""
    words = fold(title or fallback)
    words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", words).strip("-")
    return slug[:60].rstrip("-") or "tai-lieu"


def _shingles(text: str) -> set[str]:
    words = re.sub(r"[^a-z0-9 ]", " ", fold(text)).split()
    return {" ".join(words[i: i + 6]) for i in range(max(len(words) - 5, 1))}


def similar(a: set[str], b: set[str]) -> bool:
    """Two texts that are one document (another format, another copy): most of the shorter's
    six-word runs are in the other."""
    return bool(a and b) and len(a & b) >= 0.8 * min(len(a), len(b))


def add_documents(files: list[Path], seeds: Path, registry: Registry, ocr: bool = False,
                  cache: Path | None = None, force: bool = False,
                  refused: list[tuple[Path, str]] | None = None) -> list[Added]:
    """Read each file and copy it into seeds under a clean name. A file that cannot be read,
    or is already there, refuses the whole call — or, when `refused` is given, is left out
    and named there with the reason, and the others are added."""
    from .readers import read
    from .sources import load_document

    if not seeds.is_dir():
        raise InputError(msg('intake.seeds_folder_does_not', "{seeds}: the seeds folder does not exist (use --seeds DIR).", seeds=seeds))
    existing = {file_sha256(p): p for p in seeds.iterdir() if p.is_file() and not p.name.startswith(".")}
    texts: dict[Path, set[str]] = {}
    if not force:
        for p in existing.values():
            try:
                texts[p] = _shingles(read(p, cache=cache).text)
            except InputError:
                continue
    plans: list[tuple[Path, Path, str]] = []
    taken = {p.name for p in seeds.iterdir()}
    for path in files:
        try:
            if path.is_dir():
                raise InputError(msg('intake.folder_name_files_for', "{path}: is a folder; name the files in it (for example {path2}/*.pdf).", path=path, path2=path))
            if not path.is_file():
                if path.exists():
                    raise InputError(msg("intake.not_a_file", "{path}: not a file (a pipe or a device); name a document.",
                                         path=path))
                raise InputError(msg('intake.no_such_file', "{path}: no such file.", path=path))
            digest = file_sha256(path)
            if digest in existing:
                raise InputError(msg('intake.same_content_already_seeds', "{path}: the same content is already in the seeds folder as {name}; nothing was added.", path=path, name=existing[digest].name))
            doc = load_document(path, registry, ocr, cache)          # refuses what cannot be read
            if not force:
                mine = _shingles(doc.text)
                twin = next((p for p, other in texts.items() if similar(mine, other)), None)
                if twin is not None:
                    raise InputError(msg('intake.same_document_as_seeds', "{path}: it is the same document as {name} in the seeds folder (in another format or copy); nothing was added. If it is a different document, add it with --force.", path=path, name=twin.name))
                texts[path] = mine
            with path.open("rb") as f:
                kind = sniff(f.read(4096))
            ext = path.suffix.lower() if SUFFIXES.get(path.suffix.lower()) == kind else _EXT[kind]
            day = doc.notice_date or doc.event_date or None
            stem = (f"{day.isoformat()}-" if day else "") + clean_name(doc.title or (doc.notice and f"{doc.kind} {doc.notice}"),
                                                                       path.stem)
            name, n = stem + ext, 2
            while name in taken:
                name, n = f"{stem}-{n}{ext}", n + 1
            taken.add(name)
            existing[digest] = seeds / name
            what = registry.kind[doc.kind].label if doc.kind in registry.kind else doc.kind
            parts = [what + (f" số {doc.notice}" if doc.notice else "")]
            if doc.notice_date:
                parts.append(f"ban hành {doc.notice_date.strftime('%d/%m/%Y')}")
            if doc.event_kind:
                body = registry.body[doc.held_by].name if doc.held_by in registry.body else "cơ quan chưa rõ"
                parts.append(f"sự kiện: {registry.event_kind[doc.event_kind].label}"
                             + (f" lần thứ {doc.session}" if doc.session else "") + f" của {body}"
                             + (f", ngày {doc.event_date.strftime('%d/%m/%Y')}" if doc.event_date else ", chưa rõ ngày"))
            if doc.province:
                parts.append(f"của tỉnh/thành phố {doc.province}")
            parts.append(f"tiêu đề: {doc.title}" if doc.title else "không rõ tiêu đề")
            if doc.ocr:
                parts.append("đọc bằng OCR — hãy soát lại văn bản")
            plans.append((path, seeds / name, "; ".join(parts)))
        except InputError as exc:
            if refused is None:
                raise
            refused.append((path, exc.message))
    added = []
    for source, target, summary in plans:       # every file was read before any is copied
        tmp = target.with_name("." + target.name + ".tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
        added.append(Added(source, target, summary))
    return added

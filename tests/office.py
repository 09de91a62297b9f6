"""Helpers for tests that run reportgen as an office would: in a project folder of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli(home: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    """`reportgen ARGS` in the office folder `home` (reproducible timestamps), output captured."""
    env = dict(os.environ, REPORTGEN_HOME=str(home), SOURCE_DATE_EPOCH="1700000000")
    return subprocess.run([sys.executable, "-m", "reportgen", *args], cwd=home, env=env,
                          capture_output=True, text=True, timeout=timeout)


def make_office(home: Path, docs: dict[str, str], with_seeds: bool = False) -> Path:
    """An office folder at `home`: the project's catalogue, corrections and registry, and these
    documents in its seeds/ (after the project's own seeds, with_seeds)."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    (home / "seeds").mkdir(parents=True)
    (home / "facts").mkdir()
    if with_seeds:
        for src in (root / "seeds").iterdir():
            shutil.copy(src, home / "seeds" / src.name)
    for name, text in docs.items():
        (home / "seeds" / name).write_text(text, "utf-8")
    for name in ("catalogue.yaml", "corrections.yaml", "registry.yaml"):
        shutil.copy(root / "facts" / name, home / "facts" / name)
    return home


def built_fact_base(home: Path) -> dict:  # type: ignore[type-arg]
    """`facts build`, then `facts verify`, in the office (each must end 0): the fact base written."""
    import yaml

    r = cli(home, "facts", "build")
    assert r.returncode == 0, r.stdout + r.stderr
    assert cli(home, "facts", "verify").returncode == 0
    return yaml.safe_load((home / "facts" / "factbase.yaml").read_text("utf-8"))


def vpcp_header(number: str, day: str) -> str:
    """The head of a Government Office notice as a law site copies it: issuer and motto, its
    number, place and date ("ngày 28 tháng 9 năm 2026"), then its kind."""
    return (f"VĂN PHÒNG CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            f"---------------\nSố: {number}\nHà Nội, {day}\n\nTHÔNG BÁO\n")


def records(fb: dict, kind: str, source: str) -> list[dict]:  # type: ignore[type-arg]
    """The fact base's records of a kind ("figures", "tasks" …) from one document."""
    return [r for r in fb[kind] if r["source"] == source]


def part(text: str, start: str) -> str:
    """A part of a briefing's text: from its heading to the next part (c) or the closing sentence."""
    begin = text.index(start)
    ends = [i for i in (text.find("c) Đối với", begin + len(start)), text.find(" thông báo để ", begin)) if i > 0]
    return text[begin: min(ends)]

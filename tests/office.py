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


def part(text: str, start: str) -> str:
    """A part of a briefing's text: from its heading to the next part (c) or the closing sentence."""
    begin = text.index(start)
    ends = [i for i in (text.find("c) Đối với", begin + len(start)), text.find(" thông báo để ", begin)) if i > 0]
    return text[begin: min(ends)]

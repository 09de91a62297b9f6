#!/usr/bin/env python3
"""Benchmark: reading 100 documents of every format — 25 plain texts, 25 web pages,
25 Word files and 25 PDFs made from the seeds and the test corpus — then
`reportgen facts build` over them, cold (nothing cached) and warm (the readers' cache of
.cache/texts/ filled), and `facts verify`.

Run from the project root:  .venv/bin/python benchmarks/read_documents.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def main() -> int:
    from formats import to_docx, to_html, to_pdf

    from reportgen.readers import read

    sources = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="reportgen-read-") as tmp:
        home = Path(tmp)
        seeds = home / "seeds"
        seeds.mkdir()
        (home / "facts").mkdir()
        for name in ("catalogue.yaml", "corrections.yaml", "registry.yaml"):
            shutil.copy(ROOT / "facts" / name, home / "facts" / name)
        made: dict[str, list[Path]] = {"text": [], "html": [], "docx": [], "pdf": []}
        for i in range(25):
            src = sources[i % len(sources)]
            text = src.read_text("utf-8")
            # the copies differ by one line so that no two files are the same document
            text += f"\nBản sao số {i}.\n"
            stem = f"{i:02d}-{src.stem}"
            (seeds / f"{stem}.txt").write_text(text, "utf-8")
            # "source: …" header lines belong to text files; a page or a PDF says it otherwise
            body = "\n".join(line for line in text.split("\n") if not line.startswith("source: "))
            outlet = next((line[8:] for line in text.split("\n") if line.startswith("source: ")), None)
            page = to_html(body)
            if outlet:
                page = page.replace("<head>", f'<head><meta property="og:site_name" content="{outlet}">', 1)
            (seeds / f"{stem}.html").write_text(page, "utf-8")
            to_docx(body, seeds / f"{stem}.docx")
            to_pdf(body, seeds / f"{stem}.pdf")
            for fmt, ext in (("text", "txt"), ("html", "html"), ("docx", "docx"), ("pdf", "pdf")):
                made[fmt].append(seeds / f"{stem}.{ext}")
        print(f"machine: {os.cpu_count()} cores; {sum(len(v) for v in made.values())} documents in {seeds}")
        print(f"{'reading (one process, no cache)':44} {'s total':>8} {'ms per doc':>11}")
        for fmt, files in made.items():
            t = time.perf_counter()
            for f in files:
                read(f)
            wall = time.perf_counter() - t
            print(f"  {fmt:42} {wall:8.2f} {1000 * wall / len(files):11.0f}")
        env = dict(os.environ, REPORTGEN_HOME=str(home))
        cli = [sys.executable, "-m", "reportgen"]
        for label, args in (("facts build, cold (empty cache)", ["facts", "build"]),
                            ("facts build, warm (readers' cache)", ["facts", "build"]),
                            ("facts verify, warm", ["facts", "verify"])):
            t = time.perf_counter()
            r = subprocess.run(cli + args, cwd=home, env=env, capture_output=True, text=True)
            wall = time.perf_counter() - t
            status = "ok" if r.returncode in (0, 1) else f"exit {r.returncode}: {r.stderr.strip()[:200]}"
            print(f"{label:44} {wall:8.2f} s   {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Benchmark: `reportgen facts build` on a generated archive — N documents made from the seeds
and the test corpus (each a distinct text: a line of its own at its head), in an office folder
of its own:

  1. cold: nothing cached (no readers' cache, no found cache);
  2. again, nothing changed;
  3. one document added to the N.

With --one-mb M: instead, one document of about M MB of text (the seeds' and corpus's bodies
one after another under one heading), built cold.

Prints seconds and MB/s of text. With --runs N each measure is taken N times (the caches
emptied before each cold build) and its median printed with the range: on a shared machine one
run can be 30 % off. Run from the project root:
    .venv/bin/python benchmarks/archive.py [--count 300 | --count 3000 | --one-mb 5] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--one-mb", type=float, default=None, help="one document of about this many MB instead")
    parser.add_argument("--runs", type=int, default=1, help="take each measure this many times; print the median")
    args = parser.parse_args()
    sources = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.txt"))
    texts = [p.read_text("utf-8") for p in sources]
    reportgen = str(ROOT / ".venv" / "bin" / "reportgen")
    with tempfile.TemporaryDirectory(prefix="reportgen-archive-") as tmp:
        office = Path(tmp)
        shutil.copytree(ROOT / "facts", office / "facts")
        seeds = office / "seeds"
        seeds.mkdir()
        size = 0
        if args.one_mb:
            # one long report: the bodies without their closing "./." (else its body, where the
            # facts are looked for, would end at the first one)
            bodies = [t.split("\n", 1)[1].replace("./.", ".") for t in texts if "\n" in t]
            parts, length, i = [texts[0].split("\n", 1)[0] + "\n"], 0, 0
            while length < args.one_mb * 1e6:
                parts.append(bodies[i % len(bodies)])
                length += len(parts[-1].encode("utf-8"))
                i += 1
            made = "\n".join(parts)
            (seeds / "0000_big.txt").write_text(made, "utf-8")
            size = len(made.encode("utf-8"))
        for i in range(0 if args.one_mb else args.count):
            text = texts[i % len(texts)]
            lines = text.split("\n", 1)
            # a distinct document: its own heading line, the body of a real-shaped one
            made = f"{lines[0]} (bản {i:04d})\n" + (lines[1] if len(lines) > 1 else "")
            (seeds / f"{i:04d}_{sources[i % len(sources)].name}").write_text(made, "utf-8")
            size += len(made.encode("utf-8"))
        env = {**os.environ, "REPORTGEN_HOME": str(office)}

        def build() -> float:
            start = time.perf_counter()
            r = subprocess.run([reportgen, "facts", "build", "--skip-bad"], env=env, capture_output=True, text=True)
            if r.stderr.strip():
                print("  (" + " ".join(r.stderr.split())[:300] + ")")
            wall = time.perf_counter() - start
            if r.returncode not in (0, 1):
                print(r.stdout[-2000:], r.stderr[-2000:])
                raise SystemExit(1)
            return wall

        mb = size / 1e6
        added = seeds / "9999_new.txt"
        extra = texts[0].split("\n", 1)
        colds: list[float] = []
        agains: list[float] = []
        ones: list[float] = []
        for _ in range(max(1, args.runs)):
            shutil.rmtree(office / ".cache", ignore_errors=True)     # cold: the readers' and found caches gone
            added.unlink(missing_ok=True)
            colds.append(build())
            if args.one_mb:
                continue
            agains.append(build())
            added.write_text(f"{extra[0]} (bản mới)\n{extra[1]}", "utf-8")
            ones.append(build())
        if os.environ.get("ARCHIVE_PROFILE"):
            subprocess.run([sys.executable, "-m", "cProfile", "-s", "cumulative", "-m", "reportgen", "facts", "build",
                            "--skip-bad"], env=env)
    cold = statistics.median(colds)
    if args.one_mb:
        print(f"one document, {mb:.1f} MB of text; {os.cpu_count()} cores")
        print(f"{'facts build, cold (nothing cached)':44} {cold:7.2f} s   {mb / cold:5.2f} MB/s   target >= 1 MB/s"
              + _spread(colds, mb))
        return 0
    again, one = statistics.median(agains), statistics.median(ones)
    print(f"archive: {args.count} documents, {mb:.1f} MB of text; {os.cpu_count()} cores"
          + (f"; median of {len(colds)} runs [range]" if len(colds) > 1 else ""))
    print(f"{'facts build, cold (nothing cached)':44} {cold:7.2f} s   {mb / cold:5.2f} MB/s" + _spread(colds, mb))
    print(f"{'facts build again, nothing changed':44} {again:7.2f} s" + _spread(agains))
    print(f"{'facts build after adding one document':44} {one:7.2f} s   target <= 1 s  {'OK' if one <= 1 else 'MISSED'}"
          + _spread(ones))
    return 0


def _spread(values: list[float], mb: float | None = None) -> str:
    """The range of several runs ("  [2.10-2.31 s, 0.58-0.63 MB/s]"), or nothing for one."""
    if len(values) < 2:
        return ""
    lo, hi = min(values), max(values)
    return f"   [{lo:.2f}-{hi:.2f} s" + (f", {mb / hi:.2f}-{mb / lo:.2f} MB/s]" if mb else "]")


if __name__ == "__main__":
    sys.exit(main())

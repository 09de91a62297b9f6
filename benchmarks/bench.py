#!/usr/bin/env python3
"""Benchmark: reportgen against what a user would do instead — write DOCX files and let
LibreOffice turn them into PDF. Prints, side by side on this machine:

  1. one cold `reportgen build --province "Quảng Ngãi"` (both formats): wall time, peak memory;
  2. `reportgen build --all --force`: wall time, peak memory per worker, where the time goes;
  3. `soffice --headless --convert-to pdf` on the DOCX the batch wrote (one process; 63
     for a --date before 01/7/2025, 34 from it),
     and on the single Quảng Ngãi DOCX;
  4. the office's page: a build worker warmed as `reportgen serve` warms it (a briefing of
     today rehearsed for a province and a city), then clerks' builds from the form to the files:
     today's (the province, a city), and --date's (the province, another, a city);
  5. the ratios against issue 21's targets (batch ≤ 0.5 × LibreOffice; a cold single build ≤
     1.0 × one LibreOffice conversion; ≤ 150 MB per worker; a warm page's build ≤ 0.5 s); the
     exit status is 1 when one is missed.

With --runs N, the single build and one LibreOffice conversion are measured N times, one
after the other, and so are the batch and LibreOffice's 34; the medians are printed with their
range, and each ratio is the median of the N pairs' ratios: on a shared machine one run can be
30 % off, and the two sides of a pair see the same machine. (The first single build after a
change of reportgen's code also verifies the fact base and draws the charts again: its caches
are keyed by the code. It is printed on its own line.)

Run from the project root:  .venv/bin/python benchmarks/bench.py [--jobs N] [--date YYYY-MM-DD] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROVINCE = "Quảng Ngãi"


# issue 21's targets
BATCH, SINGLE, WARM, MEMORY = 0.5, 1.0, 0.5, 150


def run(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall seconds and peak RSS (MB) of one command and its own process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    # ru_maxrss of the children waited for so far is a maximum over them, so measure
    # each command in its own helper process.
    return wall, 0.0, subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def measured(cmd: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run cmd in a fresh helper so RUSAGE_CHILDREN holds only this command's peak."""
    helper = ("import json,resource,subprocess,sys,time;t=time.perf_counter();"
              "p=subprocess.run(sys.argv[1:],capture_output=True,text=True);"
              "w=time.perf_counter()-t;r=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024;"
              "print(json.dumps({'wall':w,'peak':r,'rc':p.returncode,'out':p.stdout[-2000:],'err':p.stderr[-2000:]}))")
    raw = subprocess.run([sys.executable, "-c", helper, *cmd], cwd=ROOT, capture_output=True, text=True, check=True)
    data = json.loads(raw.stdout)
    return data["wall"], data["peak"], subprocess.CompletedProcess(cmd, data["rc"], data["out"], data["err"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--date", default="2025-03-10")
    parser.add_argument("--runs", type=int, default=1, help="measure the single build, the batch and "
                        "LibreOffice this many times each, alternated; print medians")
    args = parser.parse_args()
    runs = max(1, args.runs)
    reportgen = [str(ROOT / ".venv" / "bin" / "reportgen")]
    if not Path(reportgen[0]).exists():
        reportgen = [sys.executable, "-m", "reportgen"]
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    work = Path(tempfile.mkdtemp(prefix="reportgen-bench-"))
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; work folder {work}")

    def single() -> tuple[float, float]:
        """One cold build (a new process; the project's caches as they are)."""
        shutil.rmtree(work / "single", ignore_errors=True)
        wall, peak, r = measured(reportgen + ["build", "--province", PROVINCE, "--date", args.date,
                                              "--out", str(work / "single")])
        if r.returncode:
            raise SystemExit(r.stderr)
        return wall, peak

    def batch() -> tuple[float, float]:
        shutil.rmtree(work / "all", ignore_errors=True)
        wall, peak, r = measured(reportgen + ["build", "--all", "--force", "--date", args.date, "--jobs",
                                              str(args.jobs), "--out", str(work / "all"), "--stats", str(stats)])
        if r.returncode:
            raise SystemExit(r.stdout[-3000:] + r.stderr)
        return wall, peak

    # 1. single cold build (the first one after a change of code verifies and draws again)
    first1, peak1 = single()
    single_docx = next((work / "single").rglob("*.docx"))

    # 2. batch
    stats = work / "stats.json"
    batches = [batch()]
    peak2 = batches[0][1]
    info = json.loads(stats.read_text())
    docx_files = sorted((work / "all").rglob("*.docx"))

    # 2b. the office's page: a build worker warmed as `reportgen serve` warms it (web/jobs.warm_up),
    # then a clerk's build of another province, from the form's fields to the files and first-page PNG
    page = (f"import json,sys,tempfile,time;sys.path.insert(0,{str(ROOT)!r});from reportgen.web import jobs;"
            f"t=time.perf_counter();jobs.warm_up({str(ROOT)!r});w=time.perf_counter()-t;out=[]\n"
            f"for p,day in (({PROVINCE!r},''),('Hà Nội',''),({PROVINCE!r},{args.date!r}),('Lâm Đồng',{args.date!r}),"
            f"('Hà Nội',{args.date!r})):\n"
            f" d=tempfile.mkdtemp();t=time.perf_counter();"
            f"r=jobs.build_briefing({str(ROOT)!r},d,{{'province':p,'date':day}});"
            f"out.append(time.perf_counter()-t);assert r['ok'],r\n"
            f"print(json.dumps({{'warm_up':w,'builds':out}}))")
    r = subprocess.run([sys.executable, "-c", page], cwd=ROOT, capture_output=True, text=True)
    if r.returncode:
        print(r.stderr[-3000:])
        return 1
    warm = json.loads(r.stdout.strip().splitlines()[-1])

    # 3. LibreOffice, each measure alternated with ours (--runs)
    singles: list[float] = []
    lo_ones: list[float] = []
    lo_alls: list[float] = []
    if soffice:
        profile = f"-env:UserInstallation=file://{work}/lo-profile"
        docx_one = work / "lo-input" / single_docx.name      # (the single build's folder is made again)
        docx_one.parent.mkdir()
        shutil.copy(single_docx, docx_one)
        docx_all = work / "lo-input-all"
        docx_all.mkdir()
        for d in docx_files:
            shutil.copy(d, docx_all / d.name)
        subprocess.run([soffice, "--headless", profile, "--convert-to", "pdf", "--outdir", str(work / "lo-warm"),
                        str(docx_one)], capture_output=True, check=False)   # creates the profile once

        def lo(files: list[Path], outdir: Path) -> float:
            shutil.rmtree(outdir, ignore_errors=True)
            start = time.perf_counter()
            subprocess.run([soffice, "--headless", profile, "--convert-to", "pdf", "--outdir", str(outdir),
                            *map(str, files)], capture_output=True, check=False)
            return time.perf_counter() - start

        for n in range(runs):
            if n:
                batches.append(batch())
            lo_alls.append(lo(sorted(docx_all.iterdir()), work / "lo-all"))
            singles.append(single()[0])
            lo_ones.append(lo([docx_one], work / "lo-one"))
        converted = len(list((work / "lo-all").glob("*.pdf")))
    else:
        singles = [single()[0] for _ in range(runs)]
        batches += [batch() for _ in range(runs - 1)]
    wall1 = statistics.median(singles)
    wall2 = statistics.median(w for w, _ in batches)
    lo_one = statistics.median(lo_ones) if lo_ones else None
    lo_all = statistics.median(lo_alls) if lo_alls else None

    def spread(values: list[float]) -> str:
        return f"   [{min(values):.2f}-{max(values):.2f}, {len(values)} runs]" if len(values) > 1 else ""
    print()
    print(f"{'measure':58} {'wall s':>8} {'peak MB':>9}")
    print(f"{'reportgen build --province, first run (caches of the code)':58} {first1:8.2f} {peak1:9.0f}")
    print(f"{'reportgen build --province (cold, PDF + DOCX)':58} {wall1:8.2f} {'':9}{spread(singles)}")
    workers = info["worker_peak_mb"]
    print(f"{'reportgen build --all --force (' + str(info['built']) + ' provinces, ' + str(info['jobs']) + ' workers)':58} "
          f"{wall2:8.2f} {peak2:9.0f}   per worker: {', '.join(f'{w:.0f}' for w in workers)} MB"
          f"{spread([w for w, _ in batches])}")
    print(f"{'the page: worker warm-up at start (serve), once':58} {warm['warm_up']:8.2f}")
    cases = [f"{PROVINCE}, today", "Hà Nội, today", f"{PROVINCE}, {args.date}", f"Lâm Đồng, {args.date}",
             f"Hà Nội, {args.date}"]
    for name, t in zip(cases, warm["builds"]):
        print(f"{'the page, warm worker: ' + name:58} {t:8.2f}")
    if soffice:
        print(f"{'soffice --convert-to pdf, the Quảng Ngãi DOCX':58} {lo_one:8.2f} {'':9}{spread(lo_ones)}")
        print(f"{'soffice --convert-to pdf, the ' + str(len(docx_files)) + ' DOCX in one process':58} {lo_all:8.2f}"
              f"   ({converted} PDFs){spread(lo_alls)}")
    else:
        print("LibreOffice is not installed: apt-get install libreoffice-writer-nogui  (our figures above stand)")
    print()
    print("where the batch's time goes (seconds; setup in the parent, stages summed over provinces and workers):")
    for k, v in info["setup"].items():
        print(f"  setup  {k:10} {v:7.2f}")
    for k, v in sorted(info["stages"].items(), key=lambda kv: -kv[1]):
        print(f"  stage  {k:10} {v:7.2f}   {v / max(info['built'], 1):.3f} per province")
    print()
    ok = True
    if soffice:
        # each ratio: the median of the pairs measured one after the other
        r1 = statistics.median(w / lo for (w, _), lo in zip(batches, lo_alls))
        r2 = statistics.median(w / lo for w, lo in zip(singles, lo_ones))
        ok &= r1 <= BATCH and r2 <= SINGLE
        print(f"{'ratio batch / LibreOffice (' + str(len(docx_files)) + ' DOCX):':44}{r1:5.2f}   target <= {BATCH:.2f}  "
              f"{'OK' if r1 <= BATCH else 'MISSED'}")
        print(f"ratio single / one LibreOffice conversion:  {r2:5.2f}   target <= {SINGLE:.2f}  "
              f"{'OK' if r2 <= SINGLE else 'MISSED'}")
    slowest = max(warm["builds"][:2])
    ok &= slowest <= WARM
    print(f"a build of today from a warm page (slowest): {slowest:5.2f} s  target <= {WARM:.2f}  "
          f"{'OK' if slowest <= WARM else 'MISSED'}")
    top = max(workers) if workers else 0
    ok &= top <= MEMORY
    print(f"peak memory per worker:                     {top:5.0f} MB  target <= {MEMORY}  "
          f"{'OK' if top <= MEMORY else 'MISSED'}")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

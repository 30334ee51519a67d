"""Departure watch benchmark: import and analyse ten million log events.

    .venv/bin/python benchmarks/watch_bench.py [--events 10000000] [--people 5000]
        [--bad-mb 200]

Generates a synthetic company's logs (the generic CSV, with 20 planted and 40 innocent
departures) in a child process, then imports the file into a fresh log store and runs the
analysis in this process, and prints the import time, the analysis time and this
process's peak memory (the generation's memory is not counted: it is the child's).
Targets on a 2-core machine: import plus analysis under 20 s, peak memory under 2 GB.

Then, in a fresh child process, it imports ``--bad-mb`` megabytes of bad rows under a valid
generic header, which must be refused (nothing stored) with peak memory under 500 MB, and
prints the time and the peak.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

from mamori.engines.watch import Settings, Store, generate, load_directory


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--days", type=int, default=182)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB's memory limit")
    parser.add_argument("--keep", help="generate into (or reuse) this folder and keep it")
    parser.add_argument("--bad-mb", type=int, default=200, help="size of the bad-rows file")
    parser.add_argument("--only-bad", action="store_true", help="run only the bad-rows part")
    return parser.parse_args()


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _generate(folder: str, people: int, days: int, events: int, seed: int) -> None:
    generate(folder, people=people, days=days, events=events, seed=seed)


def _bad_rows(folder: str, megabytes: int, result) -> None:
    """Import a file of bad rows under a valid header; report (refused, seconds, peak MB)."""
    from mamori.engines.watch import FormatError

    path = Path(folder) / "bad-rows.csv"
    row = "not a time,someone@example.co.jp,read,//fs01/share/a-file-name.xlsx,12,,fs,PC-01\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("time,user,action,object,size,device,source,host\n")
        block = row * 10000
        for _ in range(megabytes * 2**20 // len(block) + 1):
            handle.write(block)
    started = time.perf_counter()
    refused = False
    with Store(Path(folder) / "bad-store") as store:
        try:
            store.import_file(path, "generic")
        except FormatError:
            refused = store.stats().events == 0
    seconds = time.perf_counter() - started
    result.put((refused, seconds, _high_water_mb()))


def _high_water_mb() -> float:
    """This process's peak memory since it started (VmHWM; ru_maxrss would carry the
    parent's peak over the fork of a spawned child)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bad_rows(folder: Path, megabytes: int) -> tuple[bool, float, float]:
    context = multiprocessing.get_context("spawn")
    result = context.Queue()
    child = context.Process(target=_bad_rows, args=(str(folder), megabytes, result))
    child.start()
    outcome = result.get()
    child.join()
    return outcome


def main() -> int:
    args = parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="mamori-watch-bench-"))
    if args.only_bad:
        try:
            refused, seconds, peak = bad_rows(folder, args.bad_mb)
            verdict = "refused, nothing stored" if refused else "NOT REFUSED"
            print(
                f"{args.bad_mb} MB of bad rows: {verdict} in {seconds:.1f} s, peak {peak:,.0f} MB"
            )
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return 0
    events_path = folder / "events.csv"
    try:
        started = time.perf_counter()
        if not events_path.exists():
            child = multiprocessing.get_context("spawn").Process(
                target=_generate,
                args=(str(folder), args.people, args.days, args.events, args.seed),
            )
            child.start()
            child.join()
            if child.exitcode:
                print("generation failed", file=sys.stderr)
                return 1
        generated = time.perf_counter() - started
        directory = load_directory(folder / "directory.json")
        size_mb = events_path.stat().st_size / 2**20
        store_dir = folder / "store"
        shutil.rmtree(store_dir, ignore_errors=True)

        started, cpu = time.perf_counter(), _cpu()
        with Store(store_dir, memory_limit=args.memory_limit) as store:
            summary = store.import_file(events_path, "generic")
            imported, import_cpu = time.perf_counter() - started, _cpu() - cpu
            started, cpu = time.perf_counter(), _cpu()
            last_day = datetime.date(2026, 1, 5) + datetime.timedelta(days=args.days)
            analysis = store.analyse(directory, Settings(), last_day)
            analysed, analysis_cpu = time.perf_counter() - started, _cpu() - cpu
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        truth = (folder / "truth.json").read_text(encoding="utf-8")
        planted = {int(part.split(",")[0]) for part in truth.split('"person": ')[1:]}
        top = [result.person for result in analysis.results[:20]]
        load = os.getloadavg()[0]
        print(f"machine: {multiprocessing.cpu_count()} cores, load average {load:.1f} at the end")
        print(
            f"events generated:    {summary.records:,} ({size_mb:,.0f} MB CSV, {generated:.1f} s)"
        )
        print(
            f"import:              {imported:.1f} s, CPU {import_cpu:.1f} s ({summary.added:,} "
            f"added, {summary.skipped} skipped, {summary.records / imported:,.0f} events/s)"
        )
        print(
            f"analysis:            {analysed:.1f} s, CPU {analysis_cpu:.1f} s "
            f"({len(analysis.results)} people watched, {analysis.matched_events:,} matched)"
        )
        print(f"import + analysis:   {imported + analysed:.1f} s (target < 20 s)")
        print(f"peak memory:         {peak_mb:,.0f} MB (target < 2,048 MB)")
        print(f"planted in the top 20: {len(planted & set(top))} of {len(planted)}")
        if args.bad_mb:
            refused, seconds, peak = bad_rows(folder, args.bad_mb)
            verdict = "refused, nothing stored" if refused else "NOT REFUSED"
            print(
                f"{args.bad_mb} MB of bad rows:  {verdict} in {seconds:.1f} s, "
                f"peak memory {peak:,.0f} MB (target < 500 MB)"
            )
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

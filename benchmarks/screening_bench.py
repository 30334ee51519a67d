"""Screening benchmark: 10,000 counterparties against 10,000 end-user list entries.

    .venv/bin/python benchmarks/screening_bench.py [--entries 10000] [--counterparties 10000]

The list is generated as in the acceptance tests (Latin, kana and kanji names with legal
forms and aliases); the counterparties are a mix of respelled entries (a fifth) and
unrelated real-looking company names. Prints the time to build the screener (normalising
and filing every list name) and to screen every counterparty, and the hits found. The
target on a 2-core machine is under 30 s in all.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--counterparties", type=int, default=10_000)
    args = parser.parse_args()

    from mamori.engines.screening import Screener
    from tests.engines.screening.names import KINDS, generate_list, unrelated_names, variant

    generated = generate_list(args.entries, seed=1)
    rng = random.Random(5)
    planted = args.counterparties // 5
    names = [
        (variant(item, rng.choice(KINDS), rng), item.entry.country)
        for item in rng.sample(generated, planted)
    ]
    others = unrelated_names(1000, seed=2)
    while len(names) < args.counterparties:
        names.append((rng.choice(others), rng.choice(["JP", "US", "CN", "DE", "SG"])))

    started = time.perf_counter()
    screener = Screener(item.entry for item in generated)
    built = time.perf_counter()
    hits = found = 0
    for name, country in names:
        matches = screener.screen(name, country=country)
        hits += len(matches)
        found += bool(matches)
    done = time.perf_counter()

    print(f"entries:        {args.entries:>8,}")
    print(f"counterparties: {args.counterparties:>8,}  ({planted:,} respelled entries)")
    print(f"build screener: {built - started:8.2f} s")
    print(
        f"screen all:     {done - built:8.2f} s  ({(done - built) / len(names) * 1e3:.2f} ms each)"
    )
    print(f"total:          {done - started:8.2f} s")
    print(f"counterparties with a hit: {found:,}; hits: {hits:,}")
    return 0 if done - started < 30 else 1


if __name__ == "__main__":
    sys.exit(main())

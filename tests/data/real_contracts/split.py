"""The held-out draw of the real-contract corpus (see README.md beside this file).

A third of the contracts, stratified by language and kind, is held out: each stratum
(language, kind) gets floor(n/3) held-out places, and the places still needed to reach
round(N/3) go to the strata with the largest remainders (ties broken by the seeded
generator). Inside a stratum the contracts, sorted by id, are shuffled by
``random.Random(f"{SEED}:{language}:{kind}")`` and the first ones are held out. The draw
depends only on the seed and on the ids, languages and kinds in corpus.yaml.
"""

from __future__ import annotations

import random
from collections import defaultdict

SEED = 20261207


def heldout_ids(contracts: list[dict], seed: int = SEED) -> set[str]:
    """Return the ids drawn for the held-out part from manifest entries (id, language, kind,
    and ``batch``, 1 when absent). Each batch is drawn on its own, batch 1 with the seed and
    later ones with ``f"{seed}:batch{n}"``, so that adding a batch never moves a contract of
    an earlier one between the parts (a tuned contract cannot become held out)."""
    batches: dict[int, list[dict]] = defaultdict(list)
    for item in contracts:
        batches[int(item.get("batch", 1))].append(item)
    chosen: set[str] = set()
    for batch, items in batches.items():
        chosen |= _draw(items, seed if batch == 1 else f"{seed}:batch{batch}")
    return chosen


def _draw(contracts: list[dict], seed: int | str) -> set[str]:
    strata: dict[tuple[str, str], list[str]] = defaultdict(list)
    for item in contracts:
        strata[(item["language"], item["kind"])].append(item["id"])
    total = round(len(contracts) / 3)
    quota = {key: len(ids) // 3 for key, ids in strata.items()}
    tie = random.Random(f"{seed}:remainders")
    order = sorted(sorted(strata), key=lambda key: (-(len(strata[key]) % 3), tie.random(), key))
    for key in order[: max(0, total - sum(quota.values()))]:
        quota[key] += 1
    chosen: set[str] = set()
    for (language, kind), ids in sorted(strata.items()):
        shuffled = sorted(ids)
        random.Random(f"{seed}:{language}:{kind}").shuffle(shuffled)
        chosen.update(shuffled[: quota[(language, kind)]])
    return chosen

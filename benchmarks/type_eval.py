"""Contract type guess evaluation over a large, weakly labelled set (CUAD v1's SEC exhibits).

    .venv/bin/python benchmarks/type_eval.py prepare --mirror GIT_DIR [--commit SHA]
    .venv/bin/python benchmarks/type_eval.py run [--split dev|heldout] [--mistakes]

``prepare`` copies the PDFs of the CUAD folders that map to one of mamori's kinds out of a
local git mirror (it fetches nothing: get the mirror first) into ``var/type_eval/pdf`` and
writes ``var/type_eval/labels.csv``: file, folder, kind (the folder's kind, or a correction
made after reading the contract), split and the correction's reason. Files of the project's
labelled corpus (tests/data/real_contracts/corpus.yaml) are left out. A fixed seed draws a
development half and a held-out half, stratified by kind.

``run`` guesses the type of each contract of a split and prints the accuracy per kind, the
confusion matrix and the accuracy by confidence band. ``--mistakes`` lists the wrong guesses
of the development half only: the held-out half's errors are never shown, so that tuning
cannot follow them. Split contracts are cached under ``var/type_eval/cache`` (keyed by the
reader and splitter sources), so that re-runs cost only the type guess.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import pickle
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "var" / "type_eval"
COMMIT = "7accd57c37c01ea4ae85678e878794bc10faa763"
PREFIX = "CUAD_v1/full_contract_pdf/"
SEED = 20260521
KINDS = ("nda", "poc", "joint_research", "manufacturing", "licence", "supply", "service")

# CUAD's folders and the kind each stands for. Folders whose contracts are of no one kind of
# mamori's (distribution and resale, franchise, sponsorship, endorsement, co-branding,
# marketing, promotion, agency, affiliate, non-compete, strategic alliance) are left out.
FOLDER_KIND = {
    "License_Agreements": "licence",
    "IP": "licence",
    "Supply": "supply",
    "Manufacturing": "manufacturing",
    "Service": "service",
    "Consulting Agreements": "service",
    "Maintenance": "service",
    "Outsourcing": "service",
    "Hosting": "service",
    "Transportation": "service",
    "Collaboration": "joint_research",
    "Joint Venture": "joint_research",
    "Joint Venture _ Filing": "joint_research",
    "Development": "joint_research",
}

# File names that say the file is no contract of the folder's kind, in either half: the
# "Joint Venture _ Filing" folder holds Schedule 13D/13G joint filing agreements.
NOT_A_KIND = ("JOINT_FILING",)
_CARDLYTICS = "Inc_20180112_S-1_EX-10.16_11002987_EX-10.16_Maintenance_"

# Where a development contract, once read, is of another kind than its folder says: the start
# of the file's name (as written under var/type_eval/pdf), its kind ("none": of none of the
# seven, left out) and why. Only the development half was read; the held-out half keeps its
# folders' labels.
CORRECTIONS: dict[str, tuple[str, str]] = {
    "Part_III__Collaboration__MEETGROUP": ("none", "an activist investor's standstill"),
    "Part_III__Collaboration__URSCORP": ("none", "an activist investor's standstill"),
    "Part_II__Collaboration__ALLISONTRANSMISSION": ("none", "an activist investor's standstill"),
    "Part_III__Collaboration__ELFBEAUTY": ("none", "an activist investor's standstill"),
    "Part_III__Collaboration__QIWI": ("none", "shareholders' business cooperation"),
    "Part_III__Collaboration__HPILHOLDING": ("none", "a share acquisition called cooperation"),
    "Part_III__Collaboration__SPIENERGY": ("none", "a power plant investment with a county"),
    "Part_III__Collaboration__LEJUHOLDINGS": ("none", "a web channel (marketing) cooperation"),
    "Part_II__Collaboration__TUNIUCORP": (
        "service",
        "B provides technical and consulting services",
    ),
    "Part_III__Development__TRUENORTHENERGY": ("none", "an oil and gas field farm-out"),
    "Part_I__Development__ElPolloLoco": ("none", "a franchise development agreement"),
    "Part_I__Development__LiquidmetalTechnologies": (
        "none",
        "development, manufacturing and IP mixed",
    ),
    "Part_I__Development__AimmuneTherapeutics": (
        "licence",
        "Xencor licenses, Aimmune develops alone",
    ),
    "Part_I__Development__EtonPharmaceuticals": (
        "licence",
        "an exclusive product licence for royalties",
    ),
    "Part_I__Development__NlsPharmaceutics": ("licence", "licensor and licensee of a drug"),
    "Part_I__Development__PelicanDelivers": ("service", "a developer writes software for a client"),
    "Part_II__IP__KNOWLABS": ("nda", "an individual's confidentiality and inventions undertaking"),
    "Part_I__License_Agreements__PlayboyEnterprises": (
        "none",
        "a licensee's supplier's undertaking",
    ),
    "Part_III__Outsourcing__MANUFACTURERSSERVICES": (
        "manufacturing",
        "IBM outsources manufacturing",
    ),
    "Part_III__Outsourcing__NICELTD": ("manufacturing", "a manufacturing outsourcing agreement"),
    "Part_III__Maintenance__TELKOMSA": (
        "licence",
        "a software licence with maintenance, as corpus",
    ),
    "Part_II__Hosting__REGANHOLDING": ("licence", "a software licence with hosting, as corpus"),
    "Part_I__Maintenance__Cardlytics{}Agreement1": (
        "licence",
        "a software licence and upkeep, as corpus",
    ),
    "Part_I__Maintenance__Cardlytics{}Agreement4": ("licence", "its product licence schedule"),
    "Part_III__Maintenance__VARIABLESEPARATEACCOUNT": ("none", "a capital maintenance guarantee"),
    "Part_II__Maintenance__WELLSFARGOMORTGAGE": (
        "none",
        "an interest rate cap (yield maintenance)",
    ),
    "Part_III__Maintenance__PRIMEENERGY": ("none", "a liquidity maintenance undertaking"),
    "Part_III__Maintenance__SECURIANFUNDS": ("none", "a fund's income maintenance undertaking"),
    "Part_III__Maintenance__SUNTRON": ("none", "an investor's undertaking to lenders"),
    "Part_I__Service__VerizonAbs": ("none", "a securitisation's transfer and servicing"),
    "Part_III__Service__BICYCLETHERAPEUTICS": (
        "none",
        "an executive's employment (service) contract",
    ),
}


def _name(path: str) -> str:
    """Return the local file name of a CUAD path: its part, folder and file name."""
    part, folder, file = path[len(PREFIX) :].split("/", 2)
    return f"{part}__{folder}__{file}".replace(" ", "_")


def prepare(mirror: Path, commit: str) -> None:
    import yaml

    corpus = yaml.safe_load((ROOT / "tests/data/real_contracts/corpus.yaml").read_text("utf-8"))
    taken = {(entry.get("source") or {}).get("path") for entry in corpus["contracts"]}
    # git from PATH, on a mirror directory the user names: a local benchmark, no service.
    listing = subprocess.run(  # noqa: S603
        ["git", f"--git-dir={mirror}", "ls-tree", "-r", "--name-only", commit],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()
    by_kind: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for path in listing:
        if not path.startswith(PREFIX) or not path.lower().endswith(".pdf") or path in taken:
            continue
        folder = path[len(PREFIX) :].split("/")[1]
        if folder in FOLDER_KIND:
            by_kind[FOLDER_KIND[folder]].append((path, folder))
    (OUT / "pdf").mkdir(parents=True, exist_ok=True)
    rows = []
    rng = random.Random(SEED)
    for kind in sorted(by_kind):
        paths = sorted(by_kind[kind])
        rng.shuffle(paths)
        half = (len(paths) + 1) // 2
        for place, (path, folder) in enumerate(paths):
            name = _name(path)
            target = OUT / "pdf" / name
            if not target.exists():
                data = subprocess.run(  # noqa: S603
                    ["git", f"--git-dir={mirror}", "show", f"{commit}:{path}"],  # noqa: S607
                    check=True,
                    capture_output=True,
                ).stdout
                target.write_bytes(data)
            split = "dev" if place < half else "heldout"
            label, reason = kind, ""
            if any(word in name for word in NOT_A_KIND):
                label, reason = "none", "no contract of the folder's kind (file name)"
            for start, correction in CORRECTIONS.items():
                if split == "dev" and name.startswith(start.format(_CARDLYTICS)):
                    label, reason = correction
            rows.append(
                {"file": name, "folder": folder, "kind": label, "split": split, "note": reason}
            )
    with (OUT / "labels.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "folder", "kind", "split", "note"])
        writer.writeheader()
        writer.writerows(rows)
    counts = Counter((row["split"], row["kind"]) for row in rows)
    for split in ("dev", "heldout"):
        total = sum(n for (s, _), n in counts.items() if s == split)
        kinds = ", ".join(f"{k} {n}" for (s, k), n in sorted(counts.items()) if s == split)
        print(f"{split}: {total} ({kinds})")


def _source_key() -> str:
    """Return a digest of the sources that read and split a contract: the cache's key."""
    digest = hashlib.sha256()
    for name in ("_readers.py", "_split.py", "_text.py", "_model.py"):
        digest.update((ROOT / "src/mamori/engines/clauses" / name).read_bytes())
    return digest.hexdigest()[:16]


def _split_one(job: tuple[Path, Path]) -> str | None:
    """Read and split one PDF into the cache; return an error message or None."""
    from mamori.engines.clauses import DocumentError, read_document, split_contract

    pdf, cached = job
    if cached.exists():
        return None
    try:
        contract = split_contract(read_document(pdf.read_bytes(), pdf.name))
    except DocumentError as exc:
        return f"{pdf.name}: {exc.__class__.__name__}"
    cached.write_bytes(pickle.dumps(contract))
    return None


def _contracts(pdfs: Path, names: list[str]) -> dict[str, Any]:
    cache = OUT / "cache" / _source_key()
    cache.mkdir(parents=True, exist_ok=True)
    jobs = [(pdfs / name, cache / f"{name}.pickle") for name in names]
    with ProcessPoolExecutor(max_workers=2) as pool:
        for error in pool.map(_split_one, jobs):
            if error:
                print(f"  unreadable: {error}")
    return {
        # The cache holds only what _split_one wrote from the user's own PDFs.
        name: pickle.loads(cached.read_bytes())  # noqa: S301
        for name, (_, cached) in zip(names, jobs, strict=True)
        if cached.exists()
    }


def run(pdfs: Path, labels: Path, split: str, mistakes: bool) -> None:
    from mamori.catalog.loader import load_clause_requirements
    from mamori.engines.clauses._terms import resolve_terms
    from mamori.engines.clauses._types import guess_type

    with labels.open(encoding="utf-8") as handle:
        rows = [
            row for row in csv.DictReader(handle) if row["split"] == split and row["kind"] != "none"
        ]
    truth = {row["file"]: row["kind"] for row in rows}
    contracts = _contracts(pdfs, sorted(truth))
    requirements = load_clause_requirements()
    started = time.perf_counter()
    guesses = {}
    for name, contract in contracts.items():
        rule, confidence = guess_type(resolve_terms(contract, requirements.terms), requirements)
        guesses[name] = (rule.kind, confidence)
    elapsed = time.perf_counter() - started
    right = sum(guesses[name][0] == truth[name] for name in guesses)
    print(
        f"{split}: {right}/{len(guesses)} right ({right / max(len(guesses), 1):.3f}); "
        f"{len(truth) - len(guesses)} unreadable; {elapsed:.2f} s for the guesses"
    )
    print("\naccuracy per kind")
    for kind in KINDS:
        names = [name for name in guesses if truth[name] == kind]
        if names:
            hits = sum(guesses[name][0] == kind for name in names)
            print(f"  {kind:15} {hits:3}/{len(names):<3} {hits / len(names):.2f}")
    columns = [*KINDS, "other"]
    print("\nconfusion (rows: label, columns: guess)")
    print(" " * 16 + "".join(f"{kind[:6]:>7}" for kind in columns))
    for kind in KINDS:
        names = [name for name in guesses if truth[name] == kind]
        if names:
            counts = Counter(guesses[name][0] for name in names)
            print(f"  {kind:14}" + "".join(f"{counts.get(c, 0):7}" for c in columns))
    print("\naccuracy by confidence")
    for label, low, high in (("≥0.8", 0.8, 2.0), ("0.5–0.8", 0.5, 0.8), ("<0.5", -1.0, 0.5)):
        names = [name for name in guesses if low <= guesses[name][1] < high]
        hits = sum(guesses[name][0] == truth[name] for name in names)
        share = f"{hits / len(names):.2f}" if names else "-"
        print(f"  {label:8} {hits:3}/{len(names):<3} {share}")
    if mistakes:
        if split != "dev":
            print("\n(the held-out half's mistakes are not shown)")
            return
        print("\nmistakes")
        for name in sorted(guesses, key=lambda n: (truth[n], n)):
            kind, confidence = guesses[name]
            if kind != truth[name]:
                title = contracts[name].title[:70]
                print(f"  {truth[name]:>14} -> {kind:14} {confidence:.2f}  {name[:70]}  | {title}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("prepare", help="copy the PDFs and write the labels")
    make.add_argument("--mirror", type=Path, required=True, help="the mirror's git directory")
    make.add_argument("--commit", default=COMMIT)
    check = commands.add_parser("run", help="evaluate the type guess on one split")
    check.add_argument("--pdfs", type=Path, default=OUT / "pdf")
    check.add_argument("--labels", type=Path, default=OUT / "labels.csv")
    check.add_argument("--split", choices=("dev", "heldout"), default="dev")
    check.add_argument("--mistakes", action="store_true", help="list the dev half's errors")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.mirror, args.commit)
    else:
        run(args.pdfs, args.labels, args.split, args.mistakes)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Fetch the real contracts that are not stored in the repository (their licence allows no
copy) into var/real_contracts/<id>.<ext>, from the exact commit recorded in
tests/data/real_contracts/corpus.yaml, and check each file's sha256.

    .venv/bin/python benchmarks/fetch_contracts.py [--dest DIR] [--all]

--all also re-fetches the stored ones and checks that they are unchanged at the source.
Needs the network (GitHub); CI never runs it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "tests/data/real_contracts/corpus.yaml"


def raw_url(source: dict) -> str:
    return (
        f"https://raw.githubusercontent.com/{source['repo']}/{source['commit']}/"
        f"{quote(source['path'])}"
    )


def fetch(item: dict) -> bytes:
    # The URL is always https://raw.githubusercontent.com/… built by raw_url().
    with urllib.request.urlopen(raw_url(item["source"]), timeout=60) as response:  # noqa: S310
        data = response.read()
    member = item["source"].get("member")
    if member:
        data = zipfile.ZipFile(io.BytesIO(data)).read(member)
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dest", type=Path, default=ROOT / "var/real_contracts")
    parser.add_argument("--all", action="store_true", help="also check the stored contracts")
    args = parser.parse_args()
    items = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))["contracts"]
    args.dest.mkdir(parents=True, exist_ok=True)
    failed = 0
    for item in items:
        converted = item["obtained"].startswith("converted")
        if item["file"] and (not args.all or converted):
            continue
        try:
            data = fetch(item)
        except OSError as error:
            print(f"{item['id']}: cannot fetch ({error})")
            failed += 1
            continue
        if hashlib.sha256(data).hexdigest() != item["sha256"]:
            print(f"{item['id']}: sha256 differs from corpus.yaml")
            failed += 1
            continue
        if not item["file"]:
            (args.dest / f"{item['id']}.{item['format']}").write_bytes(data)
        print(f"{item['id']}: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

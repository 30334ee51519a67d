"""Contract checker speed: a 60-page contract (Word, text and PDF), checked end to end.

    .venv/bin/python benchmarks/contract_speed.py [--pages 60] [--runs 5]

The contract is built from the labelled manufacturing agreement, its articles repeated
(renumbered) until its PDF (A4, 10.5 pt) has the pages asked for; the same contract as text,
as Word with automatic numbering and as PDF is then read, split, graded and typed, the type
guessed. Prints the median of several runs.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def long_contract(characters: int) -> str:
    """Return the labelled manufacturing agreement with its articles repeated (renumbered)
    until the text has ``characters`` characters."""
    from tests.data.contracts.corpus import sample

    text = sample("mfg_ja").text
    head, _, body = text.partition("第1条")
    articles = re.split(r"\n(?=第\d+条)", "第1条" + body)
    result, number = [head.rstrip("\n")], 0
    while sum(len(part) for part in result) < characters:
        for article in articles:
            number += 1
            result.append(re.sub(r"^第\d+条", f"第{number}条", article.strip("\n")))
    return "\n".join(result) + "\n"


def contract_of(pages: int) -> tuple[str, bytes, bytes]:
    """Return the text, Word file and PDF of a contract whose PDF has ``pages`` pages."""
    from mamori.engines.clauses import read_document
    from tests.data.contracts.corpus import build_docx, pdf_from_docx

    characters = pages * 1000
    while True:
        text = long_contract(characters)
        docx = build_docx(text, numbering="article_ja", header="製造委託基本契約書（社外秘）")
        pdf = pdf_from_docx(docx)
        printed = read_document(pdf, "x.pdf").pages or 0
        if printed >= pages:
            return text, docx, pdf
        characters = int(characters * pages / printed) + 500


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from mamori.catalog.loader import load_clause_requirements
    from mamori.engines.clauses import check_document, read_document

    requirements = load_clause_requirements()
    text, docx, pdf = contract_of(args.pages)
    report = check_document(pdf, name="long.pdf", requirements=requirements)
    pages = read_document(pdf, "x.pdf").pages
    print(
        f"{len(text):,} characters, {report.article_count} articles; "
        f"Word {len(docx) // 1024} KB, PDF {len(pdf) // 1024} KB of {pages} pages (A4)"
    )
    for label, data, name in (
        ("text", text.encode("utf-8"), "long.txt"),
        ("Word (.docx, automatic numbering)", docx, "long.docx"),
        ("PDF (text layer)", pdf, "long.pdf"),
    ):
        seconds = timed(
            lambda d=data, n=name: check_document(d, name=n, requirements=requirements), args.runs
        )
        print(f"{label:<36} {seconds:6.3f} s  (median of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Score the contract checker against the hand labels of the real-contract corpus.

For every contract of one part (``tune`` or ``heldout``) the checker is run with the true kind
(so that the clause statuses do not depend on the type guess) and once without a kind (the
type guess). Scores, over the clauses the kind requires:

* per clause: precision and recall of problems (weak or missing: found when the checker gives
  exactly the labelled status; a weak or missing status where the label differs is a false
  alarm), as ``tests/data/contracts`` is scored;
* exact status agreement;
* "missing" precision and recall (the checker says missing / the label says missing);
* article agreement where both find the clause (label and checker not missing), by the
  README's rule: the same numeric path as the label's ``article`` or one of its ``also``, or
  one a prefix of the other (``Section 5`` ~ ``5.2``); unnumbered places by name (the
  checker's preamble is the label's ``preamble`` or ``Cover Page``, which precede article 1);
* type accuracy of the guess.

Contracts that are not stored are read from ``var/real_contracts`` (fetched by
``benchmarks/fetch_contracts.py``) and skipped when absent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
FETCHED = HERE.parents[2] / "var" / "real_contracts"
ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_KANJI = "〇一二三四五六七八九十百"
PREAMBLE = {"preamble", "前文", "cover page", "recitals"}


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    language: str
    format: str
    split: str
    path: Path
    labels: dict
    batch: int = 1

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()


def load(split: str | None = None) -> tuple[list[Item], list[str]]:
    """Return the contracts of ``split`` (all when None) that can be read, and the ids of
    those that are not available (not stored and not fetched)."""
    manifest = yaml.safe_load((HERE / "corpus.yaml").read_text(encoding="utf-8"))
    items, absent = [], []
    for entry in manifest["contracts"]:
        if split and entry["split"] != split:
            continue
        path = (
            HERE / entry["file"] if entry["file"] else FETCHED / f"{entry['id']}.{entry['format']}"
        )
        if not path.exists():
            absent.append(entry["id"])
            continue
        labels = yaml.safe_load((HERE / "labels" / f"{entry['id']}.yaml").read_text("utf-8"))
        items.append(
            Item(
                id=entry["id"],
                kind=entry["kind"],
                language=entry["language"],
                format=entry["format"],
                split=entry["split"],
                path=path,
                labels=labels,
                batch=int(entry.get("batch", 1)),
            )
        )
    return items, absent


def _roman(text: str) -> int | None:
    text = text.lower()
    if not text or any(char not in ROMAN for char in text):
        return None
    total = 0
    for index, char in enumerate(text):
        value = ROMAN[char]
        following = ROMAN[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _kanji(text: str) -> int | None:
    from mamori.engines.clauses._text import kanji_number

    return kanji_number(text)


def place(article: str | None) -> tuple[str, ...] | str | None:
    """Return an article reference as a numeric path (``("5", "2")``) or, for an unnumbered
    place, its lower-case name (``preamble``, ``exhibit a``)."""
    if not article:
        return None
    text = unicodedata.normalize("NFKC", article).strip()
    match = re.match(rf"^第\s*([0-9]+|[{_KANJI}]+)\s*条", text)
    if match:
        number = _kanji(match.group(1))
        return (str(number),) if number is not None else text.lower()
    match = re.match(
        r"^(?:article|section|clause|§)\s*([0-9]+(?:\.[0-9]+)*|[ivxlc]+)\b", text, re.IGNORECASE
    )
    if match:
        raw = match.group(1)
        if raw[0].isdigit():
            return tuple(part for part in raw.split(".") if part)
        value = _roman(raw)
        return (str(value),) if value else text.lower()
    # "5.2", "7.", and lettered sub-sections "5.C" (section 5, part C)
    match = re.match(r"^([0-9]+(?:\.(?:[0-9]+|[A-Za-z]\b))*)\.?(?=$|[\s(（])", text)
    if match:
        return tuple(part.lower() for part in match.group(1).split(".") if part)
    name = re.split(r"[(（]", text)[0].strip().lower()
    return "preamble" if name in PREAMBLE else name


def same_article(found: str | None, label: dict) -> bool:
    """Return whether the checker's article agrees with the label's (README's match rule)."""
    mine = place(found)
    if mine is None:
        return False
    for theirs in [label.get("article"), *(label.get("also") or [])]:
        other = place(str(theirs)) if theirs is not None else None
        if other is None:
            continue
        if isinstance(mine, tuple) and isinstance(other, tuple):
            shorter = min(len(mine), len(other))
            if mine[:shorter] == other[:shorter]:
                return True
        elif mine == other:
            return True
    return False


@dataclass
class Scores:
    """The counts of one part."""

    contracts: int = 0
    clauses: int = 0
    agree: int = 0
    missing_said: int = 0
    missing_true: int = 0
    missing_both: int = 0
    both_found: int = 0
    article_agree: int = 0
    type_right: int = 0
    per_clause: dict[str, list[int]] = field(default_factory=dict)  # tp, fp, fn, correct, n
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (truth, found): n
    mistakes: list[str] = field(default_factory=list)

    @staticmethod
    def ratio(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def status(self) -> float:
        return self.ratio(self.agree, self.clauses)

    @property
    def missing_precision(self) -> float:
        return self.ratio(self.missing_both, self.missing_said)

    @property
    def missing_recall(self) -> float:
        return self.ratio(self.missing_both, self.missing_true)

    @property
    def articles(self) -> float:
        return self.ratio(self.article_agree, self.both_found)

    @property
    def types(self) -> float:
        return self.ratio(self.type_right, self.contracts)


def score(items: list[Item], requirements) -> Scores:
    """Run the checker over ``items`` and count."""
    from mamori.engines.clauses import check_document

    scores = Scores()
    for item in items:
        name = item.path.name
        report = check_document(item.data, name=name, requirements=requirements, kind=item.kind)
        guessed = check_document(item.data, name=name, requirements=requirements)
        scores.contracts += 1
        if guessed.kind == item.kind:
            scores.type_right += 1
        else:
            scores.mistakes.append(
                f"{item.id}: type is {item.kind}, guessed {guessed.kind} "
                f"({guessed.type_confidence:.2f})"
            )
        for key, label in item.labels["clauses"].items():
            truth = label["status"]
            result = report.result(key)
            found = str(result.status)
            row = scores.per_clause.setdefault(key, [0, 0, 0, 0, 0])
            row[4] += 1
            scores.clauses += 1
            scores.missing_said += found == "missing"
            scores.missing_true += truth == "missing"
            scores.missing_both += found == truth == "missing"
            scores.confusion[truth, found] = scores.confusion.get((truth, found), 0) + 1
            if truth == found:
                scores.agree += 1
                row[3] += 1
                if truth != "present":
                    row[0] += 1
            else:
                scores.mistakes.append(
                    f"{item.id}: {key} is {truth} ({label.get('article')}), checker says "
                    f"{found} ({result.article}): {(result.quote or '')[:160]}"
                )
                if found != "present":
                    row[1] += 1
                if truth != "present":
                    row[2] += 1
            if truth != "missing" and found != "missing":
                scores.both_found += 1
                if same_article(result.article, label):
                    scores.article_agree += 1
                elif truth == found:
                    scores.mistakes.append(
                        f"{item.id}: {key} article is {label.get('article')} "
                        f"{label.get('also') or ''}, checker says {result.article}: "
                        f"{(result.quote or '')[:120]}"
                    )
    return scores


def table(scores: Scores) -> str:
    """Return the per-clause table and the summary lines of one part."""
    lines = [f"{'clause':<26}{'problems':>9}{'found':>7}{'false':>7}{'precision':>11}{'recall':>8}"]
    for key, (tp, fp, fn, _correct, _n) in scores.per_clause.items():
        precision = Scores.ratio(tp, tp + fp)
        recall = Scores.ratio(tp, tp + fn)
        lines.append(f"{key:<26}{tp + fn:>9}{tp:>7}{fp:>7}{precision:>11.2f}{recall:>8.2f}")
    tp = sum(row[0] for row in scores.per_clause.values())
    fp = sum(row[1] for row in scores.per_clause.values())
    fn = sum(row[2] for row in scores.per_clause.values())
    lines.append(
        f"{'all clauses':<26}{tp + fn:>9}{tp:>7}{fp:>7}"
        f"{Scores.ratio(tp, tp + fp):>11.2f}{Scores.ratio(tp, tp + fn):>8.2f}"
    )
    lines.append(
        f"status agreement {scores.status:.2f} ({scores.agree}/{scores.clauses}); "
        f"missing precision {scores.missing_precision:.2f} "
        f"({scores.missing_both}/{scores.missing_said}), "
        f"recall {scores.missing_recall:.2f} ({scores.missing_both}/{scores.missing_true}); "
        f"articles {scores.articles:.2f} ({scores.article_agree}/{scores.both_found}); "
        f"type {scores.types:.2f} ({scores.type_right}/{scores.contracts})"
    )
    lines.extend(confusion_table(scores.confusion, "labelled \\ checker"))
    return "\n".join(lines)


def confusion_table(confusion: dict[tuple[str, str], int], corner: str) -> list[str]:
    """Return the lines of a status × status table (rows: the first of each pair)."""
    statuses = ("present", "weak", "missing")
    lines = [f"{corner:<19}" + "".join(f"{status:>9}" for status in statuses)]
    for first in statuses:
        counts = "".join(f"{confusion.get((first, other), 0):>9}" for other in statuses)
        lines.append(f"{first:<19}{counts}")
    return lines


@dataclass
class Agreement:
    """How far two labellings of the same contracts agree."""

    contracts: int = 0
    clauses: int = 0
    same_status: int = 0
    both_found: int = 0
    same_article: int = 0
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (first, second): n


def agreement(first: dict[str, dict], second: dict[str, dict]) -> Agreement:
    """Compare the labels of the contracts both labellings hold (id: label file contents)."""
    result = Agreement()
    for name in sorted(set(first) & set(second)):
        result.contracts += 1
        for key, one in first[name]["clauses"].items():
            other = second[name]["clauses"].get(key)
            if other is None:
                continue
            result.clauses += 1
            pair = (one["status"], other["status"])
            result.confusion[pair] = result.confusion.get(pair, 0) + 1
            result.same_status += one["status"] == other["status"]
            if "missing" not in pair:
                result.both_found += 1
                if other.get("article") is not None and same_article(str(other["article"]), one):
                    result.same_article += 1
    return result


def load_labels(directory: str) -> dict[str, dict]:
    """Return the label files of ``labels`` or ``second_labels`` by contract id."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted((HERE / directory).glob("*.yaml"))
    }

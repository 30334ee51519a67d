from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Indel, Levenshtein

from mamori.engines.screening._config import ScreeningConfig, ScreeningError, default_config
from mamori.engines.screening._normalize import NameKeys, normalize_name

# How a hit came about (Match.basis); the Django app words each code in the user's language.
EXACT, WORD_ORDER, SIMILAR = "exact", "word_order", "similar"
ALIAS, TRANSLITERATED = "alias", "transliterated"
COUNTRY_SAME, COUNTRY_DIFFERS, COUNTRY_UNKNOWN = (
    "country_same",
    "country_differs",
    "country_unknown",
)

# At the same score, an exact match (after normalisation) outranks the same words in
# another order, and that outranks a similar spelling.
PRECEDENCE = {EXACT: 2, WORD_ORDER: 1, SIMILAR: 0}

# Tokens this long or longer get no one-deletion keys (their plain key is enough).
_MAX_DELETION_TOKEN = 24
_FALLBACK_BLOCKS = 3


@dataclass(frozen=True)
class ListEntry:
    """One entry of an end-user list: the caller's ``key``, its names (the first is the
    name as listed, the rest aliases), country (ISO code, or "" when unknown) and
    category of concern."""

    key: str
    names: tuple[str, ...]
    country: str = ""
    category: str = ""

    def __post_init__(self) -> None:
        if not self.names or not any(name.strip() for name in self.names):
            raise ScreeningError(f"entry {self.key}: has no name")


@dataclass(frozen=True)
class Match:
    """A possible match: the entry, which of its names matched, the score (0-100, best
    100), a reason in plain English and the codes it is made of (``basis``; the first is
    how the names met: ``EXACT``, ``WORD_ORDER`` or ``SIMILAR``)."""

    entry: ListEntry
    matched_name: str
    score: float
    reason: str
    basis: tuple[str, ...]

    @property
    def kind(self) -> str:
        """How the names met: ``EXACT``, ``WORD_ORDER`` or ``SIMILAR``."""
        return self.basis[0]

    @property
    def is_alias(self) -> bool:
        return ALIAS in self.basis

    def as_dict(self) -> dict[str, object]:
        return {
            "entry": self.entry.key,
            "matched_name": self.matched_name,
            "score": self.score,
            "reason": self.reason,
        }


def _ratio(a: str, b: str, cutoff: float) -> float:
    if not a or not b:
        return 0.0
    return Indel.normalized_similarity(a, b, score_cutoff=cutoff / 100) * 100


def compare(query: NameKeys, listed: NameKeys, cutoff: float = 0) -> tuple[float, str, bool, float]:
    """Return the similarity of two normalised names (0-100), how it was reached
    (``EXACT``, ``WORD_ORDER`` or ``SIMILAR``), whether it came through transliteration,
    and the support: the sum of the scores of every form compared (Latin and CJK), which
    ranks equal scores — a kana typo that romanizes like two names is told apart by the
    kana themselves."""
    best, how, via_kana, support = 0.0, SIMILAR, False, 0.0
    if query.compact and listed.compact:
        plain = max(
            _ratio(query.latin, listed.latin, cutoff), _ratio(query.compact, listed.compact, cutoff)
        )
        ordered = _ratio(query.ordered, listed.ordered, cutoff)
        best = max(plain, ordered)
        support = best
        if best >= 100:
            how = EXACT if plain >= 100 else WORD_ORDER
        elif ordered > plain:
            how = WORD_ORDER
        via_kana = query.transliterated != listed.transliterated
    if query.cjk and listed.cjk:
        # A CJK character is nearly a word: one wrong character is one edit, not two.
        cjk = Levenshtein.normalized_similarity(query.cjk, listed.cjk, score_cutoff=cutoff / 100)
        cjk *= 100
        support += cjk
        if cjk > best or (cjk >= 100 and how != EXACT):
            best, how, via_kana = cjk, EXACT if cjk >= 100 else SIMILAR, False
    return round(best, 1), how, via_kana, support


def blocking_keys(keys: NameKeys) -> set[str]:
    """Return the keys under which a name is filed: each word and the whole name in Latin
    letters with every one-letter deletion (so one typo still shares a key), and the
    character pairs of the CJK form."""
    result: set[str] = set()
    words = set(keys.latin.split())
    if keys.compact:
        words.add(keys.compact)
    for word in words:
        if len(word) < 2:
            continue
        result.add("d:" + word)
        if 4 <= len(word) < _MAX_DELETION_TOKEN:
            result.update("d:" + word[:i] + word[i + 1 :] for i in range(len(word)))
    cjk = keys.cjk
    if cjk:
        if len(cjk) <= 2:
            result.add("b:" + cjk)
        result.update("b:" + cjk[i : i + 2] for i in range(len(cjk) - 1))
    return result


_REASONS = {
    EXACT: "exact match: identical once width, case, punctuation and legal-form words are set "
    "aside",
    WORD_ORDER: "reordering: the same words in another order",
    SIMILAR: "similar spelling",
}


def _reason(score: float, how: str, basis: list[str], listed: str, country: str) -> str:
    parts = [_REASONS[how] if how != SIMILAR else f"fuzzy match: similar spelling ({score:g}/100)"]
    if TRANSLITERATED in basis:
        parts.append("compared after romanizing the kana")
    if ALIAS in basis:
        parts.append(f"matches the alias “{listed}”")
    if COUNTRY_SAME in basis:
        parts.append(f"same country ({country})")
    elif COUNTRY_DIFFERS in basis:
        parts.append(f"listed under another country ({country}); score lowered")
    return "; ".join(parts)


class Screener:
    """End-user list entries normalised and filed for fast look-up; ``screen`` returns the
    entries a name may match, best first.

    Building normalises every name once; screening one name compares it only with the
    names that share a blocking key, so 10,000 names against 10,000 entries take seconds.
    """

    def __init__(self, entries: Iterable[ListEntry], config: ScreeningConfig | None = None) -> None:
        self.config = config or default_config()
        self.entries: list[ListEntry] = list(entries)
        self._names: list[tuple[int, int, NameKeys]] = []
        index: dict[str, list[int]] = defaultdict(list)
        for entry_index, entry in enumerate(self.entries):
            for name_index, name in enumerate(entry.names):
                if not name.strip():
                    continue
                keys = normalize_name(name, self.config)
                if keys.empty:
                    continue
                position = len(self._names)
                self._names.append((entry_index, name_index, keys))
                for key in blocking_keys(keys):
                    index[key].append(position)
        self._index = dict(index)

    def __len__(self) -> int:
        return len(self.entries)

    def _candidates(self, keys: NameKeys) -> set[int]:
        postings = [self._index[key] for key in blocking_keys(keys) if key in self._index]
        rare = [p for p in postings if len(p) <= self.config.max_block]
        chosen = rare or sorted(postings, key=len)[:_FALLBACK_BLOCKS]
        candidates: set[int] = set()
        for posting in chosen:
            candidates.update(posting)
        return candidates

    def screen(
        self,
        names: str | Sequence[str],
        *,
        country: str = "",
        threshold: float | None = None,
        limit: int | None = None,
    ) -> list[Match]:
        """Return the entries that ``names`` (a name, or a name with its aliases) may be,
        scored 0-100 with the reason, best first; only scores at or above ``threshold``
        (the configured default when ``None``). ``country`` is an ISO code or ""."""
        threshold = self.config.threshold if threshold is None else threshold
        country = (country or "").strip().upper()
        queries = [names] if isinstance(names, str) else list(names)
        best: dict[int, tuple[float, str, bool, int, float]] = {}
        for query in queries:
            keys = normalize_name(query, self.config)
            if keys.empty:
                continue
            for position in self._candidates(keys):
                entry_index, name_index, listed = self._names[position]
                score, how, via_kana, support = compare(keys, listed, cutoff=threshold)
                if score <= 0:
                    continue
                current = best.get(entry_index)
                rank = (score, PRECEDENCE[how], support, name_index == 0)
                if current is None or rank > (
                    current[0],
                    PRECEDENCE[current[1]],
                    current[4],
                    current[3] == 0,
                ):
                    best[entry_index] = (score, how, via_kana, name_index, support)
        ranked = []
        for entry_index, (score, how, via_kana, name_index, support) in best.items():
            entry = self.entries[entry_index]
            basis = [how]
            if via_kana:
                basis.append(TRANSLITERATED)
            if name_index > 0:
                basis.append(ALIAS)
            if not country or not entry.country:
                basis.append(COUNTRY_UNKNOWN)
            elif country == entry.country.upper():
                basis.append(COUNTRY_SAME)
            else:
                basis.append(COUNTRY_DIFFERS)
                score = max(0.0, round(score - self.config.country_mismatch_penalty, 1))
            if score < threshold:
                continue
            listed = entry.names[name_index]
            match = Match(
                entry=entry,
                matched_name=listed,
                score=score,
                reason=_reason(score, how, basis, listed, entry.country),
                basis=tuple(basis),
            )
            order = (-score, -PRECEDENCE[how], -support, entry.names[0], entry.key)
            ranked.append((order, match))
        ranked.sort(key=lambda pair: pair[0])
        matches = [match for _, match in ranked]
        return matches[:limit] if limit is not None else matches

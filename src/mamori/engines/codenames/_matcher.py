"""Leftmost-longest multi-pattern matching over folded UTF-16 text, and replacement.

The patterns are compiled once into an Aho-Corasick automaton (``ahocorasick_rs``,
compiled Rust) that runs over the folded UTF-16 code units of the text: two bytes a
character for Japanese instead of UTF-8's three, and offsets that are the same in the
folded and in the original text (see ``_normalize``). Two kinds of raw match are not
matches and are resolved afterwards, without rescanning the text:

- a match starting at an odd byte (the automaton sees bytes, the text is 16-bit units);
- a match of a Latin name inside a longer Latin word: a pattern that starts (ends) with
  a letter or digit only matches where the text before (after) it is not one, so that
  "PF200" is not found in "PF2000" nor "ABS" in "ABSTRACT". Japanese has no such
  boundaries and is matched anywhere.

The result is what a leftmost-longest search over the valid matches gives: from the
start, the valid match that starts first, the longest of those, and on after its end.
"""

from __future__ import annotations

import bisect
import itertools
import os
import threading
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import ahocorasick_rs
import numpy as np

from mamori.engines.codenames._normalize import (
    SEMI_VOICED_MARK,
    VOICED_MARK,
    haystack,
    haystack_alnum,
    is_alnum,
    normalize,
    pattern_bytes,
    text_units,
)

_NO_MATCHES = np.zeros((0, 3), dtype=np.int64)


@dataclass(frozen=True, eq=False)
class Matches:
    """Matches in a text: the pattern index and the start and end of each, as indexes
    into the Python string (not code units), in order and never overlapping."""

    array: np.ndarray  # shape (n, 3): pattern, start, end
    folded: np.ndarray | None = None  # the text's folded code units, when at hand

    def __len__(self) -> int:
        return len(self.array)

    @property
    def patterns(self) -> np.ndarray:
        return self.array[:, 0]

    @property
    def starts(self) -> np.ndarray:
        return self.array[:, 1]

    @property
    def ends(self) -> np.ndarray:
        return self.array[:, 2]

    def tuples(self) -> list[tuple[int, int, int]]:
        return [tuple(row) for row in self.array.tolist()]


class Matcher:
    """Find folded ``patterns`` (each with the index of the replacement it stands for)
    and replace them with ``replacements``.

    ``check_straddles`` prepares the tables that tell whether a replacement may form a
    new match with the text around it (``replace_until_stable``).
    """

    def __init__(
        self,
        patterns: Sequence[tuple[str, int]],
        replacements: Sequence[str],
        *,
        check_straddles: bool = False,
    ):
        self.patterns = [text for text, _ in patterns]
        self.replacements = list(replacements)
        self._target = np.array([target for _, target in patterns] or [0], dtype=np.int64)
        self._empty = not patterns
        self._straddle_keys: np.ndarray | None = None
        self.max_units = 0
        if self._empty:
            return
        # Spellings with a separate voiced mark (カ゛, for half-width ｶﾞ or decomposed
        # text) are searched only in texts that have such a mark: fewer patterns, a
        # faster automaton for the others.
        marks = (VOICED_MARK, SEMI_VOICED_MARK)
        plain = [i for i, text in enumerate(self.patterns) if not any(m in text for m in marks)]
        self._plain_index = np.array(plain, dtype=np.int64)
        self._has_marked = len(plain) < len(self.patterns)
        self._full: Any = None
        self._overlapping: Any = None
        self._lock = threading.Lock()
        self._plain = _automaton([self.patterns[i] for i in plain]) if plain else None
        self._marks = np.array([_swap(ord(mark)) for mark in marks], dtype=np.uint16)
        self.max_units = (
            max(len(text.encode("utf-16-le", "surrogatepass")) for text in self.patterns) // 2
        )
        self._left_bounded = np.array([is_alnum(text[0]) for text in self.patterns])
        self._right_bounded = np.array([is_alnum(text[-1]) for text in self.patterns])
        self._alnum = haystack_alnum()
        if check_straddles:
            self._prepare_straddles()

    # --- finding ------------------------------------------------------------------------

    def needs_other_than(self, chars: str) -> bool:
        """Return whether every pattern holds a character outside ``chars`` (as written
        or folded): then a text made only of ``chars`` cannot hold a match, and a large
        document may skip such texts (numbers in a worksheet) without looking at them."""
        cache = self.__dict__.setdefault("_needs_other", {})
        if chars not in cache:
            allowed = set(chars) | set(normalize(chars))
            cache[chars] = not any(
                set(text) <= allowed or set(normalize(text)) <= allowed for text in self.patterns
            )
        return cache[chars]

    def find(self, text: str) -> Matches:
        """Return the matches in ``text``."""
        if self._empty or not text:
            return Matches(_NO_MATCHES)
        units = text_units(text)
        folded = haystack(units)
        array = self.find_units(folded)
        if len(units) != len(text):
            if len(array):
                array = _to_string_offsets(array, units)
            return Matches(array)
        return Matches(array, folded)

    def overlapping(self) -> Any:
        """Return an automaton that reports every occurrence of every pattern (built when
        first needed: to resolve invalid matches)."""
        with self._lock:
            if self._overlapping is None:
                self._overlapping = ahocorasick_rs.BytesAhoCorasick(
                    [pattern_bytes(text) for text in self.patterns],
                    matchkind=ahocorasick_rs.MatchKind.Standard,
                )
        return self._overlapping

    def automaton(self, folded: np.ndarray) -> tuple[Any, np.ndarray | None]:
        """Return the automaton for a haystack and the map of its pattern numbers to
        the matcher's (``None``: the same)."""
        if self._has_marked and (
            self._plain is None
            or bool((folded == self._marks[0]).any())
            or bool((folded == self._marks[1]).any())
        ):
            with self._lock:
                if self._full is None:
                    self._full = _automaton(self.patterns)
            return self._full, None
        return self._plain, self._plain_index

    def find_units(self, folded: np.ndarray) -> np.ndarray:
        """Return (pattern, start, end) rows for a haystack (see ``haystack``), in code
        unit offsets.

        A long text is cut at line breaks (no pattern holds one) into pieces searched in
        parallel: the automaton runs without the GIL, so both cores of a small server
        scan at once."""
        if self._empty or not len(folded):
            return _NO_MATCHES
        pieces = _pieces(folded)
        if len(pieces) == 1:
            return self._find_piece(folded)
        with ThreadPoolExecutor(max_workers=len(pieces)) as pool:
            found = list(
                pool.map(lambda piece: self._find_piece(folded[piece[0] : piece[1]]), pieces)
            )
        for (low, _high), rows in zip(pieces, found, strict=True):
            rows[:, 1:] += low
        return np.concatenate(found)

    def _find_piece(self, folded: np.ndarray) -> np.ndarray:
        automaton, numbers = self.automaton(folded)
        data = folded.view(np.uint8)
        raw = automaton.find_matches_as_indexes(data)
        if not raw:
            return _NO_MATCHES.copy()
        array = np.fromiter(
            itertools.chain.from_iterable(raw), dtype=np.int64, count=3 * len(raw)
        ).reshape(-1, 3)
        if numbers is not None:
            array[:, 0] = numbers[array[:, 0]]
        invalid = self._invalid(array, folded)
        if invalid.any():
            array = _Resolver(self, automaton, numbers, data, folded).resolve(array, invalid)
        array[:, 1:] >>= 1
        return array

    def _invalid(self, array: np.ndarray, folded: np.ndarray) -> np.ndarray:
        """Return which raw rows (byte offsets) are not matches."""
        patterns, starts, ends = array[:, 0], array[:, 1] >> 1, array[:, 2] >> 1
        count = len(folded)
        odd = (array[:, 1] & 1).astype(bool)
        before = folded[np.maximum(starts - 1, 0)]
        after = folded[np.minimum(ends, count - 1)]
        left = self._left_bounded[patterns] & (starts > 0) & self._alnum[before]
        right = self._right_bounded[patterns] & (ends < count) & self._alnum[after]
        return odd | left | right

    def valid(self, pattern: int, start: int, end: int, folded: np.ndarray) -> bool:
        """Return whether a raw match (byte offsets) is a match."""
        if start & 1:
            return False
        first, last = start >> 1, end >> 1
        if self._left_bounded[pattern] and first > 0 and self._alnum[folded[first - 1]]:
            return False
        return not (
            self._right_bounded[pattern] and last < len(folded) and self._alnum[folded[last]]
        )

    # --- replacing ------------------------------------------------------------------------

    def targets(self, matches: Matches) -> np.ndarray:
        """Return the replacement index of each match."""
        return self._target[matches.patterns]

    def target_of(self, pattern: int) -> int:
        """Return the replacement index of one pattern."""
        return int(self._target[pattern])

    def replace(self, text: str) -> tuple[str, Matches]:
        """Return ``text`` with every match replaced, and the matches (in ``text``)."""
        matches = self.find(text)
        if not len(matches):
            return text, matches
        return self.apply(text, matches), matches

    def apply(self, text: str, matches: Matches) -> str:
        """Return ``text`` with ``matches`` replaced; everything else is left as it is."""
        array = matches.array
        ends = array[:, 2].tolist()
        ends.insert(0, 0)
        starts = array[:, 1].tolist()
        starts.append(len(text))
        pieces = [""] * (2 * len(starts) - 1)
        pieces[0::2] = map(text.__getitem__, map(slice, ends, starts))
        pieces[1::2] = map(self.replacements.__getitem__, self._target[array[:, 0]].tolist())
        return "".join(pieces)

    # --- straddles: a replacement forming a new match with its neighbours -----------------

    def _prepare_straddles(self) -> None:
        """Index the (replacement, neighbouring character) pairs that could start or end a
        pattern across a replacement's edge, and the replacements inside a pattern.

        Replacements whose edges continue the same patterns share one group (all of
        "素材A" … "素材Z" end in a letter), so the index stays small.
        """
        from mamori.engines.codenames._normalize import normalize

        following: defaultdict[str, set[str]] = defaultdict(set)
        preceding: defaultdict[str, set[str]] = defaultdict(set)
        for text in self.patterns:
            for cut in range(1, len(text)):
                following[text[:cut]].add(text[cut])
                preceding[text[cut:]].add(text[cut - 1])
        groups: dict[tuple[tuple[str, ...], tuple[str, ...]], int] = {}
        keys: list[int] = []
        group_of: list[int] = []
        folded_replacements = [normalize(rep) for rep in self.replacements]
        for folded in folded_replacements:
            ends = tuple(folded[cut:] for cut in range(len(folded)) if folded[cut:] in following)
            heads = tuple(
                folded[:cut] for cut in range(1, len(folded) + 1) if folded[:cut] in preceding
            )
            signature = (ends, heads)
            group = groups.get(signature)
            if group is None:
                group = groups[signature] = len(groups)
                after = set().union(*(following[end] for end in ends))
                before = set().union(*(preceding[head] for head in heads))
                # Characters are keyed as they sit in the haystack (byte-swapped).
                keys.extend((group << 17) | (_swap(ord(char)) << 1) for char in after)
                keys.extend((group << 17) | (_swap(ord(char)) << 1) | 1 for char in before)
            group_of.append(group)
        self._straddle_keys = np.unique(np.array(keys, dtype=np.int64))
        self._straddle_group = np.array(group_of or [0], dtype=np.int64)
        # The same pairs as two dense tables (group × character seen in a pair), for
        # look-ups without a search when they stay small.
        chars = np.unique((self._straddle_keys >> 1) & 0xFFFF)
        self._char_index = np.zeros(0x10000, dtype=np.int32)
        self._char_index[chars] = np.arange(1, len(chars) + 1, dtype=np.int32)
        self._dense = None
        if len(groups) * (len(chars) + 1) <= 32_000_000:
            dense = np.zeros((2, len(groups), len(chars) + 1), dtype=bool)
            keys_array = self._straddle_keys
            dense[
                keys_array & 1,
                keys_array >> 17,
                self._char_index[(keys_array >> 1) & 0xFFFF],
            ] = True
            self._dense = dense
        # A pattern that contains a whole replacement with text on both sides.
        self._always_check = np.zeros(max(1, len(self.replacements)), dtype=bool)
        present = [(i, text) for i, text in enumerate(folded_replacements) if text]
        if present:
            finder = ahocorasick_rs.AhoCorasick([text for _, text in present])
            for found, _, _ in finder.find_matches_as_indexes(
                "\n".join(self.patterns), overlapping=True
            ):
                self._always_check[present[found][0]] = True

    def straddle_suspects(self, text: str, matches: Matches) -> np.ndarray:
        """Return the indexes of the matches whose replacement may form a new match with
        the characters next to it in the replaced text."""
        if self._straddle_keys is None or not len(matches):
            return np.zeros(0, dtype=np.int64)
        folded = matches.folded
        if folded is None:
            folded = haystack(text_units(text))
        starts, ends = matches.starts, matches.ends
        if len(folded) != len(text):
            return np.arange(len(matches))  # astral characters: check every replacement
        targets = self.targets(matches)
        first_units, last_units = self._replacement_edges()
        count = len(folded)
        # The character after a replacement: the text's, or the next replacement's first.
        after = np.where(ends < count, folded[np.minimum(ends, count - 1)], 0).astype(np.int64)
        adjacent = np.zeros(len(matches), dtype=bool)
        adjacent[:-1] = starts[1:] == ends[:-1]
        after[:-1] = np.where(adjacent[:-1], first_units[targets[1:]], after[:-1])
        before = np.where(starts > 0, folded[np.maximum(starts - 1, 0)], 0).astype(np.int64)
        joined = np.zeros(len(matches), dtype=bool)
        joined[1:] = adjacent[:-1]
        before[1:] = np.where(joined[1:], last_units[targets[:-1]], before[1:])
        groups = self._straddle_group[targets]
        if self._dense is not None:
            suspect = self._dense[0, groups, self._char_index[after]]
            suspect |= self._dense[1, groups, self._char_index[before]]
        else:
            keys_after = (groups << 17) | (after << 1)
            keys_before = (groups << 17) | (before << 1) | 1
            suspect = _member(keys_after, self._straddle_keys) | _member(
                keys_before, self._straddle_keys
            )
        suspect |= self._always_check[targets]
        return np.flatnonzero(suspect)

    def _replacement_edges(self) -> tuple[np.ndarray, np.ndarray]:
        edges = getattr(self, "_edges", None)
        if edges is None:
            from mamori.engines.codenames._normalize import normalize

            folded = [normalize(rep) or "\0" for rep in self.replacements]
            edges = (
                np.array([_swap(ord(text[0])) for text in folded] or [0], dtype=np.int64),
                np.array([_swap(ord(text[-1])) for text in folded] or [0], dtype=np.int64),
            )
            self._edges = edges
        return edges

    def forms_new_match(self, replaced: str, original: str, matches: Matches) -> bool:
        """Return whether a replacement in ``replaced`` (made from ``original`` by replacing
        ``matches``) forms a match with its neighbours: then replacing again changes more."""
        suspects = self.straddle_suspects(original, matches)
        if not len(suspects):
            return False
        lengths = np.array([len(rep) for rep in self.replacements] or [0], dtype=np.int64)
        targets = self.targets(matches)
        delta = lengths[targets] - (matches.ends - matches.starts)
        shift = np.concatenate([[0], np.cumsum(delta)[:-1]])
        out_starts = (matches.starts + shift)[suspects].tolist()
        out_ends = (matches.starts + shift + lengths[targets])[suspects].tolist()
        reach = self.max_units
        # Every suspect's neighbourhood, searched at once: a line break ends any match.
        windows, bounds, position = [], [], 0
        for start, end in zip(out_starts, out_ends, strict=True):
            low = max(0, start - reach)
            window = replaced[low : end + reach]
            windows.append(window)
            bounds.append((position, position + start - low, position + end - low))
            position += len(window) + 1
        found = self.find("\n".join(windows))
        if not len(found):
            return False
        firsts = [first for first, _, _ in bounds]
        for _, first, last in found.tuples():
            index = bisect.bisect_right(firsts, first) - 1
            _, start, end = bounds[index]
            if first >= start and last <= end:
                continue  # inside the replacement itself (cannot happen: checked on load)
            if first <= end and last >= start:
                return True  # across or next to the replacement's edge
        return False


PARALLEL_UNITS = 1 << 21  # texts shorter than this (2M characters) are searched at once


def _pieces(folded: np.ndarray) -> list[tuple[int, int]]:
    """Return where to cut a haystack for a parallel search: after a line break near
    the middle, or nowhere."""
    count = len(folded)
    if count < PARALLEL_UNITS or (os.cpu_count() or 1) < 2:
        return [(0, count)]
    middle = count // 2
    window = folded[middle : middle + (1 << 20)]
    breaks = np.flatnonzero(window == _NEWLINE_ELEMENT)
    if not len(breaks):
        return [(0, count)]
    cut = middle + int(breaks[0]) + 1
    return [(0, cut), (cut, count)]


def _automaton(patterns: Sequence[str]) -> Any:
    return ahocorasick_rs.BytesAhoCorasick(
        [pattern_bytes(text) for text in patterns],
        matchkind=ahocorasick_rs.MatchKind.LeftmostLongest,
    )


def _swap(code: int) -> int:
    return ((code & 0xFF) << 8) | (code >> 8)


_NEWLINE_ELEMENT = np.uint16(_swap(ord("\n")))


def _member(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    if not len(table):
        return np.zeros(len(values), dtype=bool)
    positions = np.searchsorted(table, values)
    positions = np.minimum(positions, len(table) - 1)
    return table[positions] == values


def _to_string_offsets(array: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Turn code-unit offsets into string indexes where astral characters (two units)
    come before them."""
    lows = np.flatnonzero((units >= 0xDC00) & (units <= 0xDFFF))
    array = array.copy()
    for column in (1, 2):
        array[:, column] -= np.searchsorted(lows, array[:, column], side="left")
    return array


class _Resolver:
    """Compute the leftmost-longest valid matches where raw matches were not valid.

    From the search position before an invalid raw match, every occurrence of every
    pattern in a small window is listed (an overlapping search), the invalid ones are
    dropped, and the leftmost-longest of the rest is taken, match after match, until the
    search agrees with the raw one again: it picks a raw match, or no valid match starts
    before a position where the raw search also stood. The raw matches are used from
    there on. The window grows when the text has invalid matches close together.
    """

    def __init__(
        self,
        matcher: Matcher,
        automaton: Any,
        numbers: np.ndarray | None,
        data: np.ndarray,
        folded: np.ndarray,
    ):
        self.matcher = matcher
        self.haystack = data
        self.folded = folded
        self.reach = 2 * matcher.max_units  # a pattern's length in bytes

    def resolve(self, raw: np.ndarray, invalid: np.ndarray) -> np.ndarray:
        """Return the valid matches of a whole text, given its raw matches (rows of byte
        offsets) and which of them are invalid; only the invalid ones are visited."""
        self.raw = raw
        self.starts = np.ascontiguousarray(raw[:, 1])
        self.ends = np.ascontiguousarray(raw[:, 2])
        count = len(raw)
        chunks: list[np.ndarray] = []
        index, position = 0, 0
        for bad in np.flatnonzero(invalid).tolist():
            if bad < index:
                continue  # passed over by the search after an earlier invalid match
            if bad > index:
                chunks.append(raw[index:bad])
                position = int(self.ends[bad - 1])
            found, index, position = self._from(position, bad, count)
            if found:
                chunks.append(np.array(found, dtype=np.int64).reshape(-1, 3))
            if index >= count:
                break
        if index < count:
            chunks.append(raw[index:])
        return np.concatenate(chunks) if chunks else raw[:0]

    def _from(
        self, position: int, bad: int, count: int
    ) -> tuple[list[tuple[int, int, int]], int, int]:
        """Search on from ``position``, where the raw search found the invalid match
        ``bad``; return the valid matches found, the index of the raw match to go on
        with, and the search position there."""
        found: list[tuple[int, int, int]] = []
        high = len(self.haystack)
        width = 2 * self.reach + 256
        while True:
            window_end = min(high, position + width)
            settled = high if window_end == high else window_end - self.reach
            candidates = self._candidates(position, window_end)
            cursor = 0
            while True:
                # Where the raw search stood next: at the end of the invalid match or later.
                other = max(bad, int(np.searchsorted(self.ends, position, side="left")))
                while cursor < len(candidates) and candidates[cursor][1] < position:
                    cursor += 1
                match = candidates[cursor] if cursor < len(candidates) else None
                if match is not None and match[1] >= settled:
                    match = None  # beyond what this window can tell: look further
                    unsure = True
                else:
                    unsure = False
                if (
                    other < count
                    and int(self.ends[other]) <= settled
                    and (match is None or match[1] >= int(self.ends[other]))
                ):
                    # No valid match starts before where the raw search stood.
                    return found, other + 1, int(self.ends[other])
                if match is None:
                    if other >= count:
                        # The raw search found nothing after its last match, so nothing
                        # (valid or not) starts from here on.
                        return found, count, position
                    if window_end == high and not unsure:
                        return found, count, high
                    break  # widen the window
                found.append(match)
                position = match[2]
                same = int(np.searchsorted(self.starts, match[1], side="left"))
                if (
                    same < count
                    and int(self.starts[same]) == match[1]
                    and int(self.ends[same]) == match[2]
                ):
                    return found, same + 1, position  # the raw search picked it too
            width *= 2

    def _candidates(self, low: int, high: int) -> list[tuple[int, int, int]]:
        """Return every valid occurrence of a pattern in bytes [low, high), leftmost
        first and, at one start, longest first."""
        occurrences = self.matcher.overlapping().find_matches_as_indexes(
            self.haystack[low:high], overlapping=True
        )
        valid = self.matcher.valid
        folded = self.folded
        found = [
            (pattern, start + low, end + low)
            for pattern, start, end in occurrences
            if valid(pattern, start + low, end + low, folded)
        ]
        found.sort(key=lambda match: (match[1], -match[2]))
        return found

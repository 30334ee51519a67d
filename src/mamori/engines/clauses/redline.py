"""The negotiation draft: a checked contract with what it lacks proposed in its own words.

For a Word file, the original comes back with every missing clause inserted as a tracked
change (``w:ins``, author "mamori") before the general provisions (or after the last article),
numbered to follow the contract's numbering, and a Word comment on every weak clause with
the reason and the model wording. Only ``word/document.xml`` and the comments part change
(plus, when the file had no comments, one ``Override`` in ``[Content_Types].xml`` and one
relationship in ``word/_rels/document.xml.rels``); every other part is copied unchanged.
For a PDF or a text file, a new Word file lists the proposed clauses under the articles they
follow::

    report = check_document(data, name=name, requirements=requirements)
    draft = redline(data, name=name, report=report, texts=texts, labels=labels)
    draft.data, draft.inserted, draft.commented, draft.changed_parts

The model wordings use 甲 / 乙, 本目的… (the Discloser, the Recipient, the Purpose…); they are
rewritten with the contract's own party names and defined terms (``redline.yaml``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from mamori.engines.clauses._errors import RequirementsError
from mamori.engines.clauses._model import CheckReport, ClauseResult, Contract, Status
from mamori.engines.clauses._readers import _roman
from mamori.engines.clauses._text import kanji_number

__all__ = [
    "AUTHOR",
    "ClauseText",
    "Draft",
    "Insertion",
    "Wording",
    "article_label",
    "comment_text",
    "insertion_comment",
    "load_wording",
    "redline",
]

AUTHOR = "mamori"
DATA = Path(__file__).with_name("redline.yaml")


@dataclass(frozen=True)
class ClauseText:
    """What the catalog says of one clause, in both languages (``{"ja": …, "en": …}``)."""

    key: str
    title: Mapping[str, str]
    model: Mapping[str, str]
    why: Mapping[str, str] = field(default_factory=dict)
    weak: Mapping[str, str] = field(default_factory=dict)

    def get(self, what: str, language: str) -> str:
        texts: Mapping[str, str] = getattr(self, what)
        return texts.get(language) or texts.get("ja") or ""

    @classmethod
    def from_catalog(cls, clause: Any) -> ClauseText:
        """Return the texts of a catalog clause (``title``, ``model``, ``why`` and
        ``weak.text``, each with ``get(language)``)."""

        def both(text: Any) -> dict[str, str]:
            return {"ja": text.get("ja"), "en": text.get("en")}

        return cls(
            key=clause.key,
            title=both(clause.title),
            model=both(clause.model),
            why=both(clause.why),
            weak=both(clause.weak.text),
        )


@dataclass(frozen=True)
class Insertion:
    """A missing clause proposed as a new article: its number label, heading and text."""

    key: str
    label: str  # 第11条の2, Article 12A, 13.
    heading: str
    text: str
    after: str  # the article it follows (as the contract names it), or "" at the start


@dataclass(frozen=True)
class Draft:
    """The negotiation draft: the .docx bytes and what was proposed.

    ``kind`` is ``tracked`` (the original Word file with tracked changes and comments) or
    ``list`` (a new Word file listing the proposals, for PDF and text input).
    """

    data: bytes
    kind: str
    inserted: tuple[Insertion, ...]
    commented: tuple[str, ...]  # keys of the weak clauses that got a comment
    changed_parts: tuple[str, ...] = ()


# --- the contract's own words ---------------------------------------------------------------


@dataclass(frozen=True)
class _Names:
    model: tuple[str, ...]
    contract: tuple[str, ...]


@dataclass(frozen=True)
class Wording:
    """``redline.yaml`` for one language: roles and terms, general provisions, signature."""

    language: str
    names: Mapping[str, _Names]
    headings: Mapping[str, str]
    general: re.Pattern[str]
    signature: re.Pattern[str]

    def vocabulary(self, text: str) -> dict[str, str]:
        """Return how the contract ``text`` spells each model name: ``{"甲": "開示者"}``.

        A spelling counts when the contract defines it (「開示者」, “Disclosing Party”) or uses
        it at least twice (甲 three times, being one character); names used by no
        contract spelling are left out.
        """
        english = self.language == "en"
        mapping: dict[str, str] = {}
        taken: set[str] = set()
        for names in self.names.values():
            used = [
                (spelling, _uses(text, spelling, english))
                for spelling in names.contract
                if spelling not in taken
            ]
            used = [(spelling, uses) for spelling, uses in used if uses]
            if not used:
                continue
            # A defined spelling first (in the data's order), else the one used most.
            defined = [spelling for spelling, uses in used if uses == DEFINED]
            spelling = defined[0] if defined else max(used, key=lambda item: item[1])[0]
            taken.add(spelling)
            for model in names.model:
                if not english:
                    mapping[model] = spelling
                    continue
                mapping[model] = _with_article(text, model, spelling)
                if model[:1].islower():  # the same name at the start of a sentence
                    capital = model[:1].upper() + model[1:]
                    replacement = mapping[model]
                    mapping.setdefault(capital, replacement[:1].upper() + replacement[1:])
        if not english and mapping.get("甲", "甲") != "甲" and "乙" in mapping:
            mapping["甲乙"] = f"{mapping['甲']}及び{mapping['乙']}"
        return mapping

    def apply(self, model_text: str, vocabulary: Mapping[str, str]) -> str:
        """Return ``model_text`` with each model name in the contract's spelling."""
        if not vocabulary:
            return model_text
        names = sorted(vocabulary, key=len, reverse=True)
        pattern = "|".join(re.escape(name) for name in names)
        if self.language == "en":
            pattern = rf"(?<![\w])(?:{pattern})(?![\w])"
        return re.sub(pattern, lambda match: vocabulary[match.group(0)], model_text)


DEFINED = 10**9  # what _uses returns for a spelling the contract defines


def _uses(text: str, spelling: str, english: bool) -> int:
    """Return how often the contract uses ``spelling`` (``DEFINED`` when it defines it; 0
    when it is used too rarely to count: once, or a single kanji fewer than three times)."""
    if english:
        if re.search(rf"[\"“]{re.escape(spelling)}[\"”]", text):
            return DEFINED
        count = len(re.findall(rf"(?<![\w]){re.escape(spelling)}(?![\w])", text))
        return count if count >= 2 else 0
    if f"「{spelling}」" in text:
        return DEFINED
    count = text.count(spelling)
    return count if count >= (3 if len(spelling) == 1 else 2) else 0


def _with_article(text: str, model: str, spelling: str) -> str:
    """Return ``spelling`` with the model's "this" (always) or "the" (when the contract
    writes it so), in the model's case."""
    first, _space, _rest = model.partition(" ")
    if first.lower() == "this":
        return f"{first} {spelling}"
    if first.lower() != "the":
        return spelling
    escaped = re.escape(spelling)
    with_the = len(re.findall(rf"\b[Tt]he [\"“]?{escaped}(?![\w])", text))
    bare = len(re.findall(rf"(?<![\w]){escaped}(?![\w])", text)) - with_the
    return f"{first} {spelling}" if with_the >= bare else spelling


@functools.cache
def load_wording(path: Path = DATA) -> dict[str, Wording]:
    """Return the wording data by language; raise ``RequirementsError`` naming the file and
    the entry when it is incomplete or a pattern is invalid."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    wordings = {}
    for language in ("ja", "en"):
        entry = raw.get(language) or {}
        try:
            names = {
                key: _Names(tuple(value["model"]), tuple(value["contract"]))
                for group in ("roles", "terms")
                for key, value in entry[group].items()
            }
            wordings[language] = Wording(
                language=language,
                names=names,
                headings={str(key): str(value) for key, value in entry["headings"].items()},
                general=re.compile("|".join(entry["general"]), re.IGNORECASE),
                signature=re.compile("|".join(entry["signature"]), re.IGNORECASE),
            )
        except (KeyError, TypeError, re.error) as exc:
            raise RequirementsError(
                f"{path.name}: {language}: incomplete or invalid ({exc})"
            ) from exc
    return wordings


# --- numbering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    """How the contract numbers its articles, learnt from one article heading."""

    language: str
    prefix: str = ""  # 第, Article, Section, ARTICLE
    kanji: bool = False
    full_width: bool = False
    roman: bool = False
    dotted: bool = False  # "12." (a numbered heading)
    bracket: bool = True  # 第1条（目的） rather than 第1条 目的
    upper: bool = False  # ARTICLE 5 CONFIDENTIALITY

    def number(self, number: int, branch: int = 0) -> str:
        if self.language == "ja" and self.prefix == "第":
            digits = kanji_number_text(number) if self.kanji else _digits(number, self.full_width)
            branch_text = ""
            if branch:
                branch_text = "の" + (
                    kanji_number_text(branch) if self.kanji else _digits(branch, self.full_width)
                )
            return f"第{digits}条{branch_text}"
        digits = _roman(number) if self.roman else _digits(number, self.full_width)
        if self.roman and self.prefix.isupper():
            digits = digits.upper()
        suffix = chr(ord("A") + branch - 1) if branch else ""
        if self.prefix:
            return f"{self.prefix} {digits}{suffix}"
        return f"{digits}{suffix}."

    def heading(self, label: str, title: str) -> str:
        if self.upper:
            title = title.upper()
        if self.language == "ja":
            return f"{label}（{title}）" if self.bracket else f"{label}　{title}"
        if self.prefix:
            return f"{label}. {title}" if not self.bracket else f"{label} ({title})"
        return f"{label} {title}"


def kanji_number_text(number: int) -> str:
    digits = "〇一二三四五六七八九"
    if number < 10:
        return digits[number]
    if number < 100:
        tens, ones = divmod(number, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    return str(number)


def _digits(number: int, full_width: bool) -> str:
    text = str(number)
    if full_width:
        return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return text


_HEAD_JA = re.compile(
    r"^第\s*([0-9０-９]+|[一二三四五六七八九十百〇]+)\s*条(?:の[0-9０-９一二三四五六七八九十]+)?"
    r"[\s　]*([（(])?"
)
_HEAD_EN = re.compile(r"^(article|section|clause)\s+(\d+|[ivxlc]+)\b\.?\s*([(])?", re.IGNORECASE)
_HEAD_NUMBERED = re.compile(r"^([0-9０-９]{1,2})\s*[.．](?![0-9０-９])\s*\S")


def learn_style(heading: str, language: str) -> _Style | None:
    """Return how ``heading`` (an article's heading line) numbers articles, or ``None``."""
    text = heading.strip()
    match = _HEAD_JA.match(text)
    if match:
        number = match.group(1)
        return _Style(
            language="ja",
            prefix="第",
            kanji=not re.match(r"[0-9０-９]", number),
            full_width=bool(re.match(r"[０-９]", number)),
            bracket=bool(match.group(2)) or not text[match.end() :].strip(),
        )
    match = _HEAD_EN.match(text)
    if match:
        rest = text[match.end() :]
        return _Style(
            language=language,
            prefix=match.group(1),
            roman=not match.group(2).isdigit(),
            bracket=bool(match.group(3)),
            upper=bool(rest) and rest.isupper(),
        )
    match = _HEAD_NUMBERED.match(text)
    if match:
        rest = text[match.end() - 1 :]
        return _Style(
            language=language,
            dotted=True,
            full_width=bool(re.match(r"[０-９]", match.group(1))),
            bracket=False,
            upper=rest.isupper(),
            prefix="",
        )
    return None


def article_number(heading: str) -> int | None:
    """Return the number of an article heading (第十二条, Article XII, 12.), or ``None``."""
    text = heading.strip()
    match = _HEAD_JA.match(text)
    if match:
        value = match.group(1)
        if re.fullmatch(r"[0-9０-９]+", value):
            return int(value.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
        return kanji_number(value)
    match = _HEAD_EN.match(text)
    if match:
        value = match.group(2)
        return int(value) if value.isdigit() else _from_roman(value)
    match = _HEAD_NUMBERED.match(text)
    if match:
        return int(match.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    return None


def _from_roman(text: str) -> int | None:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    text = text.lower()
    total = 0
    for index, char in enumerate(text):
        value = values[char]
        following = values[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total or None


def article_label(style: _Style | None, language: str, number: int, branch: int = 0) -> str:
    """Return the label of article ``number`` (with a branch number: 第11条の2, 11A)."""
    style = style or _Style(language=language, prefix="第" if language == "ja" else "Article")
    return style.number(number, branch)


# --- planning: what goes where ----------------------------------------------------------------


def plan_insertions(
    headings: Sequence[tuple[str, int | None, str]],
    missing: Sequence[ClauseResult],
    texts: Mapping[str, ClauseText],
    language: str,
    vocabulary: Mapping[str, str],
    *,
    renumbered: bool = False,
) -> tuple[int | None, tuple[Insertion, ...]]:
    """Return the index in ``headings`` (article heading line, number, title — "" to take
    it from the line) before which the
    missing clauses go (``None``: after the last article) and the proposed articles.

    Before the general provisions, new articles take branch numbers of the article before
    them (第11条の2, Section 11A), so that no article of the contract is renumbered — unless
    ``renumbered``: Word numbers the articles itself, and the new ones simply take the next
    numbers. After the last article they continue its numbering.
    """
    wording = load_wording()[language]
    before = None
    for index, (heading, _number, given) in enumerate(headings):
        title = given or _heading_title(heading)
        if index and title and wording.general.search(title):
            before = index
            break
    last_index = (before - 1) if before is not None else len(headings) - 1
    anchor_heading, anchor_number, _title = headings[last_index] if headings else ("", 0, "")
    style = learn_style(anchor_heading, language) if anchor_heading else None
    anchor_number = anchor_number or 0
    insertions = []
    for offset, result in enumerate(missing, start=1):
        text = texts.get(result.key)
        if text is None:
            continue
        if before is None or renumbered:
            label = article_label(style, language, anchor_number + offset)
        else:
            label = article_label(style, language, anchor_number, offset + 1)
        title = wording.headings.get(result.key) or text.get("title", language)
        heading = (style or _Style(language=language)).heading(label, title)
        insertions.append(
            Insertion(
                key=result.key,
                label=label,
                heading=heading,
                text=wording.apply(text.get("model", language), vocabulary),
                after=anchor_heading.strip(),
            )
        )
    return before, tuple(insertions)


def _heading_title(heading: str) -> str:
    """Return the title of an article heading line (第12条（協議） → 協議, "12. General
    Terms" → General Terms), or "" when the line holds the article's text instead."""
    text = heading.strip()
    for pattern in (_HEAD_JA, _HEAD_EN, _HEAD_NUMBERED):
        match = pattern.match(text)
        if match:
            rest = text[match.end() - (1 if pattern is _HEAD_NUMBERED else 0) :].strip()
            break
    else:
        rest = text
    if rest.startswith(("（", "(")):
        return re.split(r"[）)]", rest[1:], maxsplit=1)[0].strip()
    title = re.split(r"(?<=[a-z)])\.\s|[。：:]", rest, maxsplit=1)[0].strip(" .．　")
    if len(title) <= 20 or (re.match(r"[A-Za-z]", title) and len(title.split()) <= 8):
        return title
    return ""


def comment_text(
    result: ClauseResult,
    text: ClauseText | None,
    language: str,
    labels: Mapping[str, str],
    vocabulary: Mapping[str, str],
) -> list[str]:
    """Return the paragraphs of the comment on a weak clause: status and title, the reasons,
    what makes it weak, and the model wording in the contract's words."""
    english = language == "en"
    if text is not None:
        title = text.get("title", language)
    else:
        title = result.title_en if english else result.title_ja
    label = labels.get(str(result.status), str(result.status))
    paragraphs = [f"mamori: {label} — {title}" if english else f"mamori：{label} — {title}"]
    paragraphs += [reason.get(language) for reason in result.reasons]
    if text is not None:
        if text.get("weak", language):
            paragraphs.append(text.get("weak", language))
        wording = load_wording()[language]
        model = wording.apply(text.get("model", language), vocabulary)
        paragraphs.append(("Model wording: " if english else "条文例：") + model)
    return [paragraph for paragraph in paragraphs if paragraph]


def insertion_comment(text: ClauseText, language: str, labels: Mapping[str, str]) -> list[str]:
    """Return the paragraphs of the comment on an inserted clause: status, title and why."""
    head = "mamori: {label} — {title}" if language == "en" else "mamori：{label} — {title}"
    label = labels.get("missing", "missing")
    paragraphs = [head.format(label=label, title=text.get("title", language))]
    why = text.get("why", language)
    return paragraphs + ([why] if why else [])


def needs_work(report: CheckReport) -> tuple[tuple[ClauseResult, ...], tuple[ClauseResult, ...]]:
    """Return the required clauses that are missing and those that are weak."""
    missing = tuple(r for r in report.required if r.status == Status.MISSING)
    weak = tuple(r for r in report.required if r.status == Status.WEAK)
    return missing, weak


def redline(
    data: bytes,
    *,
    name: str,
    report: CheckReport,
    contract: Contract,
    texts: Mapping[str, ClauseText],
    labels: Mapping[str, str],
    now: datetime | None = None,
) -> Draft:
    """Return the negotiation draft of a checked contract (``report`` of ``contract``, read
    from ``data``): the Word file with tracked changes and comments for a .docx, a new Word
    file listing the proposals for PDF and text. ``labels`` are the status labels
    (present / weak / missing) in the contract's language.

    Raise ``CorruptDocument`` when the Word file cannot be rewritten.
    """
    from mamori.engines.clauses import _redline_docx, _redline_list

    now = (now or datetime.now(UTC)).replace(microsecond=0)
    if report.format == "docx":
        return _redline_docx.redline_docx(
            data,
            name=name,
            report=report,
            contract=contract,
            texts=texts,
            labels=labels,
            now=now,
        )
    return _redline_list.proposal_docx(
        name=name, report=report, contract=contract, texts=texts, labels=labels, now=now
    )

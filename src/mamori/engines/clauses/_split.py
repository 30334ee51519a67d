"""Split a document's lines into articles, paragraphs and sentences.

Japanese contracts number articles 第N条（見出し）, paragraphs 2, 3… and items （1）, 一, ①;
English ones use "Article N" or "Section N", paragraphs 5.1 and (a). A contract with neither
is split at numbered headings ("1. Definitions", "1．目的") or Word heading styles. Article
numbers must grow, so that a reference such as 第3条に定める at the start of a wrapped line
is not taken for an article. Lines before the first article are the preamble; 別紙,
Schedule, Appendix… start appendices. A Word paragraph of a Japanese article that breaks off
in the middle of a sentence (a comma or a word, no 。) is continued by the next.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from mamori.engines.clauses._model import Article, Contract, Document, Line, Sentence
from mamori.engines.clauses._text import (
    TERMINATORS,
    WORD_NUMBER,
    clean,
    is_japanese,
    join_lines,
    kanji_number,
    normalise,
    sentences,
    word_number,
)

_NUM = r"[0-9０-９]+|[一二三四五六七八九十百〇]+"
ARTICLE_JA = re.compile(
    rf"^第\s*({_NUM})\s*条(?:の[0-9０-９一二三四五六七八九十]+)?(?=$|[\s　(（:：.．])\s*(.*)$"
)
# "Article 5", "SECTION V", "ARTICLE – 1", "SECTION FOURTEEN" (a number in words, as some
# filings spell it)
ARTICLE_EN = re.compile(
    rf"^(article|section|clause)(?:\s+|\s*[-–—]\s*)(\d+|[ivxlc]+|{WORD_NUMBER})(?![.]\d)\.?"
    r"(?=$|[\s.:\-–—(])\s*(.*)$",
    re.IGNORECASE,
)
# "7. Confidentiality", "7.0 Confidentiality", "７．秘密保持"
NUMBERED_HEADING = re.compile(r"^([0-9０-９]{1,2})\s*[.．](?:0(?=\s))?\s*(\S.*)$")
# "7 CONFIDENTIALITY": a number and an all-capital heading.
CAPS_HEADING = re.compile(r"^([0-9]{1,2})\s+([A-Z][A-Z0-9 ,;&'’/()\-–]{2,100})$")
# "4 Intellectual Property." — a number and a title, where a document numbers its articles so.
PLAIN_HEADING = re.compile(r"^([0-9]{1,2})\s+([A-Z]\S*(?:\s.*)?)$")
# "4) Compensation" — likewise.
PAREN_HEADING = re.compile(r"^([0-9]{1,2})\)\s*([A-Z]\S*(?:\s.*)?)$")
# A table of contents' line: dot leaders, or several entries with their pages
# ("1. Interpretation 3 2. Commencement 4 3. Duties 4", "1 DEFINITIONS 2 2 BASIC TERMS 5").
CONTENTS_LINE = re.compile(r"\.{4,}|…{2,}|(?:\s\d{1,3}\s+\d{1,2}(?:\.\s+\S|\s+[A-Z])[^.]*?){2}")
# "1 OCTOBER 2019" on a cover is a date, not an article.
DATE = re.compile(
    r"^(january|february|march|april|may|june|july|august|september|october|november|december)"
    r"[\s,]*\d{4}$",
    re.IGNORECASE,
)
SUB_NUMBER = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.?(?:\s|$)")
# Commentary in a model contract (the METI/JPO モデル契約書): ＜ポイント＞, ＜解説＞,
# 【コラム】, 【…オプション…】 and 【…の例】 blocks run until the next article; they are not
# the contract.
COMMENTARY_START = re.compile(
    r"^[＜<〈](ポイント|解説|注)[＞>〉]|^【(コラム|[^】]*(オプション|の例|記載例))"
)
ARTICLE_TITLE_JA = re.compile(
    rf"^[\ue000-\uf8ff■□◆◇●○◎・\s]*第?\s*(?:{_NUM})\s*条\s*[(（]([^)）]{{1,30}})[)）]\s*(?:[0-9０-９]{{1,3}})?$"
)
BRACKETED = re.compile(r"^[(（]([^)）]{1,30})[)）]\s*(.*)$")
# A heading that names the preamble (a model contract puts a cover before it).
PREAMBLE_HEADING = re.compile(r"^[\ue000-\uf8ff■□◆◇●○◎・\s]*(前文|preamble)$", re.IGNORECASE)
# "Schedule 1", "Exhibit B", "Annexure 2", "Attachment A", "Appendix IV", 別紙1; a mark is a
# number or a letter, not a word ("Schedule of Prices", "Schedules").
APPENDIX = re.compile(
    r"^(別紙|別表|付属書|appendix|schedule|exhibit|annexure|annex|attachment)\s*"
    r"((?:[0-9０-９]+|[一二三四五六七八九十]+|(?<=\s)(?:[ivx]{1,5}|[a-z]))?(?:[.\-–][0-9]+)*)"
    r"(?=$|[\s　:：(（.．\-–—])\s*(.*)$",
    re.IGNORECASE,
)
PARAGRAPH_MARKERS = (
    # Japanese paragraph numbers (2, ２) followed by a space or Japanese text; sequential.
    ("number", re.compile(r"^([0-9０-９]{1,2})(?:[\s　]+|(?=[\u3040-\u9fff「]))(\S.*)$")),
    (
        "item",
        re.compile(
            r"^([(（](?:[0-9０-９]{1,2}|[一二三四五六七八九十]+|[a-zｱ-ﾝア-ン])[)）])\s*(\S.*)$"
        ),
    ),
    ("item", re.compile(r"^([一二三四五六七八九十]+)[\s　、]+(\S.*)$")),
    ("item", re.compile(r"^([①-⑳])\s*(\S.*)$")),
    ("sub", re.compile(r"^(\d+\.\d+(?:\.\d+)?)\.?\s+(\S.*)$")),
    ("item", re.compile(r"^(\((?:[a-z]|[ivx]{1,4}|\d{1,2})\))\s+(\S.*)$")),
    ("item", re.compile(r"^((?:[a-z]|[ivx]{1,4})\))\s+(\S.*)$")),
)
PARAGRAPH_NUMBER = re.compile(r"^([0-9０-９]{1,2}|\d+\.\d+(\.\d+)?)$")
LIST_LEAD = re.compile(r"次の各号|次に掲げる|以下の各号|次のいずれか|the following|as follows|:$")
EN_PARAGRAPH = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


def _en_number(raw: str) -> int | None:
    """Return the value of an English article number: 5, V or five."""
    return int(raw) if raw.isdigit() else _roman(raw) or word_number(raw)


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


@dataclass(frozen=True)
class _Head:
    label: str
    number: int | None
    heading: str
    rest: str
    kind: str = "article"
    keep_line: bool = False  # the line is also the article's first paragraph


# Words a title leaves in lower case ("Term and Termination", "Scope of Work").
_MINOR = r"(?:and|or|of|the|for|to|in|on|by|with|&)"


def _split_heading_en(rest: str) -> tuple[str, str]:
    """Return (heading, body) of the text after "Article 5": a short title, a title
    followed by a full stop and the body, or only the body."""
    rest = rest.lstrip(" .:-–—\t")
    bracketed = BRACKETED.match(rest)
    if bracketed:
        return bracketed.group(1).strip(), bracketed.group(2).strip()
    run_in = re.match(r"^([A-Z][^.;:]{0,60}?)[.:]\s+(\S.*)$", rest)
    if (
        run_in
        and len(run_in.group(1).split()) <= 8
        and not re.search(r"\b(shall|will|may|must|is|are)\b", run_in.group(1))
    ):
        return run_in.group(1).strip(), run_in.group(2).strip()
    if rest and len(rest.split()) <= 8 and not rest.endswith((".", ";")):
        return rest.strip(), ""
    if re.fullmatch(rf"[A-Z][\w'’&-]*(?:\s(?:{_MINOR}|[A-Z][\w'’&-]*)){{0,7}}\.", rest.strip()):
        # A title alone with its full stop: "Entire Agreement.", "Term and Termination."
        return rest.strip().rstrip("."), ""
    if rest.isupper() and len(rest.split()) <= 16:
        return rest.strip(), ""  # an all-capital heading
    return "", rest.strip()


def _split_heading_ja(rest: str) -> tuple[str, str]:
    rest = rest.strip(" 　:：.．")
    bracketed = BRACKETED.match(rest)
    if bracketed:
        return bracketed.group(1).strip(), bracketed.group(2).strip()
    if rest and len(rest) <= 20 and not re.search(r"[。、,]", rest):
        return rest, ""
    return "", rest


@dataclass
class _Builder:
    mode: str
    articles: list[Article] = field(default_factory=list)
    label: str = ""
    heading: str = ""
    kind: str = "preamble"
    number: int | None = None
    last_number: int = 0
    paragraphs: list[tuple[str, str]] = field(default_factory=list)
    buffer: str = ""
    buffer_label: str = ""
    last_paragraph: int = 1
    pending_heading: str = ""
    heading_next: bool = False  # "ARTICLE V" alone: its heading may be the next line
    commentary: bool = False  # inside a commentary block (skipped)
    own_numbering: bool = False  # an appendix numbers its sections anew: no article follows
    headed_numbers: frozenset[int] = frozenset()  # numbers some line heads with a title
    # The document's own heading styles: "4 Intellectual Property" (no full stop), "4) Fees"
    styles: tuple[re.Pattern, ...] = ()

    def flush_paragraph(self) -> None:
        if self.buffer.strip():
            self.paragraphs.append((self.buffer_label, self.buffer))
        self.buffer, self.buffer_label = "", ""

    def flush_article(self) -> None:
        self.flush_paragraph()
        if self.paragraphs or self.kind != "preamble" or self.heading:
            found: list[Sentence] = []
            lead = ""
            for block, (paragraph_label, text) in enumerate(self.paragraphs):
                item = bool(paragraph_label) and not PARAGRAPH_NUMBER.match(paragraph_label)
                for sentence in sentences(clean(text)):
                    norm = normalise(sentence)
                    context = lead if item else ""
                    found.append(Sentence(sentence, norm, paragraph_label, context, block))
                    if not item:
                        lead = norm if LIST_LEAD.search(norm) else ""
            self.articles.append(
                Article(
                    label=self.label,
                    heading=clean(self.heading),
                    sentences=tuple(found),
                    kind=self.kind,
                    number=self.number,
                    norm_heading=normalise(self.heading),
                    norm_text=" ".join(sentence.norm for sentence in found),
                )
            )
        self.paragraphs = []

    def start(self, head: _Head) -> None:
        self.flush_article()
        self.commentary = False
        self.label, self.number, self.kind = head.label, head.number, head.kind
        self.heading = head.heading or self.pending_heading
        self.pending_heading = ""
        if head.number is not None and head.kind == "article":
            self.last_number = head.number
        self.last_paragraph = 1
        if head.rest:
            self.buffer = head.rest


def _numbered_head(stripped: str, builder: _Builder, at_boundary: bool) -> _Head | None:
    """Return the head of a numbered article ("7. Confidentiality", "7 CONFIDENTIALITY",
    "7.1 Term." when no "7." was seen): the number must follow the last one."""
    match = _heading_match(stripped, builder.styles)
    if match:
        number = kanji_number(match.group(1))
        if number is not None and builder.last_number < number <= builder.last_number + 2:
            text = match.group(2)
            # A bilingual heading ("3. SHARING OF INVESTMENT 投资的分摊") is read by its first
            # language.
            japanese = is_japanese(text) and not text[:1].isascii()
            heading, rest = _split_heading_ja(text) if japanese else _split_heading_en(text)
            if heading:
                return _Head(f"{number}.", number, heading, rest)
            if (
                builder.mode == "numbered"
                and at_boundary
                and number == builder.last_number + 1
                and builder.label.endswith(".")
                and number not in builder.headed_numbers
                and not text[:1].islower()
                and not SUB_NUMBER.match(stripped)
            ):
                # A numbered paragraph without a heading that continues the articles'
                # numbering ("20. This final price is …"), where no later line heads that
                # number: an article of its own, not a part of the one before.
                return _Head(f"{number}.", number, "", text)
    match = SUB_NUMBER.match(stripped)
    if match and builder.mode != "ja" and at_boundary:
        number = int(match.group(1))
        if builder.last_number < number <= builder.last_number + 2 and int(match.group(2)) <= 2:
            # A sub-clause ("9.1") of an article whose own heading was not recognised: the
            # article starts here, and the line is its first paragraph.
            return _Head(f"{number}.", number, "", "", keep_line=True)
    return None


def _article_head(text: str, builder: _Builder, line: Line, at_boundary: bool) -> _Head | None:
    stripped = text.strip()
    if builder.mode == "ja":
        match = ARTICLE_JA.match(stripped)
        if match:
            number = kanji_number(match.group(1))
            if number is not None and number > builder.last_number:
                heading, rest = _split_heading_ja(match.group(2))
                return _Head(f"第{number}条", number, heading, rest)
        return None
    if builder.mode == "en":
        match = ARTICLE_EN.match(stripped)
        if match:
            raw = match.group(2)
            number = _en_number(raw)
            rest = match.group(3)
            alone = not rest and stripped.isupper()  # "ARTICLE X" on a line of its own
            if (
                number is not None
                and (number > builder.last_number or (alone and number != builder.last_number))
                and not (rest[:1].islower())
            ):
                heading, body = _split_heading_en(rest)
                builder.heading_next = not heading and not body
                return _Head(f"{match.group(1).capitalize()} {raw}", number, heading, body)
            return None
    head = _numbered_head(stripped, builder, at_boundary)
    if head:
        return head
    if builder.mode == "en":
        return None
    started = builder.kind != "preamble" or builder.paragraphs or builder.buffer
    if (
        line.heading
        and started
        and len(stripped) <= 80
        and not SUB_NUMBER.match(stripped)
        and not BRACKETED.match(stripped)
    ):
        # A heading style without a number: the article is named by its heading. The
        # first heading of the document is its title and stays in the preamble.
        return _Head(stripped, None, stripped, "")
    return None


def _heading_match(stripped: str, styles: tuple[re.Pattern, ...]) -> re.Match | None:
    """Return the match of a numbered heading ("7. Confidentiality", "7 CONFIDENTIALITY",
    and "7 Confidentiality" or "7) Confidentiality" where the document numbers its articles
    so), not of a date."""
    match = NUMBERED_HEADING.match(stripped) or CAPS_HEADING.match(stripped)
    for style in styles:
        match = match or style.match(stripped)
    if match and (DATE.match(match.group(2)) or CONTENTS_LINE.search(match.group(2))):
        return None
    return match


def _head_number(stripped: str, styles: tuple[re.Pattern, ...]) -> int | None:
    """Return the number of the article a line would head in any numbering style (第2条,
    Article II, "2. Term", "2.1 …"), or None."""
    match = (
        ARTICLE_JA.match(stripped)
        or ARTICLE_EN.match(stripped)
        or _heading_match(stripped, styles)
        or SUB_NUMBER.match(stripped)
    )
    if match is None:
        return None
    if match.re is ARTICLE_EN:
        return _en_number(match.group(2))
    return kanji_number(match.group(1))


# Prose rather than a title: words in lower case ("shall", "the") or Japanese text.
_PROSE_WORD = re.compile(r"(?<![\w'’])[a-z][a-z'’]*\b")
_KANA_KANJI = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


def _has_body(lines: tuple[Line, ...], start: int, styles: tuple[re.Pattern, ...]) -> bool:
    """Return whether article 1, headed at ``start``, holds text before article 2: a table of
    contents lists the headings (and sub-headings, in title case) with nothing between."""
    prose = 0
    for offset, line in enumerate(lines[start : start + 60]):
        stripped = " ".join(line.text.split())
        if offset and (_head_number(stripped, styles) == 2 or APPENDIX.match(stripped)):
            break  # the next article, or the appendices the contents list
        if not CONTENTS_LINE.search(stripped):
            # Eight words in lower case, or 24 Japanese characters (a heading has a few).
            prose += len(_PROSE_WORD.findall(stripped)) + len(_KANA_KANJI.findall(stripped)) // 3
        if prose >= 8:
            return True
    return False


def _first_article(lines: tuple[Line, ...], styles: tuple[re.Pattern, ...]) -> int:
    """Return the index of the line that heads article 1 (第1条, Article 1, "1. Definitions"),
    or 0 when none does. A table of contents before the contract lists article 1 too, with
    no text under it: the first heading that heads text is the article."""
    candidates = [
        index
        for index, line in enumerate(lines)
        if _head_number(" ".join(line.text.split()), styles) == 1
    ]
    for index in candidates:
        if _has_body(lines, index, styles):
            return index
    return candidates[0] if candidates else 0


def _heading_styles(lines: tuple[Line, ...]) -> tuple[re.Pattern, ...]:
    """Return the styles, beyond "7. Confidentiality", in which the document heads its
    articles: a number and a title without a full stop ("1 Supply of Ingredients", "2
    Quality", "3 Term.") or with a parenthesis ("1) Duties"), where 1, 2 and 3 all occur so.
    Where "1.", "2." and "3." head articles, "1) Hosting" is a list inside one of them."""
    numbers: dict[re.Pattern, set[int]] = {
        PLAIN_HEADING: set(),
        PAREN_HEADING: set(),
        NUMBERED_HEADING: set(),
    }
    for line in lines:
        stripped = " ".join(line.text.split())
        for style, found in numbers.items():
            match = style.match(stripped)
            if match and not DATE.match(match.group(2)) and _split_heading_en(match.group(2))[0]:
                found.add(kanji_number(match.group(1)))
    styles = [style for style in (PLAIN_HEADING, PAREN_HEADING) if {1, 2, 3} <= numbers[style]]
    if {1, 2, 3} <= numbers[NUMBERED_HEADING] and PAREN_HEADING in styles:
        styles.remove(PAREN_HEADING)
    return tuple(styles)


def _headed_numbers(lines: tuple[Line, ...], styles: tuple[re.Pattern, ...]) -> frozenset[int]:
    """Return the numbers that some line heads with a title ("7. Confidentiality")."""
    found = set()
    for line in lines:
        stripped = " ".join(line.text.split())
        match = _heading_match(stripped, styles)
        if match:
            text = match.group(2)
            japanese = is_japanese(text) and not text[:1].isascii()
            heading = (_split_heading_ja(text) if japanese else _split_heading_en(text))[0]
            number = kanji_number(match.group(1))
            if heading and number is not None:
                found.add(number)
    return frozenset(found)


def _mode(lines: tuple[Line, ...]) -> str:
    japanese = sum(1 for line in lines if ARTICLE_JA.match(line.text.strip()))
    english = sum(1 for line in lines if ARTICLE_EN.match(line.text.strip()))
    if japanese >= 1 and japanese >= english:
        return "ja"
    if english >= 1:
        return "en"
    return "numbered"


def _paragraph_marker(text: str, builder: _Builder, at_boundary: bool) -> tuple[str, str] | None:
    """Return (label, text) when the line starts a paragraph or item. A bare paragraph
    number must follow the previous one, and (in wrapped text) a finished sentence."""
    stripped = text.strip()
    for kind, pattern in PARAGRAPH_MARKERS:
        match = pattern.match(stripped)
        if not match:
            continue
        if kind == "number":
            if builder.mode == "en" or not at_boundary:
                continue
            number = kanji_number(match.group(1))
            if number != builder.last_paragraph + 1:
                continue
            builder.last_paragraph = number
        return match.group(1), match.group(2)
    if builder.mode == "en" and at_boundary:
        match = EN_PARAGRAPH.match(stripped)
        if match and int(match.group(1)) == builder.last_paragraph + 1:
            builder.last_paragraph = int(match.group(1))
            return match.group(1), match.group(2)
    return None


def _next_is_article(body: tuple[Line, ...], index: int) -> bool:
    for other in body[index + 1 : index + 4]:
        if other.text.strip():
            return bool(ARTICLE_JA.match(other.text.strip()))
    return False


_WRAP_SLACK = 4
_CJK_END = re.compile(r"[\u3040-\u30ff\u3400-\u9fff、]$")


def _continues_sentence(builder: _Builder, line: Line) -> bool:
    """Return whether a Word paragraph of a Japanese article continues the sentence of the
    one before: that one ends in the middle of a sentence (a comma, a word, no 。), as a
    model contract broken into paragraphs by hand does; an item (①…) ends with its line,
    and a paragraph that starts with the next paragraph number or an item mark is new."""
    if not (
        builder.mode == "ja"
        and builder.kind == "article"
        and line.origin == "body"
        and not line.heading
        and _CJK_END.search(builder.buffer)
        and not (builder.buffer_label and not PARAGRAPH_NUMBER.match(builder.buffer_label))
    ):
        return False
    stripped = " ".join(line.text.replace("\u3000", " ").split())
    for kind, pattern in PARAGRAPH_MARKERS:
        match = pattern.match(stripped)
        if match and (
            kind != "number" or kanji_number(match.group(1)) == builder.last_paragraph + 1
        ):
            return False
    return not ARTICLE_JA.match(stripped)


def _width(text: str) -> int:
    """Return the display width of a line (full-width characters count two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text.rstrip())


def _wrap_width(lines: tuple[Line, ...]) -> int | None:
    """Return the width at which a text file breaks its lines by hand (most long lines end
    within a few columns of it), or None when its lines are paragraphs."""
    widths = sorted(_width(line.text) for line in lines if line.text.strip() and not line.hard)
    if len(widths) < 20:
        return None
    wrap = widths[int(len(widths) * 0.9)]
    near = sum(1 for width in widths if wrap - _WRAP_SLACK <= width <= wrap + _WRAP_SLACK)
    return wrap if wrap <= 100 and near >= len(widths) * 0.4 else None


def split_contract(document: Document) -> Contract:
    """Return the document as a contract: preamble, articles and appendices, each split into
    sentences (the paragraph's number kept with each)."""
    body = tuple(line for line in document.lines if line.origin != "header")
    header = " ".join(clean(line.text) for line in document.lines if line.origin == "header")
    styles = _heading_styles(body)
    first_article = _first_article(body, styles)
    builder = _Builder(
        mode=_mode(body), headed_numbers=_headed_numbers(body, styles), styles=styles
    )
    builder.label = "前文" if builder.mode == "ja" else "Preamble"
    title = ""
    wrap = _wrap_width(body)
    last_width = 0  # of the line before (0 after a blank line)
    for index, line in enumerate(body):
        # White space is kept (第一条　本契約は… needs it); quotes are cleaned later.
        stripped = " ".join(line.text.replace("\u3000", " ").split())
        previous_width, last_width = last_width, _width(line.text) if stripped else 0
        if not stripped:
            builder.flush_paragraph()
            continue
        if not title and builder.kind == "preamble" and len(stripped) <= 80:
            title = stripped
        if (
            PREAMBLE_HEADING.match(stripped)
            and builder.kind == "preamble"
            and builder.last_number == 0
            and (builder.paragraphs or builder.buffer)
        ):
            # "前文" heading the contract's own preamble: what came before it is a cover —
            # a model contract's scenario, notes and table of contents — not the contract.
            builder.kind, builder.label = "front", "表紙" if builder.mode == "ja" else "Cover"
            builder.start(
                _Head("前文" if builder.mode == "ja" else "Preamble", None, "", "", "preamble")
            )
            continue
        appendix = APPENDIX.match(stripped)
        if (
            appendix
            and (line.hard or not builder.buffer or builder.buffer.endswith(TERMINATORS))
            # Before the first article, "Exhibit 10.1" is a filing's label of the whole
            # contract (its title), not an appendix.
            and not (builder.kind == "preamble" and builder.last_number == 0 and index < 5)
            # Before article 1, "Schedule 1" is a line of the table of contents.
            and not (builder.kind == "preamble" and index < first_article)
            # "別紙1「対象データの明細」に記載の…" wrapped to the start of a line is a reference.
            and not re.match(r"^[\s0-9０-９()（）]*[「『のにをでがはと]", appendix.group(3))
        ):
            word, mark = appendix.group(1), appendix.group(2)
            # "Exhibit B", "Schedule 1"; 別紙1 without a space.
            label = clean(f"{word} {mark}" if word.isascii() and mark else f"{word}{mark}")
            heading, rest = _split_heading_ja(appendix.group(3))
            if builder.mode == "en" or not is_japanese(appendix.group(3) or appendix.group(1)):
                heading, rest = _split_heading_en(appendix.group(3))
            builder.start(_Head(label, None, heading, rest, kind="appendix"))
            continue
        at_boundary = (
            (line.hard and not _continues_sentence(builder, line))
            or not builder.buffer
            or builder.buffer.endswith(TERMINATORS)
            # An item of a list (（1）…) ends with its line, with or without 。, unless the
            # line before filled the width a hard-wrapped text breaks its lines at.
            or bool(
                builder.buffer_label
                and not PARAGRAPH_NUMBER.match(builder.buffer_label)
                and not (wrap and previous_width >= wrap - _WRAP_SLACK)
            )
        )
        if builder.kind == "appendix" and _head_number(stripped, styles) == 1:
            # An appendix that numbers its own sections from 1 (standard terms attached as
            # an exhibit): its "8." is not the contract's article 8.
            builder.own_numbering = True
        # Before article 1 (a table of contents, a cover) no line heads an article.
        head = (
            _article_head(stripped, builder, line, at_boundary)
            if index >= first_article and not builder.own_numbering
            else None
        )
        if head:
            builder.start(head)
            if not head.keep_line:
                continue
        if builder.heading_next:
            builder.heading_next = False
            if (
                not builder.buffer
                and len(stripped.split()) <= 12
                and (stripped.isupper() or (stripped[:1].isupper() and not stripped.endswith(".")))
                and not _paragraph_marker(stripped, builder, False)
                and not SUB_NUMBER.match(stripped)
            ):
                builder.heading = stripped
                continue
        if COMMENTARY_START.match(stripped):
            builder.flush_paragraph()
            builder.commentary = True
            continue
        if builder.mode == "ja":
            titled = ARTICLE_TITLE_JA.match(stripped)
            if titled:
                # "9条（秘密情報）" alone: the heading of the article that follows, or a
                # heading in commentary or a table of contents; never a clause's text.
                builder.flush_paragraph()
                builder.commentary = False
                if _next_is_article(body, index):
                    builder.pending_heading = titled.group(1)
                continue
            bracketed = BRACKETED.match(stripped)
            if bracketed and not bracketed.group(2) and _next_is_article(body, index):
                # （目的） on its own line: the heading of the article that follows.
                builder.flush_paragraph()
                builder.pending_heading = bracketed.group(1)
                continue
        if builder.commentary:
            continue
        if builder.pending_heading:
            builder.buffer = join_lines(builder.buffer, f"（{builder.pending_heading}）")
            builder.pending_heading = ""
        marker = _paragraph_marker(stripped, builder, at_boundary)
        if marker:
            builder.flush_paragraph()
            builder.buffer_label, builder.buffer = marker
        elif at_boundary and (line.hard or builder.buffer):
            builder.flush_paragraph()
            builder.buffer = stripped
        else:
            builder.buffer = join_lines(builder.buffer, stripped)
    builder.flush_article()
    text = " ".join(article.norm_text for article in builder.articles)
    language = "ja" if is_japanese(text) else "en"
    return Contract(
        title=title or clean(header)[:80],
        header=header,
        articles=tuple(builder.articles),
        language=language,
    )

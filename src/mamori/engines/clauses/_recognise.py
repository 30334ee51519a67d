"""Find each clause in a contract and grade it present / weak / missing (the type is guessed
in ``_types``).

For a clause, the sentences that match its patterns are its candidates; when some article's
heading names the clause, only that article's sentences are considered first (so that a
weakened confidentiality article is not rescued by a passing mention elsewhere); where that
article words the clause in words not recognised, it still holds the clause unless a sentence
elsewhere states it about what it protects. Each candidate is graded: a sentence granting
the opposite is a negation (the clause is missing, the sentence quoted); an effort duty, a
ban lifted by a proviso of the same article, a duration shorter than the data says is safe,
a part not said, or hollow wording makes it weak. The best candidate wins.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mamori.engines.clauses._model import (
    Article,
    ClauseResult,
    Contract,
    Reason,
    Sentence,
    Status,
)
from mamori.engines.clauses._requirements import ClauseRule
from mamori.engines.clauses._text import (
    INDEFINITE,
    durations_in_months,
    is_japanese,
    segments,
)

EFFORT = re.compile(
    r"努め(る|なければ|ます|るもの)|努力(する|義務|を払)|よう努|"
    r"endeavou?r|(reasonable|best|commercially reasonable|good[- ]faith) efforts?|"
    r"make (an |every )?efforts?|\b(?P<attempt>try|attempt) to\b|\bshould\b"
)
# A negation in the sentence (or in the lead of its list) makes "attempt to" part of a ban
# ("will not reverse engineer, decompile, or attempt to discover …"), not an effort duty.
BANNED = re.compile(r"\b(not|never|no)\b|\bnor\b|prohibit|refrain from|ならない|禁止|しない")
# Sentences that carry no clause: commentary in a model contract (解説: ・…, …と考えられる。,
# …が望ましい。) and headings standing alone as a sentence ("CONFIDENTIALITY.").
COMMENTARY_JA = re.compile(
    r"^[・※●■◆]|(である|であろう|考えられる|望ましい|必要がある|留意[^。]{0,12}|ことが多い|"
    r"一般的(である|だ)|場合がある|されている|している|ている|とされる|といえる|言える|"
    r"ではない|多い|少ない|あろう|なる|思われる|おきたい|べきである|べきだ)。?[)）]?$"
)
HEADING_ONLY = re.compile(r"^[^a-z]*$")
_VERB = re.compile(r"\b(shall|will|may|must|is|are|be|not|no|agrees?)\b")
CONSENT = re.compile(r"承諾|同意|許諾|consent|approv|authori[sz]|permission")
PROHIBITION = re.compile(
    r"(ては|では)ならない|禁止|しないものとする|してはならず|させてはならない|"
    r"shall not|must not|may not|will not|agrees? not to|prohibit|in no event"
)
PROVISO = re.compile(
    r"ただし、?(.*?)(この限りでない|この限りではない|適用しない|妨げない|することができる|できるものとする)"
    r"|(provided,? (?:however,? )?that|except (?:where|if|when|to the extent|as|that)|unless|"
    r"may,? however,?)(.*)$"
)
# A proviso that leaves the lifting of the ban to the recipient's judgement...
DISCRETION = re.compile(
    r"判断|認め(る|た)|裁量|任意|都合|必要(がある|な|と(する|なる))場合|必要に応じ|"
    r"\bdeems?\b|\bconsiders?\b|discretion|sees fit|believes|determines|for any reason|"
    r"convenien|business (needs|reasons|purposes)|as it (thinks|sees) fit"
)
# The permitted party's own judgement ("as it deems necessary", "in its discretion").
OWN_JUDGEMENT = re.compile(
    r"\bas (it|they|the recipient|the receiving party|such party|the [a-z]+) (deems?|considers?|"
    r"determines?|sees? fit|believes?)\b|\b(at|in) its (sole |own |absolute )*discretion"
)
# ...unless it asks for consent, or a law or court requires it.
ACCEPTED_PROVISO = re.compile(
    r"承諾|同意|許諾|法令|法律|裁判所|官公庁|行政|命令|書面による合意|"
    r"consent|approv|authori[sz]|permission|\blaw\b|court|regulat|government|agreed in writing|"
    r"required by|subpoena"
)
PERMISSION = re.compile(
    r"\bmay\b|\b(permitted|entitled|allowed) to\b|\bright to\b|できる"
    # a release from the duty: "is not obligated to remove it from back-up devices"
    r"|\bnot (be )?(obligated|required) to\b"
)
# A permission held to a need is a limit: "may copy … only as needed to provide the Services".
LIMITED = re.compile(r"\b(only|solely|exclusively)\b|のみ|に限り")
_RANK = {"present": 0, "weak": 1, "negated": 2}
# A sentence that defines a term ("Exploit" means to reproduce …; As used herein, the term
# "Change of Control" means …; Confidential Information shall not include …): its body says
# what the term covers, it imposes nothing. Group 1 is the head, the term and its verb.
_TERM = r'["“][^"”]{1,80}["”]'
DEFINITION = re.compile(
    r"^((?:\(?[a-z0-9.]{1,6}\)?\s+)?"
    r"(?:(?:as used (?:herein|in this agreement)|for (?:the )?purposes? of this agreement|"
    r"in this agreement|notwithstanding the foregoing),?\s+)?"
    rf"(?:the (?:term|word|expression)s?\s+)?(?:{_TERM}(?:\s*(?:,|or|and|and/or)\s*{_TERM})*"
    r"|confidential information)(?:\s+of [^.;\"“]{1,40})?(?:\s*\([^)]{0,60}\))?,?\s+"
    r"(?:means?|shall (?:(?:also |further )?(?:mean|include)|have the meanings?|refer to|"
    r"not include)|should (?:also |further )?include|"
    r"(?:has|have) the meanings?|includes?|refers? to|(?:does|will) not include|"
    r"shall be deemed to (?:mean|include)))\b"
)


@dataclass(frozen=True)
class _Candidate:
    article: Article
    sentence: Sentence
    by_heading: bool
    order: int
    status: str
    reasons: tuple[Reason, ...]
    parts: int = 0  # how many of the clause's parts the sentence itself says
    view: str = ""  # the text matched (the sentence, or an item read with its lead)
    by_name: bool = False  # only the article's heading names the clause, not its wording


def _reason(code: str, ja: str, en: str) -> Reason:
    return Reason(code=code, ja=ja, en=en)


def _effort(norm: str) -> bool:
    """Return whether the sentence is an effort duty: "shall endeavour", "reasonable
    efforts", 努めるものとする; "attempt to" in a sentence that bans is part of the ban."""
    for match in EFFORT.finditer(norm):
        if match.group("attempt") and BANNED.search(norm):
            continue
        return True
    return False


_ASIDE = re.compile(r"\([^()]*\)")


def _effort_duty(rule: ClauseRule, norm: str) -> bool:
    """Return whether the clause is only an effort duty in the sentence, asides in brackets
    left out where the clause is said outside them: "shall keep confidential (and use
    reasonable endeavours to ensure that its employees do so)" is a firm duty, the effort
    is about the employees; "shall treat it as confidential and shall endeavour not to
    disclose it" is an effort."""
    plain = _ASIDE.sub(" ", norm)
    return _effort(plain if rule.sentences.search(plain) else norm)


_ENUMERATOR = re.compile(r"(?:[;,]\s*)?(?:(?:and|or)\s+)?\((?:[ivx]{1,4}|[a-z]|[0-9]{1,2})\)\s")
# "five (5) years": a number written twice is no item of a list.
_NUMBER_IN_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|ninety|hundred)\s*$"
)
_MODAL = re.compile(r"\b(shall|will|may|must|agrees?|undertakes?|covenants?|not)\b|ならない|できる")


_ITEMS = 6  # the items read with a lead that ends in a colon: bulleted, numbered or short
_ITEM = re.compile(r"^\s*([-–•・●*]|\(?[a-z0-9ivx]{1,4}[).]\s|[①-⑳])")
_ITEM_LENGTH = 80


# A lead that grants the items of its list (a licence): 次の各号について非排他的な許諾を付与
# します, 次の行為を行うことができる; not one that bans them (行うことはできません).
_GRANT_LEAD = re.compile(
    r"許諾(を付与|を与え|する|します)|(権|権利)を(付与|許諾|設定)|(こと|を)ができ(る|ます)"
)
_BAN_LEAD = re.compile(r"できない|できません|ならない|禁止|しない|してはならず")


def granted(sentence: Sentence) -> bool:
    """Return whether the sentence is a Japanese item whose lead grants it as a permission."""
    lead = sentence.context
    return (
        bool(lead)
        and bool(_GRANT_LEAD.search(lead))
        and not _BAN_LEAD.search(lead)
        and is_japanese(sentence.norm)
        and sentence.norm.rstrip("。").endswith("こと")
    )


def _mark_style(mark: str) -> str:
    """Return the style of an item mark: roman, letter, digit or other."""
    core = mark.strip("()（）.、 ").lower()
    if re.fullmatch(r"[ivx]+", core):
        return "roman"
    if re.fullmatch(r"[a-z]", core):
        return "letter"
    if core.isdigit():
        return "digit"
    return "other"


# "… shall have the meanings assigned to them in this Section 1:": its items are definitions,
# read on their own (a definition carries a clause only through its term).
_DEFINITIONS_LEAD = re.compile(
    r"\b(have|has|bear) the (following )?meanings?\b|\bfollowing (terms|words|definitions)\b"
    r"|\bas used (herein|in this agreement)\b|\bare defined as follows"
)
_CONTINUES = re.compile(r"(however|provided,? (however,? )?that|notwithstanding the foregoing)\b")


def _views(sentence: Sentence, following: Sequence[Sentence] = ()) -> list[str]:
    """Return the texts a sentence is matched as: the sentence, then each item of a list it
    enumerates read with the lead that carries the duty or the ban ("Customer will not: (i)
    reverse engineer …; (iv) copy …" gives "customer will not copy …"). A lead that ends in
    a colon, its items split off as sentences of their own ("Customer will provide the
    following:" / "- Technical specifications" / "- Drawings"), is read with each of them."""
    if granted(sentence):
        # An item of a list of granted permissions (次の各号について…許諾を付与します /
        # （４）…を複製、配布すること) reads as a permission of its own.
        return [f"{sentence.norm.rstrip('。')}ができる"]
    text = sentence.match_text
    if following and _CONTINUES.match(following[0].norm):
        # "Provider may use Subcontractors only with Customer's prior permission. However,
        # Provider may use its Affiliates without it.": the proviso is read with its rule.
        text = f"{text} {following[0].norm}"
    if text.rstrip().endswith((":", "：")) and not _DEFINITIONS_LEAD.search(text):
        items: list[str] = []
        style = None
        for item in following:
            if (
                item.paragraph == sentence.paragraph
                or not (item.paragraph or _ITEM.match(item.match_text))
            ) and len(item.match_text) > _ITEM_LENGTH:
                break
            if item.paragraph and item.paragraph != sentence.paragraph:
                # The list ends where the marks change style: "(i) (ii)" then "(b)".
                style = style or _mark_style(item.paragraph)
                if _mark_style(item.paragraph) != style:
                    break
            items.append(item.match_text)
        if items:
            return [text, *(f"{text} {item}" for item in items)]
    marks = [
        mark
        for mark in _ENUMERATOR.finditer(text)
        if not _NUMBER_IN_WORDS.search(text[: mark.start()])
    ]
    if not marks or not _MODAL.search(text[: marks[0].start()]):
        return [text]
    lead = text[: marks[0].start()].rstrip(" :")
    ends = [mark.start() for mark in marks[1:]] + [len(text)]
    items = [text[mark.end() : end].strip(" ;,.") for mark, end in zip(marks, ends, strict=True)]
    return [text, *(f"{lead} {item}" for item in items if item)]


_PARTS = re.compile(
    r";|；|provided,? (?:however,? )?that|,? however,|notwithstanding the foregoing,?|ただし、?"
)


_JA_SUBJECT = re.compile(r"^([^、。は]{1,10})は、")
_JA_JUDGE = re.compile(r"([^、。がは]{1,10})が[^。]{0,8}?(認め|判断|指定|指示)")


def _other_party_approves(text: str, bound: str = "") -> bool:
    """Return whether a Japanese permission waits on the other party's judgement
    (乙は、甲が必要と認めた場合 …できる): that is the other party's consent. ``bound``: the
    sentence whose subject is bound, for a proviso standing alone (ただし、甲が認めた場合…)."""
    subject = _JA_SUBJECT.match(text) or _JA_SUBJECT.match(bound)
    judge = _JA_JUDGE.search(text)
    return bool(subject and judge) and subject.group(1) != judge.group(1)


def _consent_required(text: str) -> bool:
    """Return whether the text asks for consent ("without consent" in a permission does
    not: "may assign without such consent to an acquirer")."""
    if _other_party_approves(text):
        return True
    for match in CONSENT.finditer(text):
        if not re.search(
            r"(without|not (require|need)|need not obtain) (the |such |its |any )?(prior )?"
            r"(written )?$",
            text[: match.start()],
        ):
            return True
    return False


# "shall not require the consent" waives a consent; it bans nothing.
_NOT_REQUIRED = re.compile(r"\b(shall|will|does|do) not (require|need)\b")


def _grants_opposite(rule: ClauseRule, norm: str) -> bool:
    """Return whether the sentence grants the opposite of the clause — a permission or a
    waiver — in a part (split at provisos and semicolons) that asks for no consent and bans
    nothing and is not held to a need ("only as needed"), while no other part carries the
    clause. "Neither party may assign without
    consent; provided that either party may assign to an acquirer by merger" grants the
    opposite of a change-of-control protection; "shall not subcontract; provided that it may
    subcontract where it deems necessary" is a ban with a waiver (weak), not the opposite."""
    if rule.negations is None:
        return False
    parts = _PARTS.split(norm)
    opposite = [
        part
        for part in parts
        if rule.negations.search(part)
        and not _consent_required(part)
        and not PROHIBITION.search(_NOT_REQUIRED.sub(" ", part))
        and not LIMITED.search(part)
    ]
    if not opposite:
        return False
    return not any(
        part not in opposite and rule.sentences.search(part) and not rule.negations.search(part)
        for part in parts
    )


def definition_head(sentence: Sentence) -> str | None:
    """Return the head of a sentence that defines a term (the term and "means"), or of an
    item whose lead does (“Change in Control” means any of the following: (a) a merger …);
    None for any other sentence. English only."""
    for text in (sentence.norm, sentence.context):
        match = DEFINITION.match(text) if text else None
        if match:
            return match.group(1)
    return None


def operative(sentence: Sentence, article: Article, contract: Contract) -> bool:
    """Return whether a sentence can carry a clause: not commentary, not a heading standing
    alone, and (where the contract has articles) not in the preamble — title, parties,
    recitals, table of contents, cover page."""
    if article.kind == "front":
        return False
    text = sentence.norm
    if is_japanese(text):
        if COMMENTARY_JA.search(text):
            return False
    elif HEADING_ONLY.match(sentence.text) and len(text.split()) <= 10:
        return False
    elif len(text.split()) <= 4 and not _VERB.search(text):
        return False  # a run-in heading standing as a sentence ("1.5 Subcontractors.")
    elif len(text.split()) <= 10 and not _VERB.search(text) and _title_case(sentence.text):
        return False  # a longer one in title case ("Termination for Change in Control.")
    return article.kind != "preamble" or not _has_articles(contract)


def _title_case(text: str) -> bool:
    """Return whether every word longer than three letters starts with a capital."""
    words = [word for word in re.findall(r"[A-Za-z][A-Za-z'’-]*", text) if len(word) > 3]
    return bool(words) and all(word[0].isupper() for word in words)


def _has_articles(contract: Contract) -> bool:
    return sum(1 for article in contract.articles if article.kind == "article") >= 2


def _months(months: int) -> tuple[str, str]:
    if months % 12 == 0:
        years = months // 12
        return f"{years}年", f"{years} year{'s' if years != 1 else ''}"
    return f"{months}か月", f"{months} month{'s' if months != 1 else ''}"


def _waived(rule: ClauseRule, article: Article, carrier: Sentence) -> str | None:
    """Return the sentence of the article whose proviso lifts this clause's ban at the
    recipient's own judgement (without consent or a legal duty). A proviso counts when it
    is in the sentence or paragraph that carries the clause, or speaks of the same act.
    So does a permission of the same act left to the recipient's judgement ("may disclose
    … to: (ii) as it deems necessary, to its affiliates or other third parties")."""
    for index, sentence in enumerate(article.sentences):
        if _discretionary_permission(rule, sentence, article.sentences[index + 1 :]):
            return sentence.text
        match = PROVISO.search(sentence.norm)
        if not match:
            continue
        proviso = match.group(1) if match.group(1) is not None else match.group(4) or ""
        if not DISCRETION.search(proviso) or ACCEPTED_PROVISO.search(proviso):
            continue
        if _other_party_approves(sentence.norm, carrier.norm):
            continue  # 乙は…ならない。ただし、甲が認めた場合: the other party's consent
        related = (
            sentence is carrier
            or sentence.block == carrier.block
            or rule.sentences.search(sentence.norm)
            or (rule.negations is not None and rule.negations.search(sentence.norm))
        )
        if related:
            return sentence.text
    return None


def _discretionary_permission(
    rule: ClauseRule, sentence: Sentence, following: Sequence[Sentence]
) -> bool:
    """Return whether the sentence (or an item read with its lead) permits the act the
    clause bans at the permitted party's own judgement, without consent or a legal duty.
    English only: in Japanese, whose judgement 必要と認めた場合 means is not in the words."""
    if is_japanese(sentence.norm):
        return False
    for view in _views(sentence, following[:_ITEMS]):
        if (
            PERMISSION.search(view)
            and OWN_JUDGEMENT.search(view)
            and not LIMITED.search(view)
            and not ACCEPTED_PROVISO.search(view)
            and not PROHIBITION.search(view)
            and (
                rule.sentences.search(view)
                or (rule.negations is not None and rule.negations.search(view))
            )
        ):
            return True
    return False


# A sentence that speaks of the case the one before states: 前項の場合, in such event.
_REFERS_BACK = re.compile(
    r"前項の場合|前項に(定める|規定する)場合|\bin (such|that|this|either) (event|case)\b"
)


def _short_duration(rule: ClauseRule, texts: list[str]) -> int | None:
    """Return the duration (months) the texts give in the rule's context when it is below
    the rule's minimum: the shortest within a sentence ("five years after disclosure or two
    years after termination, whichever is earlier"), the longest across sentences (a
    provision surviving three months does not shorten a confidentiality surviving five
    years); None when one is long enough or indefinite."""
    if rule.min_months is None:
        return None
    found: list[int] = []
    for norm in texts:
        if rule.duration_context is not None and not rule.duration_context.search(norm):
            continue
        if INDEFINITE.search(norm):
            return None
        durations = [
            months
            for segment in segments(norm)
            if rule.duration_context is None or rule.duration_context.search(segment)
            for months in durations_in_months(segment)
        ]
        if durations:
            found.append(min(durations))
    if not found or max(found) >= rule.min_months:
        return None
    return max(found)


@dataclass(frozen=True)
class _Whole:
    """What a clause whose parts are looked for in the whole contract finds there (computed
    once per clause, not once per candidate)."""

    short: int | None
    missing_parts: tuple


def _whole(rule: ClauseRule, contract: Contract) -> _Whole | None:
    if rule.parts_scope != "contract":
        return None
    # Each sentence on its own, so that a pattern may look at its whole sentence ("damages"
    # owed, in a sentence that is not about insurance).
    norms = contract.norms
    return _Whole(
        short=_short_duration(rule, norms),
        missing_parts=tuple(
            part for part in rule.parts if not any(part.pattern.search(norm) for norm in norms)
        ),
    )


def _grade(
    rule: ClauseRule,
    whole: _Whole | None,
    article: Article,
    sentence: Sentence,
    heading_only: bool,
    view: str | None = None,
    answered: bool = False,
) -> tuple[str, tuple[Reason, ...]]:
    """Grade one candidate; ``answered``: a sentence of the contract answers the weak
    wording (``weak.unless``), which then weakens nothing."""
    norm = view or sentence.match_text
    if not heading_only and rule.negations is not None and _grants_opposite(rule, norm):
        if rule.weak_wording is not None and rule.weak_wording.search(norm):
            # A permission on a condition weaker than consent (after a notice): weak.
            return "weak", (_reason("wording", rule.weak_text_ja, rule.weak_text_en),)
        if granted(sentence):
            # A permission the other party grants in its licence: given in advance, on
            # the licence's terms, not taken at will — weak, not missing.
            return "weak", (
                _reason(
                    "granted",
                    "許諾された行為として、承諾なく認められています。",
                    "The licence grants it as a permission, without any further consent.",
                ),
            )
        return "negated", (
            _reason(
                "negated",
                "この文は保護とは逆の内容（許可・免除）を定めています。",
                "This sentence grants the opposite (a permission or a waiver).",
            ),
        )
    reasons: list[Reason] = []
    effort = (
        any(_effort(s.norm) for s in article.sentences)
        if heading_only
        else _effort_duty(rule, norm)
    )
    if rule.effort and effort:
        reasons.append(
            _reason(
                "effort",
                "義務ではなく努力義務（努める）にとどまっています。",
                "It is only an effort duty (“shall endeavour”), not an obligation.",
            )
        )
    if rule.waiver:
        waived = _waived(rule, article, sentence)
        if waived:
            reasons.append(
                _reason(
                    "waiver",
                    f"同じ条のただし書で、承諾なく禁止が外れます：「{waived}」",
                    f"A proviso in the same article lifts it without consent: “{waived}”",
                )
            )
    scope = [s.norm for s in article.sentences]
    short = whole.short if whole else _short_duration(rule, scope)
    if short is not None:
        found_ja, found_en = _months(short)
        safe_ja, safe_en = _months(rule.min_months or 0)
        reasons.append(
            _reason(
                "duration",
                f"期間が{found_ja}で、目安の{safe_ja}より短くなっています。",
                f"The period is {found_en}, shorter than the {safe_en} considered safe.",
            )
        )
    if rule.parts_scope == "clause":
        # A sentence that grants the opposite ("shall not require the consent") supplies no
        # part of the clause.
        scope = [
            norm,
            *(
                s.match_text
                for s in article.sentences
                if (
                    s.block == sentence.block
                    or rule.sentences.search(s.norm)
                    or _REFERS_BACK.search(s.norm)
                )
                and not _grants_opposite(rule, s.match_text)
            ),
        ]
    scope_text = " ".join(scope)
    missing = (
        whole.missing_parts
        if whole
        else [part for part in rule.parts if not part.pattern.search(scope_text)]
    )
    for part in missing:
        reasons.append(
            _reason(
                f"part:{part.name}",
                f"{part.text_ja}の定めがありません。",
                f"Nothing says {part.text_en}.",
            )
        )
    if rule.weak_wording is not None and rule.weak_wording.search(norm) and not answered:
        reasons.append(_reason("wording", rule.weak_text_ja, rule.weak_text_en))
    return ("weak" if reasons else "present"), tuple(reasons)


_NEAR = 80  # characters between a permission and the wording it makes a hole with


def _permits_what_it_weakens(rule: ClauseRule, candidate: _Candidate) -> bool:
    """Return whether a weak sentence is a hole in the clause: a waiver, or a permission
    stated by the very wording that weakens it ("is not obligated to remove … back-ups",
    "may disclose … upon notice"), not a "may" elsewhere in a long sentence."""
    codes = {reason.code for reason in candidate.reasons}
    permissions = list(PERMISSION.finditer(candidate.view))
    if not permissions or not codes & {"waiver", "wording"}:
        return False
    if "waiver" in codes:
        return True
    wording = rule.weak_wording.search(candidate.view) if rule.weak_wording else None
    return wording is not None and any(
        wording.start() - _NEAR <= permission.start() <= wording.end() + _NEAR
        for permission in permissions
    )


def recognise_clause(rule: ClauseRule, contract: Contract, required: bool) -> ClauseResult:
    """Return the result of one clause in the contract."""

    places = {
        id(sentence): article for article in contract.articles for sentence in article.sentences
    }

    def usable(sentence: Sentence) -> bool:
        # Words to exclude are looked for in each view of a sentence (below), not in the
        # whole: a long sentence may list its exclusions ("received by a third party")
        # after the ban it states.
        article = places[id(sentence)]
        if rule.preamble and article.kind == "preamble":
            return not (is_japanese(sentence.norm) and COMMENTARY_JA.search(sentence.norm))
        return operative(sentence, article, contract)

    headed = [
        article
        for article in contract.articles
        if rule.headings is not None
        and article.norm_heading
        and rule.headings.search(article.norm_heading)
    ]

    def matches(articles: list[Article]) -> list[tuple[int, Article, Sentence, str]]:
        found = []
        for order, article in enumerate(articles):
            for index, sentence in enumerate(article.sentences):
                if not usable(sentence):
                    continue
                # Another term's definition carries a clause only through its term.
                head = None if rule.definitions else definition_head(sentence)
                for view in _views(sentence, article.sentences[index + 1 : index + 1 + _ITEMS]):
                    if rule.exclude is not None and rule.exclude.search(view):
                        continue
                    seen = view if head is None else head
                    if rule.sentences.search(seen) or (
                        # A sentence granting the opposite is a candidate too: it is quoted.
                        rule.negations is not None and rule.negations.search(seen)
                    ):
                        found.append((order, article, sentence, view))
                        break
        return found

    named = []  # the articles whose heading names the clause, by their first sentence
    for order, article in enumerate(headed):
        first = next(
            (
                s
                for s in article.sentences
                if usable(s) and not (rule.exclude is not None and rule.exclude.search(s.norm))
            ),
            None,
        )
        if first is not None:
            named.append((order, article, first, first.match_text))
    found = matches(headed)
    # Where the articles the headings name word the clause in words not recognised, they
    # still hold it (graded by their heading), ranked as if they named what it protects.
    by_name = [] if found else named
    found = [*(found or matches(list(contract.articles))), *by_name]
    candidates = []
    whole = _whole(rule, contract) if found else None
    answered = (
        bool(found)
        and rule.weak_unless is not None
        and any(rule.weak_unless.search(norm) for norm in contract.norms)
    )
    for order, article, sentence, view in found:
        heading_only = any(place[2] is sentence for place in by_name)
        status, reasons = _grade(rule, whole, article, sentence, heading_only, view, answered)
        held = sum(1 for part in rule.parts if part.pattern.search(view))
        candidates.append(
            _Candidate(
                article,
                sentence,
                article in headed and not heading_only,
                order,
                status,
                reasons,
                held,
                view,
                by_name=heading_only,
            )
        )
    base = {
        "id": rule.id,
        "key": rule.key,
        "title_ja": rule.title_ja,
        "title_en": rule.title_en,
        "required": required,
    }
    if not candidates:
        return ClauseResult(**base, status=Status.MISSING)

    def preferred(candidate: _Candidate) -> bool:
        """The sentence, or the heading of its article, names what the clause protects."""
        return candidate.by_name or (
            rule.prefer is not None
            and any(
                rule.prefer.search(text)
                for text in (candidate.sentence.norm, candidate.article.norm_heading)
            )
        )

    # An article headed for the clause holds it even in words not recognised, unless a
    # sentence elsewhere states it about what it protects (the confidential information).
    best = min(
        candidates,
        key=lambda c: (
            _RANK[c.status],
            not c.by_heading,
            not preferred(c),
            # Among sentences that name it, the one in the article headed for what the clause
            # protects ("Disclosure, Confidentiality and Restricted Use").
            not (rule.prefer is not None and rule.prefer.search(c.article.norm_heading)),
            c.by_name,
            -c.parts,
            c.order,
        ),
    )
    if rule.missing_without_parts and (
        len(whole.missing_parts) == len(rule.parts) if whole else best.parts == 0
    ):
        # None of the parts the contract (or, for parts of the clause, the sentence cited)
        # must hold (neither damages nor an injunction; neither a term nor
        # survival; neither consent nor termination on a change of control): a passing
        # mention is not the clause.
        return ClauseResult(**base, status=Status.MISSING)
    reasons = best.reasons
    status = {"present": Status.PRESENT, "weak": Status.WEAK}.get(best.status, Status.MISSING)
    if status is not Status.MISSING:
        lifted = next(
            (c for c in candidates if c.status == "negated" and c.article is best.article), None
        )
        if lifted is not None:
            # The same article bans and then allows: the ban is waived.
            status = Status.WEAK
            reasons = (
                *reasons,
                _reason(
                    "waiver",
                    f"同じ条の別の定めで禁止が外れます：「{lifted.sentence.text}」",
                    f"Another provision of the same article lifts it: “{lifted.sentence.text}”",
                ),
            )
        elif status is Status.PRESENT and not rule.definitions:
            # (A clause a definition carries describes; a permission beside it is no hole.)
            holed = next(
                (c for c in candidates if c.status == "weak" and _permits_what_it_weakens(rule, c)),
                None,
            )
            if holed is not None:
                # Another provision of the same article permits what the ban forbids, on
                # less than consent (affiliates exempt, after a notice): the rule has a hole.
                status = Status.WEAK
                reasons = tuple(r for r in holed.reasons if r.code in ("waiver", "wording"))
                best = holed
    return ClauseResult(
        **base,
        status=status,
        article=best.article.display,
        quote=best.sentence.text,
        reasons=reasons,
    )

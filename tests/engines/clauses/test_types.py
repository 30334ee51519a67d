"""The type guess: what the parties do, weighed across the title, the first headings and the
whole wording, with a confidence that grows with the margin between the best two kinds."""

from __future__ import annotations

import pytest

from mamori.engines.clauses import check_text


def guess(text: str, requirements) -> tuple[str, float]:
    report = check_text(text, requirements=requirements)
    return report.kind, report.type_confidence


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("LICENSING AND WEB SITE HOSTING AGREEMENT", "licence"),
        ("INTELLECTUAL PROPERTY AGREEMENT", "licence"),
        ("WEB HOSTING AGREEMENT", "service"),
        ("TRANSPORTATION AGREEMENT", "service"),
        ("SOFTWARE DEVELOPMENT AGREEMENT", "service"),
        ("OUTSOURCE TECHNOLOGY DEVELOPMENT AGREEMENT", "service"),
        ("PRODUCT DEVELOPMENT AGREEMENT", "joint_research"),
    ],
)
def test_more_titles_name_their_kind(requirements, title, kind):
    assert guess(f"{title}\n1. Term\nThis agreement lasts two years.\n", requirements)[0] == kind


def test_a_development_agreement_with_a_sublicence_is_still_joint_development(requirements):
    """A "Development Agreement" under which the parties develop a drug together, the one
    sublicensing the other's patents for it, is joint research; the licence words make it a
    closer call, not a licence."""
    text = (
        "DEVELOPMENT AGREEMENT\n1. Development Program\nThe parties shall jointly develop the"
        " compound under the development plan.\n2. Sublicense\n"
        + "The Sublicensee may grant further sublicenses under the Licensed Patents. "
        * 6
    )
    kind, confidence = guess(text, requirements)
    assert kind == "joint_research" and confidence < 0.9


def test_wording_alone_gives_a_modest_confidence(requirements):
    """Without a title or heading that names a kind, the wording decides, but the guess is
    not as sure as one the title backs."""
    text = (
        "AGREEMENT\nWHEREAS the parties wish to do business.\n1. Terms\n"
        "The Licensor grants the Licensee a licence to the Licensed Software; the Licensee pays"
        " royalties. The Licensee may not sublicense.\n"
    )
    kind, confidence = guess(text, requirements)
    assert kind == "licence" and confidence < 0.6


def test_a_stray_word_does_not_take_all_the_wording_weight(requirements):
    """One "recipient" in an outsourcing agreement whose first article is about services does
    not make it a non-disclosure agreement."""
    text = (
        "OUTSOURCING AGREEMENT\n1. Services\nHPS engages SHPS to administer its claims.\n"
        "2. Records\nThe recipient keeps the records secret.\n"
    )
    assert guess(text, requirements)[0] == "service"


def test_providing_services_is_a_sign_of_a_service_agreement(requirements):
    text = (
        "AGREEMENT\n1. Engagement\nThe Contractor shall perform certain management services for"
        " the Company and provide such advisory services as it asks.\n"
    )
    assert guess(text, requirements)[0] == "service"


def test_confidential_information_is_no_sign_of_a_non_disclosure_agreement(requirements):
    """Contracts of every kind keep each other's confidential information secret: words of
    confidentiality say nothing of the kind, the goods delivered do."""
    text = (
        "AGREEMENT\n1. Terms\nThe Supplier delivers the goods under purchase orders. Each party"
        " keeps the other's Confidential Information secret; Confidential Information excludes"
        " public information; Confidential Information is returned at the end.\n"
    )
    assert guess(text, requirements)[0] == "supply"

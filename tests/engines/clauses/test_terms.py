"""Defined terms (issue 14): a contract's own name for confidential information is read as
the standard name wherever the contract uses it."""

from __future__ import annotations

from mamori.engines.clauses import check_text


def statuses(text: str, kind: str, requirements) -> dict[str, str]:
    report = check_text(text, requirements=requirements, kind=kind)
    return {result.key: str(result.status) for result in report.clauses}


def test_proprietary_information_defined_by_the_contract_is_its_confidential_information(
    requirements,
):
    text = "\n".join(
        [
            "SOFTWARE LICENCE AGREEMENT",
            "1. Licence",
            "1.1 The Supplier grants the Customer a licence to use the Software.",
            "2. Secrecy",
            "2.1 Documents exchanged under this Agreement may hold sensitive know-how of the"
            ' party that gives them (that party\'s "Restricted Information").',
            "2.2 The receiving party shall hold the Restricted Information of the other in"
            " strict confidence and shall not disclose it to any third party without the"
            " prior written consent of the other party.",
        ]
    )
    found = statuses(text, "licence", requirements)
    assert found["definition"] == "present"
    assert found["confidentiality"] == "present"
    assert found["third_party_consent"] == "present"
    # The same contract without its definition names nothing the duties could be about.
    undefined = text.replace(' (that party\'s "Restricted Information")', "")
    assert statuses(undefined, "licence", requirements)["definition"] == "missing"


def test_a_term_stands_for_confidential_information_only_where_its_definition_says_secret(
    requirements,
):
    def contract(definition: str) -> str:
        return "\n".join(
            [
                "業務委託契約書",
                "第1条（委託）",
                f"甲は、{definition}を乙に提供し、乙は本業務を行う。",
                "第2条（管理）",
                "乙は、本資料を第三者に開示してはならない。ただし、甲の書面による事前の承諾を"
                "得た場合はこの限りでない。",
            ]
        )

    secret = statuses(
        contract("本業務に必要な秘密の技術資料（以下「本資料」という。）"), "service", requirements
    )
    plain = statuses(
        contract("本業務に必要な公開の製品カタログ（以下「本資料」という。）"),
        "service",
        requirements,
    )
    assert secret["definition"] == "present"
    assert plain["definition"] == "missing"


def test_technical_information_stands_for_confidential_information_only_where_it_is_protected(
    requirements,
):
    def found(duty: str) -> dict[str, str]:
        text = "\n".join(
            [
                "PATENT AND KNOW-HOW LICENCE",
                "1. Definitions",
                '1.1 "Technical Information" means research data, unpatented inventions and'
                " know-how of the Company.",
                "2. Licence",
                "2.1 The Company grants the Investor a licence to use the Technical Information.",
                f"2.2 {duty}",
            ]
        )
        return statuses(text, "licence", requirements)

    protected = found(
        "The Investor will not disclose to third parties any Technical Information furnished"
        " by the Company."
    )
    delivered = found("The Company shall deliver the Technical Information within thirty days.")
    assert protected["definition"] == "present"
    assert protected["confidentiality"] == "present"
    assert delivered["definition"] == "missing"

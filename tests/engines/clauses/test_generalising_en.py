"""Recognition that generalises in English contracts (issue 14): modality, the notice a
change-of-control clause needs, and where its parts are looked for."""

from __future__ import annotations

from mamori.engines.clauses import check_text


def status(report, key: str) -> str:
    return str(report.result(key).status)


def test_a_change_of_control_needs_notice_before_it_not_of_the_termination(requirements):
    def control(*sentences: str) -> str:
        body = "\n".join(f"4.{n} {s}" for n, s in enumerate(sentences, 1))
        text = f"COLLABORATION AGREEMENT\n1. Fees\n1.1 Fees are due monthly.\n4. Term\n{body}\n"
        report = check_text(text, requirements=requirements, kind="joint_research")
        return status(report, "change_of_control")

    terminate = "the Company may terminate this Agreement"
    assert control(f"If a Change of Control occurs, {terminate} upon notice of termination.") == (
        "weak"
    )
    assert (
        control(
            "The Partner shall give written notice following such Change of Control,"
            f" and {terminate}."
        )
        == "weak"
    )
    assert (
        control(
            "The Partner shall give prior written notice of any Change of Control,"
            f" and {terminate}."
        )
        == "present"
    )
    assert (
        control(
            "Either party may terminate this Agreement on ninety days' notice.",
            f"If a Change of Control occurs, {terminate}.",
        )
        == "weak"
    )  # the notice of another sentence is not about the change
    assert (
        control("A transfer of ownership by merger shall not require the consent of the Company.")
        == "missing"
    )


def test_an_indemnity_for_third_party_claims_is_no_remedy_for_a_breach(requirements):
    text = "\n".join(
        [
            "LICENCE AGREEMENT",
            "1. Indemnity",
            "1.1 Either party shall indemnify and hold free and harmless the other party for"
            " any claims, damages or lawsuits arising from the negligent acts of its employees.",
            "2. Law",
            "2.1 In addition to the obligations above, the laws of Japan apply.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="licence")
    assert status(report, "remedies") == "missing"


def test_a_free_right_to_sublicense_is_weak_r16(requirements):
    text = "\n".join(
        [
            "LICENCE AGREEMENT",
            "1. Grant",
            "1.1 The Licensor grants the Licensee a licence to use the Licensed Technology.",
            "1.2 The Licensee may sublicense the Licensed Technology to its customers without"
            " restriction.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="licence")
    assert status(report, "no_subcontracting") == "weak"


def test_the_contracts_own_duration_and_duties_outlasting_it_are_cited_over_a_mention(
    requirements,
):
    text = "\n".join(
        [
            "SUPPLY AGREEMENT",
            "1. Orders",
            "1.1 During the term of this agreement the Buyer may place orders for the goods.",
            "2. Board",
            "2.1 A joint board is set up, which will remain in force for the whole project.",
            "3. Secrecy",
            "3.1 Each party shall keep the other's Confidential Information confidential.",
            "3.2 This Section continues to apply after termination of this Agreement.",
            "4. Validity",
            "4.1 This Contract is valid for four years from signature.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="supply")
    assert report.result("term_survival").article.startswith("3.")
    without_survival = text.replace(
        "3.2 This Section continues to apply after termination of this Agreement.\n", ""
    )
    report = check_text(without_survival, requirements=requirements, kind="supply")
    assert report.result("term_survival").article.startswith("4.")


def test_a_heading_about_transferring_rights_to_third_parties_is_no_disclosure_heading(
    requirements,
):
    text = "\n".join(
        [
            "RESEARCH AGREEMENT",
            "1. Patents and Ban on Transfer to Third Parties",
            "1.1 Neither party shall transfer its patent rights to any third party.",
            "2. Secrecy",
            "2.1 Each party shall keep the other's Confidential Information confidential and"
            " shall not disclose it to any third party without the other's prior written consent.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="joint_research")
    assert report.result("third_party_consent").article == "2. Secrecy"


def test_the_article_headed_for_a_clause_holds_it_in_words_not_recognised(requirements):
    text = "\n".join(
        [
            "SOFTWARE LICENCE AGREEMENT",
            "1. Grant and Restrictions",
            "1.1 The Licensor grants the Licensee a licence to use the Software.",
            "1.2 The Licensee shall not: (i) sublicense or rent the Software; (ii) sell it.",
            "2. Sub License",
            "2.1 The Licensee shall not pass any right in the Software on to others without the"
            " Licensor's prior written consent.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="licence")
    assert report.result("no_subcontracting").article == "2. Sub License"


def test_who_owns_is_the_ownership_clause_not_a_warranty_under_an_ip_heading(requirements):
    text = "\n".join(
        [
            "MANUFACTURING AGREEMENT",
            "1. Production",
            "1.1 The Maker shall build the units to the Brand's drawings.",
            "1.2 Title to all drawings, tooling designs and improvements shall at all times"
            " remain with the Brand.",
            "2. Intellectual Property",
            "2.1 The Brand warrants that it has the right to license the drawings to the Maker.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="manufacturing")
    assert report.result("results_ownership").article == "1. Production"


def test_a_full_stop_inside_a_sentence_does_not_cut_the_clause(requirements):
    text = "\n".join(
        [
            "MANUFACTURING AGREEMENT",
            "1. Warranty",
            "1.1 The Customer bears the cost of Products that have been returned without fault.",
            "2. Ending",
            "2.1 On termination each party shall return to the other, all. technical papers"
            " (e.g. drawings and process data) and Confidential Documents.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="manufacturing")
    assert report.result("return_or_destroy").article == "2. Ending"


def test_a_duty_to_limit_the_use_to_a_stated_scope_is_a_use_restriction(requirements):
    text = "\n".join(
        [
            "SOFTWARE LICENCE AGREEMENT",
            "1. Licence",
            "1.1 The Licensee shall limit its use of the Software to the servers named in"
            " the order.",
            "2. Marks",
            "2.1 The Licensee shall use the Licensor's logos solely for the purpose of"
            " marketing the Software.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="licence")
    assert report.result("no_other_use").article == "1. Licence"


def test_a_waived_consent_supplies_no_consent_to_a_change_of_control_clause(requirements):
    text = "\n".join(
        [
            "LICENCE AGREEMENT",
            "1. Term",
            "1.1 If a change of control of the Licensee occurs, the Licensor may terminate"
            " this Agreement at once.",
            "2. General",
            "2.1 If the closing under the merger plan does not happen, this Agreement shall"
            " terminate.",
            "2.2 The transfer of shares under the merger plan shall not require the consent of"
            " the Licensor.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="licence")
    result = report.result("change_of_control")
    assert (str(result.status), result.article) == ("weak", "1. Term")


def test_a_licence_granted_with_the_right_to_sublicense_is_weak(requirements):
    text = "\n".join(
        [
            "LICENCE AGREEMENT",
            "1. Grant",
            "1.1 The Licensor grants the Licensee a licence to use the Technology in Japan,"
            " with the right to sublicense.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="licence")
    assert status(report, "no_subcontracting") == "weak"


def test_a_duty_to_identify_in_writing_the_background_provided_fixes_the_scope(requirements):
    text = "\n".join(
        [
            "JOINT DEVELOPMENT AGREEMENT",
            "1. Kick-off",
            "1.1 Within a month each party shall disclose its background technology to the"
            " other in writing and identify it.",
            "2. Secrecy",
            "2.1 Each party shall keep confidential any and all information the other discloses.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="joint_research")
    result = report.result("scope_of_technology")
    assert (str(result.status), result.article) == ("present", "1. Kick-off")


def test_a_heading_on_returned_goods_names_no_return_of_information(requirements):
    text = "\n".join(
        [
            "SUPPLY AGREEMENT",
            "1. Return of Defective Products",
            "1.1 The Buyer may send faulty units back within thirty days.",
            "2. End of the Agreement",
            "2.1 On termination the Supplier shall return all drawings and samples to the Buyer.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="supply")
    assert report.result("return_or_destroy").article == "2. End of the Agreement"


def test_a_quality_control_heading_names_no_change_of_control(requirements):
    text = "\n".join(
        [
            "MANUFACTURING AGREEMENT",
            "1. Quality Control",
            "1.1 The Maker shall inspect every lot before shipment.",
            "2. General",
            "2.1 If a change of control of the Maker occurs, the Brand may terminate this"
            " Agreement.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="manufacturing")
    assert report.result("change_of_control").article == "2. General"

"""Recognition that generalises in English contracts (issue 14): modality, the notice a
change-of-control clause needs, and where its parts are looked for."""

from __future__ import annotations

import pytest

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


def test_a_need_to_use_or_access_is_a_need_to_know_whoever_holds_it(requirements):
    def need(sentence: str) -> str:
        text = (
            "SERVICES AGREEMENT\n1. Services\n1.1 The Provider shall perform the services.\n"
            f"2. Confidentiality\n2.1 {sentence}\n"
        )
        report = check_text(text, requirements=requirements, kind="service")
        return status(report, "need_to_know")

    lead = "Each party shall keep the other's Confidential Information secret, except that it"
    assert (
        need(
            f"{lead} may be shared with those contractors that: (i) have a need to access it for"
            " the project; and (ii) are bound by obligations at least as protective as these."
        )
        == "weak"  # bound, but nothing is said about after they leave
    )
    assert need(f"{lead} may be shared with advisers who require access to it.") == "weak"
    assert need(f"{lead} may be shared with advisers.") == "missing"


def test_a_definition_left_to_a_separate_confidentiality_agreement_is_weak(requirements):
    def definition(sentence: str) -> str:
        text = (
            "COLLABORATION AGREEMENT\n1. Definitions\n"
            f"1.1 {sentence}\n1.2 “Product” means the capsule formulation.\n"
            "2. Research\n2.1 The parties shall conduct the research plan.\n"
        )
        report = check_text(text, requirements=requirements, kind="joint_research")
        return status(report, "definition")

    assert (
        definition("“Recipient” has the meaning given in the Mutual Non-Disclosure Agreement.")
        == "weak"
    )
    assert definition("“Recipient” has the meaning given in the Supply Agreement.") == "missing"


def test_a_wish_to_protect_is_no_duty_and_precluding_sharing_is_a_ban(requirements):
    def check(sentence: str):
        text = (
            "SUPPLY AGREEMENT\n1. Products\n1.1 The Seller shall supply the Products.\n"
            f"2. Confidential Information\n2.1 {sentence}\n"
        )
        return check_text(text, requirements=requirements, kind="supply")

    wish = check("The parties wish to protect each other's confidential information.")
    assert status(wish, "confidentiality") == "weak"
    assert status(check("The parties wish to sell more."), "confidentiality") == "missing"
    ban = check("Each party shall preclude its staff from sharing the other's information.")
    assert status(ban, "third_party_consent") == "present"
    after = check(
        "When the Agreement ends, each party shall preclude its staff from sharing the"
        " other's information."
    )
    assert status(after, "third_party_consent") == "weak"  # only for after the end


def test_tooling_ownership_or_an_approved_plant_is_no_ban_on_moving_equipment(requirements):
    def relocation(sentence: str) -> str:
        text = (
            "MANUFACTURING AGREEMENT\n1. Manufacture\n1.1 The Maker shall manufacture the"
            f" Products.\n2. Tooling\n2.1 {sentence}\n"
        )
        report = check_text(text, requirements=requirements, kind="manufacturing")
        return status(report, "no_equipment_relocation")

    assert relocation("Moulds supplied by the Company shall remain its property.") == "weak"
    assert (
        relocation("The Maker shall produce the Products only at the designated plant.") == "weak"
    )
    assert (
        relocation(
            "Moulds supplied by the Company shall remain its property and shall not be moved"
            " from the plant without the Company's prior written consent."
        )
        == "present"
    )


def test_owning_the_product_or_the_tooling_is_not_owning_results(requirements):
    def results(*sentences: str, heading: str = "Ownership") -> str:
        body = "\n".join(f"3.{n} {s}" for n, s in enumerate(sentences, 1))
        text = (
            "LICENSE AGREEMENT\n1. License\n1.1 The Licensor grants a licence to use the"
            f" Software.\n3. {heading}\n{body}\n"
            "9. General\n9.1 No modification of this Agreement is valid unless in writing.\n"
        )
        report = check_text(text, requirements=requirements, kind="licence")
        return status(report, "results_ownership")

    assert results("The Licensor owns all right, title and interest in the Software.") == "weak"
    assert (
        results(
            "The Licensor owns all right, title and interest in the Software.",
            "Improvements made by the Licensee shall be owned by the Licensor.",
        )
        == "present"
    )
    tooling = "Tooling purchased by the Licensee remains its property."
    assert results(tooling, heading="Equipment") == "missing"


def test_a_duty_that_covers_only_the_price_or_the_terms_is_weak(requirements):
    def check(*sentences: str):
        body = "\n".join(f"{n}. {s}" for n, s in enumerate(sentences, 5))
        text = f"SUPPLY AGREEMENT\n1. Supply\n1.1 The Seller shall supply the Products.\n{body}\n"
        return check_text(text, requirements=requirements, kind="supply")

    price = "Disclosure of the prices to any third party is strictly prohibited."
    narrow = check(price)
    assert status(narrow, "confidentiality") == "weak"
    assert status(narrow, "third_party_consent") == "weak"
    full = check(price, "The Buyer shall keep all technical information in strict confidence.")
    assert status(full, "confidentiality") == "present"


def test_a_permission_to_disclose_at_the_recipients_judgement_waives_the_ban(requirements):
    def consent(*items: str) -> str:
        listed = "\n".join(items)
        text = (
            "RESEARCH AGREEMENT\n1. Research\n1.1 The parties shall conduct the research.\n"
            "3. Confidentiality\n3.1 The Recipient shall not disclose Confidential Information"
            " to any third party without the prior written consent of the Discloser.\n"
            "3.2 Notwithstanding 3.1, the Recipient may disclose Confidential Information to:\n"
            f"{listed}\n"
        )
        report = check_text(text, requirements=requirements, kind="joint_research")
        return status(report, "third_party_consent")

    by_law = "(a) government agencies in order to obtain patents, where required by law; or"
    judged = (
        "(b) as the Recipient deems necessary for the development of the product, to its"
        " affiliates, agents, consultants or other third parties."
    )
    assert consent(by_law) == "present"
    assert consent(by_law, judged) == "weak"


def test_a_change_of_control_notice_given_after_it_is_weak_whatever_else_is_said(requirements):
    text = (
        "COLLABORATION AGREEMENT\n1. Research\n1.1 The parties shall conduct the research.\n"
        "2. Confidentiality\n2.1 Either Party may also disclose the terms of this Agreement to"
        " potential acquirors in connection with a change of control transaction, under an"
        " agreement to keep them confidential and with the other Party's consent.\n"
        "3. Term and Termination\n3.1 Termination for Change in Control of the Partner.\n"
        "3.2 In the event of a Change in Control of the Partner, the Partner shall give prompt"
        " written notice following such Change in Control, and the Company may terminate"
        " this Agreement by providing written notice within thirty days of receipt of such"
        " written notice.\n"
    )
    result = check_text(text, requirements=requirements, kind="joint_research").result(
        "change_of_control"
    )
    assert str(result.status) == "weak"
    assert result.article.startswith("3") and result.quote.startswith("In the event")


def test_damages_an_insurance_covers_are_no_remedy_for_a_breach(requirements):
    def remedies(*sentences: str) -> str:
        body = "\n".join(f"{n}. {s}" for n, s in enumerate(sentences, 2))
        text = f"JOINT VENTURE AGREEMENT\n1. Research\n1.1 The parties shall do research.\n{body}\n"
        report = check_text(text, requirements=requirements, kind="joint_research")
        return status(report, "remedies")

    insurance = "Each party shall insure its staff against accidents and damages charged to them."
    injunction = "Each party shall be entitled to injunctive relief against any breach."
    assert remedies(insurance, injunction) == "weak"  # nothing says damages for a breach
    damages = "The breaching party shall be liable for all damages caused by its breach."
    assert remedies(insurance, injunction, damages) == "present"


def test_copies_kept_after_return_are_weak_unless_they_stay_confidential(requirements):
    def returned(*sentences: str, duty: str = "shall keep Confidential Information secret") -> str:
        body = " ".join(sentences)
        text = (
            "LICENSE AGREEMENT\n1. License\n1.1 The Licensor grants a licence to the Licensee.\n"
            f"2. Confidentiality\n2.1 The Licensee {duty}.\n2.2 {body}\n"
        )
        report = check_text(text, requirements=requirements, kind="licence")
        return status(report, "return_or_destroy")

    ret = "Upon termination the Licensee shall return all Confidential Information."
    assert returned(ret) == "present"
    kept = "The Licensee shall be permitted to retain copies of the Confidential Information."
    assert returned(ret, kept) == "weak"
    assert returned(ret, kept, duty="shall at all times keep Confidential Information secret") == (
        "present"
    )
    bound = (
        "The Licensee may retain one archival copy, which remains subject to the obligations"
        " of this Agreement."
    )
    assert returned(ret, bound) == "present"


def test_a_duty_kept_under_the_terms_of_the_agreement_is_not_narrow(requirements):
    text = (
        "SUPPLY AGREEMENT\n1. Supply\n1.1 The Seller shall supply the Products.\n"
        "5. Secrecy\n5.1 The Buyer shall hold the Seller's trade secrets in strict confidence"
        " in accordance with the terms of this Agreement.\n"
    )
    report = check_text(text, requirements=requirements, kind="supply")
    assert status(report, "confidentiality") == "present"


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


def test_who_pays_for_destroying_records_is_no_duty_to_return(requirements):
    text = (
        "MANUFACTURING AGREEMENT\n1. Manufacture\n1.1 The Maker shall manufacture the Products.\n"
        "7. Quality\n7.1 The Maker may charge the Company for expenses incurred for the"
        " destruction of such documents.\n"
    )
    report = check_text(text, requirements=requirements, kind="manufacturing")
    assert status(report, "return_or_destroy") == "missing"


def test_all_rights_associated_with_the_product_cover_its_improvements(requirements):
    text = (
        "DEVELOPMENT AGREEMENT\n1. Services\n1.1 The Developer shall develop the formulas.\n"
        "4. Property Rights\n4.1 The Company shall own all other intellectual property rights"
        " associated with any Product developed under this Agreement.\n"
    )
    report = check_text(text, requirements=requirements, kind="service")
    assert status(report, "results_ownership") == "present"


def test_refraining_from_disclosure_and_use_at_any_time_thereafter(requirements):
    text = (
        "IP AGREEMENT\n1. Licensing\n1.1 The Licensor grants the Licensee a licence under"
        " the patents.\n"
        "7. Confidentiality\n7.1 Each party agrees to hold in confidence confidential"
        " information acquired in the course of this relationship.\n"
        "7.2 Each party agrees to refrain from, either during this Agreement or at any other"
        " time thereafter, disclosing, using or disseminating such confidential information.\n"
        "7.3 For purposes of this Agreement, confidential information shall include contacts"
        " and introductions to third parties.\n"
        "7.4 Confidential information shall also mean any information not known to the public,"
        " including software, designs and methods to reverse engineer them.\n"
    )
    report = check_text(text, requirements=requirements, kind="licence")
    assert status(report, "third_party_consent") == "present"
    assert status(report, "no_other_use") == "present"
    assert status(report, "definition") == "present"
    assert status(report, "term_survival") == "weak"  # survives, but no term is stated
    assert status(report, "no_reverse_engineering") == "missing"  # words of a definition


def test_an_nda_written_as_an_exhibit_is_read_for_what_it_says(requirements):
    text = (
        "EXHIBIT A\nCONFIDENTIALITY AND NON-USE OBLIGATIONS AGREEMENT\n"
        "The Recipient acknowledges that the work will entail the disclosure of information"
        " and materials of the Company that are proprietary, confidential and trade secret,"
        " which include, but are not limited to, marketing plans and designs.\n"
        "All information, including any copies thereof, shall be removed and returned to the"
        " Company upon demand.\n"
        "The Recipient agrees that the Company may seek temporary restraining orders against"
        " it, since a breach would result in damages that cannot be adequately compensated.\n"
        "The Recipient's trade secrets obligations and confidentiality duties continue.\n"
    )
    report = check_text(text, requirements=requirements)
    assert report.kind == "nda"  # by its wording: confidentiality, trade secrets, non-use
    assert status(report, "definition") == "present"
    assert status(report, "return_or_destroy") == "present"
    assert status(report, "remedies") == "present"


def test_materials_delivered_back_on_termination_are_returned(requirements):
    text = (
        "SERVICES AGREEMENT\n1. Services\n1.1 The CRO shall perform the Services.\n"
        "6. Information\n6.1 The CRO agrees to deliver to the Client, upon termination of this"
        " Agreement, all materials which were provided to the CRO.\n"
    )
    report = check_text(text, requirements=requirements, kind="service")
    assert status(report, "return_or_destroy") == "present"


def test_outsourcing_as_the_subject_of_a_contract_is_no_subcontracting_clause(requirements):
    text = (
        "PHOTO RETOUCHING\nOUTSOURCING AGREEMENT\nBoth parties wish to enter into this"
        " agreement regarding the outsourcing of photo-editing services.\n"
        "1. The Provider shall provide photo-editing services for a fee per photo.\n"
        "2. The Client shall pay the Provider within thirty days.\n"
    )
    report = check_text(text, requirements=requirements)
    assert report.kind == "service"
    assert status(report, "no_subcontracting") == "missing"


def test_wording_from_services_contracts_of_individuals(requirements):
    text = (
        "SERVICES AGREEMENT\n1. Services\n1.1 The CRO shall perform the Services.\n"
        "1.2 This Agreement shall remain in force for two years.\n"
        "6. Proprietary Information\n6.1 The CRO agrees that during the term of this Agreement"
        " and for a period of three years thereafter: (a) not to divulge to any person, firm"
        " or corporation any methods or formulae which it learns solely as a result of and"
        " during the terms of its agreement with the Client; and (b) that all information it"
        " receives remains confidential.\n"
        "6.2 The CRO acknowledges that it is illegal to copy these photographs without the"
        " Client's written permission.\n"
        "7. Force Majeure\n7.1 Neither party is liable for delays caused by an act of God,"
        " strike, injunction or act of government.\n"
    )
    report = check_text(text, requirements=requirements, kind="service")
    assert status(report, "term_survival") == "present"  # a term and three years after it
    assert status(report, "third_party_consent") == "present"  # "the terms of its agreement"
    assert status(report, "confidentiality") == "present"
    assert status(report, "copy_limit") == "present"
    assert status(report, "remedies") == "missing"  # an injunction as a force majeure event


def test_a_licence_that_includes_a_free_right_to_sublicense_leaves_it_weak(requirements):
    text = (
        "IP AGREEMENT\n2. Licensing\n2.1 The Licensor grants the Licensee an exclusive licence"
        " under the Patents.\n2.2 The grant of each license includes the right to grant"
        " sublicenses to Related Companies.\n2.3 No sublicense may be made effective before the"
        " sublicensee becomes a Related Company.\n"
    )
    report = check_text(text, requirements=requirements, kind="licence")
    assert status(report, "no_subcontracting") == "weak"


def test_joint_publication_needs_both_parties(requirements):
    def publication(sentence: str) -> str:
        text = (
            "JOINT DEVELOPMENT AGREEMENT\n1. Research\n1.1 The parties shall develop the"
            f" vaccine.\n9. General\n9.1 {sentence}\n"
        )
        report = check_text(text, requirements=requirements, kind="joint_research")
        return status(report, "publication_review")

    assert publication("The parties jointly may publish technical presentations.") == "present"
    assert publication("Either party may publish technical papers after notice.") == "weak"


def test_wording_that_only_sounds_like_a_clause(requirements):
    text = (
        "OUTSOURCING AGREEMENT\n1. Services\n1.1 The Provider shall edit the photographs.\n"
        "2. Records\n2.1 During the term of this Agreement, and thereafter, the Client shall use"
        " reasonable efforts to ensure that all information provided to the Provider or its"
        " representatives remains confidential.\n"
        "3. Copyrights\n3.1 Title to and the disposition of any copyrights first produced under"
        " this Agreement shall remain with the party whose staff produced them, except as"
        " otherwise agreed.\n"
        "4. Applications\n4.1 The parties will cooperate in developing products, to be"
        " memorialized in a Technology Acquisition and Financing Agreement.\n"
        "5. Representations\n5.1 No finder or broker has any claim because of any act of a"
        " party or its sublicensees.\n"
    )
    report = check_text(text, requirements=requirements, kind="service")
    assert status(report, "need_to_know") == "missing"  # the information, not the people
    assert status(report, "term_survival") == "weak"  # survives, but no term is stated
    assert status(report, "copy_limit") == "missing"  # copyright ownership
    assert status(report, "change_of_control") == "missing"  # a technology acquisition
    assert status(report, "no_subcontracting") == "missing"  # a broker representation


def test_staff_made_aware_and_bound_by_similar_undertakings(requirements):
    text = (
        "MANUFACTURING AGREEMENT\n1. Manufacture\n1.1 The Contractor shall make the Products.\n"
        "19. Confidentiality\n19.1 The Contractor shall ensure that all employees who take part"
        " in the services are subject to similar non-disclosure undertakings.\n"
        "20. Term\n20.1 This Agreement shall have a term of four (4) years.\n"
    )
    report = check_text(text, requirements=requirements, kind="manufacturing")
    assert status(report, "need_to_know") == "weak"  # bound, nothing after they leave


def test_copying_allowed_with_copies_to_be_returned_is_a_weak_copy_limit(requirements):
    text = (
        "IP AGREEMENT\n1. Licensing\n1.1 The Licensor grants a licence under the Patents.\n"
        "7. Confidentiality\n7.1 The parties may copy any written Confidential Information;"
        " provided, however, that all such Confidential Information and copies thereof shall"
        " be promptly returned upon request.\n"
    )
    report = check_text(text, requirements=requirements, kind="licence")
    assert status(report, "copy_limit") == "weak"
    assert status(report, "return_or_destroy") == "present"


def test_confidential_unless_the_other_agrees_in_writing_needs_its_consent(requirements):
    def consent(sentence: str) -> str:
        text = (
            "SERVICES AGREEMENT\n1. Services\n1.1 The Provider shall perform the services.\n"
            f"2. Secrecy\n2.1 {sentence}\n"
        )
        report = check_text(text, requirements=requirements, kind="service")
        return status(report, "third_party_consent")

    assert (
        consent(
            "Each party shall treat all materials received from the other as strictly confidential,"
            " except to the extent otherwise agreed by the other party in writing."
        )
        == "present"
    )
    assert consent("Each party shall keep the other's Confidential Information.") == "missing"


def test_access_restricted_to_the_staff_is_need_to_know_and_an_effort_is_weak(requirements):
    def access(sentence: str) -> str:
        text = (
            "LICENCE AGREEMENT\n1. Licence\n1.1 The Licensor grants a licence to the Software.\n"
            f"2. Use\n2.1 {sentence} The Licensee shall keep the Confidential Information"
            " secret.\n"
        )
        report = check_text(text, requirements=requirements, kind="licence")
        return status(report, "need_to_know")

    effort = "The Licensee shall use reasonable efforts to restrict access to the Software"
    assert access(f"{effort} to its employees and contractors.") == "weak"
    assert access("The Licensee may copy the Software for backup.") == "missing"


def checked(requirements, kind: str, key: str, *sentences: str) -> str:
    """Return the status of ``key`` in a small contract whose article 2 holds ``sentences``."""
    body = "\n".join(f"2.{n} {sentence}" for n, sentence in enumerate(sentences, 1))
    text = f"AGREEMENT\n1. Scope\n1.1 The parties work together.\n2. Terms\n{body}\n"
    return status(check_text(text, requirements=requirements, kind=kind), key)


def test_definitions_read_with_their_lead_carry_no_clause(requirements):
    text = (
        "JOINT DEVELOPMENT AGREEMENT\n1. Definitions\n"
        "Capitalised words shall have the meanings assigned to them in this Section 1:\n"
        '1.1 "Company IP" means all intellectual property acquired by Company before this'
        " Agreement.\n"
        '1.2 "Product" means the drink developed under this Agreement.\n'
        "2. Work\n2.1 The parties shall develop the Product together.\n"
    )
    report = check_text(text, requirements=requirements, kind="joint_research")
    assert status(report, "change_of_control") == "missing"


def test_backups_that_need_not_be_removed_hollow_a_return_duty_elsewhere(requirements):
    def returned(carve_out: str) -> str:
        text = (
            "SUPPLY AGREEMENT\n1. Supply\n1.1 The Supplier shall supply the Products.\n"
            "2. Confidential Information\n2.1 Each Party shall return or destroy the other's"
            f" Confidential Information on request{carve_out}.\n"
            "3. Termination\n3.1 On termination the Supplier shall return all materials and"
            " documents of the Buyer.\n"
        )
        report = check_text(text, requirements=requirements, kind="supply")
        return status(report, "return_or_destroy")

    backups = (
        ", provided that a Party is not obligated to remove Confidential Information from"
        " back-up devices kept under its records retention policy"
    )
    assert returned(backups) == "weak"
    assert returned("") == "present"


def test_an_article_headed_copyrights_is_no_copy_limit(requirements):
    text = (
        "RESEARCH AGREEMENT\n1. Research\n1.1 The parties shall research the compound.\n"
        "2. Copyrights\n2.1 Materials the Parties create together shall be jointly owned.\n"
    )
    report = check_text(text, requirements=requirements, kind="joint_research")
    assert status(report, "copy_limit") == "missing"


def test_the_article_headed_for_confidentiality_is_cited_before_a_passing_mention(requirements):
    text = (
        "RESEARCH AGREEMENT\n1. Program\n"
        "1.1 The Company may hire staff from agencies as needed, provided that they are under"
        " confidentiality obligations no less restrictive than these.\n"
        "2. Disclosure, Confidentiality and Restricted Use\n"
        "2.1 Each party may share Confidential Information with its staff as needed, provided"
        " they have agreed to be bound by confidentiality obligations no less protective.\n"
    )
    report = check_text(text, requirements=requirements, kind="joint_research")
    assert report.result("need_to_know").article.startswith("2.")


# Each case: a short contract whose article 2 holds the sentences, and the status a careful
# reader gives the clause (the id says why).
CASES = [
    pytest.param(
        "service",
        "third_party_consent",
        (
            (
                "Confidential Information will not be disclosed by the Recipient"
                " without the prior consent of the Owner."
            ),
        ),
        "present",
        id="a_passive_ban_on_disclosure_without_consent_asks_for_consent-1",
    ),
    pytest.param(
        "service",
        "third_party_consent",
        (("Confidential Information will not be disclosed by the Recipient to the press."),),
        "missing",
        id="a_passive_ban_on_disclosure_without_consent_asks_for_consent-2",
    ),
    pytest.param(
        "service",
        "third_party_consent",
        (
            (
                "For five (5) years the Recipient agrees that Confidential Information"
                " (i) shall be held in confidence and (ii) will not be disclosed"
                " without the prior written consent of the Discloser, except"
                " information that (a) is public or (b) is received by a third party"
                " lawfully."
            ),
        ),
        "present",
        id="exclusions_listed_after_the_ban_do_not_hide_it",
    ),
    pytest.param(
        "service",
        "return_or_destroy",
        (
            (
                "Upon termination the Developer shall deliver to the Company all"
                " proprietary technology files it received."
            ),
        ),
        "present",
        id="files_delivered_back_at_the_end_are_returned-1",
    ),
    pytest.param(
        "service",
        "return_or_destroy",
        ("The Developer shall deliver the software.",),
        "missing",
        id="files_delivered_back_at_the_end_are_returned-2",
    ),
    pytest.param(
        "service",
        "no_subcontracting",
        (
            (
                "The Contractor may not transfer its rights and obligations to any"
                " third party without the prior written approval of the Client."
            ),
        ),
        "present",
        id=("an_assignment_of_obligations_needing_approval_controls_subcontracting-1"),
    ),
    pytest.param(
        "service",
        "no_subcontracting",
        (("The Contractor may not transfer its rights and obligations to any third party."),),
        "missing",
        id=("an_assignment_of_obligations_needing_approval_controls_subcontracting-2"),
    ),
    pytest.param(
        "joint_research",
        "publication_review",
        (
            (
                "Neither party shall issue a press release about this Agreement without"
                " the other's prior written approval."
            ),
        ),
        "present",
        id="press_releases_after_prior_approval_are_a_publication_review",
    ),
    pytest.param(
        "service",
        "term_survival",
        (
            "This Agreement has an initial term of twelve (12) months.",
            (
                "During the Term and thereafter for a period of five (5) years, the"
                " parties shall be bound by the protective terms of the NDA."
            ),
        ),
        "present",
        id="a_duty_bound_by_an_nda_during_the_term_and_thereafter_survives",
    ),
    pytest.param(
        "licence",
        "remedies",
        (
            (
                "This disclaimer applies (i) to claims for lost profits and (ii)"
                " whether or not such damages are foreseeable."
            ),
        ),
        "missing",
        id="a_disclaimer_of_lost_profits_is_no_remedy",
    ),
    pytest.param(
        "licence",
        "no_subcontracting",
        (
            (
                "The Licensor grants the Licensee a non-exclusive licence to use,"
                " modify and sublicense the Code."
            ),
        ),
        "weak",
        id="a_licence_that_includes_a_right_to_sublicense_is_weak-1",
    ),
    pytest.param(
        "licence",
        "no_subcontracting",
        (
            (
                "The Licensor grants the Licensee a non-exclusive licence to use,"
                " modify the Code. The Licensee shall not sublicense the Code without"
                " consent."
            ),
        ),
        "present",
        id="a_licence_that_includes_a_right_to_sublicense_is_weak-2",
    ),
    pytest.param(
        "supply",
        "term_survival",
        (
            "This Agreement has an initial term of five (5) years.",
            (
                "The indemnities, representations and warranties of each Party will"
                " survive termination of this Agreement."
            ),
        ),
        "weak",
        id="only_warranties_surviving_the_end_is_no_survival_of_confidentiality-1",
    ),
    pytest.param(
        "supply",
        "term_survival",
        (
            "This Agreement has an initial term of five (5) years.",
            "Sections 5 and 9 will survive termination of this Agreement.",
        ),
        "present",
        id="only_warranties_surviving_the_end_is_no_survival_of_confidentiality-2",
    ),
    pytest.param(
        "service",
        "copy_limit",
        (("The Customer shall not use the Services to send spam or other duplicative messages."),),
        "missing",
        id="duplicative_messages_are_no_copies",
    ),
    pytest.param(
        "manufacturing",
        "purpose",
        ("This Supply Agreement governs the clinical supply of the Products.",),
        "present",
        id="the_agreement_stating_what_it_governs_states_its_purpose",
    ),
    pytest.param(
        "supply",
        "definition",
        (
            (
                '"Confidential Information" means all business and technical'
                " information of the Parties, disclosed in writing or orally."
            ),
            (
                "Each Party acknowledges that confidential information received"
                " concerning future plans may be tentative."
            ),
        ),
        "present",
        id="a_permission_beside_a_definition_does_not_hollow_it",
    ),
    pytest.param(
        "manufacturing",
        "no_equipment_relocation",
        (
            (
                "Any other facility the Maker wishes to use to manufacture the Products"
                " must be approved by the Buyer in writing."
            ),
        ),
        "present",
        id=("another_manufacturing_facility_only_with_approval_keeps_the_work_in_place-1"),
    ),
    pytest.param(
        "manufacturing",
        "no_subcontracting",
        (
            (
                "Any other facility the Maker wishes to use to manufacture the Products"
                " must be approved by the Buyer in writing."
            ),
        ),
        "present",
        id=("another_manufacturing_facility_only_with_approval_keeps_the_work_in_place-2"),
    ),
    pytest.param(
        "licence",
        "results_ownership",
        ("The Licensor retains all of its ownership rights in the Platform.",),
        "weak",
        id=("a_licensor_retaining_its_ownership_says_who_owns_but_not_the_improvements"),
    ),
    pytest.param(
        "service",
        "results_ownership",
        (
            (
                "All deliverables developed by the Consultant in the performance of the"
                " Services shall belong exclusively to the Client."
            ),
        ),
        "present",
        id="all_deliverables_developed_in_the_work_assigned_cover_improvements",
    ),
    pytest.param(
        "joint_research",
        "scope_of_technology",
        (
            (
                '"Development Products" means the Licensed Compounds, as defined in the'
                " Sublicense Agreement."
            ),
        ),
        "weak",
        id="a_technology_defined_in_another_agreement_is_a_weak_scope-1",
    ),
    pytest.param(
        "joint_research",
        "scope_of_technology",
        (
            (
                '"Development Products" means the Licensed Compounds, as defined in'
                " Schedule 2, a small-molecule antiviral for human use."
            ),
        ),
        "present",
        id="a_technology_defined_in_another_agreement_is_a_weak_scope-2",
    ),
    pytest.param(
        "service",
        "purpose",
        ("The Provider will provide data processing services to the Client.",),
        "present",
        id="the_services_a_provider_will_give_are_the_purpose",
    ),
    pytest.param(
        "service",
        "third_party_consent",
        (
            (
                "The Developer may not assign or transfer this Agreement to any third"
                " party without the prior written consent of the Company."
            ),
        ),
        "missing",
        id="assigning_the_agreement_to_a_third_party_is_no_disclosure",
    ),
    pytest.param(
        "service",
        "definition",
        (
            (
                "The parties have entered into a Mutual Non-Disclosure Agreement dated"
                ' 1 May 2020 (the "NDA"), which governs information exchanged under'
                " this Agreement."
            ),
        ),
        "weak",
        id=("confidential_information_left_to_an_nda_signed_earlier_is_weakly_defined"),
    ),
    pytest.param(
        "joint_research",
        "results_ownership",
        (
            (
                "Inventions made solely by employees of a Party during the term of this"
                " Agreement shall belong to that Party."
            ),
        ),
        "present",
        id=("inventions_made_during_the_term_belonging_to_their_maker_cover_improvements-1"),
    ),
    pytest.param(
        "joint_research",
        "results_ownership",
        (
            (
                "Inventions made solely by employees of a Party before this Agreement"
                " shall belong to that Party."
            ),
        ),
        "weak",
        id=("inventions_made_during_the_term_belonging_to_their_maker_cover_improvements-2"),
    ),
    pytest.param(
        "supply",
        "third_party_consent",
        (
            (
                "Either party may terminate this Agreement if control of the other"
                " party shall pass from its present shareholders to other persons."
            ),
        ),
        "missing",
        id="control_passing_to_other_persons_is_no_disclosure-1",
    ),
    pytest.param(
        "supply",
        "third_party_consent",
        (
            (
                "Either party may terminate this Agreement if the other's voting stock"
                " is transferred to any third party so as to change its effective"
                " control."
            ),
        ),
        "missing",
        id="control_passing_to_other_persons_is_no_disclosure-2",
    ),
    pytest.param(
        "licence",
        "definition",
        (
            (
                'The term "Confidential Information" as used in this Agreement means'
                " all technical and business information the Parties provide."
            ),
        ),
        "present",
        id="a_definition_as_used_in_this_agreement_defines",
    ),
    pytest.param(
        "licence",
        "no_other_use",
        (
            (
                "Each Party shall not, without the other's consent, (i) disclose the"
                " other's Confidential Information to any Person or (ii) use any of it"
                " for any reason other than as contemplated by this Agreement."
            ),
        ),
        "present",
        id="no_use_for_any_reason_other_than_the_agreement_limits_use",
    ),
    pytest.param(
        "manufacturing",
        "copy_limit",
        (
            (
                "Each Party agrees to keep the other's Confidential Information"
                " confidential and not to reproduce it."
            ),
        ),
        "present",
        id="agreeing_not_to_reproduce_is_a_copy_limit",
    ),
    pytest.param(
        "supply",
        "third_party_consent",
        (
            (
                "The Recipient will not disclose the Confidential Information to any"
                " third party without the consent of the Discloser given in a written"
                " notice."
            ),
        ),
        "present",
        id="notice_is_a_word_not_the_end_of_information",
    ),
    pytest.param(
        "supply",
        "remedies",
        (
            (
                "The Buyer may seek an injunction and recover damages arising from a"
                " breach, in whatever capacity the Supplier acted."
            ),
        ),
        "present",
        id="short_words_in_patterns_match_whole_words_only-1",
    ),
    pytest.param(
        "joint_research",
        "results_ownership",
        ("The results known to either party shall be reported monthly.",),
        "missing",
        id="short_words_in_patterns_match_whole_words_only-2",
    ),
    pytest.param(
        "supply",
        "return_or_destroy",
        (("The Supplier's relationship to the Buyer's documentation is that of a user."),),
        "missing",
        id="short_words_in_patterns_match_whole_words_only-3",
    ),
    pytest.param(
        "supply",
        "remedies",
        ("The Supplier disclaims all liability for indirect damages.",),
        "missing",
        id="short_words_in_patterns_match_whole_words_only-4",
    ),
    pytest.param(
        "licence",
        "no_other_use",
        (
            (
                "The Company grants the Investor a licence (with the right to"
                " sublicense Affiliates) to use the Know-How to practise the patented"
                " methods."
            ),
        ),
        "present",
        id="a_licence_to_use_for_a_stated_end_limits_the_use-1",
    ),
    pytest.param(
        "licence",
        "no_other_use",
        (
            (
                "The Company grants the Investor a licence (with the right to"
                " sublicense Affiliates) to use the Know-How."
            ),
        ),
        "missing",
        id="a_licence_to_use_for_a_stated_end_limits_the_use-2",
    ),
    pytest.param(
        "licence",
        "change_of_control",
        (
            (
                "Any change of control of the Company shall be subject to the licences"
                " granted in this Agreement."
            ),
        ),
        "missing",
        id=("a_change_of_control_with_neither_consent_nor_termination_counts_for_nothing-1"),
    ),
    pytest.param(
        "licence",
        "change_of_control",
        (("On any change of control of the Licensee, the Licensor may terminate this Agreement."),),
        "weak",
        id=("a_change_of_control_with_neither_consent_nor_termination_counts_for_nothing-2"),
    ),
    pytest.param(
        "manufacturing",
        "no_subcontracting",
        (
            (
                "The warranties are enforceable by the Customer and its successors,"
                " assigns, subcontractors, distributors and customers."
            ),
        ),
        "missing",
        id="subcontractors_in_a_list_of_beneficiaries_are_no_subcontracting_rule",
    ),
    pytest.param(
        "licence",
        "remedies",
        (
            (
                "A patent owner can sue for infringement and seek damages for any"
                " infringement during the six preceding years."
            ),
        ),
        "missing",
        id="damages_for_patent_infringement_are_no_remedy_for_a_breach",
    ),
    pytest.param(
        "service",
        "confidentiality",
        (
            (
                "Each Party agrees that during this Agreement information that is"
                " confidential or proprietary may be disclosed to the other Party,"
                " including software, algorithms, product designs and marketing data,"
                " and any other information that the Discloser desires to protect"
                " against unrestricted disclosure by the Recipient that is marked as"
                " confidential or that the Recipient should reasonably know is"
                " confidential."
            ),
            (
                "The Recipient will maintain the confidentiality of the Discloser's"
                " Confidential Information with at least the same degree of care it"
                " uses for its own."
            ),
        ),
        "present",
        id="a_may_far_from_the_weak_wording_makes_no_hole",
    ),
    pytest.param(
        "manufacturing",
        "remedies",
        (
            (
                "The Maker shall maintain insurance covering its liability for damages"
                " arising from a breach of this Agreement."
            ),
        ),
        "missing",
        id="insurance_cover_is_no_remedy",
    ),
    pytest.param(
        "joint_research",
        "no_other_use",
        (
            (
                "Information disclosed shall not be used outside the scope of this"
                " Agreement without the prior written consent of the disclosing Party."
            ),
        ),
        "present",
        id="no_use_outside_the_scope_of_the_agreement_limits_use",
    ),
]


@pytest.mark.parametrize(("kind", "key", "sentences", "expected"), CASES)
def test_a_sentence_gets_the_status_a_careful_reader_gives(
    requirements, kind, key, sentences, expected
):
    assert checked(requirements, kind, key, *sentences) == expected

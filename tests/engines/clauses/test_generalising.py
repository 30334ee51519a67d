"""Recognition that generalises (issue 14): where a clause counts, the modality of its
sentence, provisos that grant the opposite, commentary in model contracts, real layouts and
the type guess's margin."""

from __future__ import annotations

from mamori.engines.clauses import check_document, check_text


def status(report, key: str) -> str:
    return str(report.result(key).status)


EN = "\n".join(
    [
        "MUTUAL AGREEMENT",
        "WHEREAS, the parties desire to evaluate the Discloser's sensor module for use in"
        " vehicles.",
        "1. Confidentiality",
        "1.1 The Recipient will not, unless expressly authorized in writing by the Discloser,"
        " at any time divulge or disclose any Confidential Information to any person.",
        "1.2 The Recipient will not (and will not allow anyone else to): (i) reverse engineer,"
        " decompile, or attempt to discover the source code of the Product; (ii) copy, modify,"
        " or create derivative works of the Product.",
        "2. General",
        "2.1 Neither party may assign this Agreement without the prior written consent of the"
        " other party; provided, however, that either party may assign this Agreement without"
        " such consent to an acquirer by merger.",
        "2.2 The Recipient shall not subcontract any work; provided, however, that it may"
        " subcontract where it deems it necessary.",
        "",
    ]
)


def test_a_recital_states_the_purpose_but_a_title_counts_for_nothing(requirements):
    report = check_text(EN, requirements=requirements, kind="licence")
    purpose = report.result("purpose")
    assert str(purpose.status) == "present" and purpose.article == "Preamble"
    titled = check_text(
        "OUTSOURCING AGREEMENT\n1. Fees\nThe fee is due monthly.\n2. Term\nIt ends in 2030.\n",
        requirements=requirements,
        kind="service",
    )
    assert status(titled, "no_subcontracting") == "missing"


def test_a_plain_ban_on_disclosure_is_a_duty_and_a_third_party_ban(requirements):
    report = check_text(EN, requirements=requirements, kind="nda")
    assert status(report, "confidentiality") == "present"
    assert status(report, "third_party_consent") == "present"
    assert report.result("confidentiality").article.startswith("1.")


def test_attempt_to_inside_a_ban_is_part_of_the_ban_and_items_read_with_their_lead(
    requirements,
):
    report = check_text(EN, requirements=requirements, kind="nda")
    assert status(report, "no_reverse_engineering") == "present"
    assert status(report, "copy_limit") == "present"  # item (ii) read as "will not copy"


def test_a_permission_in_a_proviso_is_no_protection_but_lifts_a_ban_partly(requirements):
    report = check_text(EN, requirements=requirements, kind="licence")
    assert status(report, "change_of_control") == "missing"
    assert status(report, "no_subcontracting") == "weak"


def test_commentary_of_a_model_contract_is_not_the_contract(requirements):
    text = """秘密保持契約書
第1条（秘密保持）
乙は、秘密情報を厳に秘密として保持しなければならない。
＜解説＞
本条では、受領者は第三者に開示してはならないとされている。
【解除事由としてのCOC条項の例】
他の法人と合併により経営権が第三者に移動したと認められた場合
2条（期間）
第2条（期間）
本契約の有効期間は1年間とする。
"""
    report = check_text(text, requirements=requirements, kind="joint_research")
    assert status(report, "third_party_consent") == "missing"
    assert status(report, "change_of_control") == "missing"
    assert report.result("term_survival").article == "第2条（期間）"


def test_the_type_confidence_is_the_margin_between_the_best_two(requirements):
    clear = check_text(
        "PILOT AGREEMENT\n1. Pilot\nThe Customer will evaluate the Product.\n",
        requirements=requirements,
    )
    assert clear.kind == "poc" and clear.type_confidence >= 0.5
    mixed = check_text(
        "COLLABORATION AGREEMENT\n1. Research\nThe parties collaborate on the research plan.\n"
        "2. Supply\nThe Supplier shall deliver products under purchase orders to the Buyer.\n",
        requirements=requirements,
    )
    assert mixed.kind == "joint_research" and 0 < mixed.type_confidence < 1


def test_a_title_that_names_no_kind_leaves_the_type_to_the_first_articles(requirements):
    """An "Outsourcing Agreement" whose first article grants a licence is a licence, though
    its services are mentioned more often; the close call shows in a low confidence."""
    services = "HSNS shall provide the Services to its customers. " * 4
    report = check_text(
        "OUTSOURCING AGREEMENT\n1. Definitions\nWords mean things.\n"
        "2. License\nE.piphany grants HSNS a nonexclusive license to use the Application.\n"
        f"3. Outsourcing Services\n{services}\n",
        requirements=requirements,
    )
    assert report.kind == "licence" and report.type_confidence < 0.5
    japanese = check_text(
        "機密保持に関する契約書\n第一条（目的）\n本契約は、共同検討に際して開示する情報の取扱いを定める。\n"
        "第二条（機密情報）\n受領者は、試作品の評価に際して知り得た機密情報を第三者に開示しない。\n",
        requirements=requirements,
    )
    assert japanese.kind == "nda"
    cooperation = check_text(
        "COOPERATION AGREEMENT\n1. Steering Committee\nThe parties form a committee.\n"
        "2. Confidential Information\nNo party shall disclose confidential information.\n",
        requirements=requirements,
    )
    assert cooperation.kind == "joint_research"


def test_the_article_about_confidential_information_holds_its_clauses(requirements):
    text = """技術検証契約書
第1条（対象データの管理）
甲は、対象データを善良な管理者の注意をもって管理し、乙の事前の書面による承諾を得ずに第三者に開示してはならない。
第2条（秘密情報）
甲および乙は、相手方の秘密情報を厳に秘密として保持し、相手方の事前の書面による承諾を得ずに第三者に開示してはならない。
"""
    report = check_text(text, requirements=requirements, kind="poc")
    assert report.result("confidentiality").article == "第2条（秘密情報）"
    assert report.result("third_party_consent").article == "第2条（秘密情報）"


def test_affiliates_exempt_from_consent_make_subcontracting_weak(requirements):
    text = """ライセンス契約書
第1条（禁止事項）
乙は、甲の事前の書面による承諾なく、第三者（乙の子会社を除く）に本実施権を再許諾してはならない。
第2条（期間）
本契約の有効期間は3年間とする。
"""
    report = check_text(text, requirements=requirements, kind="licence")
    assert status(report, "no_subcontracting") == "weak"


def test_items_under_a_lead_ending_in_a_colon_are_read_with_it(requirements):
    text = "\n".join(
        [
            "1. Supply",
            "1.1 The Manufacturer shall make the Products for the Customer.",
            "2. Customer's obligations",
            "2.1 Customer will provide the following:",
            "- Technical specifications",
            "- Drawings",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="manufacturing")
    scope = report.result("scope_of_technology")
    assert str(scope.status) == "present" and scope.article.startswith("2")
    unlisted = check_text(
        text.replace("- Technical specifications\n- Drawings\n", "The parties agree.\n"),
        requirements=requirements,
        kind="manufacturing",
    )
    assert status(unlisted, "scope_of_technology") == "missing"


def test_definitions_inline_with_a_suffix_or_described_only_in_the_duty(requirements):
    inline = (
        "第1条（秘密保持）\n乙は、甲から開示された技術情報（以下「秘密情報等」という。）を"
        "秘密として保持する。\n第2条（協議）\n甲乙は協議する。\n"
    )
    assert status(check_text(inline, requirements=requirements, kind="nda"), "definition") == (
        "present"
    )
    described = (
        "1. Confidentiality\nThe parties shall keep confidential any confidential or proprietary"
        " information obtained by them concerning the business or products of the other party."
        "\n2. General\nThis Agreement is governed by the laws of Delaware.\n"
    )
    report = check_text(described, requirements=requirements, kind="nda")
    assert status(report, "definition") == "weak"
    bare = described.replace(" concerning the business or products of the other party", "")
    assert status(check_text(bare, requirements=requirements, kind="nda"), "definition") == (
        "missing"
    )


def test_a_japanese_period_spaced_by_the_pdf_text_layer_still_counts(requirements):
    text = (
        "第1条（秘密保持）\n乙は、秘密情報を秘密として保持しなければならない。\n"
        "第2条（有効期間）\n本契約の有効期間は1年とする。ただし、本契約の終了後においても、"
        "本契約の終了日から 1 年間、第1条は有効に適用されるものとする。\n"
    )
    result = check_text(text, requirements=requirements, kind="nda").result("term_survival")
    assert str(result.status) == "weak" and "duration" in [r.code for r in result.reasons]


def test_the_survival_that_counts_is_the_longest_provision_and_the_earliest_alternative(
    requirements,
):
    head = (
        "1. Confidentiality\n1.1 The Recipient shall hold the Confidential Information in"
        " strict confidence.\n2. Term\n2.1 This Agreement shall continue for three years.\n"
    )
    longest = head + (
        "2.2 Section 1 survives the termination of this Agreement for five years.\n"
        "2.3 Section 4 survives the termination of this Agreement for three months.\n"
    )
    report = check_text(longest, requirements=requirements, kind="nda")
    assert status(report, "term_survival") == "present"
    earliest = head + (
        "2.2 Section 1 survives for five years after disclosure or for two years after the"
        " termination of this Agreement, whichever is earlier.\n"
    )
    report = check_text(earliest, requirements=requirements, kind="nda")
    assert status(report, "term_survival") == "weak"


def test_a_liability_article_without_damages_or_an_injunction_is_no_remedy(requirements):
    text = (
        "1. Confidentiality\n1.1 The Recipient shall hold the Confidential Information in"
        " strict confidence.\n2. Remedies\n2.1 Neither party shall be liable for indirect or"
        " consequential loss.\n"
    )
    report = check_text(text, requirements=requirements, kind="nda")
    assert status(report, "remedies") == "missing" and report.result("remedies").article is None
    damages = text.replace(
        "Neither party shall be liable for indirect or consequential loss.",
        "The Recipient shall compensate the Discloser for all damages caused by a breach.",
    )
    assert status(check_text(damages, requirements=requirements, kind="nda"), "remedies") == (
        "weak"
    )


def test_a_purpose_only_used_is_weak_and_markup_in_markdown_is_not_text(requirements):
    text = (
        "# Mutual NDA\n\n"
        "1. Introduction. Each party may disclose information in connection with the"
        ' <span class="coverpage_link">Purpose</span>, which the Cover Page names.\n\n'
        "2. Use. The Receiving Party shall keep Confidential Information in strict confidence.\n"
    )
    report = check_document(text.encode(), name="nda.md", requirements=requirements, kind="nda")
    purpose = report.result("purpose")
    assert str(purpose.status) == "weak" and "<span" not in purpose.quote


def test_a_definition_of_another_term_carries_no_duty(requirements):
    text = "\n".join(
        [
            "LICENCE AGREEMENT",
            "1. Definitions",
            "1.1 “Exploit” means to reproduce or display the Works, except as restricted here.",
            "1.2 As used herein, the term “Change of Control” means a merger after which the"
            " surviving entity continues in force.",
            "1.3 “Confidential Information” means the Licensor's technical information.",
            "2. Confidentiality",
            "2.1 Neither the Licensee nor Dr. Smith shall disclose to any third parties any"
            " Confidential Information.",
            "3. Term",
            "3.1 The term of this Agreement is five years.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="licence")
    assert status(report, "copy_limit") == "missing"  # "Exploit" means to reproduce
    assert status(report, "definition") == "present"
    # "Neither … nor Dr. Smith shall disclose" is a ban, across the abbreviation's period.
    assert status(report, "confidentiality") == "present"
    assert report.result("confidentiality").article.startswith("2.")
    survival = report.result("term_survival")
    assert survival.article.startswith("3.")  # not the definition's "continues in force"


def test_an_effort_in_an_aside_about_others_leaves_the_duty_firm(requirements):
    lead = "1.1 The Recipient shall keep the Confidential Information confidential"
    firm = f"{lead} (and use reasonable endeavours to ensure that its agents do so)."
    soft = f"{lead} and shall endeavour not to disclose it."
    for sentence, expected in ((firm, "present"), (soft, "weak")):
        text = f"NDA\n1. Confidentiality\n{sentence}\n2. Law\n2.1 Tokyo law applies.\n"
        report = check_text(text, requirements=requirements, kind="nda")
        assert status(report, "confidentiality") == expected, sentence


def test_only_duties_survive_and_a_ban_at_any_time_after_the_end_is_not_short(requirements):
    def survival(*sentences: str) -> str:
        text = "\n".join(["LICENCE", "1. Term", "1.1 The term of this Agreement is five years."])
        body = "\n".join(f"2.{n} {s}" for n, s in enumerate(sentences, 1))
        report = check_text(f"{text}\n2. Other\n{body}\n", requirements=requirements, kind="nda")
        return status(report, "term_survival")

    # A licensee's right to go on using the works is not a duty that survives.
    assert (
        survival(
            "After the termination of this Agreement, the Licensee shall continue to"
            " have the right to use the Works."
        )
        == "weak"
    )
    # A ban "at any time after the termination" has no end; a non-compete of two years is
    # another subject and does not shorten it.
    assert (
        survival(
            "At any time after the termination of this Agreement, he will not use any"
            " Confidential Information.",
            "For two (2) years after the termination of this Agreement, he shall not compete.",
        )
        == "present"
    )


def test_the_sentence_holding_more_of_the_clause_is_quoted(requirements):
    text = "\n".join(
        [
            "SUPPLY AGREEMENT",
            "1. Goods",
            "1.1 The Buyer may claim damages on account of the condition of the goods.",
            "2. Confidentiality",
            "2.1 The Disclosing Party shall be entitled, in addition to any other remedies"
            " available to it, to injunctive relief against any breach.",
            "",
        ]
    )
    remedies = check_text(text, requirements=requirements, kind="supply").result("remedies")
    assert str(remedies.status) == "present" and remedies.article.startswith("2.")


LICENCE_JA = """ソフトウェア使用許諾契約書
第1条（定義）
「本製品」とは、ライセンサーが提供するソースコードおよび取扱説明書一式をいいます。
第2条（使用許諾）
ライセンサーは、ライセンシーに対し次の各号について非排他的な許諾を付与します。
（１）本製品を、ライセンサー製のマイコンを用いたシステム内で利用すること
（２）本製品を複製、配布（商用目的も含む）すること
第3条（禁止事項）
ライセンシーは、次の各号の行為を行うことはできません。
（１）本製品を、他社製プロセッサ上のシステムを開発する目的で利用すること
（２）本製品を逆コンパイルすること
"""


def test_the_items_a_licence_grants_are_permissions(requirements):
    """A lead that grants its items (…許諾を付与します) makes each a permission: the licensed
    use is the purpose, and free copying granted by the licence is weak, not a copy limit;
    the items of a lead that bans (…できません) stay bans."""
    report = check_text(LICENCE_JA, requirements=requirements, kind="licence")
    assert report.result("purpose").article == "第2条（使用許諾）"
    copying = report.result("copy_limit")
    assert (copying.status, copying.article) == ("weak", "第2条（使用許諾）")
    assert [reason.code for reason in copying.reasons] == ["granted"]
    assert status(report, "no_reverse_engineering") == "present"


MODEL_JA = """モデル契約書
技術検証（PoC）契約書
想定シーン
X社は、Y社から受領したサンプルデータの内容を別紙の形式で整理し、Y社に提供する技術の範囲を検討した。
目次
前文 3
前文
X社（以下「甲」という。）とY社（以下「乙」という。）は、乙の見守り業務への導入可能性を検証するため、次のとおり技術検証契約（以下「本契約」という。）を締結する。
第1条（本検証）
甲は、別紙に記載された作業を実施する。
第2条（秘密情報）
乙は、甲の秘密情報を第三者に開示してはならない。
"""


def test_a_cover_before_a_preamble_heading_is_not_the_contract(requirements):
    """A model contract's scenario and table of contents come before its 前文: they name
    the type but hold no clause; the preamble after the heading does."""
    report = check_text(MODEL_JA, requirements=requirements)
    assert report.kind == "poc"
    assert report.result("purpose").article == "前文"
    assert report.result("scope_of_technology").article == "第1条（本検証）"


def test_a_permission_held_to_a_need_limits_and_a_later_however_lifts_in_part(requirements):
    text = "\n".join(
        [
            "PROFESSIONAL SERVICES AGREEMENT",
            "1. Services",
            "1.1 Subcontractors.",
            "1.2 Provider may use Subcontractors to perform the Services only with Customer's"
            " prior permission. However, Provider may use its Affiliates to perform Services"
            " without Customer's prior permission.",
            "1.3 If Provider uses Subcontractors, Provider is responsible for their acts.",
            "2. Customer Materials",
            "2.1 Provider may copy and use Customer Materials only as needed to provide the"
            " Services.",
            "2.2 Customer warrants that the materials will not infringe anyone's copyright,"
            " except to the extent necessary.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="service")
    subcontracting = report.result("no_subcontracting")
    assert str(subcontracting.status) == "weak"  # affiliates exempt, on no consent
    assert subcontracting.article.startswith("1.")
    assert [reason.code for reason in subcontracting.reasons] == ["wording"]
    copying = report.result("copy_limit")
    assert str(copying.status) == "present" and copying.article.startswith("2.")
    assert "only as needed" in copying.quote  # not the copyright warranty


def test_a_copy_named_is_no_copy_limit_and_the_discloser_is_no_disclosure(requirements):
    text = "\n".join(
        [
            "NDA",
            "1. Term",
            "1.1 Each Recipient may retain Discloser's Confidential Information under its"
            " backup policy and may not access Discloser's Confidential Information.",
            "2. Non-Use and Non-Disclosure",
            "2.1 The Recipient shall not disclose the Confidential Information to anyone else.",
            "2.2 Each party may file a copy of this Agreement to the extent required by law.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="nda")
    assert status(report, "copy_limit") == "missing"
    assert report.result("third_party_consent").article.startswith("2.")


def test_a_liability_exclusion_of_neither_party_is_no_remedy(requirements):
    text = "\n".join(
        [
            "NDA",
            "1. Liability",
            "1.1 Neither party shall be liable to the other for any indirect damages arising"
            " from any breach of this Agreement.",
            "",
        ]
    )
    report = check_text(text, requirements=requirements, kind="nda")
    assert status(report, "remedies") == "missing"


def test_a_third_party_with_its_exception_in_brackets_is_still_the_third_party(requirements):
    text = """共同研究開発契約書
第1条（データの取扱い）
甲は、本データセットを、本目的を超えて第三者に開示してはならない。
第2条（秘密情報の取扱い）
甲および乙は、秘密情報を秘密として保持し、開示者の事前の書面による承諾を得ずに、第三者（第8条に基づく委託先を除く。）に開示してはならない。
"""
    report = check_text(text, requirements=requirements, kind="joint_research")
    assert report.result("third_party_consent").article == "第2条（秘密情報の取扱い）"


def test_a_purpose_stated_after_the_contract_and_a_scope_defined_by_an_appendix(requirements):
    text = """個別契約書
第1条（業務委託契約）
本契約は、乙が甲の新製品の開発を支援するために締結する。
第2条（定義）
本契約において使用される次に掲げる用語は、各々次に定義する意味を有する。
（1）本特許権
甲が有する別紙「知的財産目録」記載の特許権をいう。
第3条（秘密保持）
乙は、甲の秘密情報を第三者に開示してはならない。
"""
    report = check_text(text, requirements=requirements, kind="licence")
    assert report.result("purpose").article == "第1条（業務委託契約）"
    assert report.result("scope_of_technology").article == "第2条（定義）"


def test_lent_moulds_owned_by_the_company_are_no_ban_on_moving_them(requirements):
    def relocation(sentence: str) -> str:
        text = f"製造委託契約書\n第1条（製造）\n乙は本製品を製造する。\n第2条（金型）\n{sentence}\n"
        report = check_text(text, requirements=requirements, kind="manufacturing")
        return str(report.result("no_equipment_relocation").status)

    assert relocation("甲が貸与する金型の所有権は甲に帰属する。") == "weak"
    assert relocation("乙は、甲の承諾なく、甲が貸与する金型を移設してはならない。") == "present"


def test_owning_the_product_says_nothing_of_its_improvements(requirements):
    def results(extra: str) -> str:
        text = (
            "ソフトウェア使用許諾契約書\n第1条（許諾）\n甲は乙に本製品の使用を許諾する。\n"
            f"第2条（権利の帰属）\n本製品の知的財産権は甲に帰属する。{extra}\n"
            "第3条（免責）\n甲は派生的損害について責任を負わない。\n"
        )
        report = check_text(text, requirements=requirements, kind="licence")
        return str(report.result("results_ownership").status)

    assert results("") == "weak"
    assert results("乙が行った本製品の改良についても同様とする。") == "present"


def test_a_ban_only_for_after_the_contract_ends_is_weak(requirements):
    def check(article: str, extra: str = ""):
        text = (
            "業務委託基本契約書\n第1条（委託）\n甲は乙に本業務を委託する。\n"
            f"第6条（秘密保持）\n{article}\n"
            f"第7条（損害賠償）\n{extra or '乙は、甲に生じた損害を賠償する。'}\n"
        )
        return check_text(text, requirements=requirements, kind="service")

    after = check(
        "1.甲及び乙は、秘密情報を別途締結する秘密保持契約に従って取り扱う。\n"
        "2.本契約が解除された後も、甲及び乙は相手方の情報を第三者に漏洩しない。",
        "乙が秘密情報を第三者に漏洩した場合は、甲は損害賠償を請求することができる。",
    )
    assert str(after.result("confidentiality").status) == "weak"
    assert str(after.result("third_party_consent").status) == "weak"
    during = check("乙は、甲の承諾なく秘密情報を第三者に開示してはならない。")
    assert str(during.result("third_party_consent").status) == "present"


def test_results_left_to_the_individual_contracts_are_weak(requirements):
    def results(sentence: str) -> str:
        text = (
            "業務委託基本契約書\n第1条（委託）\n甲は乙に本業務を委託する。\n"
            f"第4条（納品）\n{sentence}\n"
        )
        report = check_text(text, requirements=requirements, kind="service")
        return str(report.result("results_ownership").status)

    assert results("乙が納品した成果物は、個別契約の定めに従って取り扱う。") == "weak"
    assert results("乙は、成果物を納期までに納品する。") == "missing"


def test_keeping_only_the_terms_secret_is_a_weak_confidentiality_duty(requirements):
    text = (
        "売買基本契約書\n第1条（売買）\n甲は乙に本製品を売り渡す。\n"
        "第9条（秘密保持）\n甲及び乙は、本契約の内容を秘密として保持する。\n"
    )
    report = check_text(text, requirements=requirements, kind="supply")
    assert str(report.result("confidentiality").status) == "weak"


def test_provisions_continuing_after_the_contract_lapses_are_its_survival(requirements):
    text = """業務委託基本契約書
第1条（損害賠償）
甲は、本契約の期間中に乙に解除を申請する場合、損害を賠償する。
第2条（秘密保持）
甲及び乙は、相手方の秘密情報を秘密として保持する。
第3条（失効後も継続する条項）
第2条は、本契約失効後も継続して効力を有する。
第4条（契約期間）
本契約の期間は、締結日から1年間とする。
"""
    report = check_text(text, requirements=requirements, kind="service")
    assert report.result("term_survival").article == "第3条（失効後も継続する条項）"


def test_a_heading_on_third_party_rights_is_no_disclosure_heading(requirements):
    text = """ライセンス契約書
第1条（第三者の権利侵害）
乙は、本製品を第三者に提供する場合、第三者の特許権を侵害しないよう確認する。
第2条（秘密保持）
乙は、甲の事前の書面による承諾なく、秘密情報を第三者に開示してはならない。
"""
    report = check_text(text, requirements=requirements, kind="licence")
    assert report.result("third_party_consent").article == "第2条（秘密保持）"


def test_the_article_headed_for_a_clause_holds_it_unless_one_states_it_about_secrets(
    requirements,
):
    text = """ライセンス契約書
第1条（改良技術）
乙は、本技術を改良したときは、直ちに甲に開示し、甲に無償の実施権を許諾する。
第2条（返還）
甲は、乙が支払った対価を返さない。
第3条（秘密情報の取扱い）
受領者は、秘密情報の開示により開示者の知的財産権が移転するものでないことを確認する。
受領者は、本契約が終了したときは、秘密情報を返還しなければならない。
"""
    report = check_text(text, requirements=requirements, kind="licence")
    assert report.result("results_ownership").article == "第1条（改良技術）"
    assert report.result("return_or_destroy").article == "第3条（秘密情報の取扱い）"


def test_a_sentence_saying_who_owns_is_the_ownership_clause_not_a_transfer(requirements):
    text = """共同研究契約書
第1条（秘密情報）
受領者は、秘密情報の開示により開示者の知的財産権が移転するものでないことを確認する。
第2条（研究の実施）
本研究の成果は、甲乙の共有とする。
第3条（通知）
乙は、本技術の改良を行ったときは、甲に通知する。
"""
    report = check_text(text, requirements=requirements, kind="joint_research")
    assert report.result("results_ownership").article == "第2条（研究の実施）"


def test_a_right_granted_together_with_a_free_right_to_sublicense_is_weak(requirements):
    text = """ライセンス契約書
第1条（禁止事項）
乙は、甲の事前の書面による承諾を得ずに、第三者（乙の関連会社を除く）に実施権を再許諾してはならない。
第2条（改良技術）
乙は、改良技術について、再許諾可能な権利と共に無償の実施権を甲に許諾する。
"""
    report = check_text(text, requirements=requirements, kind="licence")
    result = report.result("no_subcontracting")
    assert (str(result.status), result.article) == ("weak", "第1条（禁止事項）")
    granted = check_text(
        "ライセンス契約書\n第1条（許諾）\n甲は、乙に対し、再許諾可能な権利と共に本特許の実施権を許諾する。\n",
        requirements=requirements,
        kind="licence",
    )
    assert status(granted, "no_subcontracting") == "weak"


def test_a_duty_to_identify_in_writing_the_information_provided_fixes_the_scope(requirements):
    text = """共同開発契約書
第1条（開始時の開示）
甲および乙は、本契約締結後1か月以内に、各自の保有技術を書面で相手方に開示し、特定する。
第2条（秘密保持）
甲および乙は、相手方から開示された一切の情報を秘密として保持する。
"""
    report = check_text(text, requirements=requirements, kind="joint_research")
    result = report.result("scope_of_technology")
    assert (str(result.status), result.article) == ("present", "第1条（開始時の開示）")


def test_a_word_paragraph_broken_in_the_middle_of_a_japanese_sentence_continues_it(
    requirements,
):
    from tests.data.contracts.corpus import build_docx

    text = """秘密保持契約書
第1条（秘密保持）
受領者は、開示者から開示された技術情報を、
開示者の事前の書面による承諾を得ずに、第三者に開示し、または
漏えいしてはならない。
"""
    report = check_document(build_docx(text), name="x.docx", requirements=requirements)
    result = report.result("third_party_consent")
    assert result.quote == (
        "受領者は、開示者から開示された技術情報を、開示者の事前の書面による承諾を得ずに、"
        "第三者に開示し、または漏えいしてはならない。"
    )
    # A paragraph that starts with the next paragraph number, or an item, is a new one.
    from mamori.engines.clauses import read_document, split_contract

    numbered = (
        "契約書\n第1条（期間）\n本契約の有効期間は1年間とする\n"
        "2　前項の期間は延長できる。\n①　甲の書面による承諾\n"
    )
    article = split_contract(read_document(build_docx(numbered), "x.docx")).articles[-1]
    assert [s.text for s in article.sentences] == [
        "本契約の有効期間は1年間とする",
        "前項の期間は延長できる。",
        "甲の書面による承諾",
    ]


def test_headings_on_fee_refunds_and_disputes_with_third_parties_name_no_clause(requirements):
    text = """製造委託契約書
第1条（ライセンス料の不返還）
甲は、受領した対価を乙に返さない。
第2条（第三者との紛争）
本製品に関し第三者との紛争が生じたときは、甲が解決する。
第3条（終了時の措置）
乙は、本契約が終了したときは、甲から受領した図面を返還する。
乙は、甲の承諾なく、図面を第三者に提供してはならない。
"""
    report = check_text(text, requirements=requirements, kind="manufacturing")
    assert report.result("return_or_destroy").article == "第3条（終了時の措置）"
    assert report.result("third_party_consent").article == "第3条（終了時の措置）"


def test_a_heading_on_analysis_results_names_no_ban_on_reverse_engineering(requirements):
    text = """共同研究契約書
第1条（解析結果の取扱い）
甲は、解析結果を乙に報告する。
第2条（禁止事項）
乙は、本試料をリバースエンジニアリングしてはならない。
"""
    report = check_text(text, requirements=requirements, kind="joint_research")
    assert report.result("no_reverse_engineering").article == "第2条（禁止事項）"

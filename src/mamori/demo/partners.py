"""The demo company's partners: a university and a joint-research company, a customer,
a supplier and an equipment maker, with their due diligence, contracts, disclosures, a
sample, exhibitions and equipment sent out for maintenance.

The story: ナノフィルムテック, a joint-research partner, was taken over 35% by an overseas
fund twelve days ago; its contract has no change-of-capital clause and its due diligence
is due again. A sample lent to the customer ソーラーテック is ten days overdue. The rest is
in order.
"""

from __future__ import annotations

import datetime

from mamori.accounts.models import User
from mamori.approvals import services as approval_services
from mamori.assets.models import InformationAsset, Technology
from mamori.catalog.selectors import get_catalog
from mamori.contracts import services as contract_services
from mamori.core.actor import acting_as
from mamori.disclosures.services import approval as disclosure_approval
from mamori.disclosures.services import exhibitions as exhibition_services
from mamori.disclosures.services import ledger as ledger_services
from mamori.disclosures.services import samples as sample_services
from mamori.partners import services as partner_services
from mamori.partners.models import Counterparty
from mamori.people.models import Person
from mamori.sites import services as site_services

CLAUSE = "urn:mamori:clause:"
PUBLIC_DD = "urn:mamori:dd:joint-research-public"
DD_ANSWERS = {
    "violations": "公表情報・報道を確認。法令違反や情報漏えい事案の報道なし。",
    "information_management": "情報管理規程と責任者あり。研究室メンバーへの年1回の研修を確認。",
    "capital_structure": "登記情報と会社HPで確認。",
    "record": "設立時期・研究実績を論文データベースと会社HPで確認。",
}


def _asset(name: str) -> InformationAsset:
    return InformationAsset.objects.get(name=name)


def _approved_dd(
    counterparty: Counterparty, officer: User, performed_on: datetime.date, capital: str
) -> None:
    review = partner_services.dd_start(
        counterparty=counterparty,
        questionnaire=PUBLIC_DD,
        performed_on=performed_on,
        performed_by="鈴木 大輔",
    )
    answers = {**DD_ANSWERS, "capital_structure": capital}
    partner_services.dd_answers_save(
        due_diligence=review,
        answers={
            question: {"answer": text, "concern": False, "evidence": "公開情報・面談記録"}
            for question, text in answers.items()
        },
    )
    partner_services.dd_rate(
        due_diligence=review, risk="low", reasoning="公開情報と面談で懸念は見つからなかった。"
    )
    partner_services.dd_approve(due_diligence=review, user=officer, approved_on=performed_on)


def _clauses(*names: str) -> dict[str, str]:
    return {f"{CLAUSE}{name}": f"第{index}条" for index, name in enumerate(names, start=2)}


def _required(kind: str, *, without: tuple[str, ...] = ()) -> dict[str, str]:
    """Return every clause a contract of the kind requires (but ``without``), by article."""
    keys = [c.key for c in get_catalog().required_clauses(kind) if c.key not in without]
    return _clauses(*keys)


def build_partners(users: dict[str, User], today: datetime.date) -> None:
    """Create the partners side of the registers as the officer and the editor would."""
    officer = users["sato"]
    days = datetime.timedelta
    suzuki = Person.objects.get(name="鈴木 大輔")
    takahashi = Person.objects.get(name="高橋 由美")
    kobayashi = Person.objects.get(name="小林 拓也")

    university = partner_services.counterparty_save(
        name="国立大学法人 つくば工科大学",
        kind="university",
        country="JP",
        business_record="材料工学専攻。封止材料の研究で実績があり、当社とは2025年から共同研究。",
        information_management="研究室ごとに情報管理責任者を置き、学生に守秘義務の誓約を求めている。",
    )
    for name, role, since in (
        ("山口 真理子", "准教授（研究代表者）", today - days(150)),
        ("佐々木 健太", "修士2年", today - days(150)),
        ("前田 由紀", "博士1年", today - days(90)),
    ):
        partner_services.partner_member_add(
            counterparty=university,
            name=name,
            role=role,
            affiliation="工学部 材料工学科",
            since=since,
        )
    _approved_dd(university, officer, today - days(160), "国立大学法人（資本構成の懸念なし）")

    nanofilm = partner_services.counterparty_save(
        name="株式会社ナノフィルムテック",
        kind="joint_research",
        country="JP",
        established_on=datetime.date(2019, 6, 1),
        business_record="薄膜評価装置の開発。2024年から当社と耐湿評価の共同研究。",
    )
    founder = partner_services.shareholder_add(
        counterparty=nanofilm, name="創業者", country="JP", share="60"
    )
    partner_services.shareholder_add(counterparty=nanofilm, name="国内VC", country="JP", share="40")
    _approved_dd(nanofilm, officer, today - days(200), "創業者60%、国内VC40%")

    customer = partner_services.counterparty_save(
        name="株式会社ソーラーテック", kind="customer", country="JP"
    )
    supplier = partner_services.counterparty_save(
        name="東日本ケミカル株式会社", kind="supplier", country="JP"
    )
    maker = partner_services.counterparty_save(
        name="株式会社成膜機械製作所", kind="equipment_maker", country="JP"
    )

    protocol, humidity = _asset("共同研究 評価プロトコル"), _asset("耐湿試験データ 2025–2026")
    university_nda = contract_services.contract_save(
        title="秘密保持契約（つくば工科大学）",
        kind="nda",
        counterparty=university,
        signed_on=today - days(200),
        starts_on=today - days(200),
        scope=[protocol, humidity],
    )
    contract_services.contract_set_clauses(
        contract=university_nda,
        clauses=_required("nda"),
    )
    research = contract_services.contract_save(
        title="共同研究契約（フレキシブル基板封止）",
        kind="joint_research",
        counterparty=university,
        signed_on=today - days(150),
        starts_on=today - days(150),
        ends_on=today + days(215),
        scope=[protocol, humidity],
        scope_note="評価プロトコルと耐湿試験データに限る。配合・成膜条件は提供しない。",
    )
    contract_services.contract_set_clauses(
        contract=research,
        clauses=_required("joint_research"),
    )
    nanofilm_contract = contract_services.contract_save(
        title="共同研究契約（耐湿評価手法）",
        kind="joint_research",
        counterparty=nanofilm,
        signed_on=today - days(180),
        starts_on=today - days(180),
        ends_on=today + days(185),
        scope=[humidity],
    )
    contract_services.contract_set_clauses(
        contract=nanofilm_contract,
        clauses=_required("joint_research", without=("change_of_control",)),
    )
    partner_services.capital_change_record(
        counterparty=nanofilm,
        occurred_on=today - days(12),
        description="海外の投資ファンドが第三者割当増資で発行済株式の35%を取得。",
        foreign_share_after="35",
    )
    partner_services.shareholder_update(
        shareholder=founder, name="創業者", country="JP", share="39"
    )
    venture = nanofilm.shareholders.get(name="国内VC")
    partner_services.shareholder_update(
        shareholder=venture, name="国内VC", country="JP", share="26"
    )
    partner_services.shareholder_add(
        counterparty=nanofilm, name="Pacific Frontier Fund L.P.", country="KY", share="35"
    )

    flexible = Technology.objects.get(name="フレキシブル基板封止技術")
    humidity_test = Technology.objects.get(name="耐湿加速試験法")
    # The handbook's STEP 2 also asks to weigh reputational risk and the risk of
    # conflicting with foreign law (「レピュテーションリスクや海外の法令抵触リスク」).
    for counterparty, title, technologies, decision, conditions, reputational, foreign_law in (
        (
            university,
            "フレキシブル基板向け封止技術の共同研究",
            [flexible, humidity_test],
            "conditions",
            "学会発表・論文の前に当社の確認を必須とし、配合と成膜条件は提供しない。",
            ("low", "国内の国立大学。研究室に懸念のある外部資金・兼業は確認されていない。"),
            ("low", "研究は国内で完結し、海外の研究者は参加しない。"),
        ),
        (
            nanofilm,
            "耐湿評価手法の高速化",
            [humidity_test],
            "go",
            "提供するのは耐湿試験データのみ。評価装置の改良は相手方が行う。",
            ("low", "民生用途の評価手法で、相手方にも懸念のある取引は見当たらない。"),
            (
                "medium",
                "相手方に外国資本が35%入った。出資元の国の輸出管理規制が共同研究の成果に"
                "及ぶかどうかを確認中。",
            ),
        ),
    ):
        theme = partner_services.theme_save(
            counterparty=counterparty,
            title=title,
            technologies=technologies,
            reputational_risk=reputational[0],
            reputational_note=reputational[1],
            foreign_law_risk=foreign_law[0],
            foreign_law_note=foreign_law[1],
        )
        partner_services.theme_decide(
            theme=theme, decision=decision, conditions=conditions, decided_on=today - days(140)
        )

    customer_nda = contract_services.contract_save(
        title="秘密保持契約（ソーラーテック）",
        kind="nda",
        counterparty=customer,
        signed_on=today - days(95),
        starts_on=today - days(95),
        ends_on=today + days(270),
        scope=[_asset("製品カタログ草案"), humidity],
    )
    contract_services.contract_set_clauses(contract=customer_nda, clauses=_required("nda"))
    supply = contract_services.contract_save(
        title="原料取引基本契約（東日本ケミカル）",
        kind="supply",
        counterparty=supplier,
        signed_on=today - days(300),
        scope_note="原料の品質規格のみ。用途・配合比には触れない。",
        scope=[_asset("原料 受入規格書（発注用）")],
    )
    contract_services.contract_set_clauses(contract=supply, clauses=_required("supply"))
    maker_nda = contract_services.contract_save(
        title="秘密保持契約（成膜機械製作所）",
        kind="nda",
        counterparty=maker,
        signed_on=today - days(400),
    )
    contract_services.contract_set_clauses(contract=maker_nda, clauses=_required("nda"))

    for counterparty, contract, assets, when, purpose, by in (
        (university, research, [protocol], 140, "共同研究の評価条件の共有", takahashi),
        (university, research, [humidity], 60, "中間評価のための試験データ提供", suzuki),
        (
            customer,
            customer_nda,
            [_asset("製品カタログ草案")],
            80,
            "採用検討のための製品情報",
            kobayashi,
        ),
        (nanofilm, nanofilm_contract, [humidity], 100, "評価手法の比較", suzuki),
    ):
        ledger_services.disclosure_record(
            counterparty=counterparty,
            contract=contract,
            assets=assets,
            disclosed_on=today - days(when),
            purpose=purpose,
            method="file_share",
            user=officer,
            disclosed_by=by,
            codenamed=True,
        )

    # The handbook's 仕入先に対する情報提供範囲の限定: the supplier gets the acceptance
    # specification only, and the specific use is not mentioned.
    ledger_services.disclosure_record(
        counterparty=supplier,
        contract=supply,
        assets=[_asset("原料 受入規格書（発注用）")],
        disclosed_on=today - days(45),
        purpose="原料ロットの受入規格の提示（用途・配合比には触れない）",
        method="email",
        user=officer,
        disclosed_by=kobayashi,
        codenamed=True,
        use_withheld=True,
    )

    # The editor wanted to give the customer the 極秘 film conditions to trace a quality
    # problem. The customer's NDA does not cover them: the ledger blocked it, the editor
    # asked the officer's approval, and the officer approved with a reason.
    with acting_as(users["suzuki"]):
        asked = disclosure_approval.disclosure_approval_request(
            counterparty=customer,
            assets=[_asset("成膜条件シート")],
            disclosed_on=today - days(3),
            purpose="量産ラインでの膜はがれ不具合の原因調査",
            method="meeting",
            user=users["suzuki"],
            disclosed_by=suzuki,
            codenamed=True,
            reason="顧客の量産ラインで膜はがれが発生。条件の一部を示さないと原因を特定できない。",
        )
    with acting_as(officer):
        approval_services.approval_approve(
            request=asked,
            user=officer,
            reason="原因調査に限り、対面で口頭説明のみ。資料は渡さない。秘密保持契約の範囲を追補で広げる。",
        )
        # As the approval says, a memorandum widens the NDA's scope: the disclosure is
        # then within the scope of a contract in force (disclosures.outside_scope).
        contract_services.contract_save(
            contract=customer_nda, scope=[*customer_nda.scope.all(), _asset("成膜条件シート")]
        )

    sample_services.sample_lend(
        counterparty=customer,
        contract=customer_nda,
        description="保護コーティング試作品（10cm角 ×5枚）",
        quantity=5,
        lent_on=today - days(60),
        due_back_on=today - days(10),
    )

    past = exhibition_services.exhibition_save(
        name="nano tech 2026 国際ナノテクノロジー総合展",
        venue="東京ビッグサイト",
        starts_on=today - days(280),
        ends_on=today - days(278),
        staff=[kobayashi, takahashi],
        may_disclose="製品の用途・性能値（公表済みのデータシートの範囲）",
        must_not_disclose="配合、成膜条件、原料の調達先、共同研究の相手先",
        escalation_contact=suzuki,
    )
    exhibition_services.exhibition_approve_scope(
        exhibition=past, approved_by=officer, approved_on=today - days(290)
    )
    exhibition_services.exhibition_record_briefing(exhibition=past, briefed_on=today - days(285))
    exhibition_services.exhibition_contact_record(
        exhibition=past,
        occurred_on=today - days(279),
        visitor="海外の材料メーカーの技術者（名刺あり）",
        what_happened="成膜温度と前駆体の種類を繰り返し質問され、個人の連絡先を求められた。",
        very_technical=True,
        asked_private_contact=True,
        recorded_by=kobayashi,
        escalated_on=today - days(279),
        action="回答を控え、会社の問い合わせ窓口を案内。鈴木が社内で共有した。",
    )
    upcoming = exhibition_services.exhibition_save(
        name="PV EXPO 2027",
        venue="東京ビッグサイト",
        starts_on=today + days(20),
        ends_on=today + days(22),
        staff=[kobayashi, takahashi],
        may_disclose="製品の用途・性能値（データシートの範囲）、採用事例（顧客の了承済みのもの）",
        must_not_disclose="配合、成膜条件、原料名と調達先、共同研究の内容",
        escalation_contact=suzuki,
    )
    exhibition_services.exhibition_approve_scope(
        exhibition=upcoming, approved_by=officer, approved_on=today - days(5)
    )

    dispatch = site_services.equipment_dispatch_save(
        equipment="成膜装置 LM-CVD-01",
        sent_to=maker,
        purpose="定期オーバーホール",
        sent_on=today - days(20),
        has_customisations=True,
        customisations_reverted=True,
        checked_by="鈴木 大輔",
        note="独自のガス導入系を取り外し、購入時の仕様に戻してから送付。",
    )
    site_services.equipment_record_return(dispatch=dispatch, returned_on=today - days(5))

"""The demo company's registers: people, technologies, information assets and access.

The story: 山本 翔太, a process engineer who knows the low-temperature process, has just
given notice and still holds access to 極秘 process conditions (the handbook's Case 1);
井上 智子 moved from R&D to manufacturing last week and her access has not been reviewed;
one drawing is classified 秘 but nobody recorded how it is marked. Everything else is
in order, so the findings show exactly these problems.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from mamori.accounts.models import User
from mamori.assets import services as asset_services
from mamori.assets.models import InformationAsset, SecrecyClass, Technology
from mamori.lifecycle import services as lifecycle_services
from mamori.people import services as people_services
from mamori.people.models import Person, PledgeKind, ReviewStatus


@dataclass(frozen=True)
class DemoPerson:
    key: str
    name: str
    kana: str
    department: str
    kind: str
    title: str
    key_engineer: bool
    joined: datetime.date
    username: str = ""


PEOPLE = (
    DemoPerson(
        "tanaka",
        "田中 健一",
        "たなか けんいち",
        "経営企画部",
        "executive",
        "代表取締役",
        False,
        datetime.date(2023, 4, 3),
        "tanaka",
    ),
    DemoPerson(
        "sato",
        "佐藤 美咲",
        "さとう みさき",
        "研究開発部",
        "executive",
        "取締役CTO",
        True,
        datetime.date(2023, 4, 3),
        "sato",
    ),
    DemoPerson(
        "suzuki",
        "鈴木 大輔",
        "すずき だいすけ",
        "研究開発部",
        "employee",
        "研究開発マネージャー",
        True,
        datetime.date(2023, 7, 1),
        "suzuki",
    ),
    DemoPerson(
        "takahashi",
        "高橋 由美",
        "たかはし ゆみ",
        "研究開発部",
        "employee",
        "研究員",
        False,
        datetime.date(2024, 4, 1),
        "takahashi",
    ),
    DemoPerson(
        "yamamoto",
        "山本 翔太",
        "やまもと しょうた",
        "製造技術部",
        "employee",
        "プロセスエンジニア",
        True,
        datetime.date(2023, 10, 1),
    ),
    DemoPerson(
        "nakamura",
        "中村 彩",
        "なかむら あや",
        "製造技術部",
        "employee",
        "品質保証担当",
        False,
        datetime.date(2024, 1, 15),
    ),
    DemoPerson(
        "kobayashi",
        "小林 拓也",
        "こばやし たくや",
        "事業開発部",
        "employee",
        "事業開発担当",
        False,
        datetime.date(2024, 6, 1),
    ),
    DemoPerson(
        "kato",
        "加藤 恵",
        "かとう めぐみ",
        "経営企画部",
        "employee",
        "管理部門マネージャー",
        False,
        datetime.date(2023, 5, 8),
    ),
    DemoPerson(
        "yoshida",
        "吉田 陽介",
        "よしだ ようすけ",
        "研究開発部",
        "contractor",
        "分析業務委託",
        False,
        datetime.date(2025, 2, 1),
    ),
    DemoPerson(
        "yamaguchi",
        "山口 真理子",
        "やまぐち まりこ",
        "研究開発部",
        "advisor",
        "技術顧問",
        False,
        datetime.date(2024, 9, 1),
    ),
    DemoPerson(
        "matsumoto",
        "松本 大樹",
        "まつもと だいき",
        "研究開発部",
        "intern",
        "インターン",
        False,
        datetime.date(2026, 7, 1),
    ),
    DemoPerson(
        "inoue",
        "井上 智子",
        "いのうえ ともこ",
        "研究開発部",
        "employee",
        "研究員",
        False,
        datetime.date(2024, 4, 1),
    ),
    DemoPerson(
        "kimura",
        "木村 亮",
        "きむら りょう",
        "製造技術部",
        "employee",
        "設備担当",
        False,
        datetime.date(2023, 8, 1),
    ),
)
NEWCOMER = DemoPerson(
    "hayashi",
    "林 美穂",
    "はやし みほ",
    "事業開発部",
    "employee",
    "事業開発担当",
    False,
    datetime.date(2000, 1, 1),
)

TECHNOLOGIES = {
    "coating": dict(
        name="保護コーティング配合技術",
        description="ペロブスカイト層を湿気から守る多層コーティングの配合比と添加剤の組合せ。",
        category="core",
        competitiveness=3,
        damage_if_leaked=3,
        others_interest=3,
        protection="trade_secret",
        owner="sato",
    ),
    "process": dict(
        name="低温成膜プロセス",
        description="120℃以下で緻密な保護膜を形成する成膜条件（温度・時間・雰囲気）。",
        category="core",
        competitiveness=3,
        damage_if_leaked=3,
        others_interest=2,
        protection="trade_secret",
        owner="suzuki",
        full_process_limit=3,
    ),
    "humidity_test": dict(
        name="耐湿加速試験法",
        description="85℃85%RH試験を短時間で代替する独自の加速評価手順。",
        category="core",
        competitiveness=2,
        damage_if_leaked=2,
        others_interest=2,
        protection="patent",
        owner="suzuki",
    ),
    "material": dict(
        name="高耐久ペロブスカイト材料",
        description="供給網の自律性に関わる次世代太陽電池材料。海外からの獲得関心が高い。",
        category="economic_security",
        competitiveness=3,
        damage_if_leaked=2,
        others_interest=3,
        protection="trade_secret",
        owner="sato",
    ),
    "flexible": dict(
        name="フレキシブル基板封止技術",
        description="大学との共同研究で獲得を目指す封止技術。",
        category="to_acquire",
        competitiveness=2,
        damage_if_leaked=1,
        others_interest=2,
        protection="undecided",
        owner="takahashi",
    ),
}

MARKED = "ファイル名・表紙・ヘッダーに「{cls}」と表示"
APART = "研究開発サーバの{cls}フォルダ（権限者のみアクセス可）"
ASSETS = {
    "formula": ("コーティング配合表 第3版", "process_condition", "極秘", ["coating"], "sato"),
    "conditions": ("成膜条件シート", "process_condition", "極秘", ["process"], "suzuki"),
    "sealing": ("封止工程 作業手順書", "document", "秘", ["process"], "suzuki"),
    "pretreatment": ("前処理工程 作業手順書", "document", "秘", ["process"], "suzuki"),
    "humidity_data": ("耐湿試験データ 2025–2026", "dataset", "秘", ["humidity_test"], "suzuki"),
    "material_report": ("材料評価レポート", "document", "極秘", ["material"], "sato"),
    "equipment_drawing": ("成膜装置カスタマイズ図面", "drawing", "秘", ["process"], "yamamoto"),
    "suppliers": ("原料調達先リスト", "document", "極秘", ["coating"], "kato"),
    "catalog_draft": ("製品カタログ草案", "document", "社外秘", [], "kobayashi"),
    "raw_spec": ("原料 受入規格書（発注用）", "document", "社外秘", [], "kato"),
    "joint_protocol": ("共同研究 評価プロトコル", "document", "秘", ["flexible"], "takahashi"),
}
GRANTS = {
    "sato": ["formula", "conditions", "sealing", "pretreatment", "material_report", "suppliers"],
    "suzuki": [
        "formula",
        "conditions",
        "sealing",
        "pretreatment",
        "humidity_data",
        "equipment_drawing",
    ],
    "takahashi": ["humidity_data", "joint_protocol", "material_report"],
    "yamamoto": ["conditions", "sealing", "pretreatment", "equipment_drawing", "formula"],
    "nakamura": ["sealing", "humidity_data"],
    "kobayashi": ["catalog_draft"],
    "kato": ["suppliers", "catalog_draft"],
    "yoshida": ["humidity_data"],
    "inoue": ["humidity_data", "material_report"],
    "tanaka": ["catalog_draft", "material_report"],
}
REASONS = {
    "formula": "配合の開発・改良を担当",
    "conditions": "成膜工程の条件出しを担当",
    "sealing": "封止工程を担当",
    "pretreatment": "前処理工程を担当",
    "humidity_data": "耐湿評価の実施・解析",
    "material_report": "材料選定の判断に必要",
    "equipment_drawing": "装置の保守・改造を担当",
    "suppliers": "原料の発注・調達先管理",
    "catalog_draft": "顧客向け資料の作成",
    "joint_protocol": "共同研究の窓口",
}


def build_registers(users: dict[str, User], today: datetime.date) -> dict[str, Person]:
    """Create the registers as the officer and the editor would have; return the people."""
    officer = users["sato"]
    days = datetime.timedelta
    departments = {
        name: people_services.department_get_or_create(name=name)
        for name in ("経営企画部", "研究開発部", "製造技術部", "事業開発部")
    }
    people: dict[str, Person] = {}
    for spec in (*PEOPLE, NEWCOMER):
        joined = today - days(10) if spec is NEWCOMER else spec.joined
        people[spec.key] = people_services.person_create(
            user=users.get(spec.username),
            employee_number=f"LM-{len(people) + 1:04d}",
            name=spec.name,
            name_kana=spec.kana,
            email=f"{spec.key}@luminous-lab.example",
            kind=spec.kind,
            department=departments[spec.department],
            title=spec.title,
            is_key_engineer=spec.key_engineer,
            joined_on=joined,
        )

    for key, person in people.items():
        if key == "hayashi":
            continue
        people_services.pledge_request(
            person=person,
            kind=PledgeKind.JOINING,
            title="入社時 秘密保持誓約書",
            requested_on=person.joined_on,
            signed_on=person.joined_on,
        )
        people_services.training_record(
            person=person,
            course="情報管理研修（全社）2026年度",
            tier="all_staff",
            completed_on=today - days(60),
        )
        people_services.foreign_declare(
            person=person,
            occasion="yearly",
            declared_on=today - days(45),
            type1_foreign_contract=False,
            type2_foreign_benefit=False,
            type3_foreign_instruction=False,
        )
    for key in ("suzuki", "takahashi", "yamamoto", "inoue"):
        people_services.training_record(
            person=people[key],
            course="技術者向け 営業秘密の取扱い研修",
            tier="engineers",
            completed_on=today - days(30),
        )
    advisor_job = people_services.side_job_declare(
        person=people["yamaguchi"],
        organisation="国立大学法人 つくば工科大学 工学部",
        activity="准教授として材料工学の研究・教育",
        overlaps_our_technology=True,
        overlap_note="封止材料の基礎研究が当社の共同研究テーマと重なる",
        declared_on=people["yamaguchi"].joined_on,
    )
    people_services.side_job_review(
        declaration=advisor_job,
        status=ReviewStatus.ACCEPTED,
        review_note="共同研究契約で成果の帰属と公表前確認を定めたうえで承認",
    )
    people_services.side_job_review(
        declaration=people_services.side_job_declare(
            person=people["takahashi"],
            organisation="個人（技術ブログ）",
            activity="一般向けの太陽電池解説記事の執筆",
            overlaps_our_technology=False,
            declared_on=today - days(120),
        ),
        status=ReviewStatus.ACCEPTED,
    )

    technologies: dict[str, Technology] = {}
    for key, spec in TECHNOLOGIES.items():
        fields = dict(spec)
        fields["owner"] = people[fields["owner"]]
        technologies[key] = asset_services.technology_save(**fields)
    for key in ("coating", "process", "material"):
        asset_services.classification_record(
            technology=technologies[key],
            result="not_controlled",
            basis="CISTEC 項目別対比表（2026年版）により確認",
            judged_by="鈴木 大輔",
            approved_by="佐藤 美咲",
            judged_on=today - days(90),
            rejudge_due=today + days(275),
        )

    classes = {c.name: c for c in SecrecyClass.objects.all()}
    assets: dict[str, InformationAsset] = {}
    for key, (name, kind, cls, techs, owner) in ASSETS.items():
        drawing = key == "equipment_drawing"
        assets[key] = asset_services.asset_save(
            name=name,
            kind=kind,
            secrecy_class=classes[cls],
            owner=people[owner],
            technologies=[technologies[t] for t in techs],
            description=f"{name}（{cls}）。",
            storage_location=APART.format(cls=cls),
            is_useful=True,
            usefulness_note="製品の性能・コストを左右する",
            marking="" if drawing else MARKED.format(cls=cls),
            separation=APART.format(cls=cls),
            is_non_public=True,
            non_public_note="社外に公開していない",
        )
    for step_order, (step_name, asset_key) in enumerate(
        (("前処理", "pretreatment"), ("成膜", "conditions"), ("封止", "sealing")), start=1
    ):
        asset_services.process_step_save(
            technology=technologies["process"],
            order=step_order,
            name=step_name,
            assets=[assets[asset_key]],
        )
    for person_key, asset_keys in GRANTS.items():
        for asset_key in asset_keys:
            asset_services.grant_create(
                person=people[person_key],
                asset=assets[asset_key],
                reason=REASONS[asset_key],
                granted_by=officer,
                valid_from=max(people[person_key].joined_on, today - days(300)),
            )

    # 木村 left last spring: access revoked on the day he gave notice, exit pledge signed.
    kimura = people["kimura"]
    notice = today - days(240)
    kimura_grants = [
        asset_services.grant_create(
            person=kimura,
            asset=assets[key],
            reason=REASONS[key],
            granted_by=officer,
            valid_from=kimura.joined_on,
        )
        for key in ("equipment_drawing", "sealing")
    ]
    lifecycle_services.person_give_notice(
        person=kimura, notice_on=notice, last_day=today - days(210)
    )
    for grant in kimura_grants:
        asset_services.grant_revoke(
            grant=grant, revoked_by=officer, reason="退職の申出", revoked_on=notice
        )
    pledge = lifecycle_services.exit_pledge_create(person=kimura)
    people_services.pledge_sign(pledge=pledge, signed_on=today - days(212))
    lifecycle_services.person_depart(person=kimura, departed_on=today - days(210))

    # 井上 moved to manufacturing last week; the review is still open.
    lifecycle_services.person_transfer(
        person=people["inoue"], to_department=departments["製造技術部"], date=today - days(7)
    )
    # 山本 gave notice three days ago and still holds access (the handbook's Case 1).
    lifecycle_services.person_give_notice(
        person=people["yamamoto"], notice_on=today - days(3), last_day=today + days(27)
    )
    return people

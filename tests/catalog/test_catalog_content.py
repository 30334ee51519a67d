"""The catalog holds the handbook's checklists, cases, contacts... as printed."""

from __future__ import annotations

import re

import pytest

from mamori.catalog.loader import Catalog, load_catalog
from mamori.catalog.schema import ChecklistRow

STAGES = ("seed_early", "middle", "later")

# (stage, channel, title as printed in the checklist table, guidance as printed, pages)
COMMON = [
    ("common", "組織体制の構築を検討する", "11、12ページ", [11, 12]),
    ("common", "重点的に守るべき技術を特定・評価する", "15、16ページ", [15, 16]),
    ("common", "コア技術・重要技術管理を徹底する", "22、96ページ", [22, 96]),
]
EXPECTED_ROWS = {
    "seed_early": [
        *COMMON,
        ("people", "重要な情報へのアクセスコントロールを実施する", "85ページ", [85]),
        ("people", "情報管理に関するルールを整備し、運用する", "65、88、89ページ", [65, 88, 89]),
        (
            "joint_research",
            "技術の重要性を踏まえて、テーマを選定する",
            "118、119ページ",
            [118, 119],
        ),
        (
            "joint_research",
            "公開情報や日々のコミュニケーションを基に、共同研究先のDDを実施する",
            "120～128ページ",
            list(range(120, 129)),
        ),
        ("overseas_production", "契約において提供する技術内容を明確化する", "39ページ", [39]),
        ("overseas_production", "情報管理体制等に関する取引先のDDを行う", "36ページ", [36]),
        ("alignment", "取引開始前における情報提供範囲を明確化する", "165ページ", [165]),
        ("alignment", "契約において秘密保持義務・情報の取扱方法等を規定する", "167ページ", [167]),
    ],
    "middle": [
        *COMMON,
        ("people", "情報管理に関する定期的・階層的な研修を実施する", "67ページ", [67]),
        ("people", "展示会等を契機とする部外者との接触への対応方法を決める", "94ページ", [94]),
        ("joint_research", "共同研究先のDDを実施する", "120～128ページ", list(range(120, 129))),
        ("overseas_production", "進出先国の制度や労働慣行を確認する", "33、35ページ", [33, 35]),
        ("overseas_production", "段階的に技術提供を行う", "45ページ", [45]),
        ("alignment", "仕入先に対する情報提供範囲を限定する", "170ページ", [170]),
        ("alignment", "顧客との間での情報提供範囲を限定する", "171ページ", [171]),
    ],
    "later": [
        *COMMON,
        ("people", "工程の細分化や全体工程を知る社員を限定する", "92ページ", [92]),
        ("people", "ノウハウを持つ技術者の流出防止のための取組を行う", "100ページ", [100]),
        ("joint_research", "組織的なセキュリティ管理と防御態勢を強化する", "149ページ", [149]),
        ("joint_research", "共同研究先の資本変動等に備えた契約内容とする", "139ページ", [139]),
        ("overseas_production", "技術情報をブラックボックス化する", "46ページ", [46]),
        ("overseas_production", "海外における研究開発拠点の情報管理を徹底する", "54ページ", [54]),
        ("alignment", "サプライチェーン外との連携時の情報提供を制限する", "173ページ", [173]),
    ],
}
# The pages of each stage's measures section: people and joint research on the first,
# overseas production and alignment on the second.
MEASURE_PAGES = {
    ("seed_early", "people"): 7,
    ("seed_early", "joint_research"): 7,
    ("seed_early", "overseas_production"): 8,
    ("seed_early", "alignment"): 8,
    ("middle", "people"): 11,
    ("middle", "joint_research"): 11,
    ("middle", "overseas_production"): 12,
    ("middle", "alignment"): 12,
    ("later", "people"): 15,
    ("later", "joint_research"): 15,
    ("later", "overseas_production"): 16,
    ("later", "alignment"): 16,
}
EXPECTED_CASES = {
    "seed_early": [
        "コアな製品開発に関与するメンバーから流出したケース",
        "大学との共同研究に伴い技術流出したケース",
        "政府から情報管理が高く評価されたケース",
    ],
    "middle": [
        "展示会への出展をきっかけに技術流出したケース",
        "海外顧客へのサンプル提供をきっかけに技術流出したケース",
    ],
    "later": [
        "元役員が情報を持ち出し不正に利用したケース",
        "製造装置メーカーがデータやノウハウを目的外に使用したケース",
    ],
}
# id suffix -> (organisation, department, phone as printed, e-mail)
EXPECTED_CONTACTS = {
    "hokkaido": (
        "北海道経済産業局",
        "総務企画部 国際課",
        "011-709-1752",
        "bzl-hokkaido-kokusai@meti.go.jp",
    ),
    "tohoku": ("東北経済産業局", "総務企画部 国際課", "022-221-4907", "bzl-thk-kokusai@meti.go.jp"),
    "kanto": ("関東経済産業局", "総務企画部 国際課", "048-600-0262", "bzl-kanto-kaigai@meti.go.jp"),
    "chubu": ("中部経済産業局", "地域経済部 国際課", "052-951-4091", "bzl-qchbnt@meti.go.jp"),
    "kinki": (
        "近畿経済産業局",
        "国際部 通商課 経済安全保障室",
        "06-6966-6039",
        "bzl-kinki-keizaijanpo@meti.go.jp",
    ),
    "chugoku": ("中国経済産業局", "産業部 国際課", "082-224-5659", "bzl-qchgix@meti.go.jp"),
    "shikoku": ("四国経済産業局", "産業部 産業振興課", "087-811-8525", "bzl-qsikik@meti.go.jp"),
    "kyushu": ("九州経済産業局", "国際部 国際課", "092-482-5423", "bzl-kyukokusai@meti.go.jp"),
    "okinawa": (
        "沖縄総合事務局",
        "経済産業部 商務通商課",
        "098-866-1731",
        "bzl-oki-syomu@meti.go.jp",
    ),
    "inpit": (
        "INPIT ((独)工業所有権情報・研修館)",
        "営業秘密支援窓口",
        "03-3581-1101(内線3823)",
        "ip-sr01@inpit.go.jp",
    ),
}
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _texts(value, path=""):
    """Yield (path, Text dict) of every Text in a model dump."""
    if isinstance(value, dict):
        if set(value) == {"ja", "en"}:
            yield path, value
            return
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}[{index}]")


@pytest.mark.parametrize("stage", STAGES)
def test_stage_checklist_as_printed(catalog: Catalog, stage: str) -> None:
    rows = catalog.rows_for_stage(stage)
    actual = [(r.channel, r.title.ja, r.guidance, r.guidance_pages) for r in rows]
    assert actual == EXPECTED_ROWS[stage]


def test_row_counts(catalog: Catalog) -> None:
    assert [len(catalog.rows_for_stage(s)) for s in STAGES] == [11, 10, 10]
    assert len(catalog.rows) == 25
    assert len({row.id for row in catalog.rows}) == 25


def test_rows_ordered_common_then_by_stage_and_channel(catalog: Catalog) -> None:
    channel_order = {c.id: c.order for c in catalog.channels}
    stage_order = {s.id: s.order for s in catalog.stages}

    def key(row: ChecklistRow) -> tuple[int, int]:
        if row.channel == "common":
            return (0, 0)
        return (stage_order[row.stages[0]], channel_order[row.channel])

    keys = [key(row) for row in catalog.rows]
    assert keys == sorted(keys)


def test_common_rows_span_every_stage_and_name_their_step(catalog: Catalog) -> None:
    common = [row for row in catalog.rows if row.channel == "common"]
    assert [row.step for row in common] == [f"urn:mamori:step:{n}" for n in (1, 2, 3)]
    for row in common:
        assert row.stages == list(STAGES)
        assert row.measure is None
    for row in catalog.rows:
        if row.channel != "common":
            assert len(row.stages) == 1, row.id


def test_measures_sit_on_their_handbook_page(catalog: Catalog) -> None:
    for row in catalog.rows:
        if row.channel == "common":
            continue
        assert row.measure is not None, row.id
        assert row.measure.handbook_page == MEASURE_PAGES[(row.stages[0], row.channel)], row.id
        assert row.measure.handbook_page in catalog.stage(row.stages[0]).handbook_pages


def test_measure_points(catalog: Catalog) -> None:
    dd = catalog.row("urn:mamori:row:joint_research:partner-dd-public-info").measure
    assert [p.text.ja for p in dd.points] == [
        "過去の法令違反や情報インシデントの有無",
        "情報管理体制の状況(社内規程や責任者の有無、社内研修の状況等)",
        "資本構成",
        "設立時期、事業・研究開発実績",
    ]
    scope = catalog.row("urn:mamori:row:overseas_production:contract-scope").measure
    assert [p.text.ja for p in scope.points] == [
        "目的外利用",
        "リバースエンジニアリング",
        "図面等の複製",
        "製造装置等の移設",
        "再委託",
    ]
    perspectives = catalog.row("urn:mamori:row:joint_research:partner-dd").measure
    assert [p.title.ja for p in perspectives.points] == [
        "相手国の観点でのDD",
        "組織の観点でのDD",
        "個人の観点でのDD",
    ]
    assert all(p.text is not None for p in perspectives.points)
    retention = catalog.row("urn:mamori:row:people:key-engineer-retention").measure
    assert [f.ja for f in retention.figure_labels] == ["社内表彰制度", "インセンティブ報酬"]


def test_every_row_has_mamori_notes(catalog: Catalog) -> None:
    for row in catalog.rows:
        assert 2 <= len(row.mamori.done_when) <= 4, row.id
        assert row.mamori.why.ja and row.mamori.why.en


def test_stages(catalog: Catalog) -> None:
    assert [s.id for s in catalog.stages] == list(STAGES)
    assert [s.handbook_pages for s in catalog.stages] == [
        [5, 6, 7, 8],
        [9, 10, 11, 12],
        [13, 14, 15, 16],
    ]
    # The handbook's own misprint is kept.
    assert catalog.stage("later").checklist_heading.ja == (
        "レイトー期に取り組むべき技術流出対策の全体像"
    )


@pytest.mark.parametrize("stage", STAGES)
def test_cases(catalog: Catalog, stage: str) -> None:
    cases = catalog.cases_for_stage(stage)
    assert [c.title.ja for c in cases] == EXPECTED_CASES[stage]
    assert [c.number for c in cases] == list(range(1, len(cases) + 1))
    for case in cases:
        assert case.id == f"urn:mamori:case:{stage}:{case.number}"
        assert case.related_rows, case.id


def test_seven_cases(catalog: Catalog) -> None:
    assert len(catalog.cases) == 7


def test_contacts(catalog: Catalog) -> None:
    assert len(catalog.contacts) == 10
    actual = {
        c.id.removeprefix("urn:mamori:contact:"): (
            c.organisation.ja,
            c.department.ja,
            c.phone_printed,
            c.email,
        )
        for c in catalog.contacts
    }
    assert actual == EXPECTED_CONTACTS
    kinds = [c.kind for c in catalog.contacts]
    assert kinds.count("regional_bureau") == 9
    inpit = next(c for c in catalog.contacts if c.kind == "inpit")
    assert inpit.free_of_charge
    assert inpit.purpose.ja == "営業秘密、知財管理にお困りの場合"
    assert inpit.url == "https://www.inpit.go.jp/katsuyo/tradesecret/madoguchi.html"


def test_related_systems_and_columns(catalog: Catalog) -> None:
    assert [s.title.ja for s in catalog.related_systems] == [
        "安全保障貿易管理について",
        "対内直接投資審査制度について",
        "営業秘密管理について",
        "技術情報管理認証制度(TICS)について",
    ]
    assert all(s.links for s in catalog.related_systems)
    assert [(c.id, c.stage) for c in catalog.columns] == [
        ("urn:mamori:column:economic-security-guideline", "seed_early"),
        ("urn:mamori:column:inpit-drama", "middle"),
        ("urn:mamori:column:acquisition", "later"),
        ("urn:mamori:column:tics", "later"),
    ]
    assert catalog.columns[1].links == []  # the INPIT drama's address is not printed


def test_step_two_names_the_four_technology_categories(catalog: Catalog) -> None:
    step = catalog.step("urn:mamori:step:2")
    assert [p.id for p in step.points] == ["core", "security", "economic_security", "to_acquire"]
    assert [p.title.ja for p in step.points] == [
        "競争力の源泉となるコア技術",
        "安全保障上の重要技術(軍事転用懸念のある技術)",
        "経済安全保障に関わる重要技術",
        "自社では保有しておらず獲得をしたい技術",
    ]
    assert [p.id for p in catalog.step("urn:mamori:step:1").points] == ["leadership", "officer"]
    assert [p.id for p in catalog.step("urn:mamori:step:3").points] == [
        "trade_secret_management",
        "firm_response",
    ]


@pytest.mark.parametrize(
    ("answers", "stage"),
    [
        (["no"], "seed_early"),
        (["yes", "no"], "middle"),
        (["yes", "yes"], "later"),
    ],
)
def test_wizard_leads_to_each_stage(catalog: Catalog, answers: list[str], stage: str) -> None:
    question = catalog.wizard_start()
    assert question.id == "urn:mamori:wizard:commercial"
    for index, answer in enumerate(answers):
        target = getattr(question, answer)
        if index < len(answers) - 1:
            question = catalog.wizard_question(target)
    assert target == f"stage:{stage}"


def test_links_are_unique_https(catalog: Catalog) -> None:
    urls = [link.url for link in catalog.links]
    assert len(urls) == len(set(urls))
    assert all(url.startswith("https://") for url in urls)
    assert catalog.link("urn:mamori:link:guidance").url.endswith("/guidance2.0.pdf")


def test_every_text_is_translated(catalog: Catalog) -> None:
    dumps = [catalog.handbook.model_dump()]
    for items in (
        catalog.stages,
        catalog.channels,
        catalog.steps,
        catalog.rows,
        catalog.cases,
        catalog.columns,
        catalog.related_systems,
        catalog.contacts,
        catalog.links,
        catalog.wizard,
    ):
        dumps.extend(item.model_dump() for item in items)
    count = 0
    for dump in dumps:
        for path, text in _texts(dump):
            count += 1
            assert not JAPANESE.search(text["en"]), f"{path}: untranslated '{text['en']}'"
            assert JAPANESE.search(text["ja"]), f"{path}: no Japanese in '{text['ja']}'"
    assert count > 300

"""Recognising clauses: the acceptance cases, weaknesses, negations, the type guess and the
JSON the command line prints."""

from __future__ import annotations

import pytest

from mamori.engines.clauses import RequirementsError, Status, check_document, check_text
from tests.data.contracts.corpus import HEAD_JA, apply_edits, pdf_from_docx, sample

NDA = sample("nda_ja_word")


def statuses(report) -> dict[str, str]:
    return {result.key: str(result.status) for result in report.clauses}


def test_a_complete_nda_holds_every_clause_an_nda_requires(requirements):
    report = check_document(NDA.data, name=NDA.filename, requirements=requirements)
    assert report.kind == "nda" and not report.type_given and report.type_confidence >= 0.8
    assert report.missing == () and report.weak == ()
    confidentiality = report.result("confidentiality")
    assert confidentiality.article == "第2条（秘密保持義務）"
    assert confidentiality.quote == (
        "乙は、秘密情報を厳に秘密として保持し、善良な管理者の注意をもって管理しなければならない。"
    )


def test_word_with_automatic_numbering_and_the_same_contract_as_pdf_agree(requirements):
    word = check_document(NDA.data, name="nda.docx", requirements=requirements)
    pdf = check_document(pdf_from_docx(NDA.data), name="nda.pdf", requirements=requirements)
    assert (word.format, pdf.format) == ("docx", "pdf")
    assert [(r.key, r.status, r.article, r.quote) for r in word.clauses] == [
        (r.key, r.status, r.article, r.quote) for r in pdf.clauses
    ]
    assert (word.kind, word.article_count) == (pdf.kind, pdf.article_count)


def test_removing_the_reverse_engineering_article_changes_that_clause_only(requirements):
    before = statuses(check_text(NDA.text, requirements=requirements, kind="nda"))
    text = apply_edits(NDA.text, [{"remove": "第7条"}], HEAD_JA)
    after = statuses(check_text(text, requirements=requirements, kind="nda"))
    assert before["no_reverse_engineering"] == "present"
    assert after["no_reverse_engineering"] == "missing"
    assert {k: v for k, v in after.items() if k != "no_reverse_engineering"} == {
        k: v for k, v in before.items() if k != "no_reverse_engineering"
    }


def test_an_effort_duty_in_the_confidentiality_article_makes_it_weak(requirements):
    edit = {"replace": {"article": "第2条", "old": "しなければならない", "new": "努めるものとする"}}
    text = apply_edits(NDA.text, [edit], HEAD_JA)
    report = check_text(text, requirements=requirements, kind="nda")
    result = report.result("confidentiality")
    assert result.status is Status.WEAK and "努めるものとする" in result.quote
    assert [reason.code for reason in result.reasons] == ["effort"]
    others = statuses(report)
    others.pop("confidentiality")
    assert set(others.values()) <= {"present", "missing"} and others["remedies"] == "present"


def test_english_effort_duty_is_weak(requirements):
    report = check_text(
        "NDA\nSection 1. Confidentiality\nThe Recipient shall use reasonable efforts to keep "
        "the Confidential Information confidential.\nSection 2. Term\nThis Agreement remains "
        "in force for two years.\n",
        requirements=requirements,
        kind="nda",
    )
    assert report.result("confidentiality").status is Status.WEAK


def test_a_permission_is_missing_and_quoted(requirements):
    report = check_text(
        "秘密保持契約書\n第1条（試料）\n乙は、甲の試料を自由に分解し、解析することができる。\n",
        requirements=requirements,
        kind="nda",
    )
    result = report.result("no_reverse_engineering")
    assert result.status is Status.MISSING
    assert result.article == "第1条（試料）" and "解析することができる" in result.quote
    assert [reason.code for reason in result.reasons] == ["negated"]


def test_a_permission_with_consent_is_a_ban(requirements):
    report = check_text(
        "秘密保持契約書\n第1条（試料）\n乙は、甲の事前の書面による承諾を得た場合に限り、試料を解析"
        "することができる。\n",
        requirements=requirements,
        kind="nda",
    )
    assert report.result("no_reverse_engineering").status is Status.PRESENT


@pytest.mark.parametrize(
    ("proviso", "status"),
    [
        ("ただし、乙が業務上必要と判断した場合はこの限りでない。", Status.WEAK),
        ("ただし、甲の事前の書面による承諾を得た場合はこの限りでない。", Status.PRESENT),
        ("ただし、法令により必要な場合はこの限りでない。", Status.PRESENT),
    ],
)
def test_a_ban_the_same_article_waives_is_weak(requirements, proviso, status):
    report = check_text(
        f"製造委託契約書\n第1条（再委託）\n乙は、本業務を第三者に再委託してはならない。{proviso}\n",
        requirements=requirements,
        kind="manufacturing",
    )
    assert report.result("no_subcontracting").status is status


@pytest.mark.parametrize(("years", "status"), [("1年間", Status.WEAK), ("5年間", Status.PRESENT)])
def test_survival_shorter_than_the_data_says_is_weak(requirements, years, status):
    report = check_text(
        f"秘密保持契約書\n第1条（有効期間）\n本契約の有効期間は1年間とする。\n"
        f"２　前項にかかわらず、秘密保持義務は本契約終了後も{years}存続する。\n",
        requirements=requirements,
        kind="nda",
    )
    result = report.result("term_survival")
    assert result.status is status
    if status is Status.WEAK:
        assert [reason.code for reason in result.reasons] == ["duration"]


def test_a_part_not_said_makes_it_weak(requirements):
    report = check_text(
        "共同研究契約書\n第1条（資本構成の変動）\n乙は、合併その他支配権の変動が生じるときは、"
        "事前に甲に通知しなければならない。\n",
        requirements=requirements,
        kind="joint_research",
    )
    result = report.result("change_of_control")
    assert result.status is Status.WEAK
    assert [reason.code for reason in result.reasons] == ["part:termination"]


def test_a_clause_in_another_article_is_found_there(requirements):
    report = check_text(
        "NDA\nArticle 1. General\nThe Recipient shall keep the Confidential Information "
        "confidential and shall not reverse engineer any sample.\n",
        requirements=requirements,
        kind="nda",
    )
    assert report.result("no_reverse_engineering").article == "Article 1 (General)"


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("秘密保持契約書", "nda"),
        ("共同研究契約書", "joint_research"),
        ("共同研究に関する秘密保持契約書", "nda"),
        ("製造委託基本契約書", "manufacturing"),
        ("技術ライセンス契約書", "licence"),
        ("取引基本契約書", "supply"),
        ("業務委託契約書", "service"),
        ("Proof of Concept Agreement", "poc"),
        ("Non-Disclosure Agreement for Joint Research", "nda"),
        ("Joint Research Agreement", "joint_research"),
    ],
)
def test_the_type_is_guessed_from_the_title(requirements, title, kind):
    report = check_text(
        f"{title}\n第1条（目的）\n本契約は評価を目的とする。\n", requirements=requirements
    )
    assert report.kind == kind and not report.type_given
    assert 0.5 <= report.type_confidence <= 1.0


def test_without_any_sign_the_type_is_other_with_no_confidence(requirements):
    report = check_text("覚書\n甲と乙は、次のとおり合意する。\n", requirements=requirements)
    assert (report.kind, report.type_confidence) == ("other", 0.0)


def test_the_json_is_the_issues_shape_and_uses_the_issues_type_names(requirements):
    report = check_document(NDA.data, name=NDA.filename, requirements=requirements, kind="license")
    data = report.as_json()
    assert set(data) == {"type", "type_confidence", "clauses"}
    assert data["type"] == "license" and data["type_confidence"] == 1.0
    assert [set(entry) for entry in data["clauses"]] == [
        {"id", "title_ja", "status", "article", "quote"}
    ] * len(data["clauses"])
    ids = [entry["id"] for entry in data["clauses"]]
    assert ids[:3] == ["purpose", "definition", "confidentiality"]
    assert "change_of_control" in ids and "publication_review" not in ids
    missing = next(entry for entry in data["clauses"] if entry["id"] == "no_equipment_relocation")
    assert missing == {
        "id": "no_equipment_relocation",
        "title_ja": "製造装置等の移設の禁止",
        "status": "missing",
        "article": None,
        "quote": None,
    }


def test_an_unknown_type_is_refused(requirements):
    with pytest.raises(RequirementsError, match="unknown contract type 'lease'"):
        check_text("契約書\n", requirements=requirements, kind="lease")


def test_a_list_read_with_its_lead_ends_where_the_item_marks_change_style():
    from mamori.engines.clauses._model import Sentence
    from mamori.engines.clauses._recognise import _views

    def sentence(text: str, mark: str) -> Sentence:
        return Sentence(text=text, norm=text, paragraph=mark)

    long = " and other matters of the same kind that the parties have discussed at length"
    lead = sentence("the recipient may disclose confidential information to:", "(c)")
    items = [
        sentence("its auditors where required by law" + long, "(i)"),
        sentence("its bankers where required by regulation" + long, "(ii)"),
        sentence("term. this agreement lasts five years" + long, "(d)"),
    ]
    views = _views(lead, items)
    assert len(views) == 3  # the lead, then (i) and (ii) read with it; (d) is not an item
    assert views[1].startswith(lead.norm) and "auditors" in views[1]
    assert not any("five years" in view for view in views)


def test_a_japanese_permission_on_whose_judgement_is_unclear_waives_nothing(requirements):
    text = (
        "秘密保持契約書\n第1条（目的）\n甲及び乙は、新製品の評価を目的として本契約を締結する。\n"
        "第3条（第三者への開示）\n乙は、甲の事前の書面による承諾なく、秘密情報を第三者に開示してはならない。\n"
        "2 乙は、甲が必要と認めた場合、秘密情報を第三者に開示することができる。\n"
    )
    report = check_text(text, requirements=requirements, kind="nda")
    assert report.result("third_party_consent").status is Status.PRESENT


@pytest.mark.parametrize(
    ("proviso", "expected"),
    [
        ("ただし、甲が必要と認めた場合はこの限りでない。", Status.PRESENT),
        ("ただし、乙が必要と認めた場合はこの限りでない。", Status.WEAK),
    ],
)
def test_a_proviso_is_a_waiver_only_when_the_bound_party_judges(requirements, proviso, expected):
    text = (
        "秘密保持契約書\n第1条（目的）\n甲及び乙は、新製品の評価を目的として本契約を締結する。\n"
        "第3条（第三者への開示）\n"
        f"乙は、甲の事前の書面による承諾なく、秘密情報を第三者に開示してはならない。{proviso}\n"
    )
    report = check_text(text, requirements=requirements, kind="nda")
    assert report.result("third_party_consent").status is expected

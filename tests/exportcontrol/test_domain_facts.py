"""Facts of export control and investment screening corrected against the law and METI's
pages (issue 18), each pinned here with the behaviour that depends on it."""

from __future__ import annotations

import pytest

from mamori.company import services as company_services
from mamori.disclosures.models import Disclosure
from mamori.exportcontrol import knowledge
from mamori.exportcontrol.models import CheckOutcome, DisclosureExportCheck, HitStatus, ScreeningHit
from mamori.exportcontrol.services import screening
from mamori.exportcontrol.services.gate import CounterpartyListed
from mamori.findings.registry import RuleContext, registry, specs
from tests.assets import factories as assets
from tests.exportcontrol import factories as f
from tests.exportcontrol.test_gate import _record


def test_railways_and_petroleum_are_core_sectors_with_their_source():
    rules = knowledge.load_investment_rules()
    core = {s.id for s in rules.sectors if s.core}
    assert {"weapons", "aircraft", "space", "nuclear", "dual_use", "cybersecurity"} <= core
    assert {"electricity", "telecom", "railways", "petroleum"} <= core
    for sector_id in ("railways", "petroleum"):
        basis = rules.sector(sector_id).basis
        assert "コア業種" in basis.document and basis.url.startswith("https://www.mof.go.jp/")
        assert not basis.verified and basis.note  # the notice's own wording was not read
    assert "熱供給" not in rules.sector("electricity").name.ja


def test_investor_categories_follow_article_26_with_the_non_resident_officers():
    rules = knowledge.load_investment_rules()
    categories = {c.id: c for c in rules.investor_categories}
    officers = categories["non_resident_officers"]
    assert "役員又は代表権を有する役員のいずれかの過半数" in officers.text.ja
    assert officers.basis.section.startswith("第26条第1項第5号") and officers.basis.verified
    assert [c.basis.section[:10] for c in rules.investor_categories] == [
        f"第26条第1項第{n}号"[:10] for n in range(1, 6)
    ]
    fund = categories["foreign_fund"]
    assert "50%以上" in fund.text.ja and "出資の過半" not in fund.text.ja
    assert "50% or more" in fund.text.en
    assert not fund.basis.verified and fund.basis.note
    assert all(not c.text.en.endswith('"') for c in rules.investor_categories)


def test_an_unverified_basis_must_say_what_is_left_to_check():
    with pytest.raises(ValueError, match="needs a note"):
        knowledge.Basis(document="外為法", verified=False)


def test_the_catch_all_exempt_countries_are_export_order_table_3_with_meti_as_source():
    exempt = knowledge.load_catch_all_exempt()
    assert {"US", "GB", "DE", "KR", "AU"} <= set(exempt.codes) and len(exempt.codes) == 27
    assert not {"CN", "SG", "TW", "IN", "RU"} & set(exempt.codes)
    assert exempt.basis.url == "https://www.meti.go.jp/policy/anpo/catchall.html"
    assert "別表第3" in exempt.basis.document and not exempt.basis.verified


def test_ipa_items_are_renumbered_and_mis_sent_mail_is_no_contract_clause():
    crosswalks = knowledge.load_crosswalks()
    ipa = next(fw for fw in crosswalks.frameworks if fw.id == "ipa")
    titles = {item.id: item.title.ja for item in ipa.items}
    assert titles["17"] == "最終退出時の施錠" and titles["18"] == "重要情報の確実な廃棄"
    assert titles["21"] == "私物機器の業務利用" and "盗難" in titles["16"]
    assert not ipa.verified  # not read from the sheet itself
    mapping = crosswalks.mappings
    assert "7" not in mapping["urn:mamori:row:alignment:confidentiality-clauses"]["ipa"]
    assert "7" in mapping["urn:mamori:row:people:information-rules"]["ipa"]
    assert mapping["urn:mamori:row:alignment:outside-supply-chain"]["ipa"] == ["18"]


@pytest.mark.django_db
def test_a_listed_counterparty_gets_technology_with_a_recorded_judgement(officer):
    f.imported_list(officer)
    partner = f.counterparty("Korvantis Precision Instruments Ltd.", country="CN")
    screening.counterparty_screen_if_needed(partner.pk)
    hit = ScreeningHit.objects.get(counterparty=partner)
    screening.hit_decide(hit=hit, status=HitStatus.CONFIRMED, note="住所が一致", user=officer)
    technology = f.not_controlled_technology()
    asset = assets.asset(secrecy_class="社外秘", technologies=[technology])
    with pytest.raises(CounterpartyListed) as refused:
        _record(partner, asset, officer)
    message = refused.value.message
    assert "禁止ではありません" in message or "not a ban" in message
    assert "No information may be given" not in message
    f.licence(technology, partner, officer, decided_on=f.days_ago(1))
    disclosure = _record(partner, asset, officer)
    assert Disclosure.objects.filter(pk=disclosure.pk).exists()
    assert DisclosureExportCheck.objects.filter(outcome=CheckOutcome.REFUSED).count() == 1


def _catch_all_hits() -> list:
    return registry.run(
        specs(), RuleContext(today=f.today()), only=["exportcontrol.catch_all_not_checked"]
    )


def _foreign_disclosure(country: str, name: str) -> Disclosure:
    disclosure = Disclosure.objects.create(
        counterparty=f.counterparty(name, country=country),
        disclosed_on=f.days_ago(3),
        purpose="評価",
        method="email",
    )
    disclosure.assets.set([assets.asset(technologies=[f.not_controlled_technology(name)])])
    return disclosure


@pytest.mark.django_db
def test_catch_all_for_table_3_countries_is_the_companys_own_policy(officer):
    german = _foreign_disclosure("DE", "Westfield Optics GmbH")
    singapore = _foreign_disclosure("SG", "Lion City Materials Pte. Ltd.")
    company_services.company_save(name="株式会社テスト技研", officer=officer)
    by_object = {h.objects[0].id: h for h in _catch_all_hits()}
    assert set(by_object) == {german.pk, singapore.pk}  # default: the stricter own policy
    assert "自社方針" in by_object[german.pk].params["basis"]["ja"]
    assert "外為法" in by_object[singapore.pk].params["basis"]["ja"]
    company_services.company_save(
        name="株式会社テスト技研", officer=officer, catch_all_all_foreign=False
    )
    assert [h.objects[0].id for h in _catch_all_hits()] == [singapore.pk]


RANKING_CSV = (
    'No.,"国名・地域名\nCountry or Region","企業名・組織名\nCompany or Organization",'
    '"別名\nAlso Known As","懸念区分\nType of WMD"\n'
    "1,中国,Instruments Korvantis Precision,,ミサイル\n"
    "2,中国,Instruments Precision Korvantis,,ミサイル\n"
    "3,中国,Korvantis Precision Instruments Co.,,ミサイル\n"
)


@pytest.mark.django_db
def test_the_hit_list_puts_the_exact_match_first_and_says_which_kind_it_was(officer, client_as):
    from django.urls import reverse
    from django.utils import translation

    from mamori.exportcontrol import selectors

    f.imported_list(officer, content=RANKING_CSV)
    partner = f.counterparty(
        "ＫＯＲＶＡＮＴＩＳ　ＰＲＥＣＩＳＩＯＮ　ＩＮＳＴＲＵＭＥＮＴＳ", country="CN"
    )
    screening.counterparty_screen_if_needed(partner.pk)
    hits = list(selectors.hits_of_counterparty(partner))
    assert [h.score for h in hits] == [100, 100, 100]
    assert [h.match_kind for h in hits] == ["exact", "word_order", "word_order"]
    assert hits[0].entry.name == "Korvantis Precision Instruments Co."
    with translation.override("ja"):
        assert hits[0].reason_text.startswith("完全一致")
        assert hits[1].reason_text.startswith("語順違い")
    page = client_as(officer).get(reverse("exportcontrol:hit", args=[hits[0].pk]))
    assert "完全一致" in page.content.decode()

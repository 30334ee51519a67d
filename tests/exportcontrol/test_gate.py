"""The disclosure gate: controlled technology abroad needs a licence record; confirmed
screening hits block; refusals and acceptances are both recorded and audited."""

from __future__ import annotations

import pytest

from mamori.audit.models import AuditEntry
from mamori.disclosures.models import Disclosure
from mamori.disclosures.services import ledger
from mamori.exportcontrol.models import CheckOutcome, DisclosureExportCheck, HitStatus, ScreeningHit
from mamori.exportcontrol.services import screening
from mamori.exportcontrol.services.gate import CounterpartyListed, LicenceRequired
from tests.assets import factories as assets
from tests.exportcontrol import factories as f

pytestmark = pytest.mark.django_db


def _record(counterparty, asset, user, **extra):
    return ledger.disclosure_record(
        counterparty=counterparty,
        assets=[asset],
        disclosed_on=f.today(),
        purpose="仕様のすり合わせ",
        method="meeting",
        user=user,
        confirmed=extra.pop("confirmed", ["without_nda:" + str(asset.pk)]),
        override_reason=extra.pop("override_reason", ""),
        **extra,
    )


def _audited(check: DisclosureExportCheck) -> bool:
    return AuditEntry.objects.filter(
        object_type="exportcontrol.disclosureexportcheck", object_id=str(check.pk), action="create"
    ).exists()


def test_controlled_asset_to_a_foreign_counterparty_without_a_licence_is_refused(officer):
    technology = f.controlled_technology()
    asset = assets.asset(
        "レーザー制御パラメータ", secrecy_class="社外秘", technologies=[technology]
    )
    partner = f.counterparty()
    with pytest.raises(LicenceRequired) as refused:
        _record(partner, asset, officer)
    message = refused.value.message
    assert "高出力レーザー制御技術" in message and "外為令別表 10項" in message
    assert refused.value.field == "assets"
    assert not Disclosure.objects.exists()
    check = DisclosureExportCheck.objects.get()
    assert check.outcome == CheckOutcome.REFUSED and check.reason == "licence_missing"
    assert check.technologies == [{"id": technology.pk, "name": technology.name}]
    assert _audited(check)


def test_with_a_licence_record_the_disclosure_is_accepted_and_audited(officer):
    technology = f.controlled_technology()
    asset = assets.asset(
        "レーザー制御パラメータ", secrecy_class="社外秘", technologies=[technology]
    )
    partner = f.counterparty()
    licence = f.licence(technology, partner, officer)
    disclosure = _record(partner, asset, officer)
    check = DisclosureExportCheck.objects.get(disclosure=disclosure)
    assert check.outcome == CheckOutcome.ACCEPTED
    assert list(check.authorizations.all()) == [licence]
    assert _audited(check)
    assert AuditEntry.objects.filter(
        object_type="disclosures.disclosure", object_id=str(disclosure.pk), action="create"
    ).exists()


def test_a_judgement_that_no_licence_is_needed_also_lets_it_through(officer):
    technology = f.controlled_technology()
    asset = assets.asset(technologies=[technology], secrecy_class="社外秘")
    partner = f.counterparty()
    f.licence(technology, partner, officer, kind="not_required", reference="", basis="公知の技術")
    assert _record(partner, asset, officer).pk


def test_an_expired_licence_or_one_for_another_counterparty_does_not_count(officer):
    technology = f.controlled_technology()
    asset = assets.asset(technologies=[technology], secrecy_class="社外秘")
    partner, other = f.counterparty(), f.counterparty("Other Labs Inc.", country="US")
    f.licence(technology, partner, officer, decided_on=f.days_ago(400), valid_until=f.days_ago(35))
    f.licence(technology, other, officer)
    with pytest.raises(LicenceRequired):
        _record(partner, asset, officer)


def test_domestic_and_uncontrolled_disclosures_are_not_checked(officer):
    technology = f.controlled_technology()
    controlled = assets.asset(technologies=[technology], secrecy_class="社外秘")
    plain = assets.asset(technologies=[f.not_controlled_technology()], secrecy_class="社外秘")
    assert _record(f.counterparty("国内精機株式会社", country="JP"), controlled, officer).pk
    assert _record(f.counterparty(), plain, officer).pk
    assert not DisclosureExportCheck.objects.exists()


def test_the_officers_override_does_not_lift_export_control(officer):
    technology = f.controlled_technology()
    asset = assets.asset(technologies=[technology])  # 極秘
    with pytest.raises(LicenceRequired):
        _record(f.counterparty(), asset, officer, override_reason="社長判断")


def test_a_confirmed_screening_hit_blocks_every_disclosure(officer):
    f.imported_list(officer)
    partner = f.counterparty("Korvantis Precision Instruments Ltd.", country="CN")
    screening.counterparty_screen_if_needed(partner.pk)
    hit = ScreeningHit.objects.get(counterparty=partner)
    asset = assets.asset(secrecy_class="社外秘")
    _record(partner, asset, officer)  # a pending hit does not block
    screening.hit_decide(hit=hit, status=HitStatus.CONFIRMED, note="住所・別名が一致", user=officer)
    with pytest.raises(CounterpartyListed) as refused:
        _record(partner, asset, officer)
    assert "Korvantis Precision Instruments Co." in refused.value.message
    check = DisclosureExportCheck.objects.get(outcome=CheckOutcome.REFUSED)
    assert check.reason == "confirmed_hit" and _audited(check)
    screening.hit_decide(hit=hit, status=HitStatus.CLEARED, note="別会社と判明", user=officer)
    assert _record(partner, asset, officer).pk


def test_the_ledger_page_shows_the_refusal_as_an_error(officer, client_as):
    technology = f.controlled_technology()
    asset = assets.asset(
        "レーザー制御パラメータ", secrecy_class="社外秘", technologies=[technology]
    )
    partner = f.counterparty()
    response = client_as(officer).post(
        f"/disclosures/new/?counterparty={partner.pk}",
        {
            "assets": [asset.pk],
            "disclosed_on": f.today().isoformat(),
            "purpose": "評価",
            "method": "email",
            "seen": f"without_nda:{asset.pk}",
            "confirm": [f"without_nda:{asset.pk}"],
        },
    )
    assert response.status_code == 400
    assert "高出力レーザー制御技術" in response.content.decode()
    assert not Disclosure.objects.exists()
    assert DisclosureExportCheck.objects.filter(outcome=CheckOutcome.REFUSED).exists()

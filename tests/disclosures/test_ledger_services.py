"""The disclosure ledger's service: the warnings evaluated before writing, confirmation,
and the block on 極秘 information that only the officer's override lifts."""

from __future__ import annotations

import pytest

from mamori.accounts.roles import Role
from mamori.contracts.models import ContractKind
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.disclosures.models import Disclosure, Method
from mamori.disclosures.services import ledger
from tests.contracts import factories as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    """東都大学 with an NDA in force whose scope is the drawing and the recipe."""
    university = make.counterparty("東都大学")
    drawing = make.asset("電極の図面", rank=2)
    recipe = make.asset("電解液の配合表", rank=2)
    conditions = make.asset("焼成条件", rank=1)  # 極秘
    memo = make.asset("評価メモ", rank=2)
    nda = make.contract(university, title="秘密保持契約", scope=[drawing, recipe])
    return university, nda, drawing, recipe, conditions, memo


def _warnings(university, assets, **fields):
    fields.setdefault("disclosed_on", make.today())
    return ledger.disclosure_warnings(counterparty=university, assets=assets, **fields)


def _record(user, university, assets, **fields):
    fields.setdefault("disclosed_on", make.today())
    fields.setdefault("purpose", "電極材料の共同評価")
    fields.setdefault("method", Method.MEETING)
    return ledger.disclosure_record(counterparty=university, assets=assets, user=user, **fields)


# --- warnings ------------------------------------------------------------------------------


def test_no_warning_inside_the_scope_of_an_nda_in_force(setting):
    university, nda, drawing, recipe, *_ = setting
    assert _warnings(university, [drawing, recipe], contract=nda) == []


def test_without_nda_names_the_assets_and_the_counterparty(setting):
    _university, _nda, drawing, *_ = setting
    stranger = make.counterparty("城北化成")
    (warning,) = _warnings(stranger, [drawing])
    assert warning.code == ledger.WITHOUT_NDA
    assert "城北化成" in warning.message["ja"] and "「電極の図面」" in warning.message["ja"]
    assert "“電極の図面”" in warning.message["en"]
    assert warning.key == f"without_nda:{drawing.pk}"


def test_pre_deal_disclosures_need_an_nda_too(setting):
    _, _, drawing, *_ = setting
    (warning,) = _warnings(make.counterparty("候補先"), [drawing], pre_deal=True)
    assert warning.code == ledger.WITHOUT_NDA
    assert "feasibility study" in warning.message["en"]


@pytest.mark.parametrize(
    "change",
    [
        {"signed_on": None},
        {"ends_on": "yesterday"},
        {"starts_on": "tomorrow"},
    ],
    ids=["unsigned", "ended", "not-started"],
)
def test_an_nda_not_in_force_on_the_day_warns(change):
    university = make.counterparty()
    asset = make.asset()
    values = {
        key: {"yesterday": make.days_ago(1), "tomorrow": make.days_ahead(1)}.get(value, value)
        for key, value in change.items()
    }
    if values.get("signed_on", 0) is None:
        make.unsigned(university, scope=[asset])
    else:
        make.contract(university, scope=[asset], **values)
    assert [w.code for w in _warnings(university, [asset])] == [ledger.WITHOUT_NDA]


def test_an_agreement_without_a_confidentiality_clause_is_no_nda():
    university, asset = make.counterparty(), make.asset()
    make.contract(university, kind=ContractKind.OTHER, scope=[asset], clauses=[])
    assert [w.code for w in _warnings(university, [asset])] == [ledger.WITHOUT_NDA]


def test_the_nda_must_be_in_force_on_the_disclosure_date(setting):
    university, nda, drawing, *_ = setting
    earlier = nda.signed_on.replace(year=nda.signed_on.year - 1)
    assert [w.code for w in _warnings(university, [drawing], disclosed_on=earlier)] == [
        ledger.WITHOUT_NDA
    ]


def test_outside_scope_names_only_the_assets_outside(setting):
    university, nda, drawing, _, _, memo = setting
    (warning,) = _warnings(university, [drawing, memo], contract=nda)
    assert warning.code == ledger.OUTSIDE_SCOPE
    assert [name for _, name in warning.assets] == ["評価メモ"]
    assert "「評価メモ」" in warning.message["ja"] and "秘密保持契約" in warning.message["ja"]
    assert "電極の図面" not in warning.message["ja"]


def test_beyond_stage_until_the_stage_releasing_the_asset_is_reached():
    maker = make.counterparty("精密工業")
    spec, drawing = make.asset("製品仕様書"), make.asset("金型図面")
    contract = make.contract(
        maker, kind=ContractKind.MANUFACTURING, scope=[spec, drawing], signed_on=make.days_ago(60)
    )
    first = make.stage(contract, "試作", [spec])
    second = make.stage(contract, "量産", [drawing])
    (warning,) = _warnings(maker, [spec], contract=contract)
    assert warning.code == ledger.BEYOND_STAGE and "none reached yet" in warning.message["en"]
    make.services.provision_stage_reach(stage=first, reached_on=make.days_ago(20))
    assert _warnings(maker, [spec], contract=contract) == []
    (warning,) = _warnings(maker, [spec, drawing], contract=contract)
    assert warning.code == ledger.BEYOND_STAGE and [n for _, n in warning.assets] == ["金型図面"]
    assert "試作" in warning.message["ja"]
    # A stage counts from the day it was reached, not before.
    assert _warnings(maker, [spec], contract=contract, disclosed_on=make.days_ago(21))
    make.services.provision_stage_reach(stage=second, reached_on=make.days_ago(2))
    assert _warnings(maker, [spec, drawing], contract=contract) == []


def test_no_stage_warning_without_a_plan(setting):
    university, nda, drawing, *_ = setting
    assert not [
        w for w in _warnings(university, [drawing], contract=nda) if w.code == "beyond_stage"
    ]


# --- recording -----------------------------------------------------------------------------


def test_recording_inside_the_scope_stores_no_warnings(setting, editor):
    university, nda, drawing, recipe, *_ = setting
    disclosure = _record(editor, university, [drawing, recipe], contract=nda, codenamed=True)
    assert disclosure.warnings == [] and disclosure.override_by is None
    assert set(disclosure.assets.all()) == {drawing, recipe}
    assert disclosure.provision_stage is None and disclosure.codenamed


def test_warnings_need_confirmation_and_are_stored(setting, editor):
    university, nda, drawing, _, _, memo = setting
    with pytest.raises(ledger.DisclosureNeedsConfirmation) as error:
        _record(editor, university, [drawing, memo], contract=nda)
    assert not error.value.blocked
    assert [w.code for w in error.value.warnings] == [ledger.OUTSIDE_SCOPE]
    assert not Disclosure.objects.exists()
    # A confirmation of other warnings does not count.
    with pytest.raises(ledger.DisclosureNeedsConfirmation):
        _record(editor, university, [drawing, memo], contract=nda, confirmed=["outside_scope:0"])
    keys = [w.key for w in error.value.warnings]
    disclosure = _record(editor, university, [drawing, memo], contract=nda, confirmed=keys)
    assert [w["code"] for w in disclosure.warnings] == [ledger.OUTSIDE_SCOPE]
    assert disclosure.warnings[0]["assets"] == [{"id": memo.pk, "name": "評価メモ"}]
    assert "評価メモ" in disclosure.warnings[0]["message"]["ja"]
    assert disclosure.override_reason == "" and disclosure.override_by is None


def test_top_secret_with_a_warning_is_blocked_for_everyone_without_a_reason(setting, officer):
    university, nda, drawing, _, conditions, _ = setting
    with pytest.raises(ledger.DisclosureBlocked) as error:
        _record(officer, university, [drawing, conditions], contract=nda)
    assert error.value.blocked and error.value.top_secret == [conditions]
    assert "焼成条件" in error.value.message
    keys = [w.key for w in error.value.warnings]
    # Confirming is not enough: the block needs the officer's reason.
    with pytest.raises(ledger.DisclosureBlocked):
        _record(officer, university, [drawing, conditions], contract=nda, confirmed=keys)
    assert not Disclosure.objects.exists()


def test_only_the_officer_overrides_a_block(setting, editor, make_user, officer):
    university, nda, _drawing, _, conditions, _ = setting
    keys = [w.key for w in _warnings(university, [conditions], contract=nda)]
    for user in (editor, make_user(Role.EXECUTIVE)):
        with pytest.raises(NotPermitted):
            _record(
                user,
                university,
                [conditions],
                contract=nda,
                confirmed=keys,
                override_reason="急ぎのため",
            )
    assert not Disclosure.objects.exists()
    disclosure = _record(
        officer,
        university,
        [conditions],
        contract=nda,
        confirmed=keys,
        override_reason="  試作評価に不可欠。範囲外だが追補契約を締結予定（取締役会承認済み）  ",
    )
    assert disclosure.override_by == officer
    assert disclosure.override_reason.startswith("試作評価に不可欠")
    assert [w["code"] for w in disclosure.warnings] == [ledger.OUTSIDE_SCOPE]


def test_an_override_is_for_the_warnings_seen(setting, officer):
    university, nda, _drawing, _, conditions, memo = setting
    seen = [w.key for w in _warnings(university, [conditions], contract=nda)]
    with pytest.raises(ledger.DisclosureBlocked):
        _record(
            officer,
            university,
            [conditions, memo],
            contract=nda,
            confirmed=seen,
            override_reason="承認済み",
        )


def test_top_secret_without_warnings_is_recorded_and_no_override_is_kept(setting, officer):
    university, nda, *_ = setting
    conditions = setting[4]
    services_scope = [*nda.scope.all(), conditions]
    make.services.contract_save(contract=nda, scope=services_scope)
    disclosure = _record(
        officer, university, [conditions], contract=nda, override_reason="念のため"
    )
    assert disclosure.warnings == [] and disclosure.override_by is None
    assert disclosure.override_reason == ""


def test_the_disclosure_records_the_stage_reached_on_its_date():
    maker = make.counterparty()
    spec = make.asset()
    contract = make.contract(
        maker, kind=ContractKind.MANUFACTURING, scope=[spec], signed_on=make.days_ago(60)
    )
    stage = make.stage(contract, "試作", [spec], reached_on=make.days_ago(10))
    disclosure = make.disclose(maker, [spec], contract=contract, disclosed_on=make.days_ago(3))
    assert disclosure.provision_stage == stage and disclosure.warnings == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"assets": []}, "assets"),
        ({"disclosed_on": "tomorrow"}, "disclosed_on"),
        ({"purpose": "  "}, "purpose"),
        ({"method": "pigeon"}, "method"),
    ],
)
def test_bad_input_is_refused(setting, editor, fields, field):
    university, nda, drawing, *_ = setting
    values = {"assets": [drawing], **fields}
    if values.get("disclosed_on") == "tomorrow":
        values["disclosed_on"] = make.days_ahead(1)
    assets = values.pop("assets")
    with pytest.raises(ApplicationError) as error:
        _record(editor, university, assets, contract=nda, **values)
    assert error.value.field == field
    assert not Disclosure.objects.exists()


def test_the_contract_must_bind_the_counterparty(setting, editor):
    university, nda, drawing, *_ = setting
    other = make.counterparty("城北化成")
    with pytest.raises(ApplicationError) as error:
        _record(editor, other, [drawing], contract=nda)
    assert error.value.field == "contract"
    shared = make.contract(university, title="三者NDA", other_parties=[other], scope=[drawing])
    assert _record(editor, other, [drawing], contract=shared).contract == shared

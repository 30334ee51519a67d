"""Samples lent out: lending, return and inspection, and what the services refuse."""

from __future__ import annotations

import pytest

from mamori.audit.models import AuditEntry
from mamori.core.errors import ApplicationError
from mamori.disclosures.models import Sample
from mamori.disclosures.services import samples as services
from tests.sites import factories as make

pytestmark = pytest.mark.django_db


def test_lending_records_the_sample_and_audits_it():
    party = make.counterparty("海外顧客A社", country="US")
    nda = make.contract(party)
    sample = services.sample_lend(
        counterparty=party,
        contract=nda,
        description="  評価用セル 10個  ",
        quantity=10,
        lent_on=make.days_ago(3),
        due_back_on=make.days_ahead(30),
    )
    sample.refresh_from_db()
    assert (sample.description, sample.quantity, sample.contract) == ("評価用セル 10個", 10, nda)
    assert AuditEntry.objects.filter(object_type="disclosures.sample", object_id=str(sample.pk))


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        ({"due_back_on": None}, services.DUE_REQUIRED, "due_back_on"),
        ({"due_back_on": "before"}, services.DUE_BEFORE_LENT, "due_back_on"),
        ({"lent_on": "future"}, services.LENT_IN_FUTURE, "lent_on"),
        ({"quantity": 0}, services.QUANTITY_INVALID, "quantity"),
    ],
)
def test_lending_refuses_bad_dates_and_quantities(fields, message, field):
    values = {
        "counterparty": make.counterparty(),
        "description": "サンプル",
        "lent_on": make.days_ago(10),
        "due_back_on": make.days_ahead(10),
    }
    if fields.get("due_back_on") == "before":
        fields = {"due_back_on": make.days_ago(11)}
    if fields.get("lent_on") == "future":
        fields = {"lent_on": make.days_ahead(1), "due_back_on": make.days_ahead(5)}
    values.update(fields)
    with pytest.raises(ApplicationError) as error:
        services.sample_lend(**values)
    assert error.value.message == message and error.value.field == field
    assert not Sample.objects.exists()


def test_lending_refuses_a_contract_with_someone_else():
    party, other = make.counterparty("A社"), make.counterparty("B社")
    with pytest.raises(ApplicationError) as error:
        services.sample_lend(
            counterparty=party,
            contract=make.contract(other),
            description="サンプル",
            lent_on=make.days_ago(1),
            due_back_on=make.days_ahead(10),
        )
    assert error.value.field == "contract" and "A社" in error.value.message


def test_a_contract_naming_the_counterparty_as_another_party_is_accepted():
    party, lead = make.counterparty("A社"), make.counterparty("B社")
    shared = make.contract(lead, title="三者間NDA")
    shared.other_parties.add(party)
    sample = services.sample_lend(
        counterparty=party,
        contract=shared,
        description="サンプル",
        lent_on=make.days_ago(1),
        due_back_on=make.days_ahead(10),
    )
    assert sample.contract == shared


def test_the_due_date_can_be_moved_but_not_who_had_it_once_returned():
    sample = make.sample(due_back_on=make.days_ahead(5))
    moved = services.sample_update(
        sample=sample,
        counterparty=sample.counterparty,
        description=sample.description,
        lent_on=sample.lent_on,
        due_back_on=make.days_ahead(40),
    )
    assert moved.due_back_on == make.days_ahead(40)
    services.sample_record_return(sample=sample, returned_on=make.today())
    with pytest.raises(ApplicationError) as error:
        services.sample_update(
            sample=sample,
            counterparty=make.counterparty("別の会社"),
            description=sample.description,
            lent_on=sample.lent_on,
            due_back_on=make.days_ahead(40),
        )
    assert error.value.message == services.LENDING_LOCKED


def test_return_then_inspection_without_signs():
    sample = make.sample(lent_on=make.days_ago(20))
    services.sample_record_return(
        sample=sample, returned_on=make.days_ago(2), condition=" 外装に傷 "
    )
    services.sample_record_inspection(
        sample=sample, inspected_on=make.days_ago(1), reverse_engineering_signs=False
    )
    sample.refresh_from_db()
    assert sample.returned_on == make.days_ago(2) and sample.condition == "外装に傷"
    assert sample.inspected_on == make.days_ago(1) and not sample.reverse_engineering_signs


@pytest.mark.parametrize(
    ("returned", "message"),
    [(25, services.RETURNED_BEFORE_LENT), (-1, services.RETURNED_IN_FUTURE)],
)
def test_return_date_must_be_after_lending_and_not_in_the_future(returned, message):
    sample = make.sample(lent_on=make.days_ago(20))
    with pytest.raises(ApplicationError) as error:
        services.sample_record_return(sample=sample, returned_on=make.days_ago(returned))
    assert error.value.message == message and error.value.field == "returned_on"
    sample.refresh_from_db()
    assert sample.returned_on is None


def test_a_return_cannot_be_moved_after_the_inspection():
    sample = make.sample(lent_on=make.days_ago(20))
    services.sample_record_return(sample=sample, returned_on=make.days_ago(5))
    services.sample_record_inspection(
        sample=sample, inspected_on=make.days_ago(4), reverse_engineering_signs=False
    )
    with pytest.raises(ApplicationError) as error:
        services.sample_record_return(sample=sample, returned_on=make.days_ago(1))
    assert error.value.field == "returned_on"


def test_inspection_needs_the_return_first():
    sample = make.sample()
    with pytest.raises(ApplicationError) as error:
        services.sample_record_inspection(
            sample=sample, inspected_on=make.today(), reverse_engineering_signs=False
        )
    assert error.value.message == services.NOT_RETURNED


@pytest.mark.parametrize(
    ("inspected", "message"),
    [(6, services.INSPECTED_BEFORE_RETURN), (-1, services.INSPECTED_IN_FUTURE)],
)
def test_inspection_date_must_follow_the_return(inspected, message):
    sample = make.sample(lent_on=make.days_ago(20))
    services.sample_record_return(sample=sample, returned_on=make.days_ago(5))
    with pytest.raises(ApplicationError) as error:
        services.sample_record_inspection(
            sample=sample, inspected_on=make.days_ago(inspected), reverse_engineering_signs=False
        )
    assert error.value.message == message


def test_signs_of_reverse_engineering_need_a_note():
    sample = make.sample(lent_on=make.days_ago(20))
    services.sample_record_return(sample=sample, returned_on=make.days_ago(2))
    with pytest.raises(ApplicationError) as error:
        services.sample_record_inspection(
            sample=sample, inspected_on=make.today(), reverse_engineering_signs=True, note="  "
        )
    assert error.value.message == services.SIGNS_NEED_NOTE and error.value.field == "note"
    services.sample_record_inspection(
        sample=sample,
        inspected_on=make.today(),
        reverse_engineering_signs=True,
        note="筐体のネジに開封痕、内部の電極が1枚欠損",
    )
    sample.refresh_from_db()
    assert sample.reverse_engineering_signs and "開封痕" in sample.inspection_note

"""Writes to the asset registers: importance, classes, process limit, reviews."""

from __future__ import annotations

import datetime

import pytest

from mamori.accounts.roles import Role
from mamori.assets import services
from mamori.assets.models import (
    AccessReviewItem,
    Decision,
    ExportResult,
    Importance,
    ProcessStep,
    ReviewKind,
    SecrecyClass,
)
from mamori.audit.models import Action, AuditEntry
from mamori.core.errors import ApplicationError, NotPermitted
from tests.assets import factories as make

pytestmark = pytest.mark.django_db


# (competitiveness, damage if leaked, others' interest) -> level
IMPORTANCE_TABLE = [
    ((3, 3, 3), Importance.HIGH),
    ((3, 3, 2), Importance.HIGH),
    ((2, 3, 3), Importance.HIGH),
    ((3, 2, 2), Importance.MEDIUM),
    ((2, 2, 2), Importance.MEDIUM),
    ((1, 2, 2), Importance.MEDIUM),
    ((3, 1, 1), Importance.MEDIUM),
    ((1, 1, 2), Importance.LOW),
    ((1, 1, 1), Importance.LOW),
    ((2, 1, 1), Importance.LOW),
    # a great damage if leaked is never below medium, even when the sum is low
    ((1, 3, 1), Importance.MEDIUM),
]


@pytest.mark.parametrize(("scores", "level"), IMPORTANCE_TABLE)
def test_importance_level_table(scores, level):
    assert services.importance_level(*scores) == level


def test_technology_save_derives_importance_from_the_scores():
    technology = make.technology(competitiveness=3, damage_if_leaked=3, others_interest=3)
    assert technology.importance == Importance.HIGH
    services.technology_save(technology=technology, competitiveness=1, others_interest=1)
    technology.refresh_from_db()
    assert technology.importance == Importance.MEDIUM  # damage 3 keeps it at medium


def test_controlled_classification_needs_the_list_item():
    with pytest.raises(ApplicationError) as error:
        services.classification_record(
            technology=make.technology(),
            result=ExportResult.CONTROLLED,
            judged_by="輸出管理担当",
            judged_on=datetime.date(2026, 1, 1),
        )
    assert error.value.field == "list_item"


def test_only_the_officer_sets_the_process_limit(officer, make_user):
    technology = make.technology()
    for role in (Role.EXECUTIVE, Role.EDITOR):
        with pytest.raises(NotPermitted):
            services.technology_set_process_limit(
                technology=technology, limit=2, user=make_user(role)
            )
    services.technology_set_process_limit(technology=technology, limit=2, user=officer)
    technology.refresh_from_db()
    assert technology.full_process_limit == 2
    services.technology_set_process_limit(technology=technology, limit=None, user=officer)
    technology.refresh_from_db()
    assert technology.full_process_limit is None


def test_process_limit_must_be_positive(officer):
    with pytest.raises(ApplicationError):
        services.technology_set_process_limit(technology=make.technology(), limit=0, user=officer)


def test_process_step_delete_keeps_the_assets():
    technology, asset = make.technology(), make.asset()
    step = services.process_step_save(technology=technology, order=1, name="混練", assets=[asset])
    services.process_step_delete(step=step)
    assert not ProcessStep.objects.exists()
    asset.refresh_from_db()


def test_secrecy_classes_are_added_renamed_and_reranked():
    ranks = lambda: list(SecrecyClass.objects.order_by("rank").values_list("name", flat=True))  # noqa: E731
    assert ranks() == ["極秘", "秘", "社外秘"]
    added = services.secrecy_class_save(name="関係者限り", name_en="Need to know only")
    assert ranks() == ["極秘", "秘", "社外秘", "関係者限り"]

    services.secrecy_class_move(secrecy_class=added, up=True)
    assert ranks() == ["極秘", "秘", "関係者限り", "社外秘"]
    services.secrecy_class_move(secrecy_class=SecrecyClass.objects.get(name="極秘"), up=True)
    assert ranks() == ["極秘", "秘", "関係者限り", "社外秘"]  # already at the top

    services.secrecy_class_save(secrecy_class=added, name="部外秘")
    assert ranks() == ["極秘", "秘", "部外秘", "社外秘"]
    assert list(SecrecyClass.objects.order_by("rank").values_list("rank", flat=True)) == [
        1,
        2,
        3,
        4,
    ]


def test_secrecy_class_names_are_unique():
    with pytest.raises(ApplicationError) as error:
        services.secrecy_class_save(name="極秘")
    assert error.value.field == "name"


def _grants(count: int):
    asset = make.asset()
    return [make.grant(make.person(), asset) for _ in range(count)]


def test_small_periodic_review_audits_each_item():
    _grants(3)
    review = services.review_open_periodic(title="2026年度 定期見直し")
    assert review.kind == ReviewKind.PERIODIC and review.items.count() == 3
    assert (
        AuditEntry.objects.filter(
            action=Action.CREATE, object_type="assets.accessreviewitem"
        ).count()
        == 3
    )


def test_large_periodic_review_inserts_items_in_bulk_with_one_audit_entry(monkeypatch, officer):
    monkeypatch.setattr(services, "REVIEW_BULK_THRESHOLD", 2)
    grants = _grants(4)
    services.grant_revoke(grant=grants[0], revoked_by=officer, reason="不要")
    before = AuditEntry.objects.filter(object_type="assets.accessreviewitem").count()

    review = services.review_open_periodic(title="全件見直し", due_on=datetime.date(2026, 7, 1))

    items = AccessReviewItem.objects.filter(review=review)
    assert sorted(items.values_list("grant_id", flat=True)) == sorted(g.pk for g in grants[1:])
    assert set(items.values_list("decision", flat=True)) == {Decision.PENDING}
    entries = AuditEntry.objects.filter(object_type="assets.accessreviewitem")
    assert entries.count() == before + 1
    summary = entries.order_by("-seq").first()
    assert summary.changes["items"] == 3 and summary.parent_id == str(review.pk)
    assert review.closed_on is None

    # Items inserted in bulk are decided like any other, and the review closes at the end.
    for item in items:
        services.review_decide(item=item, decision=Decision.CONFIRMED, user=officer)
    review.refresh_from_db()
    assert review.closed_on is not None
    assert items.first().created_at is not None


def test_periodic_review_of_one_class_only():
    top = make.asset(secrecy_class="極秘")
    internal = make.asset(secrecy_class="社外秘")
    holder = make.person()
    make.grant(holder, top)
    make.grant(holder, internal)
    review = services.review_open_periodic(
        title="極秘のみ", secrecy_class=SecrecyClass.objects.get(name="極秘")
    )
    assert [item.grant.asset for item in review.items.all()] == [top]


def test_periodic_review_without_grants_closes_at_once():
    review = services.review_open_periodic(title="空の見直し")
    assert review.closed_on is not None


def test_periodic_review_needs_a_title():
    with pytest.raises(ApplicationError) as error:
        services.review_open_periodic(title="  ")
    assert error.value.field == "title"

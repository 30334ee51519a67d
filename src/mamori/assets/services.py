"""Writes to technologies, information assets, access grants, reviews and process steps."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts.models import User
from mamori.accounts.roles import Capability
from mamori.approvals.models import ApprovalRequest
from mamori.approvals.services import approval_request
from mamori.assets.models import (
    AccessGrant,
    AccessReview,
    AccessReviewItem,
    Decision,
    DeemedExportApproval,
    ExportClassification,
    ExportResult,
    Importance,
    InformationAsset,
    ProcessStep,
    ReviewKind,
    SecrecyClass,
    Technology,
)
from mamori.assets.selectors import grant_may_decide
from mamori.audit.models import Action
from mamori.audit.services import audit_record, object_type_of
from mamori.core.actor import acting_as_system
from mamori.core.errors import ApplicationError, NotPermitted
from mamori.core.services import model_update
from mamori.core.validation import validate_instance, validated_save
from mamori.people.models import Person, PersonStatus

TECHNOLOGY_FIELDS = (
    "name",
    "description",
    "category",
    "competitiveness",
    "damage_if_leaked",
    "others_interest",
    "protection",
    "owner",
    "full_process_limit",
)
ASSET_FIELDS = (
    "name",
    "kind",
    "secrecy_class",
    "owner",
    "description",
    "storage_location",
    "is_useful",
    "usefulness_note",
    "marking",
    "separation",
    "is_non_public",
    "non_public_note",
    "evidence_note",
)
GRANT_TO_LEAVER = gettext_lazy("%(person)s has left the company; access cannot be granted.")
GRANT_EXISTS = gettext_lazy("%(person)s already has access to “%(asset)s”.")
CONTROLLED_NEEDS_ITEM = gettext_lazy("Give the list item the technology falls under.")


def importance_level(competitiveness: int, damage: int, interest: int) -> str:
    """Return the importance level from the three scores (each 1–3).

    The sum decides: 8–9 high, 5–7 medium, 3–4 low; a technology scored 3 on damage if
    leaked is never below medium.
    """
    total = competitiveness + damage + interest
    if total >= 8:
        return Importance.HIGH
    if total >= 5 or damage == 3:
        return Importance.MEDIUM
    return Importance.LOW


@transaction.atomic
def technology_save(*, technology: Technology | None = None, **fields: Any) -> Technology:
    """Create or update a technology; its importance level follows from its scores."""
    technology = technology or Technology()
    model_update(technology, fields, allowed=TECHNOLOGY_FIELDS)
    technology.importance = importance_level(
        technology.competitiveness, technology.damage_if_leaked, technology.others_interest
    )
    return validated_save(technology)


@transaction.atomic
def classification_record(
    *,
    technology: Technology,
    result: str,
    judged_by: str,
    judged_on: datetime.date,
    list_item: str = "",
    basis: str = "",
    approved_by: str = "",
    rejudge_due: datetime.date | None = None,
) -> ExportClassification:
    """Record a 該非判定; a controlled result must name the list item."""
    if result == ExportResult.CONTROLLED and not list_item.strip():
        raise ApplicationError(CONTROLLED_NEEDS_ITEM, field="list_item")
    classification = ExportClassification(
        technology=technology,
        result=result,
        list_item=list_item.strip(),
        basis=basis.strip(),
        judged_by=judged_by.strip(),
        approved_by=approved_by.strip(),
        judged_on=judged_on,
        rejudge_due=rejudge_due,
    )
    return validated_save(classification)


@transaction.atomic
def deemed_export_approval_record(
    *,
    person: Person,
    technology: Technology,
    reference: str,
    approved_on: datetime.date,
    valid_until: datetime.date | None = None,
) -> DeemedExportApproval:
    approval = DeemedExportApproval(
        person=person,
        technology=technology,
        reference=reference.strip(),
        approved_on=approved_on,
        valid_until=valid_until,
    )
    return validated_save(approval)


@transaction.atomic
def asset_save(
    *,
    asset: InformationAsset | None = None,
    technologies: Iterable[Technology] | None = None,
    **fields: Any,
) -> InformationAsset:
    """Create or update an information asset and the technologies it belongs to."""
    asset = asset or InformationAsset()
    model_update(asset, fields, allowed=ASSET_FIELDS)
    validated_save(asset)
    if technologies is not None:
        asset.technologies.set(list(technologies))
    return asset


CLASS_CHANGE_KIND = "assets.class_change"
CLASS_CHANGE_NEEDS_APPROVAL = gettext_lazy(
    "Lowering the class of “%(asset)s” from %(old)s needs the approval of its owner or the "
    "officer: it has been asked for."
)
CLASS_CHANGED_SINCE = gettext_lazy(
    "The class of “%(asset)s” has changed since this was asked; ask again if it is still needed."
)


def class_change_is_downgrade(old: SecrecyClass | None, new: SecrecyClass | None) -> bool:
    """Return whether moving an asset from ``old`` to ``new`` lowers a class whose grants
    need approval (極秘 → 秘, 秘 → 社外秘, or to no class)."""
    if old is None or not old.grants_need_approval:
        return False
    return new is None or new.rank > old.rank


def _may_lower_class_directly(user: User | None) -> bool:
    # The officer decides alone; the asset's owner and editors ask (the owner cannot
    # approve their own request, so an owner's request goes to the officer).
    if user is None:
        return acting_as_system()
    return user.is_active and user.has_capability(Capability.COMPANY_MANAGE)


@transaction.atomic
def asset_change(
    *,
    asset: InformationAsset,
    changed_by: User | None,
    technologies: Iterable[Technology] | None = None,
    class_change_reason: str = "",
    **fields: Any,
) -> tuple[InformationAsset, ApprovalRequest | None]:
    """Update ``asset`` as ``changed_by``; a lowered secrecy class is asked for instead.

    Lowering the class of an asset whose class needs approval for grants (秘, 極秘) is
    decided by the asset's owner or the officer: unless ``changed_by`` is the officer (or
    no user: a command the administrator runs), every other field is saved and the class
    change becomes a pending ``ApprovalRequest``, returned beside the asset.
    """
    request = None
    stored_id = (
        InformationAsset.objects.filter(pk=asset.pk).values_list("secrecy_class_id", flat=True)
    ).first()
    stored = SecrecyClass.objects.filter(pk=stored_id).first() if stored_id else None
    if "secrecy_class" in fields and not _may_lower_class_directly(changed_by):
        new = fields["secrecy_class"]
        if class_change_is_downgrade(stored, new):
            del fields["secrecy_class"]
            # A bound model form has already put the new class on the instance.
            asset.secrecy_class = stored
            request = approval_request(
                kind=CLASS_CHANGE_KIND,
                subject=asset,
                requested_by=changed_by,
                data={"from": stored.pk, "to": new.pk if new else None},
                reason=class_change_reason.strip(),
            )
    return asset_save(asset=asset, technologies=technologies, **fields), request


def class_change_apply(request: ApprovalRequest, user: User) -> InformationAsset:
    """Lower the asset's class as an approved request asks (refused when the class has
    changed since it was asked)."""
    asset = request.subject()
    if asset is None:
        raise ApplicationError(_("The asset of this request no longer exists."))
    if asset.secrecy_class_id != request.data.get("from"):
        raise ApplicationError(CLASS_CHANGED_SINCE % {"asset": asset})
    target = request.data.get("to")
    new = SecrecyClass.objects.filter(pk=target).first() if target else None
    if target and new is None:
        raise ApplicationError(_("The secrecy class of this request no longer exists."))
    return asset_save(asset=asset, secrecy_class=new)


def class_change_describe(request: ApprovalRequest) -> str:
    """Return "<asset>: 極秘 → 社外秘" for the queue and the digest."""
    names = dict(SecrecyClass.objects.values_list("pk", "name"))
    old = names.get(request.data.get("from"), "?")
    target = request.data.get("to")
    new = names.get(target, "?") if target else _("no secrecy class")
    return f"{request.subject_repr}: {old} → {new}"


def class_change_may_approve(user: User, request: ApprovalRequest) -> bool:
    asset = request.subject()
    return asset is not None and grant_may_decide(user, asset)


GRANT_KIND = "assets.grant"
GRANT_NEEDS_APPROVAL = gettext_lazy(
    "Access to “%(asset)s” needs the approval of its owner or the officer: ask for it instead."
)


def grant_needs_approval(asset: InformationAsset) -> bool:
    """Return whether access to ``asset`` takes effect only once approved (its class says so)."""
    return bool(asset.secrecy_class_id and asset.secrecy_class.grants_need_approval)


def _may_grant_directly(user: User | None, asset: InformationAsset) -> bool:
    # No user: a command or job the server's administrator runs (the demo, a CLI import).
    if user is None:
        return acting_as_system()
    return grant_may_decide(user, asset)


def _check_grant(
    person: Person,
    asset: InformationAsset,
    reason: str,
    valid_from: datetime.date,
    valid_until: datetime.date | None,
) -> None:
    if person.status == PersonStatus.DEPARTED:
        raise ApplicationError(GRANT_TO_LEAVER % {"person": person}, field="person")
    if not reason.strip():
        raise ApplicationError(_("Say why the person needs to know."), field="reason")
    _check_validity(valid_from, valid_until)
    if AccessGrant.objects.filter(person=person, asset=asset, revoked_on__isnull=True).exists():
        raise ApplicationError(GRANT_EXISTS % {"person": person, "asset": asset}, field="asset")


@transaction.atomic
def grant_create(
    *,
    person: Person,
    asset: InformationAsset,
    reason: str,
    granted_by: User | None,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> AccessGrant:
    """Give a person access to an asset on a need-to-know basis.

    Raise ``ApplicationError`` for a person who has left, a grant that already exists,
    a missing reason or an end date before the start, and ``NotPermitted`` when the
    asset's class needs approval and ``granted_by`` is neither its owner nor the officer
    (``grant_give`` asks for approval instead).
    """
    valid_from = valid_from or timezone.localdate()
    _check_grant(person, asset, reason, valid_from, valid_until)
    if grant_needs_approval(asset) and not _may_grant_directly(granted_by, asset):
        raise NotPermitted(GRANT_NEEDS_APPROVAL % {"asset": asset}, field="asset")
    return AccessGrant.objects.create(
        person=person,
        asset=asset,
        reason=reason.strip(),
        granted_by=granted_by,
        valid_from=valid_from,
        valid_until=valid_until,
    )


@transaction.atomic
def grant_give(
    *,
    person: Person,
    asset: InformationAsset,
    reason: str,
    granted_by: User,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> AccessGrant | ApprovalRequest:
    """Give access, or ask for it when the asset's class needs approval and ``granted_by``
    may not decide it (neither the asset's owner nor the officer).

    Return the grant, or the pending ``ApprovalRequest``. Raise ``ApplicationError`` as
    ``grant_create`` does (checked before asking, so a request never waits for a grant
    that could not be made), or for the same request already waiting.
    """
    valid_from = valid_from or timezone.localdate()
    if grant_needs_approval(asset) and not _may_grant_directly(granted_by, asset):
        _check_grant(person, asset, reason, valid_from, valid_until)
        return approval_request(
            kind=GRANT_KIND,
            subject=asset,
            requested_by=granted_by,
            data={
                "person": person.pk,
                "reason": reason.strip(),
                "valid_from": valid_from.isoformat(),
                "valid_until": valid_until.isoformat() if valid_until else None,
            },
            reason=reason.strip(),
        )
    return grant_create(
        person=person,
        asset=asset,
        reason=reason,
        granted_by=granted_by,
        valid_from=valid_from,
        valid_until=valid_until,
    )


def grant_approval_apply(request: ApprovalRequest, user: User) -> AccessGrant:
    """Make the grant an approved request asks for, granted by the approver ``user``."""
    asset = request.subject()
    person = Person.objects.filter(pk=request.data.get("person")).first()
    if asset is None or person is None:
        raise ApplicationError(_("The person or the asset of this request no longer exists."))
    until = request.data.get("valid_until")
    return grant_create(
        person=person,
        asset=asset,
        reason=request.data.get("reason", ""),
        granted_by=user,
        valid_from=datetime.date.fromisoformat(request.data["valid_from"]),
        valid_until=datetime.date.fromisoformat(until) if until else None,
    )


def grant_approval_describe(request: ApprovalRequest) -> str:
    """Return "<person> → <asset>, from … until …" for the queue and the digest."""
    person = Person.objects.filter(pk=request.data.get("person")).first()

    def day(value: str) -> str:
        return date_format(datetime.date.fromisoformat(value), "DATE_FORMAT")

    start, until = day(request.data["valid_from"]), request.data.get("valid_until")
    period = (
        _("from %(start)s until %(end)s") % {"start": start, "end": day(until)}
        if until
        else _("from %(start)s") % {"start": start}
    )
    return f"{person or '?'} → {request.subject_repr} ({period})"


def grant_approval_may_approve(user: User, request: ApprovalRequest) -> bool:
    asset = request.subject()
    return asset is not None and grant_may_decide(user, asset)


def _check_validity(valid_from: datetime.date, valid_until: datetime.date | None) -> None:
    if valid_until and valid_until < valid_from:
        raise ApplicationError(_("The end date is before the start date."), field="valid_until")


GRANT_UPDATE_FIELDS = ("reason", "valid_until")


@transaction.atomic
def grant_update(
    *, grant: AccessGrant, changed_by: User | None = None, **fields: Any
) -> AccessGrant:
    """Change an active grant's reason or end date (``GRANT_UPDATE_FIELDS``).

    Raise ``ApplicationError`` for an end date before the start or an invalid value, and
    ``NotPermitted`` when the end date moves later (or goes) on an asset whose class needs
    approval and ``changed_by`` is neither its owner nor the officer: longer access is
    asked for like new access.
    """
    if "valid_until" in fields and grant_needs_approval(grant.asset):
        new, old = fields["valid_until"], grant.valid_until
        longer = old is not None and (new is None or new > old)
        if longer and not _may_grant_directly(changed_by, grant.asset):
            raise NotPermitted(GRANT_NEEDS_APPROVAL % {"asset": grant.asset}, field="valid_until")
    model_update(grant, fields, allowed=GRANT_UPDATE_FIELDS)
    _check_validity(grant.valid_from, grant.valid_until)
    return validated_save(grant)


@transaction.atomic
def grant_revoke(
    *,
    grant: AccessGrant,
    revoked_by: User | None,
    reason: str,
    revoked_on: datetime.date | None = None,
) -> AccessGrant:
    """Revoke one grant (audited like every change); revoking twice is refused."""
    if grant.revoked_on is not None:
        raise ApplicationError(_("This access has already been revoked."))
    grant.revoked_on = revoked_on or timezone.localdate()
    grant.revoked_by = revoked_by
    grant.revoke_reason = reason.strip()
    grant.save()
    _close_review_items(grant, revoked_by)
    return grant


def _close_review_items(grant: AccessGrant, user: User | None) -> None:
    """Mark pending review items of a revoked grant as revoked, and close finished reviews."""
    items = list(
        AccessReviewItem.objects.filter(grant=grant, decision=Decision.PENDING).select_related(
            "review"
        )
    )
    for item in items:
        item.decision = Decision.REVOKED
        item.decided_by = user
        item.decided_on = timezone.localdate()
        item.save()
        _close_if_done(item.review)


@transaction.atomic
def grants_revoke_for_person(*, person: Person, revoked_by: User | None, reason: str) -> int:
    """Revoke every active grant of a person in one action; return how many.

    Each grant is revoked (and audited) on its own, so the log shows exactly what was
    taken away.
    """
    grants = list(
        AccessGrant.objects.select_for_update(of=("self",))
        .filter(person=person, revoked_on__isnull=True)
        .select_related("person", "asset")
    )
    for grant in grants:
        grant_revoke(grant=grant, revoked_by=revoked_by, reason=reason)
    return len(grants)


@transaction.atomic
def review_open(
    *,
    kind: str,
    title: str,
    grants: Iterable[AccessGrant],
    person: Person | None = None,
    due_on: datetime.date | None = None,
) -> AccessReview:
    """Open an access review with one item per grant to confirm or revoke."""
    review = AccessReview.objects.create(
        kind=kind, title=title, person=person, opened_on=timezone.localdate(), due_on=due_on
    )
    for grant in grants:
        AccessReviewItem.objects.create(review=review, grant=grant)
    _close_if_done(review)
    return review


@transaction.atomic
def review_decide(*, item: AccessReviewItem, decision: str, user: User) -> AccessReviewItem:
    """Confirm or revoke one grant of a review; the review closes when all are decided."""
    if decision not in (Decision.CONFIRMED, Decision.REVOKED):
        raise ApplicationError(_("Choose to confirm or revoke."), field="decision")
    if item.decision != Decision.PENDING:
        raise ApplicationError(_("This grant has already been decided in this review."))
    if decision == Decision.REVOKED:
        grant_revoke(grant=item.grant, revoked_by=user, reason=str(item.review))
        item.refresh_from_db()
        return item
    item.decision = Decision.CONFIRMED
    item.decided_by = user
    item.decided_on = timezone.localdate()
    item.save()
    _close_if_done(item.review)
    return item


def _close_if_done(review: AccessReview) -> None:
    if review.closed_on is None and not review.items.filter(decision=Decision.PENDING).exists():
        review.closed_on = timezone.localdate()
        review.save()


@transaction.atomic
def process_step_save(
    *,
    technology: Technology,
    order: int,
    name: str,
    assets: Iterable[InformationAsset],
    step: ProcessStep | None = None,
) -> ProcessStep:
    """Create or update a step of a technology's process with the assets it uses."""
    step = step or ProcessStep(technology=technology)
    step.order, step.name = order, name.strip()
    validate_instance(step, exclude=["technology"])
    if ProcessStep.objects.filter(technology=technology, order=order).exclude(pk=step.pk).exists():
        raise ApplicationError(_("Another step already has this number."), field="order")
    step.save()
    step.assets.set(list(assets))
    return step


# --- secrecy classes, process limit, step removal and periodic reviews -------------------

SECRECY_CLASS_FIELDS = ("name", "name_en", "description", "grants_need_approval")
ONLY_OFFICER_SETS_LIMIT = gettext_lazy(
    "Only the officer may set how many people may know the whole process."
)
# Up to this many grants a review's items are created one by one (each in the audit log);
# above it they are inserted in one statement and the log gets one entry summarising them.
REVIEW_BULK_THRESHOLD = 500


@transaction.atomic
def secrecy_class_save(*, secrecy_class: SecrecyClass | None = None, **fields: Any) -> SecrecyClass:
    """Create or rename a secrecy class; a new class ranks below every existing one.

    Raise ``ApplicationError`` when the name is empty or already used.
    """
    if secrecy_class is None:
        lowest = SecrecyClass.objects.aggregate(lowest=Max("rank"))["lowest"] or 0
        secrecy_class = SecrecyClass(rank=lowest + 1)
    model_update(secrecy_class, fields, allowed=SECRECY_CLASS_FIELDS)
    return validated_save(secrecy_class)


@transaction.atomic
def secrecy_class_move(*, secrecy_class: SecrecyClass, up: bool) -> SecrecyClass:
    """Swap a class's rank with the next higher (``up``) or lower class; rank 1 is highest.

    At the top (or bottom) nothing changes.
    """
    classes = SecrecyClass.objects.select_for_update()
    if up:
        neighbour = classes.filter(rank__lt=secrecy_class.rank).order_by("-rank").first()
    else:
        neighbour = classes.filter(rank__gt=secrecy_class.rank).order_by("rank").first()
    if neighbour is None:
        return secrecy_class
    mine, theirs = secrecy_class.rank, neighbour.rank
    # Ranks are unique: park this class on a free rank while the neighbour moves.
    secrecy_class.rank = (classes.aggregate(lowest=Max("rank"))["lowest"] or 0) + 1
    secrecy_class.save()
    neighbour.rank = mine
    neighbour.save()
    secrecy_class.rank = theirs
    secrecy_class.save()
    return secrecy_class


@transaction.atomic
def technology_set_process_limit(
    *, technology: Technology, limit: int | None, user: User
) -> Technology:
    """Set how many people may know a technology's whole process (``None``: no limit).

    Raise ``NotPermitted`` unless ``user`` is the officer (may manage the company).
    """
    if not user.has_capability(Capability.COMPANY_MANAGE):
        raise NotPermitted(str(ONLY_OFFICER_SETS_LIMIT))
    if limit is not None and limit < 1:
        raise ApplicationError(_("The limit must be at least 1."), field="full_process_limit")
    technology.full_process_limit = limit
    return validated_save(technology)


@transaction.atomic
def process_step_delete(*, step: ProcessStep) -> None:
    """Remove a step from a technology's process (the assets themselves stay)."""
    step.delete()


@transaction.atomic
def review_open_periodic(
    *,
    title: str,
    due_on: datetime.date | None = None,
    secrecy_class: SecrecyClass | None = None,
) -> AccessReview:
    """Open a periodic review of every active grant (of assets of one class, if given).

    Small reviews go through ``review_open``; above ``REVIEW_BULK_THRESHOLD`` grants the
    items are inserted with one statement and one audit entry names how many were opened.
    """
    if not title.strip():
        raise ApplicationError(_("Give the review a title."), field="title")
    grants = AccessGrant.objects.filter(revoked_on__isnull=True)
    if secrecy_class is not None:
        grants = grants.filter(asset__secrecy_class=secrecy_class)
    grants = grants.order_by()
    count = grants.count()
    if count <= REVIEW_BULK_THRESHOLD:
        return review_open(
            kind=ReviewKind.PERIODIC, title=title.strip(), grants=grants, due_on=due_on
        )
    review = AccessReview.objects.create(
        kind=ReviewKind.PERIODIC,
        title=title.strip(),
        opened_on=timezone.localdate(),
        due_on=due_on,
    )
    inserted = _insert_review_items(review, grants)
    audit_record(
        action=Action.CREATE,
        object_type=object_type_of(AccessReviewItem),
        object_repr=_("%(count)s review items") % {"count": inserted},
        changes={
            "items": inserted,
            "secrecy_class": secrecy_class.name if secrecy_class else "",
        },
        parent=review,
    )
    return review


def _insert_review_items(review: AccessReview, grants: QuerySet[AccessGrant]) -> int:
    """Insert one pending item per grant with a single INSERT … SELECT; return how many."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    grant_sql, grant_params = grants.values("id").query.sql_with_params()
    meta = AccessReviewItem._meta
    columns = [
        meta.get_field(name).column
        for name in ("created_at", "updated_at", "review", "grant", "decision")
    ]
    quote = connection.ops.quote_name
    # Only quoted identifiers and Django's own compiled SQL are formatted in; values are
    # passed as parameters.
    columns_sql = ", ".join(quote(c) for c in columns)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({columns_sql}) "  # noqa: S608
        f"SELECT %s, %s, %s, chosen.{quote('id')}, %s FROM ({grant_sql}) chosen"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, now, review.pk, Decision.PENDING.value, *grant_params])
        return cursor.rowcount

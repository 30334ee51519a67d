"""Write every create, update and delete of a tracked model to the audit log.

Bulk operations (``QuerySet.update``, ``bulk_create``) send no signals; services that
use them must call ``audit_record`` themselves.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_noop

from mamori.audit.models import Action
from mamori.audit.services import audit_record, audit_value, object_type_of
from mamori.core.actor import Actor, actor_for_user
from mamori.core.client import client_address
from mamori.core.models import TrackedModel

MASKED = "(changed)"


def _diff(instance: TrackedModel, before: dict[str, Any] | None) -> dict[str, list[Any]]:
    after = instance.audit_state()
    changes: dict[str, list[Any]] = {}
    for name, new in after.items():
        old = before.get(name) if before is not None else None
        if before is not None and name in before and old == new:
            continue
        if before is None and new in (None, "", False):
            continue
        if name in instance.audit_mask:
            changes[name] = [MASKED, MASKED]
        else:
            changes[name] = [audit_value(old), audit_value(new)]
    return changes


def _on_save(sender: type, instance: Any, created: bool, raw: bool, **kwargs: Any) -> None:
    if raw or not isinstance(instance, TrackedModel):
        return
    before = None if created else getattr(instance, "_audit_snapshot", None)
    update_fields = kwargs.get("update_fields")
    changes = _diff(instance, before)
    if update_fields is not None and not created:
        changes = {k: v for k, v in changes.items() if k in update_fields}
    instance._audit_snapshot = instance.audit_state()
    if not created and not changes:
        return
    audit_record(
        action=Action.CREATE if created else Action.UPDATE,
        object_type=object_type_of(instance),
        object_id=instance.pk,
        object_repr=instance.audit_label(),
        changes=changes,
        parent=instance.audit_parent(),
    )


def _on_delete(sender: type, instance: Any, **kwargs: Any) -> None:
    if not isinstance(instance, TrackedModel):
        return
    state = getattr(instance, "_audit_snapshot", None) or instance.audit_state()
    audit_record(
        action=Action.DELETE,
        object_type=object_type_of(instance),
        object_id=instance.pk,
        object_repr=instance.audit_label(),
        changes={
            name: [MASKED if name in instance.audit_mask else audit_value(value), None]
            for name, value in state.items()
            if value not in (None, "")
        },
        parent=instance.audit_parent(),
    )


def _on_m2m(sender: type, instance: Any, action: str, pk_set: Any, **kwargs: Any) -> None:
    if not isinstance(instance, TrackedModel) or action not in {"post_add", "post_remove"}:
        return
    field = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender),
        "related",
    )
    verb = "added" if action == "post_add" else "removed"
    audit_record(
        action=Action.UPDATE,
        object_type=object_type_of(instance),
        object_id=instance.pk,
        object_repr=instance.audit_label(),
        changes={field: {verb: sorted(pk_set or [], key=str)}},
    )


def _remote_addr(request: Any) -> str:
    return client_address(request)


def _on_login(sender: type, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(
        action=Action.LOGIN,
        object_type=object_type_of(user),
        object_id=user.pk,
        object_repr=user.get_username(),
        actor=actor_for_user(user, _remote_addr(request)),
    )


def _on_logout(sender: type, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    audit_record(
        action=Action.LOGOUT,
        object_type=object_type_of(user),
        object_id=user.pk,
        object_repr=user.get_username(),
        actor=actor_for_user(user, _remote_addr(request)),
    )


def _on_login_failed(sender: type, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit_record(
        action=Action.LOGIN_FAILED,
        object_repr=username,
        actor=Actor(user_id=None, label="anonymous", remote_addr=_remote_addr(request)),
    )


def _mfa_actor(request: Any, user: Any) -> Actor:
    return actor_for_user(user, _remote_addr(request))


def _mfa_label(user: Any, authenticator: Any) -> str:
    return user.get_username()


# Labels of the second-factor entries, translated when the log is shown; the factor's
# type is stored as allauth's code and shown with its choice label.
MFA_LABELS = (
    gettext_noop("recovery codes"),
    gettext_noop("recovery code used"),
    gettext_noop("second factor"),
    gettext_noop("TOTP Authenticator"),
    gettext_noop("WebAuthn"),
)


def _on_mfa_added(sender: type, request: Any, user: Any, authenticator: Any, **kwargs: Any):
    audit_record(
        action=Action.CREATE,
        object_type=object_type_of(authenticator),
        object_id=authenticator.pk,
        object_repr=_mfa_label(user, authenticator),
        changes={"type": [None, authenticator.type]},
    )


def _on_mfa_removed(sender: type, request: Any, user: Any, authenticator: Any, **kwargs: Any):
    audit_record(
        action=Action.DELETE,
        object_type=object_type_of(authenticator),
        object_id=authenticator.pk,
        object_repr=_mfa_label(user, authenticator),
        changes={"type": [authenticator.type, None]},
    )


def _on_mfa_reset(sender: type, request: Any, user: Any, authenticator: Any, **kwargs: Any):
    audit_record(
        action=Action.UPDATE,
        object_type=object_type_of(authenticator),
        object_id=authenticator.pk,
        object_repr=_mfa_label(user, authenticator),
        changes={"recovery codes": [MASKED, MASKED]},
    )


def _on_mfa_used(sender: type, request: Any, user: Any, authenticator: Any, **kwargs: Any):
    """Record the use of a recovery code (the other factors' use is the sign-in itself)."""
    if authenticator.type != "recovery_codes":
        return
    fresh = type(authenticator).objects.get(pk=authenticator.pk)  # the code was marked there
    left = len(fresh.wrap().get_unused_codes())
    audit_record(
        action=Action.UPDATE,
        object_type=object_type_of(authenticator),
        object_id=authenticator.pk,
        object_repr=_mfa_label(user, authenticator),
        changes={"recovery code used": [left + 1, left]},
        actor=_mfa_actor(request, user),
    )


def _on_mfa_failed(sender: type, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(
        action=Action.LOGIN_FAILED,
        object_type=object_type_of(user),
        object_id=user.pk,
        object_repr=user.get_username(),
        changes={"second factor": [None, False]},  # shown as ✗
        actor=Actor(user_id=None, label="anonymous", remote_addr=_remote_addr(request)),
    )


def connect() -> None:
    post_save.connect(_on_save, dispatch_uid="mamori.audit.save")
    post_delete.connect(_on_delete, dispatch_uid="mamori.audit.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="mamori.audit.m2m")
    user_logged_in.connect(_on_login, dispatch_uid="mamori.audit.login")
    user_logged_out.connect(_on_logout, dispatch_uid="mamori.audit.logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="mamori.audit.login_failed")
    mfa_signals.authenticator_added.connect(_on_mfa_added, dispatch_uid="mamori.audit.mfa_add")
    mfa_signals.authenticator_removed.connect(_on_mfa_removed, dispatch_uid="mamori.audit.mfa_rm")
    mfa_signals.authenticator_reset.connect(_on_mfa_reset, dispatch_uid="mamori.audit.mfa_reset")
    mfa_signals.authenticator_used.connect(_on_mfa_used, dispatch_uid="mamori.audit.mfa_used")
    mfa_signals.authentication_failed.connect(_on_mfa_failed, dispatch_uid="mamori.audit.mfa_fail")

"""Writes to user accounts and their rules."""

from __future__ import annotations

from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mamori.accounts import lockout
from mamori.accounts.models import User
from mamori.accounts.roles import Role
from mamori.accounts.signals import password_set_by_officer
from mamori.core.errors import ApplicationError

LAST_OFFICER = gettext_lazy(
    "mamori needs at least one active officer; appoint another officer first."
)


def _validate_password(password: str, user: User | None = None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from exc


def _validate_username(username: str, *, exclude_pk: int | None = None) -> None:
    clashes = User.objects.filter(username__iexact=username)
    if exclude_pk is not None:
        clashes = clashes.exclude(pk=exclude_pk)
    if clashes.exists():
        raise ApplicationError(
            _("The user name “%(name)s” is already taken.") % {"name": username},
            field="username",
        )


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    email: str = "",
    language: str = "ja",
    must_change_password: bool = True,
) -> User:
    """Create and return an account.

    Raise ``ApplicationError`` when the user name is taken or the password is too weak.
    """
    username = username.strip()
    _validate_username(username)
    user = User(
        username=username,
        display_name=display_name.strip(),
        email=email.strip(),
        role=role,
        language=language,
        must_change_password=must_change_password,
    )
    _validate_password(password, user)
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def officer_create_first(
    *, username: str, password: str, display_name: str = "", email: str = "", language: str = "ja"
) -> User:
    """Create the first account, the officer, on a new installation.

    Raise ``ApplicationError`` when any account exists already: from then on only an
    officer creates accounts.
    """
    if User.objects.select_for_update().exists():
        raise ApplicationError(_("mamori is already set up; sign in instead."))
    return user_create(
        username=username,
        password=password,
        role=Role.OFFICER,
        display_name=display_name,
        email=email,
        language=language,
        must_change_password=False,
    )


def _ensure_officer_remains(user: User, *, role: str, is_active: bool) -> None:
    if user.role != Role.OFFICER or (role == Role.OFFICER and is_active):
        return
    others = User.objects.filter(role=Role.OFFICER, is_active=True).exclude(pk=user.pk)
    if not others.exists():
        raise ApplicationError(LAST_OFFICER, field="role")


@transaction.atomic
def user_update(
    *,
    user: User,
    display_name: str,
    email: str,
    role: str,
    is_active: bool,
    language: str,
) -> User:
    """Change an account's details; refuse to leave mamori without an active officer."""
    _ensure_officer_remains(user, role=role, is_active=is_active)
    user.display_name = display_name.strip()
    user.email = email.strip()
    user.role = role
    user.is_active = is_active
    user.language = language
    user.save()
    return user


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Close an account (a leaver's); refuse to close the last active officer's."""
    _ensure_officer_remains(user, role=user.role, is_active=False)
    user.is_active = False
    user.save()
    return user


@transaction.atomic
def user_set_password(
    *, user: User, password: str, must_change: bool, by: User | None = None
) -> User:
    """Set a new password; ``must_change`` makes the user choose their own at next sign-in.

    Also revokes the user's API tokens (through ``password_set_by_officer``): a reset means
    the old password may have leaked, and a token with it.
    """
    _validate_password(password, user)
    user.set_password(password)
    user.must_change_password = must_change
    user.save()
    password_set_by_officer.send(sender=User, user=user, by=by)
    return user


def user_set_language(*, user: User, language: str) -> User:
    user.language = language
    user.save(update_fields=["language"])
    return user


def user_unlock(*, user: User) -> int:
    """Clear failed sign-ins and past lockouts of the account, from every address, so that
    the next lockout starts again at the shortest delay; return the records cleared."""
    return lockout.reset(user.username)


@transaction.atomic
def user_reset_second_factors(*, user: User) -> int:
    """Remove every second factor of ``user`` (a lost phone and lost recovery codes); return
    how many were removed. Each removal is announced with allauth's signal, which the audit
    log records against whoever acts (the officer). A user who must have a second factor is
    asked to enrol again at the next sign-in."""
    removed = list(Authenticator.objects.filter(user_id=user.pk))
    for authenticator in removed:
        authenticator.delete()
        transaction.on_commit(
            lambda a=authenticator: mfa_signals.authenticator_removed.send(
                sender=Authenticator, request=None, user=user, authenticator=a
            )
        )
    return len(removed)

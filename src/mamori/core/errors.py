"""The application's error family, translated to HTTP or CLI output at the edge only."""

from __future__ import annotations


class ApplicationError(ValueError):
    """A request that the rules refuse, with a message fit to show the user.

    ``field`` names the form field at fault, or ``None`` for the form as a whole.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class NotPermitted(ApplicationError):
    """The acting user's role does not allow the action."""


class NeedsConfirmation(ApplicationError):
    """Warnings the user has not confirmed yet; nothing was written.

    ``warnings`` are objects with a ``key`` (what the user confirms) and a ``message``;
    ``blocked`` says that confirming is not enough: only an override with a reason is.
    """

    blocked = False

    def __init__(self, message: str, *, warnings: list):
        super().__init__(message)
        self.warnings = warnings

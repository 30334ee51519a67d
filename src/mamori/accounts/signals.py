"""What accounts tells the apps above it, which it may not import.

- ``password_set_by_officer(user, by)``: the officer set ``user``'s password (a reset); the
  API revokes the user's tokens, since whatever leaked may have taken one with it.
"""

from __future__ import annotations

from django.dispatch import Signal

password_set_by_officer = Signal()

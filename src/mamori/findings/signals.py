"""Signals sent by the findings app.

``findings_evaluated`` is sent after the rules were evaluated and the stored findings
brought up to date (inside the same transaction), whatever started the evaluation: a page
read after a change, the command line, a background or nightly run. Apps above findings
listen to it instead of being imported by it — the checklist re-checks its done rows
(``mamori.assessment.services.checklist_recheck``). A future targeted re-evaluation should
send it too.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent with ``result`` (a ``RefreshResult``).
findings_evaluated = Signal()

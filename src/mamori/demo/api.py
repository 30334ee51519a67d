"""Demo: API tokens, so that the tokens page (account settings → API tokens) is not empty.

The keys are not kept anywhere (mamori stores their hashes only); a visitor creates their
own token on the page, or uses HTTP Basic with the demo password.
"""

from __future__ import annotations

import datetime

from mamori.accounts.models import User
from mamori.api import services
from mamori.core.actor import acting_as


def build_api(users: dict[str, User], today: datetime.date) -> None:
    officer, editor = users["sato"], users["suzuki"]
    with acting_as(officer):
        services.token_create(
            user=officer,
            name="取締役会レポートの自動作成",
            expires_on=today + datetime.timedelta(days=180),
        )
        trial = services.token_create(user=officer, name="API の試用（終了）")
        services.token_revoke(token=trial.token, by=officer)
    with acting_as(editor):
        services.token_create(user=editor, name="人事システムとの夜間連携")

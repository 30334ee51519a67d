"""The main menu folds into a "Menu" button on a phone without any script: it is a
<details> element whose content wider screens always show (the browser journeys measure
both widths)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_menu_and_the_account_links_fold_into_one_details_element(client_as, officer):
    page = client_as(officer).get("/").content.decode()
    menu = re.search(r'<details class="navmenu">(.*?)</details>', page, re.S)
    assert menu is not None
    assert "<summary>メニュー</summary>" in menu.group(1)
    assert 'href="/checklist/"' in menu.group(1) and "ログアウト" in menu.group(1)


def test_the_sign_in_page_keeps_the_language_switch_in_the_top_bar(client, officer):
    page = client.get("/accounts/login/").content.decode()
    assert "navmenu" not in page and 'class="lang-switch"' in page

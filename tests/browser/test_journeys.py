"""A journey per role (officer, editor, employee, auditor) through the demo company, on a
laptop (1366 px) and a phone (390 px) in Japanese, and on the laptop in English.

Each demo user signs in and visits the pages of their menu and the first record of each
register they can open. A page fails when it scrolls sideways or when its visible text
shows what only a machine should read: snake_case words, ``app.model`` names, "5→2" id
pairs, ISO timestamps, JSON. Screenshots go to ``MAMORI_SCREENSHOT_DIR`` (a temporary
directory by default); README's screenshots are taken from there.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import Error as PlaywrightError

from mamori.demo.builder import DEMO_PASSWORD
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

# (width, height, language): Japanese on both, English on the laptop.
PASSES = {"laptop": (1366, 900, "ja"), "phone": (390, 844, "ja"), "laptop-en": (1366, 900, "en")}
ROLES = {"officer": "sato", "editor": "suzuki", "employee": "takahashi", "auditor": "ito"}

# Text that legitimately looks like code: addresses, file names and paths, removed first.
_ALLOWED = re.compile(
    r"[\w.+-]+@[\w.-]+"  # e-mail addresses
    r"|https?://\S+"  # links
    r"|[\w\\/.:-]*[\w-]+\.(?:csv|jsonl?|txt|md|pdf|docx?|xlsx?|pptx?|zip|evtx|png|yaml)\b"
    r"|\b[\w-]+\.(?:example|com|jp|org|net|io)\b"  # domain names
    r"|\\\\[^\s]+"  # Windows shares
    r"|mamori_\w+…?"  # an API token's visible prefix
)
_CODE = {
    "snake_case word": re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"),
    # Not abbreviations: "e.g.", "a.m." have one letter a side and end with a full stop.
    "app.model name": re.compile(r"\b[a-z]{2,}\.[a-z]{2,}(?:_[a-z]+)*\b(?!\.)"),
    "id pair": re.compile(r"\b\d+\s?→\s?\d+\b"),
    "ISO timestamp": re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d"),
    "JSON": re.compile(r"[\[{]\s*['\"][^'\"]*['\"]\s*[:,\]]"),
}
# A detail page: /people/12/, /watch/person/3/, /blackbox/7/...
_DETAIL = re.compile(r"^/[a-z-]+/(?:[a-z-]+/)?\d+/$")
# A register's or a tool's page: /people/, /partners/dd/...; not forms, not files.
_INDEX = re.compile(r"^/[a-z-]+/(?:[a-z-]+/)?$")
_SKIP = re.compile(r"/(?:new|edit|delete|import|export|pdf|logout|restore|scan|sanitize)\b")

_MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const over = [];
  for (const el of document.querySelectorAll('main *, header *')) {
    const box = el.getBoundingClientRect();
    if (!box.width || box.right <= width + 1) continue;
    let parent = el.parentElement, scrolls = false;
    while (parent) {
      const o = getComputedStyle(parent).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') { scrolls = true; break; }
      parent = parent.parentElement;
    }
    const text = (el.innerText || '').trim().slice(0, 40);
    if (!scrolls) over.push(`${el.tagName.toLowerCase()}.${el.className} “${text}”`);
  }
  return {scroll: document.documentElement.scrollWidth, width, over: over.slice(0, 3),
          text: document.body.innerText,
          header: document.querySelector('header').getBoundingClientRect().height,
          menu: [...document.querySelectorAll('nav a[href]')].map(a => a.getAttribute('href')),
          links: [...document.querySelectorAll('main a[href]')].map(a => a.getAttribute('href'))};
}"""


def code_tokens(text: str) -> list[str]:
    """Return what looks like code in ``text``, each with what it looks like."""
    text = _ALLOWED.sub(" ", text)
    return sorted(
        {f"{kind}: {m.group(0)}" for kind, rx in _CODE.items() for m in rx.finditer(text)}
    )


# The rows the migrations write, in the order they write them.
_SEEDS = (
    ("mamori.assets.migrations.0002_default_secrecy_classes", "create_defaults"),
    ("mamori.assets.migrations.0004_secrecy_class_grants_need_approval", "top_two_need_approval"),
)


@pytest.fixture
def demo(transactional_db):
    # A transactional test that ran before this one on the same worker leaves every table
    # empty, the secrecy classes the migrations wrote included: write them again first.
    for module, function in _SEEDS:
        getattr(importlib.import_module(module), function)(apps, None)
    call_command("demo", verbosity=0)


@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    chosen = os.environ.get("MAMORI_SCREENSHOT_DIR")
    if not chosen:
        return tmp_path_factory.mktemp("journeys")
    directory = Path(chosen)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _journey(browser, base_url: str, username: str, shots: Path) -> list[str]:
    problems: list[str] = []
    for device, (width, height, language) in PASSES.items():
        context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": height})
        context.set_default_timeout(60_000)
        page = context.new_page()
        page.base_url = base_url
        sign_in(page, username, DEMO_PASSWORD)
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        if language == "en":  # the last pass: the choice is kept on the account
            page.get_by_role("button", name="English").click()
            page.wait_for_selector("html[lang=en]")
        menu = [href for href in page.evaluate(_MEASURE)["menu"] if href.startswith("/")]
        todo = list(menu)
        seen: set[str] = set()
        details: dict[str, str] = {}
        while todo or (todo := [href for href in details.values() if href not in seen]):
            path = todo.pop(0)
            if path in seen or _SKIP.search(path):
                continue
            seen.add(path)
            try:
                response = page.goto(base_url + path)
            except PlaywrightError:  # a download
                continue
            if response is None or response.status != 200:
                continue
            found = page.evaluate(_MEASURE)
            where = f"{username} {device} {path}"
            if found["scroll"] > found["width"] + 1:
                problems.append(f"{where}: scrolls sideways ({found['scroll']} px) {found['over']}")
            problems += [f"{where}: {token}" for token in code_tokens(found["text"])]
            if device == "phone" and found["header"] > height * 0.2:
                problems.append(f"{where}: the header takes {found['header']:.0f} px")
            name = path.strip("/").replace("/", "_") or "dashboard"
            page.screenshot(path=shots / f"{username}-{device}-{name}.png")
            for href in found["links"]:
                href = (href or "").split("#")[0]
                if _DETAIL.match(href):  # the first record of each register
                    details.setdefault(re.sub(r"\d+/$", "", href), href)
                elif _INDEX.match(href) and path in menu:
                    todo.append(href)
        context.close()
    return problems


def test_journey_of_every_role(browser, live_server, demo, shots):
    # One demo company for the four journeys: building it takes longer than a journey.
    problems = [
        f"{role}: {problem}"
        for role, username in ROLES.items()
        for problem in _journey(browser, live_server.url, username, shots)
    ]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("取消者 — → 1", []),
        ("作成: 9→10", ["id pair: 9→10"]),
        ("people.sidejobdeclaration を作成", ["app.model name: people.sidejobdeclaration"]),
        ("removable_write", ["snake_case word: removable_write"]),
        ("12:27 a.m., e.g. a file", []),
        ("2026-12-06T23:42:31+00:00", ["ISO timestamp: 2026-12-06T23:42"]),
        ("{'added': [1, 2]}", ["JSON: {'added':"]),
        ("sato@luminous-lab.example foreign_user_list.csv \\\\lumi-fs01\\share_a", []),
    ],
)
def test_code_tokens(text, found):
    assert code_tokens(text) == found

"""Issue 19: every page names mamori's own icon, a small SVG shipped with the app (nothing
loaded from elsewhere)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/"])
def test_pages_link_the_icon(client_as, officer, path):
    client = client_as(officer) if path == "/" else Client()
    page = client.get(path).content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', page)
    assert link and link.group(1).endswith("mamori/favicon.svg")


def test_the_icon_is_our_own_small_svg():
    path = finders.find("mamori/favicon.svg")
    assert path is not None
    data = Path(path).read_bytes()
    assert len(data) < 2000
    root = ET.fromstring(data)  # noqa: S314 - our own file
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = data.decode()
    # No script, no reference to anything outside the file.
    assert "<script" not in text and "href" not in text and "url(" not in text

"""Findings link to their objects' pages through the models' ``get_absolute_url`` (and the
pages an app registers for types that are not models)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from mamori.core.links import object_url

# Every type a finding named before the links came from the models, with its page.
LINKED = {
    "people.person": "people:person",
    "assets.informationasset": "assets:asset",
    "assets.technology": "assets:technology",
    "partners.counterparty": "partners:counterparty",
    "contracts.contract": "contracts:contract",
    "disclosures.disclosure": "disclosures:disclosure",
    "disclosures.sample": "disclosures:sample",
    "disclosures.exhibition": "disclosures:exhibition",
    "overseas_sites.overseassite": "sites:site",
    "overseas_sites.equipmentdispatch": "sites:equipment",
    "watch.person": "watch:person",
    "exportcontrol.fundinground": "exportcontrol:round",
}


@pytest.mark.parametrize(("object_type", "url_name"), sorted(LINKED.items()))
def test_a_finding_links_to_its_objects_page(object_type, url_name):
    assert object_url(object_type, 7) == reverse(url_name, kwargs={"pk": 7})


@pytest.mark.parametrize(
    ("object_type", "pk"),
    [("nothing.here", 1), ("notamodel", 1), ("audit.auditentry", 1), ("people.person", None)],
)
def test_an_object_without_a_page_has_no_link(object_type, pk):
    assert object_url(object_type, pk) == ""

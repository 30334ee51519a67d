"""The contract checker's status vocabulary is data: one label per status, checked on load."""

from __future__ import annotations

import pytest
from django.utils import translation

from mamori.contracts.statuses import load_statuses, status_label, status_labels, status_order


def test_each_status_has_one_label_per_language_and_needs_work_first():
    assert status_labels("ja") == {"missing": "欠落", "weak": "不十分", "present": "あり"}
    assert status_labels("en") == {"missing": "Missing", "weak": "Weak", "present": "Present"}
    assert sorted(load_statuses(), key=status_order) == ["missing", "weak", "present"]
    with translation.override("en"):
        assert status_label("weak") == "Weak"


def test_an_incomplete_status_file_is_refused_naming_it(tmp_path):
    path = tmp_path / "statuses.yaml"
    path.write_text("statuses:\n  missing: {order: 0, mark: x, badge: b, label: {ja: 欠落}}\n")
    with pytest.raises(ValueError, match=r"statuses\.yaml: status 'missing'"):
        load_statuses(path)

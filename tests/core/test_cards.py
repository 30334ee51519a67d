"""``{% card %}``: the frame of a section of an object's page (core/templatetags/cards.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation


class NoteForm(forms.Form):
    text = forms.CharField(label="Text")


def render(source: str, **context: object) -> str:
    with translation.override("en"):
        return Template("{% load cards %}" + source).render(Context(context))


CARD = (
    '{% card "notes" "Notes" items=notes empty="Nothing yet." action="note" summary="Add a note"'
    ' submit="Add" %}<ul>{% for note in notes %}<li>{{ note }}</li>{% endfor %}</ul>'
    "{% footer %}<p>footer</p>{% endcard %}"
)


def test_a_card_lists_its_items_under_its_heading_and_anchor() -> None:
    html = render(CARD, notes=["first", "second"])
    assert '<section class="card" id="notes">' in html
    assert "<h2>Notes</h2>" in html
    assert "<li>first</li><li>second</li>" in html
    assert "Nothing yet." not in html
    assert "<p>footer</p>" in html


def test_a_card_without_items_says_so_and_keeps_its_footer() -> None:
    html = render(CARD, notes=[])
    assert '<p class="empty">Nothing yet.</p>' in html
    assert "<ul>" not in html
    assert "<p>footer</p>" in html


def test_the_action_form_is_shown_only_when_the_page_has_it() -> None:
    assert "<form" not in render(CARD, notes=[], forms={})
    html = render(CARD, notes=[], forms={"note": NoteForm()})
    assert '<input type="hidden" name="action" value="note">' in html
    assert "<summary>Add a note</summary>" in html
    assert '<button class="button" type="submit">Add</button>' in html
    assert 'name="text"' in html


def test_when_false_hides_the_action_form() -> None:
    source = CARD.replace('submit="Add"', 'submit="Add" when=allowed')
    assert "<form" not in render(source, notes=[], forms={"note": NoteForm()}, allowed=False)
    assert "<form" in render(source, notes=[], forms={"note": NoteForm()}, allowed=True)


def test_a_card_without_items_argument_always_shows_its_body() -> None:
    html = render('{% card "" "Profile" class="wide" %}<dl></dl>{% endcard %}')
    assert '<section class="card wide">' in html
    assert "<dl></dl>" in html


def test_a_card_needs_an_id_and_a_heading() -> None:
    with pytest.raises(TemplateSyntaxError):
        render('{% card "only-id" %}{% endcard %}')


def test_a_card_with_rows_is_a_table_under_its_columns() -> None:
    source = (
        '{% card "people" "People" items=people empty="Nobody." %}<th>Name</th>'
        "{% rows %}{% for name in people %}<tr><td>{{ name }}</td></tr>{% endfor %}"
        "{% footer %}<p>after</p>{% endcard %}"
    )
    html = render(source, people=["Sato"])
    assert '<div class="table-wrap"><table>' in html
    assert "<thead><tr><th>Name</th></tr></thead>" in html
    assert "<tbody><tr><td>Sato</td></tr></tbody>" in html
    assert "<p>after</p>" in html
    empty = render(source, people=[])
    assert "<table>" not in empty
    assert '<p class="empty">Nobody.</p>' in empty


@pytest.mark.parametrize(
    ("lead_part", "listed_part"),
    [
        ("{% columns %}<th>Name</th>{% rows %}", "<thead><tr><th>Name</th></tr></thead>"),
        ("{% items %}<ol>", "<ol><tr>"),
    ],
)
def test_what_comes_before_the_list_is_said_with_or_without_items(
    lead_part: str, listed_part: str
) -> None:
    source = (
        '{% card "people" "People" items=people empty="Nobody." %}<p>lead</p>'
        + lead_part
        + "{% for name in people %}<tr><td>{{ name }}</td></tr>{% endfor %}{% endcard %}"
    )
    listed = render(source, people=["Sato"])
    assert listed.index("<p>lead</p>") < listed.index(listed_part)
    empty = render(source, people=[])
    assert "<p>lead</p>" in empty
    assert '<p class="empty">Nobody.</p>' in empty
    assert "<tr>" not in empty
    assert "<th>" not in empty

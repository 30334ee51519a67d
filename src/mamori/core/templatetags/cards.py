"""The card of an object's page: ``{% card %}`` … ``{% endcard %}``.

One section of a detail page is always the same frame: a card with an anchor and a
heading, what it lists (or a sentence saying there is nothing yet), optionally a footer
(links shown either way) and the inline action form that adds to it. The frame is
``generic/card.html``; a page writes only what differs::

    {% load cards %}
    {% card "members" _("Members") items=members empty=_("Nobody yet.")
       action="member" summary=_("Add a member") submit=_("Add") %}
      <ul>{% for member in members %}<li>{{ member }}</li>{% endfor %}</ul>
    {% footer %}
      <p class="actions"><a href="…">…</a></p>
    {% endcard %}

What comes before ``{% items %}`` is said whether or not there are items, what follows
it lists them. A body with ``{% rows %}`` is a table: the header cells before it, the rows
after it; with ``{% columns %}`` before the header cells, what comes first is said
whether or not there are items.

(In a page the tag stands on one line: a template tag does not span lines.)
Arguments: the card's id (its anchor; "" for none) and heading; ``items`` (when given
and empty, ``empty`` is said instead of the body); ``action`` (an inline action of the
page: its form is ``forms[action]`` of an ``ObjectActionsView``, or ``form=``), shown with
``generic/action_form.html`` and its ``summary``, ``submit``, ``anchor``, ``small`` and
``open``, and not at all when ``when`` is false (the page's own condition) or the user's
role does not get the form; ``class`` (more classes of the card).
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token

register = template.Library()

TEMPLATE = "generic/card.html"
SEPARATORS = ("items", "columns", "rows", "footer", "endcard")


class CardNode(template.Node):
    def __init__(
        self,
        args: list[FilterExpression],
        options: dict[str, FilterExpression],
        body: NodeList,
        footer: NodeList,
        columns: NodeList | None = None,
        lead: NodeList | None = None,
    ) -> None:
        self.args = args
        self.options = options
        self.body = body
        self.footer = footer
        self.columns = columns
        self.lead = lead or NodeList()

    def render(self, context: template.Context) -> str:
        card_id, heading = (arg.resolve(context) for arg in self.args)
        options = {name: value.resolve(context) for name, value in self.options.items()}
        action = options.get("action", "")
        form = options.get("form") if "form" in options else None
        if form is None and action:
            form = (context.get("forms") or {}).get(action)
        if not options.get("when", True):
            form = None
        listed = "items" not in options or bool(options["items"])
        values = {
            "card_id": card_id,
            "card_heading": heading,
            "card_class": options.get("class", ""),
            "body": self.body.render(context) if listed else "",
            "columns": self.columns.render(context) if listed and self.columns else "",
            "listed": listed,
            "lead": self.lead.render(context),
            "empty": options.get("empty", ""),
            "footer": self.footer.render(context),
            "name": action,
            "form": form,
            "summary": options.get("summary", ""),
            "submit": options.get("submit", ""),
            "anchor": options.get("anchor", ""),
            "small": options.get("small", False),
            "open": options.get("open", False),
            "row": False,
        }
        with context.push(values):
            return context.template.engine.get_template(TEMPLATE).render(context)


@register.tag
def card(parser: Parser, token: Token) -> CardNode:
    """``{% card id heading [name=value …] %} [lead {% items %}] body [{% footer %} footer]
    {% endcard %}``, or ``… [lead {% columns %}] columns {% rows %} rows …`` for a table."""
    bits = token.split_contents()[1:]
    args = [parser.compile_filter(bit) for bit in bits if "=" not in bit.split("(")[0]]
    options = {
        name: parser.compile_filter(value)
        for name, value in (bit.split("=", 1) for bit in bits if "=" in bit.split("(")[0])
    }
    if len(args) != 2:
        raise template.TemplateSyntaxError("{% card %} takes an id and a heading")
    # Each of {% items %}, {% columns %}, {% rows %} and {% footer %} opens a part of that name.
    parts = {"start": parser.parse(SEPARATORS)}
    while (following := parser.next_token().contents) != "endcard":
        parts[following] = parser.parse(SEPARATORS)
    footer = parts.get("footer", NodeList())
    if "items" in parts:
        return CardNode(args, options, parts["items"], footer, lead=parts["start"])
    if "rows" not in parts:
        return CardNode(args, options, parts["start"], footer)
    if "columns" not in parts:
        parts["columns"], parts["start"] = parts["start"], NodeList()
    return CardNode(args, options, parts["rows"], footer, parts["columns"], parts["start"])

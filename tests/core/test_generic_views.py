"""The generic views' contracts (``mamori.core.views``), shown on small views over the
counterparty register: 404 from the selector, need-to-know, services' refusals on the form,
inline actions and their capabilities, the upload import (all or nothing), and the
warnings confirmation with the officer's override."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import RequestFactory, override_settings

from mamori.accounts.roles import Capability
from mamori.core import access
from mamori.core.errors import ApplicationError, NeedsConfirmation
from mamori.core.views import (
    InlineAction,
    ObjectActionsView,
    ObjectDeleteView,
    ObjectEditView,
    ObjectListView,
    ObjectView,
    UploadImportView,
    WarningsConfirmMixin,
    WarningsForm,
    inline_action,
)
from mamori.partners import selectors, services
from mamori.partners.forms import CounterpartyFilterForm, CounterpartyForm, ShareholderForm
from mamori.partners.models import Counterparty, Shareholder
from tests.partners import factories as make

pytestmark = pytest.mark.django_db

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "page.html": "{{ object.name }}|{{ details_visible }}|{{ open_form }}"
                        "|{% for name, form in forms.items %}{{ name }}:{{ form.errors }};"
                        "{% endfor %}|{{ form.errors }}|{{ error_count }}|{{ checked }}"
                        "|{{ warnings|length }}|{{ can_override }}",
                    },
                ),
                "django.template.loaders.app_directories.Loader",
            ],
        },
    }
]


def _request(user, method: str = "get", data=None, **extra):
    request = getattr(RequestFactory(), method)("/x/", data=data or {}, **extra)
    request.user = user
    SessionMiddleware(lambda r: None).process_request(request)
    request._messages = FallbackStorage(request)
    return request


class CounterpartyPage(ObjectView):
    capability = Capability.PROGRAMME_VIEW
    template_name = "page.html"
    selector = staticmethod(selectors.counterparty_detail)
    context_object_name = "counterparty"


def _shareholder_add(view, counterparty, data):
    services.shareholder_add(counterparty=counterparty, **data)
    return "added"


class CounterpartyActions(CounterpartyPage, ObjectActionsView):
    write_capability = Capability.REGISTERS_EDIT
    actions = {
        "shareholder": InlineAction(ShareholderForm, _shareholder_add, anchor="shareholders"),
        "approve": InlineAction(
            ShareholderForm, _shareholder_add, capability=Capability.COMPANY_MANAGE
        ),
    }


def _counterparty_save(view, counterparty, data):
    return services.counterparty_save(counterparty=counterparty, **data)


class CounterpartyEdit(ObjectEditView):
    capability = Capability.REGISTERS_EDIT
    template_name = "page.html"
    form_class = CounterpartyForm
    selector = staticmethod(selectors.counterparty_detail)
    service = staticmethod(_counterparty_save)
    success_message = "saved"


@override_settings(TEMPLATES=TEMPLATES)
def test_object_view_answers_404_when_the_selector_finds_nothing(editor):
    with pytest.raises(Http404):
        CounterpartyPage.as_view()(_request(editor), pk=999_999)


@override_settings(TEMPLATES=TEMPLATES)
def test_object_view_shows_the_object_found_by_the_selector(editor):
    counterparty = make.university("東都工業大学")
    response = CounterpartyPage.as_view()(_request(editor), pk=counterparty.pk)
    assert response.status_code == 200
    assert response.content.decode().startswith("東都工業大学|True")


@override_settings(TEMPLATES=TEMPLATES)
def test_need_to_know_is_asked_for_every_object_and_reads_are_recorded(editor, monkeypatch):
    counterparty = make.university("東都工業大学")
    reads = []
    monkeypatch.setattr(access, "_RULES", dict(access._RULES))
    access.need_to_know_register(
        Counterparty, visible=lambda user, obj: False, read=lambda u, o: reads.append(o)
    )
    response = CounterpartyPage.as_view()(_request(editor), pk=counterparty.pk)
    assert response.content.decode().startswith("東都工業大学|False")
    assert reads == []

    class Strict(CounterpartyPage):
        need_to_know = True

    with pytest.raises(PermissionDenied):
        Strict.as_view()(_request(editor), pk=counterparty.pk)

    access.need_to_know_register(
        Counterparty, visible=lambda user, obj: True, read=lambda u, o: reads.append(o)
    )
    Strict.as_view()(_request(editor), pk=counterparty.pk)
    assert reads == [counterparty]


@override_settings(TEMPLATES=TEMPLATES)
def test_inline_action_calls_its_service_and_returns_to_the_anchor(editor):
    counterparty = make.university()
    data = {"action": "shareholder", "name": "Alpha", "country": "JP", "share": "10"}
    response = CounterpartyActions.as_view()(_request(editor, "post", data), pk=counterparty.pk)
    assert response.status_code == 302
    assert response.url == counterparty.get_absolute_url() + "#shareholders"
    assert Shareholder.objects.filter(counterparty=counterparty, name="Alpha").exists()


@override_settings(TEMPLATES=TEMPLATES)
def test_a_refused_action_is_shown_on_its_form_again(editor):
    counterparty = make.university()
    data = {"action": "shareholder", "name": "Alpha", "country": "JP", "share": "101"}
    response = CounterpartyActions.as_view()(_request(editor, "post", data), pk=counterparty.pk)
    assert response.status_code == 400
    page = response.content.decode()
    assert "|shareholder|" in page  # the posted form is the open one
    assert 'shareholder:<ul class="errorlist' in page
    assert not Shareholder.objects.exists()


@override_settings(TEMPLATES=TEMPLATES)
def test_an_action_outside_the_role_is_refused_and_not_offered(editor, officer):
    counterparty = make.university()
    data = {"action": "approve", "name": "Alpha", "country": "JP", "share": "10"}
    with pytest.raises(PermissionDenied):
        CounterpartyActions.as_view()(_request(editor, "post", data), pk=counterparty.pk)
    page = CounterpartyActions.as_view()(_request(editor), pk=counterparty.pk).content.decode()
    assert "shareholder:" in page and "approve:" not in page
    page = CounterpartyActions.as_view()(_request(officer), pk=counterparty.pk).content.decode()
    assert "approve:" in page


@override_settings(TEMPLATES=TEMPLATES)
def test_an_unknown_action_goes_back_to_the_page(editor):
    counterparty = make.university()
    response = CounterpartyActions.as_view()(
        _request(editor, "post", {"action": "nothing"}), pk=counterparty.pk
    )
    assert response.status_code == 302 and response.url == counterparty.get_absolute_url()


@override_settings(TEMPLATES=TEMPLATES)
def test_edit_view_maps_the_services_refusal_to_the_field(editor):
    counterparty = make.university("東都工業大学")
    data = {
        "name": "改名",
        "kind": counterparty.kind,
        "country": "JP",
        "established_on": "2999-01-01",
    }
    response = CounterpartyEdit.as_view()(_request(editor, "post", data), pk=counterparty.pk)
    response.render()
    assert response.status_code == 200
    assert str(services.IN_THE_FUTURE) in response.content.decode()
    assert response.context_data["form"].errors["established_on"]
    counterparty.refresh_from_db()
    assert counterparty.name == "東都工業大学"


@override_settings(TEMPLATES=TEMPLATES)
def test_edit_view_saves_through_the_service_and_goes_to_the_object(editor):
    counterparty = make.university("東都工業大学")
    data = {"name": "東都工業大学 本部", "kind": counterparty.kind, "country": "JP"}
    response = CounterpartyEdit.as_view()(_request(editor, "post", data), pk=counterparty.pk)
    assert response.status_code == 302 and response.url == counterparty.get_absolute_url()
    counterparty.refresh_from_db()
    assert counterparty.name == "東都工業大学 本部"


class _Rows(ApplicationError):
    def __init__(self, errors):
        super().__init__("rows", field="file")
        self.errors = errors


class NamesImport(UploadImportView):
    """One counterparty name a line; a line "bad" is an error; "refuse" fails on writing."""

    capability = Capability.REGISTERS_EDIT
    template_name = "page.html"
    success_url = "/done/"

    def parse(self, content, file_name):
        if not file_name.endswith(".txt"):
            raise ApplicationError("not a text file", field="file")
        return content.decode().split()

    def parse_errors(self, parsed):
        return [f"line {n}" for n, name in enumerate(parsed, 1) if name == "bad"]

    def write(self, parsed):
        for name in parsed:
            if name == "refuse":
                raise _Rows(["refused"])
            services.counterparty_save(name=name, kind="university")
        return len(parsed)

    def result_message(self, result):
        return f"{result} added"


def _upload(user, name: str, content: bytes, dry_run: bool = False):
    data = {"file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    return NamesImport.as_view()(_request(user, "post", data))


@override_settings(TEMPLATES=TEMPLATES)
def test_upload_import_checks_previews_and_writes_all_or_nothing(editor):
    refused = _upload(editor, "names.csv", b"A")
    assert refused.status_code == 400 and "not a text file" in refused.content.decode()
    with_errors = _upload(editor, "names.txt", b"A bad")
    assert with_errors.status_code == 400 and "|1|" in with_errors.content.decode()
    preview = _upload(editor, "names.txt", b"A B", dry_run=True)
    assert (
        preview.status_code == 200 and "[&#x27;A&#x27;, &#x27;B&#x27;]" in preview.content.decode()
    )
    assert not Counterparty.objects.exists()
    written = _upload(editor, "names.txt", b"A B")
    assert written.status_code == 302 and written.url == "/done/"
    assert Counterparty.objects.count() == 2


@override_settings(TEMPLATES=TEMPLATES)
def test_upload_import_writes_nothing_when_a_row_is_refused(editor):
    response = _upload(editor, "names.txt", b"C refuse")
    assert response.status_code == 400 and "|1|" in response.content.decode()
    assert not Counterparty.objects.filter(name="C").exists()


class _Warning:
    def __init__(self, key):
        self.key, self.message = key, key


class Proceed(forms.Form):
    name = forms.CharField()


class ConfirmedAdd(WarningsConfirmMixin, CounterpartyPage):
    """Adds a counterparty once the warning "w1" is confirmed; "blocked" needs the officer."""

    override_capability = Capability.COMPANY_MANAGE

    def post(self, request, **kwargs):
        form, confirm = Proceed(request.POST), self.make_confirm_form(request.POST)
        assert form.is_valid() and confirm.is_valid()

        def call(confirmed, override_reason):
            name = form.cleaned_data["name"]
            if name == "blocked" and not override_reason:
                problem = NeedsConfirmation("blocked", warnings=[_Warning("w1")])
                problem.blocked = True
                raise problem
            if name != "blocked" and "w1" not in confirmed:
                raise NeedsConfirmation("confirm", warnings=[_Warning("w1")])
            return services.counterparty_save(name=name, kind="university")

        if self.perform_confirmed(form, confirm, call) is None:
            return self.render_page(status=400, **self.warnings_context())
        return self.render_page()


@override_settings(TEMPLATES=TEMPLATES)
def test_warnings_are_asked_for_then_confirmed(editor):
    counterparty = make.university()
    view = ConfirmedAdd.as_view()
    asked = view(_request(editor, "post", {"name": "New"}), pk=counterparty.pk)
    assert asked.status_code == 400 and asked.content.decode().endswith("|1|False")
    assert not Counterparty.objects.filter(name="New").exists()
    done = view(
        _request(editor, "post", {"name": "New", "seen": "w1", "confirm": "on"}), pk=counterparty.pk
    )
    assert done.status_code == 200
    assert Counterparty.objects.filter(name="New").exists()


@override_settings(TEMPLATES=TEMPLATES)
def test_only_the_officer_overrides_a_block(editor, officer):
    counterparty = make.university()
    view = ConfirmedAdd.as_view()
    data = {"name": "blocked", "seen": "w1", "override_reason": "agreed with the CEO"}
    with pytest.raises(PermissionDenied):
        view(_request(editor, "post", data), pk=counterparty.pk)
    assert view(_request(officer, "post", data), pk=counterparty.pk).status_code == 200
    assert Counterparty.objects.filter(name="blocked").exists()


def test_the_warnings_form_confirms_only_what_was_seen_and_ticked():
    form = WarningsForm({"seen": "a b", "confirm": ""})
    assert form.is_valid() and form.confirmed_keys() == []
    form = WarningsForm({"seen": "a b", "confirm": "on"})
    assert form.is_valid() and form.confirmed_keys() == ["a", "b"]


class DeclaredActions(CounterpartyPage, ObjectActionsView):
    write_capability = Capability.REGISTERS_EDIT

    @inline_action(ShareholderForm, anchor="shareholders", message="added")
    def shareholder(self, counterparty, data):
        services.shareholder_add(counterparty=counterparty, **data)


def test_a_method_declared_as_an_inline_action_is_one():
    assert set(DeclaredActions.actions) == {"shareholder"}
    assert set(CounterpartyActions.actions) == {"shareholder", "approve"}


@override_settings(TEMPLATES=TEMPLATES)
def test_a_declared_action_calls_its_method(editor):
    counterparty = make.university()
    data = {"action": "shareholder", "name": "Beta", "country": "JP", "share": "5"}
    response = DeclaredActions.as_view()(_request(editor, "post", data), pk=counterparty.pk)
    assert response.url == counterparty.get_absolute_url() + "#shareholders"
    assert Shareholder.objects.filter(counterparty=counterparty, name="Beta").exists()


class ShareholderRemove(ObjectDeleteView):
    capability = Capability.REGISTERS_EDIT
    template_name = "page.html"
    selector = staticmethod(selectors.shareholder_detail)
    service = staticmethod(
        lambda view, shareholder: services.shareholder_remove(shareholder=shareholder)
    )
    success_message = "removed"
    parent, anchor = "counterparty", "shareholders"


@override_settings(TEMPLATES=TEMPLATES)
def test_delete_view_asks_then_removes_and_returns_to_the_parent(editor):
    counterparty = make.university()
    shareholder = services.shareholder_add(counterparty=counterparty, name="Gamma", share="3")
    asked = ShareholderRemove.as_view()(_request(editor), pk=shareholder.pk)
    assert asked.status_code == 200 and Shareholder.objects.filter(pk=shareholder.pk).exists()
    removed = ShareholderRemove.as_view()(_request(editor, "post"), pk=shareholder.pk)
    assert removed.url == counterparty.get_absolute_url() + "#shareholders"
    assert not Shareholder.objects.filter(pk=shareholder.pk).exists()


class Register(ObjectListView):
    capability = Capability.PROGRAMME_VIEW
    edit_capability = Capability.REGISTERS_EDIT
    template_name = "page.html"
    filter_form = CounterpartyFilterForm
    selector = staticmethod(selectors.counterparty_register)


def test_list_view_filters_pages_and_says_who_may_edit(editor, employee):
    make.university("東都工業大学")
    make.university("北陸先端大学")
    request = _request(editor, data={"q": "東都"})
    view = Register(request=request, kwargs={})
    context = view.get_context_data()
    assert [c.name for c in context["page"]] == ["東都工業大学"]
    assert context["filtered"] and context["can_edit"]
    view = Register(request=_request(employee), kwargs={})
    assert not view.get_context_data()["can_edit"]

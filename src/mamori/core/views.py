"""Generic views every mamori page derives from.

A view declares the capability it needs (``capability = Capability.X``, or
``AUTHENTICATED`` for any signed-in user). ``ProtectedView`` refuses to run without
one, sends anonymous users to the login page and answers 403 to users whose role
lacks the capability. ``tests/core/test_url_protection.py`` fails on any URL whose
view is neither protected nor on its public allow-list.

On top of it, a page is a declaration:

- ``ObjectView``: one object found by a selector (404 when it returns ``None``) and shown
  with a template; need-to-know (``mamori.core.access``) is applied to it.
- ``ObjectEditView``: a form whose valid data goes to one service, to create or change an
  object; a refusal (``ApplicationError``) becomes an error on the form.
- ``ObjectActionsView``: an object's page with inline forms (add a member, record a
  change), each an ``InlineAction``: form, capability, service, anchor to return to.
- ``UploadImportView``: upload a file, check it, preview it, confirm it: all rows or none.
- ``ButtonView`` (a button posting to one service) and ``DownloadView`` (a file made by
  one service): a refusal is a message on the page the user returns to.
- ``WarningsConfirmMixin``: a service that asks to confirm warnings first
  (``NeedsConfirmation``), with the officer's override of a block.

Every refusal of a service (``ApplicationError``) is caught here, never in a page view:
on a form it is shown by ``form_error``; for a button, a download or a row's form it is
a message on the page the user returns to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from mamori.core import access
from mamori.core.errors import ApplicationError, NeedsConfirmation
from mamori.core.uploads import UploadLimitFormMixin

AUTHENTICATED = "authenticated"


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# How many problems of an uploaded file a page lists; the rest are counted.
ERRORS_SHOWN = 500


def form_error(
    form: forms.BaseForm, exc: ApplicationError, renamed: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on ``form``: on the field it names (``renamed`` maps a
    service's argument to the form field where their names differ), else on the form."""
    name = (renamed or {}).get(exc.field or "", exc.field)
    form.add_error(name if name in form.fields else None, exc.message)


def return_url(obj: Any, parent: str = "", anchor: str = "") -> str:
    """Return the page of ``obj`` (or of the object its attribute ``parent`` names), at
    ``#anchor`` when given."""
    target = getattr(obj, parent) if parent else obj
    return target.get_absolute_url() + (f"#{anchor}" if anchor else "")


def stored_file_response(file: FieldFile, filename: str) -> FileResponse:
    """Return a stored file as a download under ``filename`` (never shown in the browser);
    404 when the file is missing from storage."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/octet-stream"
    )


class CapabilityMixin:
    """The capability a page or an API endpoint needs: ``capability`` to read,
    ``write_capability`` (when set) for unsafe methods."""

    capability: str | None = None
    write_capability: str | None = None

    def required_capability(self, method: str) -> str:
        if self.capability is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no capability")
        if method in SAFE_METHODS or self.write_capability is None:
            return self.capability
        return self.write_capability


class ProtectedView(CapabilityMixin, View):
    """Require sign-in and ``capability``; unsafe methods need ``write_capability`` too."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        needed = self.required_capability(request.method)
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needed != AUTHENTICATED and not request.user.has_capability(needed):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def can(self, capability: str) -> bool:
        """Return whether the requesting user's role has ``capability``."""
        return capability == AUTHENTICATED or self.request.user.has_capability(capability)


class ProtectedTemplateView(ProtectedView, TemplateView):
    pass


class ObjectListView(ProtectedTemplateView):
    """A register's list: ``filter_form`` read from the query string, its ``filters()``
    given to ``selector``, the rows paged by ``per_page``.

    Contract: the template gets ``form``, ``page``, ``filtered`` (a filter is set),
    ``params`` (the filters) and ``can_edit`` (the role has ``edit_capability``), and what
    ``list_context(filters, page)`` adds.
    """

    filter_form: type[forms.Form]
    selector: ClassVar[Callable[..., Any]]
    per_page = 50
    edit_capability = ""

    def rows(self, filters: dict[str, Any]) -> Any:
        return type(self).selector(**filters)

    def list_context(self, filters: dict[str, Any], page: Page) -> dict[str, Any]:
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = self.filter_form(self.request.GET or None)
        filters = form.filters()
        page = paginate(self.request, self.rows(filters), self.per_page)
        return super().get_context_data(
            form=form,
            page=page,
            filtered=any(filters.values()),
            params=filters,
            can_edit=bool(self.edit_capability and self.can(self.edit_capability)),
            **self.list_context(filters, page),
            **kwargs,
        )


class ServiceFormMixin:
    """A form whose valid submission calls one service through ``perform`` (with a
    ``FormView``; ``ServiceFormView`` adds the role check).

    An ``ApplicationError`` from the service becomes an error on the form, which is
    shown again with what the user typed.
    """

    request: HttpRequest

    success_message: str | None = None
    # The status of the page shown again with the form's errors.
    invalid_status = 200
    # A refusal is a message on the page shown again rather than an error on the form
    # (a form of one row of a list, which the page draws afresh).
    refusal_as_message = False
    # The service's refusal, while the form is shown again with it.
    refusal: ApplicationError | None = None

    def perform(self, form: Any) -> Any:
        raise NotImplementedError

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = self.invalid_status
        return response

    def form_valid(self, form: Any) -> HttpResponse:
        self.form = form
        try:
            result = self.perform(form)
        except ApplicationError as exc:
            self.refusal = exc
            self.show_refusal(form, exc)
            return self.form_invalid(form)
        return self.success_response(result)

    def show_refusal(self, form: Any, exc: ApplicationError) -> None:
        """Show the service's refusal: on the form (``form_error``), or as a message with
        ``refusal_as_message``."""
        if self.refusal_as_message:
            messages.error(self.request, exc.message)
        else:
            form_error(form, exc)

    def success_response(self, result: Any) -> HttpResponse:
        """Return the answer to a successful submission: by default the message and a
        redirect to ``get_success_url_for(result)``; a view that shows a result (a report,
        a file) answers with it instead."""
        message = self.message_for(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url_for(result))

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if issubclass(self.get_form_class(), UploadLimitFormMixin) and "data" in kwargs:
            kwargs["request"] = self.request  # names an upload the size limit skipped
        return kwargs

    def message_for(self, result: Any) -> str:
        """Return the message shown after success (``success_message`` by default)."""
        return str(self.success_message or "")

    def get_success_url_for(self, result: Any) -> str:
        if hasattr(result, "get_absolute_url"):
            return result.get_absolute_url()
        return self.get_success_url()


class ServiceFormView(ProtectedView, ServiceFormMixin, FormView):
    """A ``ServiceFormMixin`` form behind ``ProtectedView``'s role check."""


# --- one object --------------------------------------------------------------------------


class ObjectMixin:
    """Find the view's object with ``selector`` and apply need-to-know to it.

    Contract:
    - ``selector(pk)`` returns the object or ``None`` (then 404); ``pk`` is the URL's
      ``lookup_kwarg``. A view without ``selector`` may set ``model`` instead.
    - ``need_to_know = True`` refuses (403) a user who may not see the object's secret
      details (``mamori.core.access.details_visible``); otherwise the view only learns
      whether they are visible (``details_visible`` in the context). Reads of secret
      details are recorded through ``access.details_read``.
    - The object is in the context as ``object`` and as ``context_object_name``.
    """

    selector: ClassVar[Callable[[Any], Any] | None] = None
    model: ClassVar[type[models.Model] | None] = None
    lookup_kwarg = "pk"
    context_object_name = "object"
    need_to_know = False
    request: HttpRequest
    kwargs: dict[str, Any]

    def find_object(self, key: Any) -> Any:
        if self.selector is not None:
            return type(self).selector(key)
        if self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no selector or model")
        return self.model._default_manager.filter(pk=key).first()

    # Whether the user may see the object's secret details; set when the object is found.
    details_visible = True

    @cached_property
    def object(self) -> Any:
        # A page of a single object (the settings) has no key in its URL.
        found = self.find_object(self.kwargs.get(self.lookup_kwarg))
        if found is None:
            raise Http404
        self.details_visible = access.details_visible(self.request.user, found)
        if self.need_to_know and not self.details_visible:
            raise PermissionDenied
        return found

    def object_context(self) -> dict[str, Any]:
        obj = self.object
        # A page shown again after a refused post was read at its GET already.
        reading = self.request.method in SAFE_METHODS
        if reading and access.has_details(obj) and self.details_visible:
            access.details_read(self.request.user, obj)
        return {
            "object": obj,
            self.context_object_name: obj,
            "details_visible": self.details_visible,
        }


class ObjectView(ObjectMixin, ProtectedView):
    """Show one object: selector → 404 → ``template_name`` with ``get_context_data``.

    Override ``get_context_data`` (calling ``super()``) to add what the page lists.
    """

    template_name: str = ""

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**self.object_context(), **kwargs}

    def render_page(self, status: int = 200, **extra: Any) -> HttpResponse:
        return render(
            self.request, self.template_name, self.get_context_data(**extra), status=status
        )


class ObjectEditView(ObjectMixin, ServiceFormView):
    """Create (no ``lookup_kwarg`` in the URL) or change an object through one service.

    Contract:
    - ``form_class`` is shown on GET; for a change it gets ``form_kwargs_for(obj)``
      (by default a ModelForm ``instance``: a fresh copy, so that only the service
      changes the object) and the object is in the context.
    - ``service(view, obj_or_None, cleaned_data)`` writes and returns the object; an
      ``ApplicationError`` is shown on the form (``form_error``) with what was typed.
    - After success: ``success_message`` (``message_for(result)``) and a redirect to
      ``success_url_for(result)``: by default the result's page, or the page of the object
      its attribute ``parent`` names, at ``anchor``.
    """

    service: ClassVar[Callable[[Any, Any, dict[str, Any]], Any]]
    # Where success leads: the page of the result, or of its ``parent`` (the attribute
    # naming the object it belongs to), at ``anchor``.
    parent = ""
    anchor = ""

    @property
    def editing(self) -> bool:
        return self.lookup_kwarg in self.kwargs

    def form_kwargs_for(self, obj: Any) -> dict[str, Any]:
        if issubclass(self.form_class, forms.ModelForm):
            return {"instance": type(obj)._default_manager.get(pk=obj.pk)}
        return {}

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        if self.editing:
            kwargs.update(self.form_kwargs_for(self.object))
        return kwargs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if self.editing:
            context.update(self.object_context())
        return context

    def perform(self, form: Any) -> Any:
        return type(self).service(self, self.object if self.editing else None, form.cleaned_data)

    def get_success_url_for(self, result: Any) -> str:
        return self.success_url_for(result)

    def success_url_for(self, result: Any) -> str:
        return return_url(self.object if self.parent else result, self.parent, self.anchor)


@dataclass(frozen=True)
class InlineAction:
    """One form on an object's page, posted with ``action=<name>``.

    ``service(view, obj, cleaned_data)`` writes and returns the message to show (or
    ``None`` for ``message``); the bound form is ``view.form`` meanwhile. ``capability``
    defaults to the view's ``write_capability``.
    ``form_kwargs(view)`` gives the form's extra arguments (choices that depend on the
    object). After success the page reopens at ``#anchor``.
    """

    form: type[forms.BaseForm]
    service: Callable[[Any, Any, dict[str, Any]], str | None]
    anchor: str = ""
    capability: str | None = None
    message: str = ""
    form_kwargs: Callable[[Any], Mapping[str, Any]] = field(default=lambda view: {})
    # For an action on one row of the page (sign this pledge): the form field that
    # carries the row's key; ``ObjectActionsView.item_form`` gives each row its form.
    item_field: str = ""
    # Service argument -> form field, where a refusal names one the form calls otherwise.
    renamed: Mapping[str, str] = field(default_factory=dict)
    # A button rather than a form: a refusal is a message on the page at ``anchor``.
    refusal_as_message: bool = False


def inline_action(
    form: type[forms.BaseForm], **options: Any
) -> Callable[[Callable[..., str | None]], InlineAction]:
    """Declare a method of an ``ObjectActionsView`` as an inline action named after it: the
    method is the service call (``self``, the page's object, the form's cleaned data) and
    ``options`` are ``InlineAction``'s (anchor, capability, message, ...)."""

    def declare(service: Callable[..., str | None]) -> InlineAction:
        return InlineAction(form, service, **options)

    return declare


class ObjectActionsView(ObjectView):
    """An object's page with inline action forms (``actions``: name → ``InlineAction``).

    Actions are declared with ``@inline_action(Form, anchor=..., message=...)`` on a method
    named after the action (or listed in ``actions``).

    Contract:
    - GET shows the page with ``forms`` (name → unbound form, for the actions the user's
      role allows), ``open_form`` (the action whose form is shown again) and ``can_edit``.
    - POST with an unknown ``action`` goes back to the page; with an action the role does
      not allow, 403. A valid form goes to the action's service; success shows its message
      and returns to the page at the action's anchor; a refusal (``ApplicationError``) or
      an invalid form shows the page again (400) with that form bound and open.
    - The template renders each form with ``generic/action_form.html``.
    """

    actions: ClassVar[dict[str, InlineAction]] = {}
    # The action of a form posted without ``action`` (a page with a single form).
    default_action = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Actions declared with ``@inline_action`` join the ``actions`` of the class.
        declared = {
            name: value for name, value in vars(cls).items() if isinstance(value, InlineAction)
        }
        if declared:
            cls.actions = {**cls.actions, **declared}

    def action_capability(self, action: InlineAction) -> str:
        needed = action.capability or self.write_capability or self.capability
        if needed is None:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no capability")
        return needed

    def allowed_actions(self) -> dict[str, InlineAction]:
        return {
            name: action
            for name, action in self.actions.items()
            if self.can(self.action_capability(action))
        }

    def make_form(self, name: str, data: Any = None, **kwargs: Any) -> forms.BaseForm:
        action = self.actions[name]
        kwargs = {**action.form_kwargs(self), **kwargs}
        if issubclass(action.form, UploadLimitFormMixin):
            kwargs["request"] = self.request
        if data is not None:
            kwargs["files"] = self.request.FILES
        return action.form(data, **kwargs)

    bound: Mapping[str, forms.BaseForm] = {}

    def item_form(self, name: str, key: Any) -> forms.BaseForm:
        """Return the form of action ``name`` for the row ``key``: the posted one when it
        was this row's, else a new one carrying the key."""
        field_name = self.actions[name].item_field
        posted = self.bound.get(name)
        if posted is not None and str(posted.data.get(field_name, "")) == str(key):
            return posted
        return self.make_form(name, initial={field_name: key})

    def page_url(self) -> str:
        """Return the address of this page (by default the object's own page)."""
        return self.object.get_absolute_url()

    def object_url(self, anchor: str = "") -> str:
        return self.page_url() + (f"#{anchor}" if anchor else "")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        name = request.POST.get("action") or self.default_action
        action = self.actions.get(name)
        if action is None:
            return redirect(self.object_url())
        if not self.can(self.action_capability(action)):
            raise PermissionDenied
        form = self.make_form(name, request.POST)
        if form.is_valid():
            try:
                self.form = form
                message = action.service(self, self.object, form.cleaned_data)
            except ApplicationError as exc:
                if action.refusal_as_message:
                    messages.error(request, exc.message)
                    return redirect(self.object_url(action.anchor))
                form_error(form, exc, action.renamed)
            else:
                messages.success(request, message or str(action.message))
                return redirect(self.object_url(action.anchor))
        return self.render_page(status=400, bound={name: form})

    def get_context_data(self, bound: Mapping[str, Any] | None = None, **kwargs: Any) -> dict:
        self.bound = bound = bound or {}
        allowed = self.allowed_actions()
        forms_ = {
            name: bound.get(name) or self.make_form(name)
            for name, action in allowed.items()
            if not action.item_field
        }
        for name, form in bound.items():  # a form another view posted and shows here
            forms_.setdefault(name, form)
        return super().get_context_data(
            forms=forms_,
            open_form=next(iter(bound), ""),
            can_edit=bool(self.write_capability and self.can(self.write_capability)),
            **kwargs,
        )


class ButtonView(ProtectedView):
    """A button that posts to one service (run the analysis now): no form, no page.

    Contract: ``perform()`` writes and returns the message to show; a refusal
    (``ApplicationError``) is shown as a message instead. Either way the user goes back
    to ``success_url``.
    """

    http_method_names = ["post"]
    success_url: str = ""

    def perform(self) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            message = self.perform()
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, message)
        return redirect(self.success_url)


class DownloadView(ProtectedView):
    """A file made on request (a report, a draft) by one service.

    Contract: ``download()`` returns the response carrying the file; a refusal
    (``ApplicationError``) is shown as a message on ``refused_url()`` instead.
    """

    def download(self) -> HttpResponse:
        raise NotImplementedError

    def refused_url(self) -> str:
        raise NotImplementedError

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return self.download()
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(self.refused_url())


class ObjectDeleteView(ObjectView):
    """Ask before removing an object (GET: ``template_name``); remove it on POST.

    Contract: ``service(view, obj)`` removes it; then ``success_message`` is shown and the
    user goes to ``success_url_for(obj)`` (by default the page of the object its attribute
    ``parent`` names, at ``anchor``). A refusal (``ApplicationError``) is shown as a message
    there instead.
    """

    service: ClassVar[Callable[[Any, Any], Any]]
    success_message: str = ""
    parent = ""
    anchor = ""

    def success_url_for(self, obj: Any) -> str:
        return return_url(obj, self.parent, self.anchor)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.object
        url = self.success_url_for(obj)
        try:
            type(self).service(self, obj)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, str(self.success_message))
        return redirect(url)


# --- importing a file ------------------------------------------------------------------------


class UploadForm(UploadLimitFormMixin, forms.Form):
    """The upload of an import page: the file and whether only to check it."""

    file = forms.FileField()
    dry_run = forms.BooleanField(required=False)


class UploadImportView(ProtectedView):
    """Upload → check → preview → confirm: every row is written, or none.

    Contract:
    - ``form_class`` has ``file`` (and ``dry_run`` unless ``always_preview``);
      ``UploadLimitFormMixin`` forms get the request, so that an oversized upload is
      named. The bound form is ``self.form`` while the file is read.
    - ``parse(content, file_name)`` reads the file and returns what was checked; an
      ``ApplicationError`` about the file as a whole is shown on ``file``.
      ``parse_errors(parsed)`` lists the problems by row (nothing is written then).
    - With ``dry_run`` (always, with ``always_preview``) the page shows the preview:
      ``checked`` (``preview(parsed)``), ``file_name`` and ``preview_context(...)``.
    - Otherwise ``write(parsed)`` writes all rows, in one transaction, and returns the
      result; an error with ``errors`` (by row) or an ``ApplicationError`` is shown and
      nothing is written. ``result_message(result)`` is shown after success, and the
      user goes to ``success_url``.
    - Two steps (``confirming = True`` on the view the preview posts to): the preview
      keeps the file (``keep``, whose token ``preview_context`` puts in the page), and
      the confirmation reads it back (``kept``), checks it again (the registers may have
      changed), writes it and forgets it (``forget``), whatever the outcome. A file no
      longer kept, or no longer readable, is a message on ``success_url``.
    - The template gets ``form``, ``errors`` (the first ``ERRORS_SHOWN``),
      ``error_count`` and ``errors_hidden``.
    """

    template_name: str = ""
    form_class: type[forms.Form] = UploadForm
    success_url: str = ""
    always_preview = False
    confirming = False
    gone_message = ""

    def parse(self, content: bytes, file_name: str) -> Any:
        raise NotImplementedError

    def parse_errors(self, parsed: Any) -> list:
        return list(getattr(parsed, "errors", []))

    def preview(self, parsed: Any) -> Any:
        """Return what the preview page shows as ``checked`` (by default what was parsed)."""
        return parsed

    def preview_context(self, parsed: Any, content: bytes, file_name: str) -> dict[str, Any]:
        return {}

    def write(self, parsed: Any) -> Any:
        raise NotImplementedError

    def result_message(self, result: Any) -> str:
        raise NotImplementedError

    def kept(self) -> tuple[bytes, str] | None:
        """Return the content and name of the file the preview kept, or ``None``."""
        raise NotImplementedError

    def forget(self) -> None:
        """Remove the file the preview kept."""

    def make_form(self, data: Any = None, files: Any = None) -> forms.Form:
        if data is None:
            return self.form_class()
        if issubclass(self.form_class, UploadLimitFormMixin):
            return self.form_class(data=data, files=files, request=self.request)
        return self.form_class(data=data, files=files)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_page(self.make_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.confirming:
            return self.confirm()
        self.form = form = self.make_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(form, status=400)
        upload = form.cleaned_data["file"]
        content, file_name = upload.read(), upload.name or ""
        try:
            parsed = self.parse(content, file_name)
        except ApplicationError as exc:
            form_error(form, exc)
            return self.render_page(form, status=400)
        errors = self.parse_errors(parsed)
        if errors:
            return self.render_page(
                form, errors=errors, status=400, **self.error_context(file_name)
            )
        if self.always_preview or form.cleaned_data.get("dry_run"):
            return self.render_page(
                self.make_form(),
                checked=self.preview(parsed),
                file_name=file_name,
                **self.preview_context(parsed, content, file_name),
            )
        return self.write_all(form, parsed, file_name)

    def confirm(self) -> HttpResponse:
        kept = self.kept()
        if kept is None:
            messages.error(self.request, str(self.gone_message))
            return redirect(self.success_url)
        content, file_name = kept
        try:
            try:
                parsed = self.parse(content, file_name)
            except ApplicationError as exc:
                messages.error(self.request, exc.message)
                return redirect(self.success_url)
            errors = self.parse_errors(parsed)
            if errors:
                return self.render_page(
                    self.make_form(), errors=errors, status=400, **self.error_context(file_name)
                )
            return self.write_all(self.make_form(), parsed, file_name)
        finally:
            self.forget()

    def write_all(self, form: forms.Form, parsed: Any, file_name: str) -> HttpResponse:
        try:
            # All rows or none, whatever the service does with its own transactions.
            with transaction.atomic():
                result = self.write(parsed)
        except ApplicationError as exc:
            rows = getattr(exc, "errors", None)
            if rows:
                return self.render_page(
                    form, errors=rows, status=400, **self.error_context(file_name)
                )
            form_error(form, exc)
            return self.render_page(form, status=400)
        messages.success(self.request, self.result_message(result))
        return redirect(self.success_url)

    def error_context(self, file_name: str) -> dict[str, Any]:
        """Return what the page shows beside a file's errors (by default nothing)."""
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return kwargs

    def render_page(
        self, form: forms.Form, errors: list | None = None, status: int = 200, **extra: Any
    ) -> HttpResponse:
        errors = errors or []
        context = self.get_context_data(
            form=form,
            errors=errors[:ERRORS_SHOWN],
            error_count=len(errors),
            errors_hidden=max(0, len(errors) - ERRORS_SHOWN),
            **extra,
        )
        return render(self.request, self.template_name, context, status=status)


# --- warnings to confirm -----------------------------------------------------------------------


class WarningsForm(forms.Form):
    """Confirmation of the warnings shown, or the officer's override of a block."""

    seen = forms.CharField(required=False, widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False)
    override_reason = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def confirmed_keys(self) -> list[str]:
        """Return the keys of the warnings confirmed (by the tick or by an override)."""
        data = self.cleaned_data
        if not (data.get("confirm") or (data.get("override_reason") or "").strip()):
            return []
        return (data.get("seen") or "").split()


class WarningsConfirmMixin:
    """A service that may first ask to confirm warnings (``NeedsConfirmation``), and that
    only the holder of ``override_capability`` may push through a block, with a reason.

    Contract:
    - ``warnings_form_class`` (a ``WarningsForm``) is posted with the main form.
    - ``perform_confirmed(form, confirm, call)`` runs ``call(confirmed=..., override_reason=...)``.
      An override by a user without ``override_capability`` is refused (403: the field is
      only offered to them). ``NeedsConfirmation`` returns ``None`` and asks again for
      exactly its warnings, keeping the reason typed; any other ``ApplicationError`` is
      shown on ``form`` and returns ``None``.
    - ``warnings_context()`` gives the template ``confirm``, ``problem``, ``warnings``,
      ``blocked`` and ``can_override`` (for ``disclosures/_warnings.html``).
    """

    override_capability: str = ""
    warnings_form_class: type[WarningsForm] = WarningsForm
    request: HttpRequest

    confirm_form: WarningsForm | None = None
    problem: NeedsConfirmation | None = None

    def make_confirm_form(self, data: Any = None) -> WarningsForm:
        self.confirm_form = self.warnings_form_class(data)
        return self.confirm_form

    def perform_confirmed(
        self, form: forms.BaseForm, confirm: WarningsForm, call: Callable[..., Any]
    ) -> Any:
        if not self.override_capability:
            raise ImproperlyConfigured(f"{type(self).__name__} declares no override_capability")
        override_reason = (confirm.cleaned_data.get("override_reason") or "").strip()
        if override_reason and not self.request.user.has_capability(self.override_capability):
            raise PermissionDenied
        try:
            return call(confirmed=confirm.confirmed_keys(), override_reason=override_reason)
        except NeedsConfirmation as exc:
            # Ask again for exactly these warnings; keep what the officer typed.
            self.problem = exc
            self.confirm_form = self.warnings_form_class(
                initial={
                    "seen": " ".join(w.key for w in exc.warnings),
                    "override_reason": override_reason,
                }
            )
        except ApplicationError as exc:
            form_error(form, exc)
        return None

    # Why the officer's approval could not be asked for (shown with the block again).
    approval_error = ""

    def request_approval(
        self,
        call: Callable[[str], Any],
        problem: Callable[[], NeedsConfirmation | None],
    ) -> HttpResponse | None:
        """Ask the officer's approval of what a block refuses (the block's button).

        ``call(reason)`` makes the request with the reason typed (``approval_reason``).
        Success shows where the decision will be (the request's page); a refusal returns
        ``None``, with its message in ``approval_error`` and the block (``problem()``)
        to confirm again.
        """
        try:
            asked = call(self.request.POST.get("approval_reason", ""))
        except ApplicationError as exc:
            self.approval_error = exc.message
            self.problem = problem()
            if self.problem is not None:
                seen = " ".join(warning.key for warning in self.problem.warnings)
                self.confirm_form = self.warnings_form_class(initial={"seen": seen})
            return None
        messages.success(
            self.request,
            _("Your request has been sent to the officer; you will see the decision here."),
        )
        return redirect(asked.get_absolute_url())

    def approval_context(self) -> dict[str, Any]:
        """Return what the block's "ask the officer" button needs."""
        return {
            "can_ask_approval": True,
            "approval_error": self.approval_error,
            "approval_reason": self.request.POST.get("approval_reason", ""),
        }

    def warnings_context(self) -> dict[str, Any]:
        problem = self.problem
        return {
            "confirm": self.confirm_form or self.make_confirm_form(),
            "problem": problem,
            "warnings": problem.warnings if problem else [],
            "blocked": bool(problem and problem.blocked),
            "can_override": self.request.user.has_capability(self.override_capability),
        }


def paginate(request: HttpRequest, items: Any, per_page: int = 50) -> Page:
    """Return the page of ``items`` named by the request's ``page`` parameter."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from mamori.accounts import selectors, services
from mamori.accounts.forms import (
    LanguageForm,
    LoginForm,
    PasswordResetByOfficerForm,
    SetupForm,
    UserCreateForm,
    UserUpdateForm,
)
from mamori.accounts.models import User
from mamori.accounts.roles import Capability, Role
from mamori.core.errors import ApplicationError
from mamori.core.views import (
    AUTHENTICATED,
    ProtectedTemplateView,
    ProtectedView,
    ServiceFormView,
    paginate,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if selectors.setup_needed():
            return redirect("accounts:setup")
        return super().dispatch(request, *args, **kwargs)


class LogoutView(auth_views.LogoutView):
    pass


class SetupView(FormView):
    """First run: create the officer's account. Gone once any account exists."""

    template_name = "accounts/setup.html"
    form_class = SetupForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.setup_needed():
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form: SetupForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            user = services.officer_create_first(
                username=data["username"],
                password=data["password"],
                display_name=data["display_name"],
                email=data["email"],
                language=self.request.LANGUAGE_CODE,
            )
        except ApplicationError as exc:
            form.add_error(exc.field, exc.message)
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(self.request, _("Welcome. Next, enter your company's profile."))
        return redirect("company:profile_edit")


class PasswordChangeView(ProtectedView, auth_views.PasswordChangeView):
    capability = AUTHENTICATED
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = self.request.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return response


class ProfileView(ProtectedTemplateView):
    capability = AUTHENTICATED
    template_name = "accounts/profile.html"


class LanguageView(View):
    """Switch the UI language: kept on the account when signed in, in a cookie otherwise."""

    def post(self, request: HttpRequest) -> HttpResponse:
        form = LanguageForm(request.POST)
        target = request.POST.get("next") or "/"
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = "/"
        response = HttpResponseRedirect(target)
        if form.is_valid():
            language = form.cleaned_data["language"]
            if request.user.is_authenticated:
                services.user_set_language(user=request.user, language=language)
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=60 * 60 * 24 * 365,
                samesite="Lax",
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
                httponly=True,
            )
        return response


# --- user management (officer) ----------------------------------------------------------


class UserListView(ProtectedTemplateView):
    capability = Capability.USERS_MANAGE
    template_name = "accounts/user_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        params = self.request.GET
        users = selectors.user_list(
            query=params.get("q", "").strip(),
            role=params.get("role", ""),
            active=params.get("active", ""),
        )
        return super().get_context_data(
            page=paginate(self.request, users),
            roles=Role.choices,
            locked=selectors.locked_usernames(),
            **kwargs,
        )


class UserCreateView(ServiceFormView):
    capability = Capability.USERS_MANAGE
    template_name = "accounts/user_form.html"
    form_class = UserCreateForm
    success_message = _("The account has been created. Tell the user their first password.")

    def perform(self, form: UserCreateForm) -> User:
        data = form.cleaned_data
        return services.user_create(
            username=data["username"],
            password=data["password"],
            role=data["role"],
            display_name=data["display_name"],
            email=data["email"],
            language=data["language"],
            must_change_password=True,
        )

    def get_success_url_for(self, result: User) -> str:
        return reverse("accounts:user_list")


class _UserObjectMixin:
    def get_user_object(self) -> User:
        return get_object_or_404(User, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(account=self.get_user_object(), **kwargs)


class UserEditView(_UserObjectMixin, ServiceFormView):
    capability = Capability.USERS_MANAGE
    template_name = "accounts/user_form.html"
    form_class = UserUpdateForm
    success_message = _("The account has been updated.")
    success_url = reverse_lazy("accounts:user_list")

    def get_form_kwargs(self) -> dict[str, Any]:
        # The form only validates and renders; the service makes the change.
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = User.objects.get(pk=self.get_user_object().pk)
        return kwargs

    def perform(self, form: UserUpdateForm) -> User:
        data = form.cleaned_data
        return services.user_update(
            user=self.get_user_object(),
            display_name=data["display_name"],
            email=data["email"],
            role=data["role"],
            is_active=data["is_active"],
            language=data["language"],
        )


class UserPasswordView(_UserObjectMixin, ServiceFormView):
    capability = Capability.USERS_MANAGE
    template_name = "accounts/user_password.html"
    form_class = PasswordResetByOfficerForm
    success_message = _("The password has been set.")
    success_url = reverse_lazy("accounts:user_list")

    def perform(self, form: PasswordResetByOfficerForm) -> User:
        return services.user_set_password(
            user=self.get_user_object(),
            password=form.cleaned_data["password"],
            must_change=form.cleaned_data["must_change"],
            by=self.request.user,
        )


class UserUnlockView(_UserObjectMixin, ProtectedView):
    capability = Capability.USERS_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = self.get_user_object()
        services.user_unlock(user=user)
        messages.success(request, _("%(user)s can sign in again.") % {"user": user})
        return redirect("accounts:user_list")

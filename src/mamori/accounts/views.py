from __future__ import annotations

import base64
from typing import Any

from allauth.account.internal.flows.login import perform_password_login
from allauth.account.models import Login
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.base import views as allauth_mfa_views
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal import flows as rc_flows
from allauth.mfa.totp.forms import ActivateTOTPForm, DeactivateTOTPForm
from allauth.mfa.totp.internal import flows as totp_flows
from allauth.mfa.webauthn.forms import AddWebAuthnForm
from allauth.mfa.webauthn.internal import auth as webauthn_auth
from allauth.mfa.webauthn.internal import flows as webauthn_flows
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView

from mamori.accounts import security, selectors, services, sso
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
from mamori.core.views import (
    AUTHENTICATED,
    ProtectedTemplateView,
    ProtectedView,
    ServiceFormMixin,
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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(sso_label=sso.sso_label(), **kwargs)

    def form_valid(self, form: LoginForm) -> HttpResponse:
        """The password is right: continue through allauth's login stages, which ask for
        the second factor when the user has one, then sign in."""
        user = form.get_user()
        login = Login(user=user, redirect_url=self.get_success_url(), email_verification="none")
        return perform_password_login(self.request, {"username": user.get_username()}, login)


class LogoutView(auth_views.LogoutView):
    pass


class SetupView(ServiceFormMixin, FormView):
    """First run: create the officer's account. Gone once any account exists."""

    template_name = "accounts/setup.html"
    form_class = SetupForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.setup_needed():
            return redirect("accounts:login")
        return super().dispatch(request, *args, **kwargs)

    def perform(self, form: SetupForm) -> Any:
        data = form.cleaned_data
        return services.officer_create_first(
            username=data["username"],
            password=data["password"],
            display_name=data["display_name"],
            email=data["email"],
            language=self.request.LANGUAGE_CODE,
        )

    def success_response(self, user: Any) -> HttpResponse:
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
            with_factors=selectors.users_with_second_factors(),
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


class UserSecondFactorsResetView(_UserObjectMixin, ProtectedView):
    """Remove a user's second factors (lost phone and recovery codes), after a confirmation."""

    capability = Capability.USERS_MANAGE
    template_name = "accounts/user_second_factors.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.get_user_object()
        return render(
            request,
            self.template_name,
            {"account": account, "factors": security.authenticators_of(account)},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.get_user_object()
        services.user_reset_second_factors(user=account)
        messages.success(
            request,
            _(
                "The second factors of %(user)s have been removed; "
                "they set up new ones at the next sign-in."
            )
            % {"user": account},
        )
        return redirect("accounts:user_list")


class UserUnlockView(_UserObjectMixin, ProtectedView):
    capability = Capability.USERS_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = self.get_user_object()
        services.user_unlock(user=user)
        messages.success(request, _("%(user)s can sign in again.") % {"user": user})
        return redirect("accounts:user_list")


# --- my security: second factors (django-allauth's MFA) --------------------------------


class SecondFactorView(allauth_mfa_views.AuthenticateView):
    """After the password: the code from the authenticator app, a recovery code or a
    passkey (allauth's login stage; reached only with a sign-in in progress)."""

    template_name = "accounts/mfa_authenticate.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = self.stage.login.user
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).exists():
            context.pop("webauthn_form", None)  # no passkey: offer only the code
        return context


class SecurityView(ProtectedTemplateView):
    """ "My security": the second factors, and what to do when one is needed."""

    capability = AUTHENTICATED
    template_name = "accounts/security.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return super().get_context_data(
            required=security.mfa_required_for(user),
            has_factor=security.has_second_factor(user),
            **security.authenticators_of(user),
            **kwargs,
        )


class TotpEnrolView(ProtectedView):
    """Enrol an authenticator app: a QR code drawn on the server, then a code from the app."""

    capability = AUTHENTICATED
    template_name = "accounts/security_totp.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and security.authenticators_of(request.user)["totp"]:
            return redirect("accounts:security")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(ActivateTOTPForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ActivateTOTPForm(user=request.user, data=request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        _totp, recovery = totp_flows.activate_totp(request, form)
        if recovery is not None:
            return redirect("accounts:security_recovery_codes")
        return redirect("accounts:security")

    def render_page(self, form: ActivateTOTPForm, status: int = 200) -> HttpResponse:
        adapter = get_mfa_adapter()
        url = adapter.build_totp_url(self.request.user, form.secret)
        svg = adapter.build_totp_svg(url)  # drawn here: no outside service sees the secret
        response = render(
            self.request,
            self.template_name,
            {"form": form, "secret": form.secret, "qr_data_uri": _svg_data_uri(svg)},
            status=status,
        )
        add_never_cache_headers(response)
        return response


def _svg_data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


class _OwnAuthenticatorMixin:
    authenticator_type: str

    def get_authenticator(self) -> Authenticator:
        lookup = {"user": self.request.user, "type": self.authenticator_type}
        if "pk" in self.kwargs:
            lookup["pk"] = self.kwargs["pk"]
        return get_object_or_404(Authenticator, **lookup)


class TotpRemoveView(_OwnAuthenticatorMixin, ProtectedView):
    capability = AUTHENTICATED
    authenticator_type = Authenticator.Type.TOTP
    template_name = "accounts/security_remove.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.confirm(DeactivateTOTPForm(authenticator=self.get_authenticator(), data={}))

    def post(self, request: HttpRequest) -> HttpResponse:
        authenticator = self.get_authenticator()
        form = DeactivateTOTPForm(authenticator=authenticator, data={})
        if not form.is_valid():
            return self.confirm(form, status=400)
        totp_flows.deactivate_totp(request, authenticator)
        return redirect("accounts:security")

    def confirm(self, form: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "what": _("the authenticator app")},
            status=status,
        )


class PasskeyAddView(ProtectedView):
    """Register a passkey (WebAuthn) with allauth's bundled script and mamori's own glue."""

    capability = AUTHENTICATED
    template_name = "accounts/security_passkey.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(AddWebAuthnForm(user=request.user))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AddWebAuthnForm(user=request.user, data=request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        _passkey, recovery = webauthn_flows.add_authenticator(
            request, name=form.cleaned_data["name"], credential=form.cleaned_data["credential"]
        )
        if recovery is not None:
            return redirect("accounts:security_recovery_codes")
        return redirect("accounts:security")

    def render_page(self, form: AddWebAuthnForm, status: int = 200) -> HttpResponse:
        options = webauthn_auth.begin_registration(self.request.user, False)
        return render(
            self.request,
            self.template_name,
            {"form": form, "js_data": {"creation_options": options}},
            status=status,
        )


class PasskeyRemoveView(_OwnAuthenticatorMixin, ProtectedView):
    capability = AUTHENTICATED
    authenticator_type = Authenticator.Type.WEBAUTHN
    template_name = "accounts/security_remove.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.confirm(self.get_authenticator())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        authenticator = self.get_authenticator()
        if not get_mfa_adapter().can_delete_authenticator(authenticator):
            return self.confirm(authenticator, status=400, refused=True)
        webauthn_flows.remove_authenticator(request, authenticator)
        return redirect("accounts:security")

    def confirm(self, authenticator: Authenticator, status: int = 200, refused: bool = False):
        refused = refused or not get_mfa_adapter().can_delete_authenticator(authenticator)
        name = authenticator.wrap().name
        return render(
            self.request,
            self.template_name,
            {
                "what": _("the passkey “%(name)s”") % {"name": name},
                "refused": refused,
            },
            status=status,
        )


class RecoveryCodesView(ProtectedView):
    """The recovery codes: shown in full once, then only how many are left; new ones on
    request (which voids the old)."""

    capability = AUTHENTICATED
    template_name = "accounts/security_recovery_codes.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        codes, can_view = rc_flows.view_recovery_codes(request)
        if codes is None:
            return redirect("accounts:security")
        unused = codes.get_unused_codes()
        response = render(
            request,
            self.template_name,
            {"codes": unused if can_view else None, "left": len(unused)},
        )
        add_never_cache_headers(response)
        return response

    def post(self, request: HttpRequest) -> HttpResponse:
        if not security.has_second_factor(request.user):
            return redirect("accounts:security")
        rc_flows.generate_recovery_codes(request)
        return redirect("accounts:security_recovery_codes")

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from mamori.accounts.models import User
from mamori.accounts.roles import Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("The user name or password is wrong. Both are case-sensitive."),
        "inactive": _("This account has been deactivated."),
    }


class PasswordPairMixin(forms.Form):
    password = forms.CharField(
        label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False
    )
    password_again = forms.CharField(
        label=_("Password (again)"), widget=forms.PasswordInput(render_value=False), strip=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return cleaned


class SetupForm(PasswordPairMixin):
    username = forms.CharField(label=_("User name"), max_length=150)
    display_name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    field_order = ["display_name", "username", "email", "password", "password_again"]


class UserCreateForm(PasswordPairMixin):
    display_name = forms.CharField(label=_("Name"), max_length=150)
    username = forms.CharField(label=_("User name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.EMPLOYEE)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="ja")
    field_order = ["display_name", "username", "email", "role", "language", "password"]


class UserUpdateForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "email", "role", "language", "is_active"]
        labels = {"is_active": _("Account active")}


class PasswordResetByOfficerForm(PasswordPairMixin):
    must_change = forms.BooleanField(
        label=_("Ask the user to choose a new password at next sign-in"),
        required=False,
        initial=True,
    )


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)

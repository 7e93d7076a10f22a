"""Account forms. Passwords are never sent back to the browser."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from holdspace.accounts.models import User, normalize_username, validate_username
from holdspace.web.forms import Form


class LoginForm(Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=100,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_username(self) -> str:
        return normalize_username(self.cleaned_data["username"])


class CodeForm(Form):
    """The code from the app (a numeric keyboard on phones), or with
    ``backup`` a backup code, which has letters."""

    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The six digits your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "inputmode": "numeric",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args: Any, backup: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if backup:
            field = self.fields["code"]
            field.label = _("Backup code")
            field.help_text = _("One of the backup codes you wrote down, with or without the dash.")
            field.widget.attrs.update({"inputmode": "text", "autocomplete": "off"})


class EnrolForm(Form):
    code = forms.CharField(
        label=_("Code from your app"),
        max_length=20,
        help_text=_("Six digits. A new code appears every 30 seconds."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class NewPasswordMixin(Form):
    """Two password fields, checked against the password rules (S21)."""

    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password_again = forms.CharField(
        label=_("New password again"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, user: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["new_password"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def password_user(self) -> User | None:
        return self.user

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password"), cleaned.get("new_password_again")
        if first and second and first != second:
            self.add_error("new_password_again", _("The two passwords are not the same."))
        elif first:
            try:
                password_validation.validate_password(first, self.password_user())
            except forms.ValidationError as error:
                self.add_error("new_password", error)
        return cleaned


class AcceptInvitationForm(NewPasswordMixin):
    field_order = ["username", "new_password", "new_password_again"]

    username = forms.CharField(
        label=_("Choose a username"),
        max_length=40,
        help_text=_(
            "You log in with it, and the people in your groups see it. It does not "
            "need to be your real name."
        ),
        validators=[validate_username],
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )

    def clean_username(self) -> str:
        username = normalize_username(self.cleaned_data["username"])
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(
                _("This username is taken. Please choose another one."), code="taken"
            )
        return username

    def password_user(self) -> User | None:
        # Lets the similarity rule compare the password with the chosen username.
        return User(username=self.cleaned_data.get("username", ""))


class SetPasswordForm(NewPasswordMixin):
    pass


class ChangePasswordForm(NewPasswordMixin):
    field_order = ["current_password", "new_password", "new_password_again", "end_other_sessions"]

    end_other_sessions = forms.BooleanField(
        label=_("Log out everywhere else"),
        required=False,
        initial=True,
        help_text=_("Recommended if someone else may know your old password."),
    )

    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_current_password(self) -> str:
        password = str(self.cleaned_data["current_password"])
        if self.user is None or not self.user.check_password(password):
            raise forms.ValidationError(
                _("This is not your current password."), code="wrong_password"
            )
        return password


class ConfirmPasswordForm(Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."), code="wrong_password")
        return password


class InviteForm(Form):
    grants_instance_admin = forms.BooleanField(
        label=_("This person also administers this Holdspace instance"),
        required=False,
        help_text=_(
            "Administrators invite people and manage accounts. They cannot read any process."
        ),
    )
    grants_process_start = forms.BooleanField(
        label=_("This person may start new processes"),
        required=False,
        help_text=_(
            "For someone who will coordinate the first group of a process. Everyone else "
            "joins through a group's invitation."
        ),
    )


class ResetForm(Form):
    resets_two_factor = forms.BooleanField(
        label=_("They also lost their authenticator app and backup codes"),
        required=False,
        help_text=_("They will set up two-factor authentication again when they next log in."),
    )


class RecoveryConfirmForm(Form):
    recovery_key = forms.CharField(
        label=_("Type your recovery key"),
        max_length=100,
        help_text=_("To be sure you have it: type it from where you wrote or printed it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class RecoveryResetForm(NewPasswordMixin):
    field_order = ["username", "recovery_key", "new_password", "new_password_again"]

    username = forms.CharField(
        label=_("Username"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    recovery_key = forms.CharField(
        label=_("Recovery key"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_username(self) -> str:
        return normalize_username(self.cleaned_data["username"])

    def password_user(self) -> User | None:
        return User(username=self.cleaned_data.get("username", ""))

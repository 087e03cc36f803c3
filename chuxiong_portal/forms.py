"""What the portal's forms share."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext as _


class DateInput(forms.DateInput):
    """An HTML date input. It only takes an ISO date as its value (`yyyy-mm-dd`): a date written in the reader's
    format (2026/12/05) leaves it empty, and a required date saved before has to be typed again."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def typed_errors(form: forms.Form, *fields: str) -> str:
    """The errors of what the reader typed into `fields` (a reason too long, a null character …), each after its
    field's label, for a view that answers a refused form with a message rather than the form again; "" when none of
    those fields is wrong (the rest — a hidden version, a choice — is a stale or altered page, worded by the view)."""
    return _("；").join(
        _("%(field)s：%(error)s") % {"field": form.fields[name].label, "error": error}
        for name in fields
        if name in form.fields
        for error in form.errors.get(name, ())
    )


class _BoundedUsername:
    """A login form's username no longer than any account's is refused as a wrong login, before authenticating: a
    failed login is recorded by django-axes with its username (255 characters at most), and a longer one was a
    500 on PostgreSQL (Django's form only tells the browser the username's length)."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and len(username) > self.username_field.max_length:
            raise self.get_invalid_login_error()
        return super().clean()


class LoginForm(_BoundedUsername, AuthenticationForm):
    """The portal's login form (accounts/login/)."""


class AdminLoginForm(_BoundedUsername, AdminAuthenticationForm):
    """The admin's login form."""

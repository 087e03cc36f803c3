"""What the portal's forms share."""

from datetime import date
from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .stale import current_of


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


def ready_to_resend(
    request, form: forms.Form, error: Exception, *, field: str = "seen", shown=None, stored: dict | None = None
) -> forms.Form:
    """`form`, bound and refused with `error`, made ready to be sent again: when the refusal is a stale page's
    (`chuxiong_portal.stale.stale`), its hidden `field` holds what the page would show now, in place of what it
    showed, and what the user typed is kept; the user, told what is stored now, sends it again or leaves it. `shown`
    turns the refusal's current value into the field's (a form whose hidden field holds more than one row's);
    `stored`, a whole-row form's values as stored now, marks the fields where they differ from the typed
    (`show_stored`). Any other refusal, or a form not bound, is returned as it was."""
    current = current_of(error)
    if current is None or not form.is_bound:
        return form
    if stored is not None:
        show_stored(request, form, stored)
    holding(form, field, shown(current) if shown else current)
    say_kept(request)
    return form


def holding(form: forms.Form, field: str, value: str) -> None:
    """`form`, bound, with its hidden `field` holding `value` (what a page drawn now would hold) in place of what was
    sent; its errors stay: they were found on what was sent."""
    data = form.data.copy()  # a request's QueryDict is immutable
    data[form.add_prefix(field)] = value
    form.data = data


def show_stored(request, form: forms.Form, stored: dict) -> int:
    """A whole-row form (a report, a project's details) refused because the row was saved by someone else since its
    page was drawn: beside each field where what the user typed differs from what is stored now, its help text says
    what is stored (`stored`: the row's values as the form's initial data holds them). The user then sees where the
    other save and theirs differ, field by field, before sending theirs again. Returns how many fields differ."""
    if not form.is_bound or not hasattr(form, "cleaned_data"):
        return 0
    differ = 0
    for name, value in stored.items():
        field = form.fields.get(name)
        if field is None or field.widget.is_hidden or name not in form.cleaned_data:
            continue
        if _comparable(form.cleaned_data[name]) == _comparable(value):
            continue
        words = _("现已保存：%(value)s") % {"value": _stored_words(field, value)}
        field.help_text = f"{words} {field.help_text}" if field.help_text else words
        form[name].help_text = field.help_text  # the bound field, made when the form was cleaned, keeps its own copy
        differ += 1
    if differ:
        messages.warning(
            request,
            ngettext(
                "有%(count)d项与他人保存的内容不同，各项下方标出了“现已保存”的内容：核对后再决定是否按您填写的保存。",
                "有%(count)d项与他人保存的内容不同，各项下方标出了“现已保存”的内容：核对后再决定是否按您填写的保存。",
                differ,
            )
            % {"count": differ},
        )
    return differ


def _comparable(value):
    """A form's cleaned value and a row's stored one on the same footing: a choice of a row as its id, no value as
    empty text, a number by its value (1.5000 is 1.5)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple, QuerySet)):  # the rows of a multiple choice
        return sorted(_comparable(item) for item in value)
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _stored_words(field: forms.Field, value) -> str:
    if value is None or value == "":
        return _("（空）")
    if isinstance(field, forms.ModelMultipleChoiceField):
        return "、".join(str(item) for item in value) if len(value) else _("（空）")
    if isinstance(field, forms.ModelChoiceField):
        chosen = field.queryset.filter(pk=getattr(value, "pk", value)).first()
        return str(chosen) if chosen is not None else str(value)
    if isinstance(field, forms.ChoiceField):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= 200 else text[:200] + "…"


def say_kept(request) -> None:
    """Tell the user that the form refused for a page left open holds what they typed, to be sent again."""
    messages.info(request, _("您填写的内容已保留：核对上面所说的最新情况后，如仍要按您填写的办理，请再次提交。"))


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


class NewPasswordForm(PasswordChangeForm):
    """A new password (accounts/password/): Django's form, and the new password is not the current one — a "change"
    to the same password would report 密码已修改 and sign the user's other browsers out while changing nothing."""

    def clean(self):
        cleaned = super().clean()
        old, new = cleaned.get("old_password"), cleaned.get("new_password1")
        if old and new and new == old and not self.has_error("new_password1"):
            self.add_error("new_password1", forms.ValidationError(_("新密码不能与当前密码相同。"), code="unchanged"))
        return cleaned


class NoticeLanguageForm(forms.Form):
    """The language of the signed-in user's notices and notice e-mails (`User.language`)."""

    language = forms.ChoiceField(
        label=gettext_lazy("通知语言"),
        choices=settings.LANGUAGES,
        help_text=gettext_lazy("站内通知和通知邮件用这种语言书写；页面语言在右上角切换。"),
    )

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuxiong_portal import access
from chuxiong_portal.forms import ready_to_resend, typed_errors
from chuxiong_portal.security import role_required
from chuxiong_portal.stale import current_of
from parks.models import Zone

from . import selectors
from .models import Flag, Rule
from .services import FlagTransitionError, flag_token, flag_transition


class FlagTransitionForm(forms.Form):
    state = forms.ChoiceField(
        label=gettext_lazy("处理状态"),
        choices=[
            (Flag.State.ACKNOWLEDGED, Flag.State.ACKNOWLEDGED.label),
            (Flag.State.RESOLVED, Flag.State.RESOLVED.label),
            (Flag.State.OPEN, Flag.State.OPEN.label),
        ],
    )
    note = forms.CharField(label=gettext_lazy("处理说明"), required=False, widget=forms.Textarea, max_length=2000)
    seen = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)  # services.flag_token


def _role_allows(user, flag: Flag, state: str) -> bool:
    if not selectors.can_handle(user, flag):
        return False
    # Resolving or reopening is the office's decision; a zone leader only acknowledges.
    return access.is_office(user) or state == Flag.State.ACKNOWLEDGED


@role_required
def flag_list(request):
    params = {k: request.GET.get(k, "") for k in ("zone", "year", "rule", "state")}
    flags = selectors.flags_for_user(request.user, **params)
    context = {
        "flags": flags[:500],
        "params": params,
        "zones": Zone.objects.filter(pk__in=flags.values("zone_id").distinct())
        if request.user.zone_id
        else Zone.objects.all(),
        "rules": Rule.choices,
        "states": Flag.State.choices,
        "years": sorted(set(selectors.flags_for_user(request.user).values_list("year", flat=True)), reverse=True),
    }
    return render(request, "assessments/flag_list.html", context)


def _flag_page(request, flag: Flag, form: FlagTransitionForm | None = None):
    """The flag's page; with `form`, refused (400): the form as sent, with the service's message."""
    context = {
        "flag": flag,
        # The dropdown starts at the flag's state; `seen`, the handling the page shows.
        "form": form or FlagTransitionForm(initial={"state": flag.state, "seen": flag_token(flag)}),
        "can_handle": selectors.can_handle(request.user, flag),
        "history": selectors.flag_history(flag),
    }
    return render(request, "assessments/flag_detail.html", context, status=400 if form else 200)


@role_required
def flag_detail(request, pk: int):
    return _flag_page(request, selectors.flag_get_for_user(user=request.user, pk=pk))


@role_required
@require_POST
def flag_handle(request, pk: int):
    flag = selectors.flag_get_for_user(user=request.user, pk=pk)
    if not selectors.can_handle(request.user, flag):  # before the form: a refusal must not depend on the body
        raise PermissionDenied(_("您没有处理该问责提示的权限。"))
    form = FlagTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, typed_errors(form, "note") or _("请选择有效的处理状态。"))
        return redirect("flag-detail", pk=flag.pk)
    if not _role_allows(request.user, flag, form.cleaned_data["state"]):
        raise PermissionDenied(_("您没有处理该问责提示的权限。"))
    try:
        data = form.cleaned_data
        flag_transition(flag=flag, user=request.user, state=data["state"], note=data["note"], seen=data["seen"])
    except FlagTransitionError as error:
        messages.error(request, str(error))
        if current_of(error) is not None:  # handled since the page was drawn: the page again, the note kept
            form = ready_to_resend(request, form, error)
            return _flag_page(request, selectors.flag_get_for_user(user=request.user, pk=pk), form)
    else:
        messages.success(request, _("处理状态已更新。"))
    return redirect("flag-detail", pk=flag.pk)

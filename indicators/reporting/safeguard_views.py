"""The plan's 保障措施: a page listing its items with their status, and the office's form to record one."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuxiong_portal import access
from chuxiong_portal.forms import DateInput, ready_to_resend
from chuxiong_portal.security import role_required
from indicators import selectors
from indicators.models import Indicator, Target
from parks.models import Zone

from . import services


class SafeguardRecordForm(forms.Form):
    zone = forms.ModelChoiceField(label=gettext_lazy("开发区"), queryset=Zone.objects.none(), required=False)
    done = forms.TypedChoiceField(
        label=gettext_lazy("完成情况"),
        coerce=lambda v: v == "1",
        required=False,
        # No answer chosen in advance: a save without looking must not record the item as done.
        choices=[("", "---------"), ("1", gettext_lazy("已完成")), ("0", gettext_lazy("未完成"))],
    )
    value = forms.DecimalField(label=gettext_lazy("数值"), max_digits=18, decimal_places=4, required=False)
    on = forms.DateField(label=gettext_lazy("日期（已完成的填完成日期）"), widget=DateInput())
    note = forms.CharField(
        label=gettext_lazy("说明"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    # The item's records as the page showed them (`services.safeguard_token`).
    seen = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, indicator: Indicator, **kwargs):
        super().__init__(*args, **kwargs)
        zone_ids = Target.objects.filter(indicator=indicator, zone__isnull=False).values("zone_id")
        self.fields["zone"].queryset = Zone.objects.filter(pk__in=zone_ids).order_by("order")
        if not self.fields["zone"].queryset.exists():
            del self.fields["zone"]
        if services.safeguard_item_is_counted(indicator):
            del self.fields["done"]
            self.fields["value"].required = True
            self.fields["value"].label = _("数值（%(unit)s）") % {"unit": indicator.unit or "—"}
        else:
            del self.fields["value"]
            self.fields["done"].required = True


@role_required
def safeguards(request):
    today = timezone.localdate()
    return render(
        request,
        "indicators/safeguards.html",
        {
            "sections": selectors.safeguard_items(as_of=today),
            "today": today,
            "can_record": access.is_office(request.user),
        },
    )


@role_required
def safeguard_record(request, code: str):
    if not access.is_office(request.user):
        return render(
            request, "dashboards/forbidden.html", {"message": _("保障措施的完成情况由州开发区办登记。")}, status=403
        )
    indicator = get_object_or_404(Indicator, code=code, safeguard__isnull=False)
    today = timezone.localdate()
    records = services.safeguard_records(indicator)
    initial = {
        "on": services.safeguard_default_day(indicator=indicator, today=today),
        "seen": services.safeguard_token(records),
        # The row of /safeguards/ whose 登记 link was followed.
        "zone": Zone.objects.filter(code=request.GET.get("zone", "")).values_list("pk", flat=True).first(),
    }
    form = SafeguardRecordForm(request.POST if request.method == "POST" else None, indicator=indicator, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.safeguard_record(
                indicator=indicator,
                user=request.user,
                on=data["on"],
                today=today,
                done=bool(data.get("done")),
                value=data.get("value"),
                zone=data.get("zone"),
                note=data.get("note", ""),
                # A post without it (a script, an older page) records as before.
                seen=data["seen"] if "seen" in request.POST else None,
            )
        except services.SafeguardError as error:
            form.add_error(None, str(error))
            form = ready_to_resend(request, form, error)
            if isinstance(error, services.SafeguardChanged):  # the records as they are now, above the input kept
                records = services.safeguard_records(indicator)
        else:
            messages.success(request, _("已登记“%(name)s”。") % {"name": indicator.name})
            return redirect("safeguards")
    return render(
        request,
        "indicators/safeguard_record.html",
        {"indicator": indicator, "form": form, "records": records},
        status=400 if request.method == "POST" else 200,
    )

"""`chuxiong_portal.forms.show_stored`: after a stale refusal, the fields where what was typed differs from what is
stored now say what is stored — and only those."""

from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from chuxiong_portal.forms import show_stored
from tasks.models import Department


class Sample(forms.Form):
    amount = forms.DecimalField(required=False, decimal_places=4)
    note = forms.CharField(required=False)
    state = forms.ChoiceField(required=False, choices=[("", "—"), ("late", "滞后"), ("done", "已完成")])
    day = forms.DateField(required=False)
    units = forms.ModelMultipleChoiceField(required=False, queryset=Department.objects.all())
    version = forms.IntegerField(widget=forms.HiddenInput)


def request():
    made = RequestFactory().post("/")
    made.session = {}
    made._messages = FallbackStorage(made)
    return made


@pytest.mark.django_db
def test_only_the_fields_that_differ_say_what_is_stored(plan):
    ndrc, commerce = plan["ndrc"], plan["commerce"]
    form = Sample(
        {
            "amount": "10",
            "note": "",
            "state": "done",
            "day": "2025-03-01",
            "units": [commerce.pk, ndrc.pk],
            "version": 3,
        }
    )
    assert form.is_valid(), form.errors
    stored = {
        "amount": Decimal("10.0000"),  # the same number
        "note": None,  # nothing, as the typed empty text
        "state": "late",
        "day": date(2025, 2, 1),
        "units": list(reversed(form.cleaned_data["units"])),  # the same rows in another order
        "version": 4,  # hidden: never shown
    }
    made = request()
    assert show_stored(made, form, stored) == 2
    shown = {name: form[name].help_text for name in form.fields if form[name].help_text}
    assert shown == {"state": "现已保存：滞后", "day": "现已保存：2025-02-01"}
    assert [str(m) for m in made._messages] == [
        "有2项与他人保存的内容不同，各项下方标出了“现已保存”的内容：核对后再决定是否按您填写的保存。"
    ]


@pytest.mark.django_db
def test_an_emptied_or_other_choice_of_rows_is_named(plan):
    ndrc = plan["ndrc"]
    form = Sample({"amount": "", "units": [], "version": 1})
    assert form.is_valid(), form.errors
    assert show_stored(request(), form, {"amount": Decimal("2.5000"), "units": [ndrc]}) == 2
    assert form["amount"].help_text == "现已保存：2.5"
    assert form["units"].help_text == f"现已保存：{ndrc}"


def test_a_form_not_cleaned_is_left_alone():
    form = Sample({"amount": "x", "version": 1})
    assert show_stored(request(), form, {"amount": Decimal(1)}) == 0

"""A date field of the portal's forms is an HTML date input, which takes its value in ISO form only: written in the
reader's format (2026/12/05 in Chinese), the browser shows the field empty and a required date has to be typed
again (chuxiong_portal.forms.DateInput)."""

import importlib
import re
from datetime import date

import pytest
import time_machine
from django import forms
from django.apps import apps
from django.urls import reverse
from django.utils import translation

from chuxiong_portal.forms import DateInput

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("chuxiong_portal", "parks", "tasks", "indicators", "assessments", "projects", "supervision")
PROJECT_APPS += ("evaluations", "pages", "closeout")


def _form_classes() -> list[type[forms.BaseForm]]:
    """Every form class of the portal's own modules (forms, and the views that declare their own)."""
    for config in apps.get_app_configs():
        if config.name.split(".")[0] not in PROJECT_APPS:
            continue
        for name in ("forms", "views", "reporting.forms", "reporting.safeguard_views", "reporting.quality_views"):
            try:
                importlib.import_module(f"{config.name}.{name}")
            except ModuleNotFoundError:
                continue
    found, pending = [], [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found.append(cls)
    return found


def test_every_date_field_of_the_portals_forms_renders_its_value_as_an_iso_date():
    fields = [
        (form, name, field)
        for form in _form_classes()
        for name, field in form.base_fields.items()
        if isinstance(field, forms.DateField) and getattr(field.widget, "input_type", "") == "date"
    ]
    # The report, project, safeguard, supervision and evaluation forms' dates (a text input, as the admin's, takes
    # the reader's format).
    assert len(fields) >= 8
    with translation.override("zh-hans"):
        for form, name, field in fields:
            html = field.widget.render(name, date(2026, 12, 5))
            assert 'value="2026-12-05"' in html, f"{form.__module__}.{form.__name__}.{name}: {html}"


def test_the_widget_writes_iso_in_every_language_and_reads_what_the_browser_sends():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            assert 'value="2026-12-05"' in DateInput().render("on", date(2026, 12, 5))
            field = forms.DateField(widget=DateInput())
            assert field.clean("2026-12-05") == date(2026, 12, 5)


@pytest.mark.parametrize(
    "today, offered", [(date(2025, 3, 10), date(2025, 3, 10)), (date(2026, 12, 5), date(2025, 12, 31))]
)
def test_the_safeguard_record_page_offers_a_day_in_its_date_field(client_for, olga, plan, today, offered):
    """Today inside the plan; after it, the plan's last day (tests/indicators/test_safeguards.py)."""
    with time_machine.travel(today):
        html = client_for(olga).get(reverse("safeguard-record", args=["dual-leader-system"])).content.decode()
    field = re.search(r'<input type="date" name="on"[^>]*>', html).group(0)
    assert f'value="{offered.isoformat()}"' in field

"""The main navigation, rendered once per process for each (language, role) and then reused.

Every page draws it, and its dozen reversed URLs and translated labels cost more than some cached
dashboards' own work. It depends on nothing but the language and the reader's role (the user's name,
the CSRF-protected forms and the current path stay in base.html, rendered per request).
"""

from django import template
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import mark_safe

from chuxiong_portal import access

register = template.Library()
_rendered: dict[tuple, str] = {}


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    user = context["user"]
    is_office = access.is_office(user)
    role = getattr(user, "role", "")
    key = (translation.get_language(), role, is_office, get_script_prefix())
    html = _rendered.get(key)
    if html is None:
        html = _rendered[key] = render_to_string("_nav.html", {"role": role, "is_office": is_office})
    return mark_safe(html)

"""The 500 page, rendered without the portal's base template, names the language it is written in."""

import pytest
from django.test import override_settings
from django.utils import translation


@override_settings(DEBUG=False)
@pytest.mark.parametrize(("language", "title"), [("zh-hans", "系统暂时出错"), ("en", "Something went wrong")])
def test_the_500_page_says_its_language(rf, language, title):
    """In English the page's words were English under <html lang="zh-hans">: a screen reader read them as Chinese and
    the English rules of portal.css (html[lang="en"] …) did not apply."""
    from django.views.defaults import server_error

    with translation.override(language):
        page = server_error(rf.get("/")).content.decode()
    assert f'<html lang="{language}">' in page and title in page

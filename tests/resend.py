"""A form of a page as the browser would send it again: what a refused page drew is what the user sends by pressing
the button once more (tests of "a page left open": the refusal keeps what was typed and holds the current token)."""

from lxml import html


def form_data(page: str, xpath: str) -> dict[str, str]:
    """The fields of the one form `xpath` finds in `page`, as pressing its button sends them: inputs (checked boxes
    only, files left out), textareas and the options selected; the CSRF token left out (the test client skips it)."""
    (form,) = html.fromstring(page).xpath(xpath)
    data: dict[str, str] = {}
    for field in form.xpath(".//input[@name] | .//textarea[@name] | .//select[@name]"):
        name = field.get("name")
        if name == "csrfmiddlewaretoken" or field.get("type") in ("file", "submit"):
            continue
        if field.tag == "textarea":
            data[name] = field.text_content().removeprefix("\n")
        elif field.tag == "select":
            chosen = field.xpath(".//option[@selected]") or field.xpath(".//option")[:1]
            data[name] = chosen[0].get("value", chosen[0].text_content()) if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if field.get("checked") is not None:
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get("value", "")
    return data

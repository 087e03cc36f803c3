"""The portal's report form as a browser submits it: used by the load test and deploy/faults.sh (stdlib only)."""

from html.parser import HTMLParser


class FormParser(HTMLParser):
    """The fields of every <form> on a page, as a browser would submit them (disabled ones left out)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"fields": {}, "buttons": set()})
            return
        if not self.forms:
            return
        fields, name = self.forms[-1]["fields"], a.get("name")
        if tag == "option":  # the selected option, else the first one, as a browser submits it
            if self._select and ("selected" in a or fields.get(self._select) is None):
                fields[self._select] = a.get("value", "")
            return
        if not name or "disabled" in a:
            return
        if tag == "button" and name == "action":
            self.forms[-1]["buttons"].add(a.get("value", ""))
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in {"submit", "button", "image", "file", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            fields[name] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea":
            self._textarea = name
            fields[name] = ""
        elif tag == "select":
            self._select = name
            fields[name] = None

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            fields = self.forms[-1]["fields"]  # a browser drops the newline right after <textarea>
            fields[self._textarea] = fields[self._textarea].removeprefix("\r\n").removeprefix("\n")
            self._textarea = None
        elif tag == "select" and self._select:
            if self.forms and self.forms[-1]["fields"].get(self._select) is None:
                self.forms[-1]["fields"][self._select] = ""
            self._select = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def report_form(page: str) -> dict | None:
    """The report's own form, if the page lets this user save it."""
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        if "version" in form["fields"] and "save" in form["buttons"]:
            return form["fields"]
    return None

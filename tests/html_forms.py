"""The forms of a page as a browser would send them, for tests that speak HTTP to a real server
(the load test, the resilience suite), where the test client's form helpers are out of reach."""

from html.parser import HTMLParser


class Form:
    def __init__(self, action: str, method: str):
        self.action, self.method = action, method
        self.fields: dict[str, str] = {}


class FormParser(HTMLParser):
    """The forms of a page with the values a browser would send untouched: inputs, checked
    boxes and radios, selected options (or a select's first), text areas."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(Form(attrs.get("action", ""), attrs.get("method", "get").lower()))
        if not self.forms or ("name" not in attrs and tag != "option"):
            return
        fields = self.forms[-1].fields
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "file", "image", "reset"}:
                fields[attrs["name"]] = attrs.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self._select, self._select_first = attrs["name"], None
        elif tag == "option" and self._select is not None:
            if self._select_first is None:
                self._select_first = attrs.get("value", "")
                fields.setdefault(self._select, self._select_first)
            if "selected" in attrs:
                fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            fields[self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None and self.forms:
            self.forms[-1].fields[self._textarea] += data


def form_on(html: str, *, action: str = "", has: str = "") -> Form | None:
    """The post form of the page whose action ends with `action` (or that has a field `has`)."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form.method != "post":
            continue
        if (action and form.action.endswith(action)) or (has and has in form.fields):
            return form
    return None

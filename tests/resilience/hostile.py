"""Hostile input: the payload corpus, the check for markup that came out unescaped, the forms of
a page read from its HTML, and the pages of the permission matrix with the role that may see them."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve, reverse

from tests.test_permission_matrix import MATRIX, ROLES

HERE = Path(__file__).resolve().parent
ESCAPE = re.compile(r"\\(\\|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
TOKEN = re.compile(r"xss-\w+")
# The role that sees the most of each page: the owner's coordinator, then the youth worker,
# then the employer contact, then the admin.
PREFERRED = ["coord_rotterdam", "jw_rotterdam", "employer1", "admin", "coord_dordrecht"]
HUGE = "ä" * 100_000


def _unescape(line: str) -> str:
    return ESCAPE.sub(lambda m: "\\" if m[1] == "\\" else chr(int(m[1][1:], 16)), line)


def load_payloads() -> list[str]:
    """The corpus, one payload a line; comment lines start with '# '."""
    lines = (HERE / "payloads.txt").read_text(encoding="utf-8").splitlines()
    return [_unescape(line) for line in lines if line and not line.startswith("# ")]


PAYLOADS = load_payloads()


def signature(payload: str) -> str | None:
    """The markup of an XSS payload as it reads only when nobody escaped it: from its first
    `<`, `"` or `'` up to the end of its token. Escaped, each of these characters becomes an
    entity, so the signature can no longer be found in the page."""
    token = TOKEN.search(payload)
    if token is None:
        return None
    head = payload[: token.start()]
    starts = [head.find(ch) for ch in "<\"'" if ch in head]
    return payload[min(starts) : token.end()] if starts else None


SIGNATURES = {payload: sig for payload in PAYLOADS if (sig := signature(payload))}


def unescaped_markup(html: str) -> list[str]:
    """The XSS signatures found raw in a page: each is a bug."""
    if "xss-" not in html:
        return []
    return sorted({sig for sig in SIGNATURES.values() if sig in html})


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


@dataclass
class FoundForm:
    action: str
    method: str = "post"
    inputs: dict[str, dict] = field(default_factory=dict)  # name -> {type, values, multiple}
    initial: dict[str, list[str]] = field(default_factory=dict)  # what the form would send

    def initial_data(self) -> dict[str, list[str]]:
        return {name: values for name, values in self.initial.items() if values}


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self._form, self._select = page_url, [], None, None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            self._form = FoundForm(action=attrs.get("action") or self.page_url, method=method)
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "textarea", "select", "button") and attrs.get("name"):
            name = attrs["name"]
            if name == "csrfmiddlewaretoken":
                return
            kind = "textarea" if tag in ("textarea", "select") else attrs.get("type", "text")
            if tag == "select":
                kind = "select"
            entry = self._form.inputs.setdefault(
                name, {"type": kind, "values": [], "multiple": "multiple" in attrs}
            )
            initial = self._form.initial.setdefault(name, [])
            if attrs.get("value") is not None:
                entry["values"].append(attrs["value"])
                sent = kind not in ("checkbox", "radio", "submit") or "checked" in attrs
                if tag == "input" and sent:
                    initial.append(attrs["value"])
            if tag == "select":
                self._select, self._select_name = entry, name
            if tag == "textarea":
                self._textarea = initial
        elif tag == "option" and self._select is not None and attrs.get("value") is not None:
            self._select["values"].append(attrs["value"])
            if "selected" in attrs:
                self._form.initial[self._select_name].append(attrs["value"])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea[:] = ["".join(self._textarea).removeprefix("\n")]
            self._textarea = None


def forms_on(html: str, page_url: str, method: str = "post") -> list[FoundForm]:
    parser = _FormParser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if form.inputs and form.method == method]


def url_name_of(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def pages(world) -> list[tuple[str, str, set[str]]]:
    """Every page of the matrix read with GET: (url name, url, roles allowed)."""
    found = []
    for name, (build_args, allowed, method, *_) in sorted(MATRIX.items()):
        if method == "get":
            found.append(
                (name, reverse(name, args=build_args(world) if build_args else None), allowed)
            )
    return found


def preferred_role(allowed: set[str]) -> str:
    return next(role for role in PREFERRED + ROLES if role in allowed)

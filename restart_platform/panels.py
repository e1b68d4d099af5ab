"""Panel slots: how a page of a lower app shows a part that a higher app owns, without naming it.

A page leaves a slot named after itself, e.g. the young person's profile
`{% panel_slots "youth_detail" youth.pk %}`. Every URL pattern named `<slot>_panel`, in any
namespace (`matching:youth_detail_panel`, later `buddy:youth_detail_panel`), fills that slot:
the page gets one container per such URL that HTMX loads once the page is there, holding a
plain link to the same URL for a browser without JavaScript. The higher app's view answers the
fragment to HTMX and, opened through that link, the same fragment inside the base layout
(`render_panel`).

The URLconf is the only list: no registry, no callback. An app that is not installed has no
URL, so its panel is simply absent; panels come in the order of `restart_platform/urls.py`.
The page's view and template import nothing of the apps that fill its slots.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django import template
from django.apps import apps
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.cache import patch_vary_headers

register = template.Library()

PANEL_SUFFIX = "_panel"


@dataclass(frozen=True)
class Panel:
    name: str  # the URL name, e.g. "matching:youth_detail_panel"
    url: str
    title: str  # the owning app, for the fallback link


def panel_url_names(slot: str) -> list[str]:
    """The URL names that fill `slot`, in the URLconf's order."""
    return [name for name in _url_names(get_resolver()) if name.endswith(f":{slot}{PANEL_SUFFIX}")]


def _url_names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and namespace:
            yield f"{namespace}{entry.name}"


def _app_title(url_name: str) -> str:
    label = url_name.split(":")[0]
    try:
        return str(apps.get_app_config(label).verbose_name)
    except LookupError:
        return label


@register.inclusion_tag("includes/panel_slots.html")
def panel_slots(slot: str, *args) -> dict:
    """The containers of every panel that fills `slot`; `args` are the URL's (the record's pk)."""
    panels = [
        Panel(name=name, url=reverse(name, args=args), title=_app_title(name))
        for name in panel_url_names(slot)
    ]
    return {"panels": panels}


def render_panel(
    request: HttpRequest, template_name: str, context: dict, *, title: str, back_url: str
) -> HttpResponse:
    """The panel's fragment for HTMX; opened on its own (the fallback link), the same fragment in
    the base layout with a way back to the page it belongs on. `back_url` is also where the
    panel's forms return to."""
    context = {**context, "back_url": back_url}
    if request.htmx:
        response = render(request, template_name, context)
    else:
        page = {**context, "panel_template": template_name, "title": title}
        response = render(request, "panel_page.html", page)
    patch_vary_headers(response, ["HX-Request"])  # one URL, two answers: caches must tell
    return response

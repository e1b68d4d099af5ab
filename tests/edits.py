"""Posting an edit form as a browser does: with the fingerprint of the values the page showed
(restart_platform.stale_edits)."""

import re

from restart_platform.stale_edits import FINGERPRINT_FIELD, fingerprint

SHOWN_AS = re.compile(rf'name="{FINGERPRINT_FIELD}" value="([0-9a-f]*)"')


def shown_as(client, url: str) -> dict:
    """The fingerprint the edit page shows now, as POST data (nothing for a page without)."""
    found = SHOWN_AS.search(client.get(url).content.decode())
    return {FINGERPRINT_FIELD: found.group(1)} if found else {}


def post_edit(client, url: str, data: dict | None = None, **extra):
    """Open the edit page, then post `data` with the fingerprint it showed."""
    return client.post(url, {**shown_as(client, url), **(data or {})}, **extra)


def shown_of(record, *fields: str) -> dict:
    """A one-click form's fingerprint of `fields`, as its page shows the record now."""
    return {FINGERPRINT_FIELD: fingerprint(record, fields)}

"""Who is on the other end of a request: the one place that decides a client's address.

Behind a TLS proxy REMOTE_ADDR is the proxy. Each proxy we run appends the address it saw to
X-Forwarded-For, so with N trusted proxies the client is the N-th address from the right;
anything left of it was written by the client and is never believed. With no trusted proxy
(the default) the header is ignored entirely. The lockout (django-axes), the access log and the
change history (django-auditlog) all ask this function, so a forged header changes none of them.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, trusting only settings.TRUSTED_PROXY_HOPS proxies in front of us."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    hops = settings.TRUSTED_PROXY_HOPS
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if not forwarded:
        return remote
    # Fewer entries than trusted hops: every entry was written by one of our own proxies.
    candidate = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    return _valid(candidate) or remote


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None

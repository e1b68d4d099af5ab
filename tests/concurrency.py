"""Many requests at the same moment, for the races the database must settle."""

import threading

from django.db import connection
from django.test import Client


def post_at_once(user, url: str, data: dict | None = None, *, times: int) -> list:
    """POST `url` as `user` from `times` threads released together; the responses, in the order
    they came back. Each thread closes its own database connection."""
    clients = []
    for _ in range(times):
        client = Client(raise_request_exception=False)
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(times)
    responses = []

    def post(client):
        start.wait()
        try:
            responses.append(client.post(url, data or {}))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses

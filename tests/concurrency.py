"""Many requests at the same moment, for the races the database must settle."""

import threading

from django.db import close_old_connections, connection, transaction
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


def post_each_at_once(posts: list[tuple[Client, str, dict]]) -> list:
    """Each (client, url, data) POSTed from its own thread, released together; the responses in
    the order of `posts`. Each thread closes its own database connection."""
    start = threading.Barrier(len(posts))
    responses = [None] * len(posts)

    def post(index, client, url, data):
        start.wait()
        try:
            responses[index] = client.post(url, data)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(index, *entry)) for index, entry in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


def write_while_first_holds(first, second, *, hold: float = 0.5) -> list[Exception]:
    """`first` writes in a transaction that stays open `hold` seconds; `second` writes in another
    transaction meanwhile, so it meets the rows `first` locked. The errors either raised (none,
    if the database settles the race). Each thread closes its own database connection."""
    first_done, errors = threading.Event(), []

    def run(write, holds: bool) -> None:
        try:
            with transaction.atomic():
                write()
                if holds:
                    first_done.set()
                    threading.Event().wait(hold)  # the other one is waiting on the lock now
        except Exception as exc:  # reported to the test, with the thread's error
            errors.append(exc)
            first_done.set()
        finally:
            close_old_connections()
            connection.close()

    holding = threading.Thread(target=run, args=(first, True))
    meeting = threading.Thread(target=run, args=(second, False))
    holding.start()
    assert first_done.wait(10), "the first write did not finish"
    meeting.start()
    holding.join(10)
    meeting.join(10)
    return errors

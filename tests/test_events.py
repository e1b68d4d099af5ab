"""The domain events: one mechanism, visible registrations, and a docs page that tells the truth."""

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction

from restart_platform import events
from restart_platform.events import Event, catalogue, publish, subscribe, subscriber_name

EVENTS_PAGE = Path(__file__).resolve().parent.parent / "docs" / "events.md"
ROW = re.compile(r"^\| `(?P<event>[\w.]+)` \| .* \| (?P<subscribers>[^|]+) \|$")


def documented() -> dict[str, list[str]]:
    rows = {}
    for line in EVENTS_PAGE.read_text().splitlines():
        if match := ROW.match(line):
            names = re.findall(r"`([\w.]+)`", match["subscribers"])
            rows[match["event"]] = names
    return rows


def registered() -> dict[str, list[str]]:
    return {
        event_type.name(): [subscriber_name(subscriber) for subscriber in subscribers]
        for event_type, subscribers in catalogue()
        if not event_type.__module__.startswith("tests.")
    }


def test_the_events_page_lists_every_event_and_its_subscribers_in_running_order():
    assert documented() == registered()


def test_the_events_page_has_rows_to_compare():
    # The comparison above means nothing if the table cannot be read.
    assert "youth.YouthMerged" in documented()


@dataclass(frozen=True)
class _Happened(Event):
    """An event of this test alone."""

    value: int


@pytest.fixture
def calls():
    received = []
    yield received
    events._subscribers.pop(_Happened, None)


@pytest.mark.django_db
def test_subscribers_run_in_the_callers_transaction_and_roll_back_with_it(calls):
    from restart_platform.accounts.models import City

    @subscribe(_Happened)
    def write_a_city(event):
        City.objects.create(slug=f"stad-{event.value}", name=f"Stad {event.value}")
        raise RuntimeError("the reaction failed")

    def change_and_publish():
        with transaction.atomic():
            City.objects.create(slug="oorzaak", name="Oorzaak")
            publish(_Happened(value=1))

    with pytest.raises(RuntimeError):
        change_and_publish()
    assert not City.objects.filter(name__in=["Oorzaak", "Stad 1"]).exists()


@pytest.mark.django_db(transaction=True)
def test_publishing_outside_a_transaction_is_refused(calls):
    with pytest.raises(RuntimeError, match=r"inside transaction\.atomic"):
        publish(_Happened(value=2))


@pytest.mark.django_db
def test_subscribers_run_once_each_in_the_order_they_were_written(calls):
    def first(event):
        calls.append(("first", event.value))

    def second(event):
        calls.append(("second", event.value))

    subscribe(_Happened)(first)
    subscribe(_Happened)(second)
    subscribe(_Happened)(first)  # registering twice (a module imported twice) adds nothing
    with transaction.atomic():
        publish(_Happened(value=3))
    assert calls == [("first", 3), ("second", 3)]


def test_subscribers_of_higher_apps_run_after_those_of_lower_apps():
    order = [
        name.removeprefix("restart_platform.").split(".")[0]
        for name in registered()["youth.YouthMerged"]
    ]
    assert order == ["intake", "matching", "prep_programme", "buddy", "dashboard"]


def test_only_events_can_be_subscribed_to():
    with pytest.raises(TypeError):
        subscribe(dict)

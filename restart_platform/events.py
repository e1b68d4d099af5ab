"""Domain events: how an app tells the apps built on it that something happened.

Dependencies point one way (accounts, taxonomy <- employers, youth <- intake, matching, ...), so
a lower app cannot call a higher one. When a higher app must react to a change in a lower one
(a young person merged, a consent withdrawn), the lower app publishes an event and the higher
app subscribes to it:

- An event is a frozen dataclass that subclasses `Event`, defined in the `events.py` of the app
  that publishes it. Its fields are the payload, typed.
- An app that reacts lists every subscriber in its own `subscribers.py`, each decorated with
  `@subscribe(SomeEvent)`; the app's `AppConfig.ready()` imports that module. One file per app
  shows everything the app reacts to.
- `publish(event)` calls the subscribers at once, in the caller's transaction: what a subscriber
  writes commits or rolls back with the change that caused it, and a subscriber that raises
  undoes the whole change. The order is that of INSTALLED_APPS (lower apps first), then the
  order in which the subscribers appear in their module.

docs/events.md lists every event and its subscribers; a test fails when that page and the
registrations differ. Django signals are not used between our apps: they hide who listens.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.apps import apps
from django.db import transaction
from django.utils.module_loading import autodiscover_modules

E = TypeVar("E", bound="Event")
Subscriber = Callable[[E], None]

_event_types: list[type["Event"]] = []
_subscribers: dict[type["Event"], list[Callable]] = defaultdict(list)


@dataclass(frozen=True)
class Event:
    """Base of every domain event. Subclasses are frozen dataclasses with a docstring."""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _event_types.append(cls)

    @classmethod
    def name(cls) -> str:
        return f"{cls.__module__.split('.events')[0]}.{cls.__name__}"


def subscribe(event_type: type[E]) -> Callable[[Subscriber], Subscriber]:
    """Register the decorated function to run whenever `event_type` is published."""
    if not (isinstance(event_type, type) and issubclass(event_type, Event)):
        raise TypeError(f"{event_type!r} is not a domain event.")

    def register(subscriber: Subscriber) -> Subscriber:
        if subscriber not in _subscribers[event_type]:
            _subscribers[event_type].append(subscriber)
        return subscriber

    return register


def publish(event: "Event") -> None:
    """Run every subscriber of this event now, inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        # A reaction must commit or roll back with its cause; outside a transaction it could not.
        raise RuntimeError(f"Publish {type(event).__name__} inside transaction.atomic().")
    for subscriber in subscribers_of(type(event)):
        subscriber(event)


def subscribers_of(event_type: type["Event"]) -> list[Callable]:
    """The subscribers in the order they run: INSTALLED_APPS order, then order of registration."""
    app_order = {config.name: index for index, config in enumerate(apps.get_app_configs())}

    def app_index(subscriber: Callable) -> int:
        config = apps.get_containing_app_config(subscriber.__module__)
        return app_order[config.name] if config else len(app_order)

    return sorted(_subscribers[event_type], key=app_index)


def catalogue() -> list[tuple[type["Event"], list[Callable]]]:
    """Every event of the installed apps with its subscribers in running order (for the docs)."""
    autodiscover_modules("events")
    return [(event_type, subscribers_of(event_type)) for event_type in _event_types]


def subscriber_name(subscriber: Callable) -> str:
    return f"{subscriber.__module__}.{subscriber.__qualname__}"

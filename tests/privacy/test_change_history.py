"""The change history records that a field erasure scrubs was changed, never what it said: it
would otherwise be a second, unlogged file of a young person's notes and contact details (found
by the canaries of `make prove`, tests/resilience/test_canaries.py)."""

import json

import pytest
from auditlog.models import LogEntry
from django.db import models

from restart_platform.accounts.audit import MASKED
from restart_platform.privacy import sections
from youth import services as youth_services
from youth.models import NetworkFactor

from .conftest import MARK

pytestmark = pytest.mark.django_db


def history_text() -> str:
    return json.dumps(
        list(LogEntry.objects.values("object_repr", "changes", "changes_text", "additional_data")),
        default=str,
    )


def test_no_scrubbed_field_is_copied_into_the_change_history(world):
    history = history_text()
    copied = []
    for section in sections():
        for row in section.rows_of(world["youth"]):
            for name in section.scrub:
                value = getattr(row, name)
                if isinstance(value, str) and MARK in value and value in history:
                    copied.append(f"{section.model._meta.label}.{name}")
    assert copied == []
    # The edits are there all the same, masked.
    assert MASKED in history


def test_every_scrubbed_field_is_masked_whatever_its_name(world):
    from auditlog.registry import auditlog

    for section in sections():
        masked = set(auditlog.get_model_fields(section.model)["mask_fields"])
        assert set(section.scrub) <= masked, section.model


def test_a_network_factor_is_named_in_the_history_without_its_description(world):
    factor = NetworkFactor.objects.get(youth=world["youth"])
    entries = LogEntry.objects.get_for_object(factor)
    assert entries.exists()
    assert all(factor.description not in entry.object_repr for entry in entries)
    assert isinstance(NetworkFactor._meta.get_field("description"), models.CharField)


def test_a_network_factor_removed_before_the_erasure_leaves_no_text_behind(
    world, coord_rotterdam, jw_rotterdam
):
    youth = world["youth"]
    factor = NetworkFactor.objects.get(youth=youth)
    description = factor.description
    youth_services.network_factor_delete(factor=factor, by=jw_rotterdam)
    youth_services.youth_erase(youth=youth, by=coord_rotterdam, reason="verzoek")
    assert description not in history_text()


def test_masking_keeps_the_rest_of_the_registration():
    from auditlog.registry import auditlog

    from youth.models import YoungPerson

    # Many-to-many changes (skills, interests) are still recorded for the young person.
    assert auditlog._registry[YoungPerson]["m2m_fields"]

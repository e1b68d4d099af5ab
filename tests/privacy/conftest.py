"""A young person with a row of every kind the platform holds about them, and a unique marker
string planted in every free-text field that erasure must overwrite."""

import itertools

import pytest
from django.db import models

from restart_platform.accounts.audit import log_access
from restart_platform.privacy import sections
from tests.worlds import young_person_with_every_record
from youth.models import JourneyChange

MARK = "zqx7"  # every planted marker starts with it; nothing else in the test world does


def plant_markers(youth) -> list[str]:
    """Overwrite every field that erasure scrubs with a unique marker, through save(), so the
    change history records them as a real edit would. Returns the markers."""
    counter = itertools.count(1)
    planted = []
    for section in sections():
        text_fields = [
            name
            for name in (*section.scrub, *section.replace)
            if isinstance(section.model._meta.get_field(name), models.CharField | models.TextField)
        ]
        for row in section.rows_of(youth):
            for name in text_fields:
                model_field = row._meta.get_field(name)
                number = next(counter)
                # Unique: the number ends with an "x", so no marker is the start of another.
                marker = f"{MARK}{number}x-{section.model.__name__}.{name}"
                if isinstance(model_field, models.EmailField):
                    marker = f"{MARK}{number}x@example.org"
                elif model_field.max_length:
                    marker = marker[: max(model_field.max_length, len(f"{MARK}{number}x"))]
                setattr(row, name, marker)
                planted.append(marker)
            if text_fields:
                row.save(update_fields=text_fields)
    return planted


@pytest.fixture
def world(rotterdam, coord_rotterdam, jw_rotterdam, employer_contact1, admin):
    world = young_person_with_every_record(
        rotterdam=rotterdam, coord=coord_rotterdam, jw=jw_rotterdam, employer_user=employer_contact1
    )
    youth = world["youth"]
    markers = plant_markers(youth)
    youth.refresh_from_db()
    # A search for their name, in the access log as its full path.
    log_access(
        user=coord_rotterdam, target=youth, path=f"/youth/?q={youth.last_name}&city=rotterdam"
    )
    assert not JourneyChange.objects.filter(youth=youth).filter(reason="gesprek").exists()
    return {**world, "youth": youth, "markers": markers}

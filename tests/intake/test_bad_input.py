"""A date far off on the intake forms is a clear Dutch message, never a 500 (the end time and
the reminders of a meeting in the year 9999 overflowed); the service refuses it too."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from intake import services
from intake.models import IntakeMeeting
from tests.edits import post_edit
from tests.intake.test_meetings import schedule_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31"])
def test_planning_an_intake_far_off_is_refused_with_a_message(client_for, jw_rotterdam, youth, day):
    response = client_for(jw_rotterdam).post(
        reverse("intake:intake_create") + f"?youth={youth.pk}",
        schedule_data(date=day) | {"youth": youth.pk},
    )
    assert response.status_code == 200
    assert "Geef een datum tussen" in " ".join(response.context["form"].errors["date"])
    assert not IntakeMeeting.objects.exists()


def test_moving_an_intake_to_the_year_9999_is_refused_with_a_message(
    client_for, jw_rotterdam, meeting
):
    response = post_edit(
        client_for(jw_rotterdam),
        reverse("intake:intake_edit", args=[meeting.pk]),
        schedule_data(date="9999-12-31"),
    )
    assert response.status_code == 200
    assert "Geef een datum tussen" in " ".join(response.context["form"].errors["date"])
    meeting.refresh_from_db()
    assert meeting.starts_at.year < 9999


def test_the_service_refuses_a_meeting_in_the_year_9999(youth, jw_rotterdam):
    starts_at = dt.datetime(9999, 12, 31, 22, 0, tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as refused:
        services.intake_schedule(
            youth=youth, by=jw_rotterdam, starts_at=starts_at, place="Ergens", duration_minutes=60
        )
    assert "starts_at" in refused.value.message_dict
    assert not IntakeMeeting.objects.exists()

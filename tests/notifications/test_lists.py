"""List pages keep a constant number of queries as rows grow."""

import pytest
from django.urls import reverse
from django.utils import timezone

from restart_platform.notifications.models import Notification, Reminder

pytestmark = pytest.mark.django_db


def add_notifications(user, count):
    Notification.objects.bulk_create(
        Notification(user=user, title=f"Melding {i}", url="/") for i in range(count)
    )


def add_failed(user, city, count):
    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            key=f"f-{city.pk}-{i}",
            kind="general",
            due_at=now,
            next_attempt_at=now,
            recipient=user,
            city=city,
            status=Reminder.Status.FAILED,
            attempts=6,
            last_error="SMTP down",
        )
        for i in range(count)
    )


@pytest.mark.parametrize("rows", [10, 200])
def test_the_notification_list_keeps_its_query_count(
    client_for, coord_rotterdam, django_assert_max_num_queries, rows
):
    add_notifications(coord_rotterdam, rows)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notifications:notification_list"))
    assert len(response.context["page"].object_list) == min(rows, 25)


@pytest.mark.parametrize("rows", [10, 200])
def test_the_failed_reminder_list_keeps_its_query_count(
    client_for, coord_rotterdam, jw_rotterdam, rotterdam, django_assert_max_num_queries, rows
):
    add_failed(jw_rotterdam, rotterdam, rows)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("notifications:reminder_failed_list"))
    assert len(response.context["page"].object_list) == min(rows, 25)


def test_the_notification_list_is_paginated_and_has_an_empty_state(client_for, coord_rotterdam):
    client = client_for(coord_rotterdam)
    assert (
        "Je hebt nog geen meldingen"
        in client.get(reverse("notifications:notification_list")).content.decode()
    )
    add_notifications(coord_rotterdam, 30)
    second = client.get(reverse("notifications:notification_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_opening_a_notification_marks_it_read_and_follows_its_link(client_for, coord_rotterdam):
    notification = Notification.objects.create(
        user=coord_rotterdam, title="Een", url="/notifications/"
    )
    response = client_for(coord_rotterdam).post(
        reverse("notifications:notification_open", args=[notification.pk])
    )
    assert response["Location"] == "/notifications/"
    notification.refresh_from_db()
    assert notification.is_read


def test_following_a_notification_link_with_get_marks_nothing_read(client_for, coord_rotterdam):
    notification = Notification.objects.create(
        user=coord_rotterdam, title="Een", url="/notifications/"
    )
    url = reverse("notifications:notification_open", args=[notification.pk])
    client = client_for(coord_rotterdam)
    page = client.get(url)
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    notification.refresh_from_db()
    assert not notification.is_read
    # Once read, the link goes straight to its page.
    client.post(url)
    assert client.get(url)["Location"] == "/notifications/"


def test_a_notification_link_never_leads_off_the_site(client_for, coord_rotterdam):
    notification = Notification.objects.create(
        user=coord_rotterdam, title="Een", url="https://evil.example/"
    )
    response = client_for(coord_rotterdam).post(
        reverse("notifications:notification_open", args=[notification.pk])
    )
    assert response["Location"] == reverse("notifications:notification_list")


def test_mark_all_read_clears_the_unread_count(client_for, coord_rotterdam):
    add_notifications(coord_rotterdam, 3)
    client = client_for(coord_rotterdam)
    client.post(reverse("notifications:notification_read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_a_coordinator_sees_failed_reminders_of_their_city_only(
    client_for, coord_dordrecht, jw_rotterdam, rotterdam
):
    add_failed(jw_rotterdam, rotterdam, 2)
    response = client_for(coord_dordrecht).get(reverse("notifications:reminder_failed_list"))
    assert list(response.context["page"].object_list) == []


def test_failed_reminders_without_a_city_are_listed_to_admins_only(
    client_for, admin, coord_rotterdam, coord_dordrecht, jw_rotterdam
):
    now = timezone.now()
    cityless = Reminder.objects.create(
        key="f-no-city",
        kind="general",
        due_at=now,
        next_attempt_at=now,
        recipient=jw_rotterdam,
        status=Reminder.Status.FAILED,
    )
    url = reverse("notifications:reminder_failed_list")
    for coordinator in (coord_rotterdam, coord_dordrecht):
        assert list(client_for(coordinator).get(url).context["page"].object_list) == []
        retry = reverse("notifications:reminder_retry", args=[cityless.pk])
        assert client_for(coordinator).post(retry).status_code == 404
    assert list(client_for(admin).get(url).context["page"].object_list) == [cityless]

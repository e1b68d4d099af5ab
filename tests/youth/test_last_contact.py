"""The stored last contact (LastContact) follows the contact moments on every path that writes
them: the service, the admin, a merge, a bulk insert, a queryset update or delete, and two
contacts logged at the same moment. The database keeps it (triggers), so each test checks the
stored row against the contact moments themselves."""

import datetime as dt

import pytest
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tests.concurrency import write_while_first_holds
from youth.factories import ContactMomentFactory, YoungPersonFactory
from youth.models import ContactMoment, LastContact, YoungPerson
from youth.services import contact_log, youth_merge


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def stored(youth: YoungPerson) -> dt.date | None:
    return LastContact.objects.filter(youth=youth).values_list("date", flat=True).first()


def latest_contact(youth: YoungPerson) -> dt.date | None:
    return ContactMoment.objects.filter(youth=youth).aggregate(latest=Max("date"))["latest"]


@pytest.fixture
def person(youth):
    return youth


class TestEveryPathKeepsIt:
    def test_a_young_person_without_contacts_has_none(self, person):
        assert stored(person) is None

    def test_the_service_keeps_the_newest_date_whatever_the_order_contacts_are_logged_in(
        self, person, jw_rotterdam
    ):
        log = {"youth": person, "by": jw_rotterdam, "kind": "phone", "summary": "Gebeld"}
        contact_log(**log, date=days_ago(10))
        assert stored(person) == days_ago(10)
        contact_log(**log, date=days_ago(40))  # logged late: an older contact
        assert stored(person) == days_ago(10)
        contact_log(**log, date=days_ago(2))
        assert stored(person) == days_ago(2)

    def test_a_changed_date_and_a_deleted_contact_are_followed(self, person):
        newest = ContactMomentFactory(youth=person, date=days_ago(3))
        ContactMomentFactory(youth=person, date=days_ago(20))
        newest.date = days_ago(30)
        newest.save()
        assert stored(person) == days_ago(20)
        ContactMoment.objects.filter(date=days_ago(20)).delete()
        assert stored(person) == days_ago(30)
        newest.delete()
        assert stored(person) is None

    def test_a_saved_summary_leaves_it_as_it_is(self, person):
        contact = ContactMomentFactory(youth=person, date=days_ago(5))
        contact.summary = "[verwijderd]"
        contact.save()
        assert stored(person) == days_ago(5)

    def test_bulk_writes_that_skip_save_are_followed_too(self, person, jw_rotterdam):
        other = YoungPersonFactory(youth_worker=jw_rotterdam, city=person.city)
        ContactMoment.objects.bulk_create(
            ContactMoment(youth=who, author=jw_rotterdam, kind="phone", date=when, summary="-")
            for who, when in [(person, days_ago(9)), (person, days_ago(4)), (other, days_ago(60))]
        )
        assert (stored(person), stored(other)) == (days_ago(4), days_ago(60))
        ContactMoment.objects.filter(youth=person).update(date=days_ago(50))
        assert stored(person) == days_ago(50)
        ContactMoment.objects.filter(youth=other).update(youth=person)  # moved by hand
        assert (stored(person), stored(other)) == (days_ago(50), None)

    def test_a_merge_gives_the_record_kept_the_newest_of_both(self, person, coord_rotterdam):
        duplicate = YoungPersonFactory(youth_worker=person.youth_worker, city=person.city)
        ContactMomentFactory(youth=person, date=days_ago(45))
        ContactMomentFactory(youth=duplicate, date=days_ago(6))
        youth_merge(keep=person, duplicate=duplicate, by=coord_rotterdam)
        assert (stored(person), stored(duplicate)) == (days_ago(6), None)
        assert stored(person) == latest_contact(person)

    def test_deleting_the_young_person_removes_it(self, jw_rotterdam, rotterdam):
        person = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)
        ContactMomentFactory(youth=person, date=days_ago(1))
        person.delete()
        assert not LastContact.objects.exists()


class TestTheAdminPath:
    def test_a_contact_added_changed_and_deleted_in_the_admin_is_followed(
        self, client_for, admin, person, jw_rotterdam
    ):
        client = client_for(admin)
        form = {
            "youth": person.pk,
            "author": jw_rotterdam.pk,
            "kind": "phone",
            "date": days_ago(7).isoformat(),
            "summary": "Via de beheeromgeving",
        }
        response = client.post(reverse("admin:youth_contactmoment_add"), form)
        assert response.status_code == 302, response.content.decode()[:2000]
        contact = ContactMoment.objects.get(youth=person)
        assert stored(person) == days_ago(7)

        change = reverse("admin:youth_contactmoment_change", args=[contact.pk])
        response = client.post(change, {**form, "date": days_ago(35).isoformat()})
        assert response.status_code == 302
        assert stored(person) == days_ago(35)

        delete = reverse("admin:youth_contactmoment_delete", args=[contact.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 302
        assert stored(person) is None

    def test_it_has_no_admin_page_of_its_own(self):
        # Django never writes it: the admin offers no way to.
        with pytest.raises(NoReverseMatch):
            reverse("admin:youth_lastcontact_changelist")


@pytest.mark.django_db(transaction=True)
def test_two_contacts_logged_at_the_same_moment_keep_the_newer_date(
    require_postgres, jw_rotterdam, rotterdam
):
    """The first transaction logs the newer contact and stays open; the second logs an older one
    meanwhile. The second waits for the first (the young person's row is locked) and then
    reads its contact, so the newer date is kept and neither fails."""
    person = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)
    errors = write_while_first_holds(
        lambda: ContactMomentFactory(youth=person, author=jw_rotterdam, date=days_ago(1)),
        lambda: ContactMomentFactory(youth=person, author=jw_rotterdam, date=days_ago(90)),
    )
    assert errors == []
    assert ContactMoment.objects.filter(youth=person).count() == 2
    assert stored(person) == days_ago(1) == latest_contact(person)

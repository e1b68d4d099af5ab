"""Youth workers and coordinators keep the profiles of young people: who may open them, how a
young person is registered, edited, moved, and how duplicates are found and merged."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from intake.factories import IntakeMeetingFactory
from restart_platform.accounts.models import AccessEvent
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import reminders_dispatch_due
from restart_platform.taxonomy.models import InterestArea, Skill
from tests.edits import post_edit, shown_of
from tests.youth.conftest import ALLOWED, REFUSED, many_young_people
from youth import services
from youth.factories import (
    BarrierFactory,
    ConsentFactory,
    ContactMomentFactory,
    NetworkFactorFactory,
    YoungPersonFactory,
    born_years_ago,
)
from youth.models import Barrier, CaseloadChange, Consent, ContactMoment, JourneyChange, YoungPerson
from youth.selectors import target_group_exceptions

pytestmark = pytest.mark.django_db

PROFILE_PAGES = ["youth:youth_detail", "youth:youth_edit"]
PROFILE_POSTS = ["youth:youth_move_caseload", "youth:youth_journey"]
LIST_PAGES = ["youth:youth_list", "dashboard:caseload", "youth:youth_create"]


def new_youth_data(city, worker, **overrides):
    data = {
        "first_name": "Noah",
        "last_name": "Bakker",
        "date_of_birth": born_years_ago(19).isoformat(),
        "email": "noah.bakker@example.org",
        "phone": "06 12345678",
        "postcode": "3072ab",
        "city": city.pk,
        "youth_worker": worker.pk,
        "referred_by": "rmc",
        "left_school_on": (timezone.localdate() - dt.timedelta(days=90)).isoformat(),
        "travel_range_km": 10,
        "available_days": ["mon", "wed"],
        "available_hours": 24,
        "interests": [area.pk for area in InterestArea.objects.active()[:2]],
        "skills": [skill.pk for skill in Skill.objects.active()[:3]],
    }
    return {**data, **overrides}


def edit_data(youth, **overrides):
    data = {
        "first_name": youth.first_name,
        "last_name": youth.last_name,
        "date_of_birth": youth.date_of_birth.isoformat(),
        "email": youth.email,
        "phone": youth.phone,
        "city": youth.city_id,
        "youth_worker": youth.youth_worker_id,
        "referred_by": youth.referred_by,
        "left_school_on": youth.left_school_on.isoformat() if youth.left_school_on else "",
        "at_risk_of_leaving": "on" if youth.at_risk_of_leaving else "",
        "target_group_reason": youth.target_group_reason,
        "travel_range_km": youth.travel_range_km,
        "ambitions": youth.ambitions,
        "version": youth.version,
    }
    return {**data, **overrides}


def access_events(youth, outcome):
    return AccessEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(YoungPerson),
        object_id=str(youth.pk),
        outcome=outcome,
    )


class TestWhoMayOpenAProfile:
    @pytest.mark.parametrize("name", PROFILE_PAGES)
    @pytest.mark.parametrize("role", ALLOWED)
    def test_staff_of_the_city_and_the_own_youth_worker_open_the_profile_pages(
        self, name, role, people, client_for, youth
    ):
        response = client_for(people[role]).get(reverse(name, args=[youth.pk]))
        assert response.status_code == 200

    @pytest.mark.parametrize("name", PROFILE_PAGES)
    @pytest.mark.parametrize("role", REFUSED)
    def test_another_youth_worker_the_other_city_and_employers_get_404(
        self, name, role, people, client_for, youth
    ):
        assert client_for(people[role]).get(reverse(name, args=[youth.pk])).status_code == 404

    @pytest.mark.parametrize("name", PROFILE_POSTS)
    @pytest.mark.parametrize("role", REFUSED)
    def test_others_cannot_move_or_change_the_journey(self, name, role, people, client_for, youth):
        data = {"to_status": "intake", "to_worker": people["jw_rotterdam2"].pk}
        response = client_for(people[role]).post(reverse(name, args=[youth.pk]), data)
        assert response.status_code == 404
        youth.refresh_from_db()
        assert (youth.journey, youth.youth_worker) == ("registered", people["jw_rotterdam"])

    @pytest.mark.parametrize("role", ALLOWED)
    def test_those_allowed_change_the_journey(self, role, people, client_for, youth):
        response = client_for(people[role]).post(
            reverse("youth:youth_journey", args=[youth.pk]),
            {"to_status": "intake", **shown_of(youth, "journey")},
        )
        assert response.status_code == 302
        assert YoungPerson.objects.get(pk=youth.pk).journey == "intake"

    @pytest.mark.parametrize("name", LIST_PAGES)
    @pytest.mark.parametrize(
        "role", ["admin", "coord_rotterdam", "coord_dordrecht", "jw_rotterdam", "jw_rotterdam2"]
    )
    def test_every_youth_worker_and_coordinator_has_the_list_pages(
        self, name, role, people, client_for
    ):
        assert client_for(people[role]).get(reverse(name)).status_code == 200

    @pytest.mark.parametrize("name", [*LIST_PAGES, "youth:youth_merge"])
    @pytest.mark.parametrize("role", ["employer1", "employer2"])
    def test_employer_contacts_get_404_on_every_youth_page(self, name, role, people, client_for):
        assert client_for(people[role]).get(reverse(name)).status_code == 404

    @pytest.mark.parametrize("role", ["jw_rotterdam", "jw_rotterdam2"])
    def test_youth_workers_get_404_on_merging(self, role, people, client_for):
        assert client_for(people[role]).get(reverse("youth:youth_merge")).status_code == 404

    @pytest.mark.parametrize("name", PROFILE_PAGES)
    @pytest.mark.parametrize("role", ALLOWED)
    def test_each_look_at_a_profile_is_logged(self, name, role, people, client_for, youth):
        client_for(people[role]).get(reverse(name, args=[youth.pk]))
        event = access_events(youth, AccessEvent.Outcome.ALLOWED).get()
        assert event.actor == people[role]

    @pytest.mark.parametrize("name", PROFILE_PAGES + PROFILE_POSTS)
    @pytest.mark.parametrize("role", ["jw_rotterdam2", "coord_dordrecht"])
    def test_a_refused_attempt_is_logged_as_refused(self, name, role, people, client_for, youth):
        client = client_for(people[role])
        client.post(reverse(name, args=[youth.pk])) if name in PROFILE_POSTS else client.get(
            reverse(name, args=[youth.pk])
        )
        assert access_events(youth, AccessEvent.Outcome.DENIED).get().actor == people[role]
        assert not access_events(youth, AccessEvent.Outcome.ALLOWED).exists()

    def test_a_hidden_profile_answers_the_same_404_as_a_missing_one(
        self, client_for, jw_rotterdam2, youth
    ):
        client = client_for(jw_rotterdam2)
        hidden_url = reverse("youth:youth_detail", args=[youth.pk])
        missing_url = reverse("youth:youth_detail", args=[999_999])
        hidden, missing = client.get(hidden_url), client.get(missing_url)
        assert hidden.status_code == missing.status_code == 404
        assert without_request_details(hidden, hidden_url) == without_request_details(
            missing, missing_url
        )


def without_request_details(response, url: str) -> str:
    """The body less what differs per request anyway: the CSRF token, the path asked for."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return html.replace(url, "<url>")


class TestRegistration:
    def test_a_youth_worker_registers_a_young_person_in_their_own_caseload(
        self, client_for, jw_rotterdam, rotterdam
    ):
        client = client_for(jw_rotterdam)
        form = client.get(reverse("youth:youth_create")).context["form"]
        assert (
            form["youth_worker"].initial == jw_rotterdam.pk
        )  # a youth worker starts with themselves
        assert list(form.fields["city"].queryset) == [rotterdam]
        data = new_youth_data(rotterdam, jw_rotterdam)
        response = client.post(reverse("youth:youth_create"), data)
        youth = YoungPerson.objects.get()
        assert response.status_code == 302
        assert response["Location"] == youth.get_absolute_url()
        assert (youth.youth_worker, youth.city, youth.postcode) == (
            jw_rotterdam,
            rotterdam,
            "3072 AB",
        )
        assert youth.available_days == ["mon", "wed"]
        assert sorted(youth.interests.values_list("pk", flat=True)) == sorted(data["interests"])
        assessments = youth.skill_assessments.all()
        assert sorted(a.skill_id for a in assessments) == sorted(data["skills"])
        assert {a.assessed_by for a in assessments} == {jw_rotterdam}
        assert CaseloadChange.objects.get(youth=youth).youth_worker == jw_rotterdam
        assert JourneyChange.objects.get(youth=youth).to_status == "registered"
        assert Reminder.objects.filter(kind="youth.no_contact").exists()

    @pytest.mark.parametrize(
        "born",
        [
            pytest.param(lambda: born_years_ago(15), id="15"),
            pytest.param(lambda: born_years_ago(27), id="27"),
            pytest.param(lambda: timezone.localdate() + dt.timedelta(days=1), id="future"),
        ],
    )
    def test_the_programme_is_for_ages_16_to_26_born_in_the_past(
        self, client_for, jw_rotterdam, rotterdam, born
    ):
        data = new_youth_data(rotterdam, jw_rotterdam, date_of_birth=born().isoformat())
        response = client_for(jw_rotterdam).post(reverse("youth:youth_create"), data)
        assert response.status_code == 200
        assert "date_of_birth" in response.context["form"].errors
        assert not YoungPerson.objects.exists()

    @pytest.mark.parametrize("years", [16, 26])
    def test_16_and_26_year_olds_are_welcome(self, client_for, jw_rotterdam, rotterdam, years):
        data = new_youth_data(
            rotterdam,
            jw_rotterdam,
            date_of_birth=born_years_ago(years).isoformat(),
            has_startkwalificatie="on",
            target_group_reason="Diploma niet erkend; wil toch via de leerwerkplek instromen.",
        )
        assert client_for(jw_rotterdam).post(reverse("youth:youth_create"), data).status_code == 302

    def test_under_18_without_startkwalificatie_needs_the_school_arrangement(
        self, client_for, jw_rotterdam, rotterdam
    ):
        client = client_for(jw_rotterdam)
        data = new_youth_data(rotterdam, jw_rotterdam, date_of_birth=born_years_ago(17).isoformat())
        response = client.post(reverse("youth:youth_create"), data)
        assert "school_obligation_arrangement" in response.context["form"].errors
        assert not YoungPerson.objects.exists()
        arranged = {**data, "school_obligation_arrangement": "Twee dagen school via het RMC"}
        assert client.post(reverse("youth:youth_create"), arranged).status_code == 302
        youth = YoungPerson.objects.get()
        assert youth.must_attend_school
        page = client.get(youth.get_absolute_url()).content.decode()
        assert 'data-testid="must-attend-school"' in page

    def test_under_18_with_a_startkwalificatie_needs_no_arrangement(
        self, client_for, jw_rotterdam, rotterdam
    ):
        data = new_youth_data(
            rotterdam,
            jw_rotterdam,
            date_of_birth=born_years_ago(17).isoformat(),
            has_startkwalificatie="on",
            target_group_reason="Diploma niet erkend; wil toch via de leerwerkplek instromen.",
        )
        assert client_for(jw_rotterdam).post(reverse("youth:youth_create"), data).status_code == 302

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"first_name": ""}, "first_name"),
            ({"postcode": "0123 AB"}, "postcode"),
            ({"phone": "bel me"}, "phone"),
            ({"email": "geen-mail"}, "email"),
            ({"date_of_birth": "31-02-2005"}, "date_of_birth"),
            ({"available_days": ["someday"]}, "available_days"),
            ({"travel_range_km": 500}, "travel_range_km"),
            ({"referred_by": ""}, "referred_by"),
        ],
    )
    def test_bad_details_are_refused_with_a_message(
        self, client_for, jw_rotterdam, rotterdam, overrides, field
    ):
        data = new_youth_data(rotterdam, jw_rotterdam, **overrides)
        response = client_for(jw_rotterdam).post(reverse("youth:youth_create"), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not YoungPerson.objects.exists()

    def test_a_youth_worker_registers_only_in_their_own_city(
        self, client_for, jw_rotterdam, dordrecht
    ):
        data = new_youth_data(dordrecht, jw_rotterdam)
        response = client_for(jw_rotterdam).post(reverse("youth:youth_create"), data)
        assert "city" in response.context["form"].errors

    def test_a_coordinator_cannot_register_in_the_other_city(
        self, client_for, coord_dordrecht, jw_rotterdam, rotterdam
    ):
        data = new_youth_data(rotterdam, jw_rotterdam)
        response = client_for(coord_dordrecht).post(reverse("youth:youth_create"), data)
        assert {"city", "youth_worker"} <= set(response.context["form"].errors)

    def test_the_youth_worker_must_work_in_the_young_persons_city(
        self, client_for, admin, jw_dordrecht, rotterdam
    ):
        data = new_youth_data(rotterdam, jw_dordrecht)
        response = client_for(admin).post(reverse("youth:youth_create"), data)
        assert "youth_worker" in response.context["form"].errors


class TestDuplicates:
    @pytest.mark.parametrize(
        "same",
        [
            pytest.param(
                {"first_name": "sem", "last_name": "De Boer", "email": "", "phone": ""},
                id="name-and-birth-date",
            ),
            pytest.param({"email": "SEM@example.org"}, id="email"),
            pytest.param({"phone": "06 99887766"}, id="phone"),
        ],
    )
    def test_a_possible_duplicate_is_shown_before_saving_and_saved_after_confirming(
        self, client_for, jw_rotterdam, rotterdam, youth, same
    ):
        YoungPerson.objects.filter(pk=youth.pk).update(email="sem@example.org", phone="06 99887766")
        data = new_youth_data(
            rotterdam, jw_rotterdam, date_of_birth=youth.date_of_birth.isoformat(), **same
        )
        client = client_for(jw_rotterdam)
        first = client.post(reverse("youth:youth_create"), data)
        assert first.status_code == 200
        assert first.context["form"].possible_duplicates == [youth]
        assert youth.get_absolute_url() in first.content.decode()
        assert YoungPerson.objects.count() == 1
        confirmed = client.post(
            reverse("youth:youth_create"), {**data, "confirm_not_duplicate": "on"}
        )
        assert confirmed.status_code == 302
        assert YoungPerson.objects.count() == 2

    def test_a_duplicate_in_another_caseload_is_mentioned_but_never_shown(
        self, client_for, jw_rotterdam2, rotterdam, youth
    ):
        data = new_youth_data(
            rotterdam,
            jw_rotterdam2,
            first_name=youth.first_name,
            last_name=youth.last_name,
            date_of_birth=youth.date_of_birth.isoformat(),
        )
        response = client_for(jw_rotterdam2).post(reverse("youth:youth_create"), data)
        form = response.context["form"]
        assert (form.possible_duplicates, form.hidden_duplicates) == ([], 1)
        page = response.content.decode()
        assert 'data-testid="hidden-duplicate"' in page
        assert "Mogelijk dubbel: vraag het je coördinator." in page
        for detail in [youth.case_reference, youth.email, youth.get_absolute_url()]:
            assert detail not in page
        assert YoungPerson.objects.count() == 1

    def test_every_duplicate_check_is_written_to_the_access_log(
        self, client_for, jw_rotterdam, jw_rotterdam2, rotterdam, youth
    ):
        same = new_youth_data(
            rotterdam,
            jw_rotterdam2,
            first_name=youth.first_name,
            last_name=youth.last_name,
            date_of_birth=youth.date_of_birth.isoformat(),
        )
        client_for(jw_rotterdam2).post(reverse("youth:youth_create"), same)
        client_for(jw_rotterdam).post(reverse("youth:youth_create"), same)
        client_for(jw_rotterdam).post(
            reverse("youth:youth_create"), new_youth_data(rotterdam, jw_rotterdam)
        )
        checks = AccessEvent.objects.filter(action="duplicate_check").order_by("pk")
        assert [(e.actor, e.object_id, e.outcome) for e in checks] == [
            (jw_rotterdam2, str(youth.pk), "denied"),
            (jw_rotterdam, str(youth.pk), "allowed"),
            (jw_rotterdam, "", "not_found"),
        ]

    def test_a_different_person_is_no_duplicate(self, client_for, jw_rotterdam, rotterdam, youth):
        data = new_youth_data(rotterdam, jw_rotterdam)
        assert client_for(jw_rotterdam).post(reverse("youth:youth_create"), data).status_code == 302

    def test_merging_moves_barriers_consents_and_contacts_and_hides_the_duplicate(
        self, client_for, coord_rotterdam, jw_rotterdam, youth
    ):
        duplicate = YoungPersonFactory(
            first_name=youth.first_name, last_name=youth.last_name, youth_worker=jw_rotterdam
        )
        BarrierFactory(youth=duplicate)
        ConsentFactory(youth=duplicate, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS)
        ContactMomentFactory(youth=duplicate)
        client = client_for(coord_rotterdam)
        url = reverse("youth:youth_merge")
        compare = client.get(url, {"keep": youth.case_reference, "duplicate": str(duplicate.pk)})
        assert (compare.context["keep"], compare.context["duplicate"]) == (youth, duplicate)
        assert 'data-testid="merge-comparison"' in compare.content.decode()
        assert YoungPerson.objects.current().count() == 2  # comparing changes nothing
        response = client.post(url, {"keep": youth.pk, "duplicate": duplicate.pk})
        assert response.status_code == 302
        assert Barrier.objects.get().youth == youth
        assert Consent.objects.get().youth == youth
        assert ContactMoment.objects.get().youth == youth
        assert YoungPerson.objects.get(pk=duplicate.pk).merged_into == youth
        assert client.get(reverse("youth:youth_detail", args=[duplicate.pk])).status_code == 404

    def test_only_records_the_coordinator_may_see_can_be_merged(
        self, client_for, coord_rotterdam, youth, jw_dordrecht
    ):
        elsewhere = YoungPersonFactory(youth_worker=jw_dordrecht)
        response = client_for(coord_rotterdam).post(
            reverse("youth:youth_merge"), {"keep": youth.pk, "duplicate": elsewhere.pk}
        )
        assert response.status_code == 200
        assert "duplicate" in response.context["form"].errors
        assert YoungPerson.objects.current().count() == 2
        assert access_events(elsewhere, AccessEvent.Outcome.DENIED).exists()

    @pytest.mark.parametrize(
        ("keep", "duplicate"), [("JP-00001", "JP-00001"), ("abc", "2"), ("", "")]
    )
    def test_nonsense_merge_input_is_refused_with_a_message(
        self, client_for, coord_rotterdam, keep, duplicate
    ):
        response = client_for(coord_rotterdam).get(
            reverse("youth:youth_merge"), {"keep": keep, "duplicate": duplicate}
        )
        assert response.status_code == 200
        assert response.context["form"].errors


class TestProfilePage:
    def test_the_profile_shows_everything_to_its_youth_worker(
        self, client_for, jw_rotterdam, youth
    ):
        BarrierFactory(youth=youth, note="Schulden bij de zorgverzekeraar")
        NetworkFactorFactory(youth=youth, description="Oom werkt in de techniek")
        ContactMomentFactory(youth=youth, summary="Gesprek over de stage")
        meeting = IntakeMeetingFactory(youth=youth)
        response = client_for(jw_rotterdam).get(youth.get_absolute_url())
        page = response.content.decode()
        assert response.context["sensitive"]
        for text in [
            "Schulden bij de zorgverzekeraar",
            "Oom werkt in de techniek",
            "Gesprek over de stage",
        ]:
            assert text in page
        assert reverse("intake:intake_detail", args=[meeting.pk]) in page
        assert f"{reverse('intake:intake_create')}?youth={youth.pk}" in page
        assert 'data-testid="consent-missing"' in page

    def test_sensitive_parts_stay_hidden_from_whoever_may_not_see_them(
        self, client_for, coord_rotterdam, youth, monkeypatch
    ):
        from youth.views import profiles

        monkeypatch.setattr(profiles, "may_see_sensitive", lambda user, **scope: False)
        BarrierFactory(youth=youth, note="Schulden bij de zorgverzekeraar")
        ContactMomentFactory(youth=youth, summary="Gesprek over de stage")
        YoungPerson.objects.filter(pk=youth.pk).update(notes="Vertrouwelijk")
        page = client_for(coord_rotterdam).get(youth.get_absolute_url()).content.decode()
        for text in ["Schulden bij de zorgverzekeraar", "Gesprek over de stage", "Vertrouwelijk"]:
            assert text not in page
        assert 'data-testid="sensitive-hidden"' in page
        assert 'data-testid="contact"' in page  # the contact itself is listed, its summary not

    def test_the_consent_badge_goes_once_registration_consent_is_given(
        self, client_for, jw_rotterdam, youth
    ):
        ConsentFactory(youth=youth)
        page = client_for(jw_rotterdam).get(youth.get_absolute_url()).content.decode()
        assert 'data-testid="consent-missing"' not in page

    def test_the_profile_keeps_its_query_count(self, client_for, coord_rotterdam, youth):
        client = client_for(coord_rotterdam)

        def queries_with(count):
            for _ in range(count - youth.barriers.count()):
                BarrierFactory(youth=youth)
                ContactMomentFactory(youth=youth)
                NetworkFactorFactory(youth=youth)
                ConsentFactory(youth=youth, withdrawn_on=timezone.localdate())
                IntakeMeetingFactory(youth=youth)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(youth.get_absolute_url()).status_code == 200
            return len(queries)

        at_two, at_twenty = queries_with(2), queries_with(20)
        assert at_two == at_twenty
        assert at_twenty <= 20  # what the matching app shows loads with its own panel

    def test_no_profile_page_has_an_inline_script_or_style(self, client_for, admin, youth):
        client = client_for(admin)
        for url in [
            youth.get_absolute_url(),
            reverse("youth:youth_edit", args=[youth.pk]),
            reverse("youth:youth_list"),
            reverse("dashboard:caseload"),
            reverse("youth:youth_create"),
            reverse("youth:youth_merge"),
        ]:
            html = client.get(url).content.decode()
            assert "<script>" not in html
            assert " style=" not in html
            assert "<style" not in html


class TestEditing:
    def test_the_youth_worker_edits_the_profile(self, client_for, jw_rotterdam, youth):
        data = edit_data(youth, phone="06 11112222", ambitions="Monteur worden")
        response = post_edit(
            client_for(jw_rotterdam), reverse("youth:youth_edit", args=[youth.pk]), data
        )
        assert response.status_code == 302
        youth.refresh_from_db()
        assert (youth.phone, youth.ambitions, youth.version) == ("06 11112222", "Monteur worden", 2)

    def test_the_edit_form_starts_from_the_saved_interests_skills_and_days(
        self, client_for, jw_rotterdam, youth
    ):
        skill, interest = Skill.objects.active().first(), InterestArea.objects.active().first()
        services.skills_assess(youth=youth, skills=[skill], by=jw_rotterdam)
        youth.interests.add(interest)
        form = (
            client_for(jw_rotterdam)
            .get(reverse("youth:youth_edit", args=[youth.pk]))
            .context["form"]
        )
        assert form["skills"].value() == [skill.pk]
        assert form["interests"].value() == [interest.pk]
        assert form["available_days"].value() == ["mon", "tue", "wed"]

    def test_a_second_save_of_an_old_version_is_refused_and_the_first_change_stays(
        self, client_for, jw_rotterdam, coord_rotterdam, youth
    ):
        url = reverse("youth:youth_edit", args=[youth.pk])
        first, second = client_for(jw_rotterdam), client_for(coord_rotterdam)
        version_first = first.get(url).context["form"]["version"].value()
        version_second = second.get(url).context["form"]["version"].value()
        assert version_first == version_second == 1
        # Each page's fingerprint is fresh: this is the version column's refusal.
        saved = post_edit(first, url, edit_data(youth, phone="06 11112222", version=version_first))
        assert saved.status_code == 302
        refused = post_edit(
            second, url, edit_data(youth, ambitions="Kok worden", version=version_second)
        )
        assert refused.status_code == 200
        assert refused.context["form"].non_field_errors()
        youth.refresh_from_db()
        assert (youth.phone, youth.version) == ("06 11112222", 2)
        assert youth.ambitions != "Kok worden"

    def test_an_edit_cannot_make_the_young_person_too_old_at_registration(
        self, client_for, jw_rotterdam, youth
    ):
        data = edit_data(youth, date_of_birth=born_years_ago(30).isoformat())
        response = post_edit(
            client_for(jw_rotterdam), reverse("youth:youth_edit", args=[youth.pk]), data
        )
        assert "date_of_birth" in response.context["form"].errors

    def test_an_edit_that_hands_over_the_caseload_leaves_a_dated_row(
        self, client_for, coord_rotterdam, jw_rotterdam2, youth
    ):
        data = edit_data(youth, youth_worker=jw_rotterdam2.pk)
        post_edit(client_for(coord_rotterdam), reverse("youth:youth_edit", args=[youth.pk]), data)
        assert CaseloadChange.objects.get(youth=youth).youth_worker == jw_rotterdam2


class TestJourneyAndCaseload:
    def test_leaving_needs_a_reason(self, client_for, jw_rotterdam, youth):
        client = client_for(jw_rotterdam)
        url = reverse("youth:youth_journey", args=[youth.pk])
        response = client.post(url, {"to_status": "left", "reason": " "}, follow=True)
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        assert YoungPerson.objects.get(pk=youth.pk).journey == "registered"
        client.post(
            url,
            {
                "to_status": "left",
                "reason": "Verhuisd naar Groningen",
                **shown_of(youth, "journey"),
            },
        )
        youth.refresh_from_db()
        assert (youth.journey, youth.left_reason) == ("left", "Verhuisd naar Groningen")
        change = JourneyChange.objects.get(youth=youth)
        assert (change.from_status, change.to_status, change.changed_by) == (
            "registered",
            "left",
            jw_rotterdam,
        )

    def test_an_unknown_journey_status_is_refused_with_a_message(
        self, client_for, jw_rotterdam, youth
    ):
        response = client_for(jw_rotterdam).post(
            reverse("youth:youth_journey", args=[youth.pk]), {"to_status": "famous"}, follow=True
        )
        assert [m.level_tag for m in response.context["messages"]] == ["error"]

    def test_moving_the_caseload_records_it_and_the_reminder_follows_the_young_person(
        self, client_for, coord_rotterdam, jw_rotterdam, jw_rotterdam2, youth
    ):
        services.contact_log(
            youth=youth, by=jw_rotterdam, kind="phone", date=timezone.localdate(), summary="Gebeld"
        )
        response = client_for(coord_rotterdam).post(
            reverse("youth:youth_move_caseload", args=[youth.pk]),
            {"to_worker": jw_rotterdam2.pk, **shown_of(youth, "youth_worker")},
        )
        assert response.status_code == 302
        change = CaseloadChange.objects.get(youth=youth)
        assert (change.youth_worker, change.changed_by) == (jw_rotterdam2, coord_rotterdam)
        reminder = Reminder.objects.get(kind="youth.no_contact")
        with time_machine.travel(reminder.due_at + dt.timedelta(minutes=1), tick=False):
            reminders_dispatch_due()
        assert mail.outbox[0].to == [jw_rotterdam2.email]

    def test_a_youth_worker_who_hands_over_lands_on_their_list(
        self, client_for, jw_rotterdam, jw_rotterdam2, youth
    ):
        response = client_for(jw_rotterdam).post(
            reverse("youth:youth_move_caseload", args=[youth.pk]),
            {"to_worker": jw_rotterdam2.pk, **shown_of(youth, "youth_worker")},
        )
        assert response["Location"] == reverse("youth:youth_list")
        assert YoungPerson.objects.get(pk=youth.pk).youth_worker == jw_rotterdam2

    def test_a_young_person_moves_only_to_a_youth_worker_of_their_city(
        self, client_for, admin, jw_dordrecht, jw_rotterdam, youth
    ):
        response = client_for(admin).post(
            reverse("youth:youth_move_caseload", args=[youth.pk]),
            {"to_worker": jw_dordrecht.pk},
            follow=True,
        )
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        assert YoungPerson.objects.get(pk=youth.pk).youth_worker == jw_rotterdam
        assert not CaseloadChange.objects.exists()


class TestList:
    def test_the_list_shows_each_user_only_their_scope(
        self, client_for, people, youth, jw_dordrecht
    ):
        YoungPersonFactory(first_name="Daan", youth_worker=jw_dordrecht)

        def names(role):
            page = client_for(people[role]).get(reverse("youth:youth_list")).context["page"]
            return sorted(y.first_name for y in page)

        assert names("admin") == ["Daan", "Sem"]
        assert names("coord_rotterdam") == ["Sem"]
        assert names("coord_dordrecht") == ["Daan"]
        assert names("jw_rotterdam") == ["Sem"]
        assert names("jw_rotterdam2") == []

    def test_the_list_searches_filters_and_sorts(
        self, client_for, coord_rotterdam, jw_rotterdam, jw_rotterdam2, youth
    ):
        ConsentFactory(youth=youth)
        ContactMomentFactory(youth=youth)
        YoungPersonFactory(
            first_name="Lotte",
            last_name="Jansen",  # fixed: a random surname could match the search for "boer"
            email="lotte@example.org",
            youth_worker=jw_rotterdam2,
            referred_by="school",
            journey="intake",
            registered_on=timezone.localdate() - dt.timedelta(days=60),
        )
        client = client_for(coord_rotterdam)

        def names(**params):
            page = client.get(reverse("youth:youth_list"), params).context["page"]
            return [y.first_name for y in page]

        assert names(q="lotte@") == ["Lotte"]
        assert names(q="boer") == ["Sem"]
        assert names(journey="intake") == ["Lotte"]
        assert names(youth_worker=jw_rotterdam2.pk) == ["Lotte"]
        assert names(referred_by="school") == ["Lotte"]
        assert names(no_contact="on") == ["Lotte"]
        assert names(consent_missing="on") == ["Lotte"]
        assert names(sort="-registered_on") == ["Sem", "Lotte"]
        assert sorted(names(sort="last_contact_on")) == ["Lotte", "Sem"]
        assert names(journey="nonsense") == ["Lotte", "Sem"]  # a bad filter is ignored, not a 500

    def test_a_youth_worker_has_no_city_or_youth_worker_filter(self, client_for, jw_rotterdam):
        form = client_for(jw_rotterdam).get(reverse("youth:youth_list")).context["form"]
        assert "city" not in form.fields
        assert "youth_worker" not in form.fields

    @pytest.mark.parametrize("rows", [10, 1000])
    def test_the_list_keeps_its_query_count(
        self,
        client_for,
        coord_rotterdam,
        jw_rotterdam,
        rotterdam,
        django_assert_max_num_queries,
        rows,
    ):
        many_young_people(rows, jw_rotterdam, rotterdam)
        client = client_for(coord_rotterdam)
        with django_assert_max_num_queries(12):
            response = client.get(reverse("youth:youth_list"))
        assert response.context["page"].paginator.count == rows


class TestTargetGroup:
    """re-START is for young people without a startkwalificatie who left school or may leave."""

    @pytest.mark.parametrize(
        "outside",
        [
            {"has_startkwalificatie": "on"},
            {"left_school_on": "", "at_risk_of_leaving": ""},
        ],
        ids=["with-a-startkwalificatie", "still-at-school-and-not-at-risk"],
    )
    def test_registering_outside_the_target_group_warns_and_asks_for_a_reason(
        self, client_for, jw_rotterdam, rotterdam, outside
    ):
        client = client_for(jw_rotterdam)
        data = new_youth_data(rotterdam, jw_rotterdam, **outside)
        response = client.post(reverse("youth:youth_create"), data)
        assert response.status_code == 200
        assert 'data-testid="outside-target-group"' in response.content.decode()
        assert "Geef aan waarom" in str(response.context["form"].errors["target_group_reason"])
        assert not YoungPerson.objects.exists()
        reason = "Doorverwezen door de wijkagent; wil een leerwerkplek."
        response = client.post(
            reverse("youth:youth_create"), {**data, "target_group_reason": reason}
        )
        assert response.status_code == 302
        assert YoungPerson.objects.get().target_group_reason == reason

    def test_at_risk_of_leaving_is_in_the_target_group_and_keeps_no_reason(
        self, client_for, jw_rotterdam, rotterdam
    ):
        data = new_youth_data(
            rotterdam,
            jw_rotterdam,
            left_school_on="",
            at_risk_of_leaving="on",
            target_group_reason="Overbodig",
        )
        assert client_for(jw_rotterdam).post(reverse("youth:youth_create"), data).status_code == 302
        assert YoungPerson.objects.get().target_group_reason == ""

    def test_editing_into_an_exception_without_a_reason_is_refused_and_nothing_changes(
        self, client_for, jw_rotterdam, youth
    ):
        data = edit_data(youth, has_startkwalificatie="on", first_name="Anders")
        response = post_edit(
            client_for(jw_rotterdam), reverse("youth:youth_edit", args=[youth.pk]), data
        )
        assert "target_group_reason" in response.context["form"].errors
        youth.refresh_from_db()
        assert (youth.has_startkwalificatie, youth.first_name) == (False, youth.first_name)

    def test_the_service_refuses_an_exception_without_a_reason(self, jw_rotterdam, youth):
        with pytest.raises(ValidationError) as refused:
            services.youth_update(
                youth=youth, version=youth.version, by=jw_rotterdam, has_startkwalificatie=True
            )
        assert "target_group_reason" in refused.value.message_dict
        youth.refresh_from_db()
        assert youth.has_startkwalificatie is False

    def test_exceptions_are_counted_in_the_users_scope(
        self, coord_rotterdam, coord_dordrecht, jw_rotterdam, dordrecht
    ):
        YoungPersonFactory(youth_worker=jw_rotterdam)
        YoungPersonFactory.create_batch(
            2, youth_worker=jw_rotterdam, has_startkwalificatie=True, target_group_reason="Reden"
        )
        assert target_group_exceptions(coord_rotterdam).count() == 2
        assert target_group_exceptions(coord_dordrecht).count() == 0

"""Shortlists and shared profiles: a coordinator shortlists a suggestion (and says why when it
was not the best one), and shares a minimised profile with the employer, only with the young
person's consent, only within their own cities, once."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from employers.factories import ContactFactory
from employers.models import Employer, Opening
from matching import services
from matching.models import Share, Shortlist
from restart_platform.accounts.models import AccessEvent
from restart_platform.notifications.models import Notification, Reminder
from restart_platform.notifications.services import reminders_dispatch_due
from tests.concurrency import post_at_once
from youth.factories import ConsentFactory, born_years_ago
from youth.models import Consent, YoungPerson
from youth.services import consent_withdraw

from .conftest import HTMX, fitting_youth, make_opening, opening_panel, youth_panel

pytestmark = pytest.mark.django_db

HOME = reverse("matching:matching_home")
SHARES = f"{HOME}?show=shares"
STAFF = ["admin", "coord_rotterdam"]
REFUSED = ["coord_dordrecht", "jw_rotterdam", "jw_dordrecht", "employer1", "employer2"]
NOT_STAFF = ["jw_rotterdam", "jw_dordrecht", "employer1", "employer2"]


def give_sharing_consent(youth) -> Consent:
    return ConsentFactory(youth=youth, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS)


@pytest.fixture
def world(cities, sectors, jw_rotterdam, coord_rotterdam, employer_contact1):
    """A Rotterdam young person who consents to sharing, the opening that fits them best, one
    that fits a little less (one required skill missing), and the employer's portal user."""
    rotterdam = cities["rotterdam"]
    # Names found nowhere else, so a test can tell they are not in an e-mail.
    youth = fitting_youth(jw_rotterdam, rotterdam, first_name="Xandrijn", last_name="Qwaalberg")
    give_sharing_consent(youth)
    best = make_opening(
        rotterdam, sectors["recycling"], required=["tools", "safety"], title="Demontage Waalhaven"
    )
    second = make_opening(
        rotterdam,
        sectors["recycling"],
        required=["tools", "safety", "forklift"],
        title="Magazijn Botlek",
    )
    ContactFactory(employer=best.employer, user=employer_contact1)
    return {"youth": youth, "best": best, "second": second}


def shortlist(world, opening="best", by=None, reason="") -> Shortlist:
    return services.shortlist_add(
        youth=world["youth"], opening=world[opening], by=by, reason=reason
    )


def shortlist_post(client, youth, opening, **data):
    return client.post(
        reverse("matching:shortlist_create"), {"youth": youth.pk, "opening": opening.pk, **data}
    )


# --- Shortlisting ------------------------------------------------------------------------------


def test_shortlisting_the_best_suggestion_stores_its_score_and_rank_one_and_no_reason(
    world, client_for, coord_rotterdam
):
    response = shortlist_post(
        client_for(coord_rotterdam), world["youth"], world["best"], reason="Past goed"
    )
    assert response.status_code == 302
    entry = Shortlist.objects.get()
    assert (entry.youth, entry.opening, entry.rank, entry.reason) == (
        world["youth"],
        world["best"],
        1,
        "",
    )
    assert entry.score > 40
    assert entry.created_by == coord_rotterdam


def test_shortlisting_a_lower_ranked_suggestion_keeps_the_reason_and_the_matching_page_shows_it(
    world, client_for, coord_rotterdam
):
    client = client_for(coord_rotterdam)
    shortlist_post(client, world["youth"], world["second"], reason="Wil graag heftruck leren")
    entry = Shortlist.objects.get()
    assert (entry.rank, entry.reason) == (2, "Wil graag heftruck leren")
    assert entry.score < shortlist(world, by=coord_rotterdam).score

    page = client.get(HOME)
    assert entry in page.context["page"].object_list
    assert "Wil graag heftruck leren" in page.content.decode()


def test_shortlisting_goes_back_to_the_page_of_the_suggestion(world, client_for, coord_rotterdam):
    profile = world["youth"].get_absolute_url()
    response = shortlist_post(
        client_for(coord_rotterdam), world["youth"], world["best"], next=profile
    )
    assert response.url == profile
    elsewhere = shortlist_post(
        client_for(coord_rotterdam), world["youth"], world["best"], next="https://evil.example/"
    )
    assert elsewhere.url == HOME


def test_shortlisting_the_same_pair_twice_keeps_one_row(world, coord_rotterdam):
    first = shortlist(world, by=coord_rotterdam)
    again = shortlist(world, by=coord_rotterdam, reason="Nog een keer")
    assert again == first
    assert Shortlist.objects.count() == 1


def test_a_closed_opening_cannot_be_shortlisted(world, coord_rotterdam):
    Opening.objects.filter(pk=world["best"].pk).update(status=Opening.Status.CLOSED)
    world["best"].refresh_from_db()
    with pytest.raises(ValidationError):
        shortlist(world, by=coord_rotterdam)
    assert not Shortlist.objects.exists()


def test_the_suggestions_offer_a_shortlist_form_with_a_reason_below_the_first_row(
    world, client_for, coord_rotterdam
):
    client = client_for(coord_rotterdam)
    panel = client.get(youth_panel(world["youth"]), headers=HTMX).content.decode()
    assert panel.count('data-testid="shortlist-form"') == 2
    assert 'id="shortlist-reason-1"' not in panel
    assert 'id="shortlist-reason-2"' in panel
    on_opening = client.get(opening_panel(world["best"]), headers=HTMX)
    assert 'data-testid="shortlist-form"' in on_opening.content.decode()


# --- Sharing -----------------------------------------------------------------------------------


def test_sharing_without_consent_is_refused_with_a_message_and_nothing_is_written(
    world, client_for, coord_rotterdam
):
    entry = shortlist(world, by=coord_rotterdam)
    Consent.objects.filter(youth=world["youth"]).update(withdrawn_on=timezone.localdate())
    reminders, events = Reminder.objects.count(), AccessEvent.objects.count()

    response = client_for(coord_rotterdam).post(reverse("matching:share_create", args=[entry.pk]))

    assert response.status_code == 200
    assert response.context["errors"]
    assert not Share.objects.exists()
    assert Reminder.objects.count() == reminders
    assert not AccessEvent.objects.filter(action="share").exists()
    # The page's own look is logged, nothing else: two rows (the shortlist, the young person).
    assert AccessEvent.objects.count() == events + 2


def test_the_share_page_warns_before_sharing_without_consent(world, client_for, coord_rotterdam):
    entry = shortlist(world, by=coord_rotterdam)
    Consent.objects.filter(youth=world["youth"]).update(withdrawn_on=timezone.localdate())
    page = client_for(coord_rotterdam).get(reverse("matching:share_create", args=[entry.pk]))
    assert 'data-testid="consent-missing"' in page.content.decode()


def test_the_share_page_shows_the_minimised_profile_and_logs_the_look(
    world, client_for, coord_rotterdam
):
    entry = shortlist(world, by=coord_rotterdam)
    response = client_for(coord_rotterdam).get(reverse("matching:share_create", args=[entry.pk]))
    assert response.status_code == 200
    assert set(response.context["profile"]) == {
        "name",
        "age",
        "city",
        "interests",
        "skills",
        "motivation",
        "available_days",
        "available_hours",
        "available_from",
        "progress",
    }
    page = response.content.decode()
    youth = world["youth"]
    assert f"{youth.display_name} {youth.last_name[0]}." in page
    assert youth.email not in page
    assert youth.phone not in page
    assert AccessEvent.objects.filter(
        actor=coord_rotterdam,
        content_type=ContentType.objects.get_for_model(YoungPerson),
        object_id=str(youth.pk),
    ).exists()


def test_sharing_plans_a_nameless_email_to_the_employers_portal_users_and_is_logged(
    world, client_for, coord_rotterdam, employer_contact1
):
    entry = shortlist(world, by=coord_rotterdam)
    response = client_for(coord_rotterdam).post(reverse("matching:share_create", args=[entry.pk]))
    assert response.status_code == 302

    share = Share.objects.get()
    assert (share.youth, share.opening, share.shared_by) == (
        world["youth"],
        world["best"],
        coord_rotterdam,
    )
    assert AccessEvent.objects.filter(actor=coord_rotterdam, action="share").count() == 1
    assert LogEntry.objects.filter(additional_data__action="matching.shared").exists()
    reminder = Reminder.objects.get(kind="matching.shared")
    assert reminder.recipient == employer_contact1
    assert reminder.link == reverse("candidates:candidate_detail", args=[share.token])

    reminders_dispatch_due(now=timezone.now() + dt.timedelta(seconds=1))
    [message] = mail.outbox
    assert message.to == [employer_contact1.email]
    youth = world["youth"]
    for detail in (youth.first_name, youth.last_name, youth.case_reference):
        assert detail not in message.subject + message.body
    assert Notification.objects.filter(user=employer_contact1).count() == 1


def test_sharing_the_same_profile_twice_is_refused_with_a_message(
    world, client_for, coord_rotterdam
):
    entry = shortlist(world, by=coord_rotterdam)
    client = client_for(coord_rotterdam)
    client.post(reverse("matching:share_create", args=[entry.pk]))
    again = client.post(reverse("matching:share_create", args=[entry.pk]))
    assert again.status_code == 200
    assert again.context["errors"]
    assert Share.objects.count() == 1


def test_sharing_for_an_opening_no_longer_open_is_refused(world, coord_rotterdam):
    entry = shortlist(world, by=coord_rotterdam)
    Opening.objects.filter(pk=world["best"].pk).update(status=Opening.Status.FILLED)
    with pytest.raises(ValidationError):
        services.share_create(shortlist=entry, by=coord_rotterdam)
    assert not Share.objects.exists()


def test_sharing_a_young_person_outside_the_coordinators_city_is_refused(
    world, client_for, coord_rotterdam, coord_dordrecht
):
    entry = shortlist(world, by=coord_rotterdam)
    response = client_for(coord_dordrecht).post(reverse("matching:share_create", args=[entry.pk]))
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.share_create(shortlist=entry, by=coord_dordrecht)
    assert not Share.objects.exists()
    assert AccessEvent.objects.filter(
        actor=coord_dordrecht, outcome=AccessEvent.Outcome.DENIED
    ).exists()


# --- Withdrawing -------------------------------------------------------------------------------


@pytest.fixture
def share(world, coord_rotterdam) -> Share:
    return services.share_create(shortlist=shortlist(world, by=coord_rotterdam), by=coord_rotterdam)


def test_withdrawing_the_sharing_consent_withdraws_every_active_share_at_once(
    world, share, client_for, coord_rotterdam, jw_rotterdam, employer_contact1
):
    other = services.share_create(
        shortlist=shortlist(world, opening="second", by=coord_rotterdam, reason="Ook goed"),
        by=coord_rotterdam,
    )
    employer = client_for(employer_contact1)
    detail = reverse("candidates:candidate_detail", args=[share.token])
    assert employer.get(detail).status_code == 200

    consent = Consent.objects.get(youth=world["youth"], purpose="share_with_employers")
    consent_withdraw(consent=consent, by=jw_rotterdam)

    for withdrawn in (share, other):
        withdrawn.refresh_from_db()
        assert withdrawn.status == Share.Status.WITHDRAWN
        assert withdrawn.withdrawn_reason
    assert employer.get(detail).status_code == 404


def test_withdrawing_another_consent_leaves_the_shares_alone(world, share, jw_rotterdam, rotterdam):
    registration = ConsentFactory(youth=world["youth"])
    consent_withdraw(consent=registration, by=jw_rotterdam)
    share.refresh_from_db()
    assert share.status == Share.Status.ACTIVE


def test_a_coordinator_withdraws_a_share_after_confirming_with_a_reason(
    share, client_for, coord_rotterdam
):
    client = client_for(coord_rotterdam)
    url = reverse("matching:share_withdraw", args=[share.pk])
    assert client.get(url).status_code == 200
    without_reason = client.post(url, {"reason": ""})
    assert "reason" in without_reason.context["form"].errors
    share.refresh_from_db()
    assert share.status == Share.Status.ACTIVE

    assert client.post(url, {"reason": "Heeft elders werk gevonden"}).status_code == 302
    share.refresh_from_db()
    assert (share.status, share.withdrawn_reason) == (
        Share.Status.WITHDRAWN,
        "Heeft elders werk gevonden",
    )
    assert not Reminder.objects.filter(kind="matching.shared", status="pending").exists()


def test_a_share_withdrawn_once_is_not_withdrawn_again(share, coord_rotterdam):
    first = services.share_withdraw(share=share, by=coord_rotterdam, reason="Eerste")
    again = services.share_withdraw(share=share, by=coord_rotterdam, reason="Tweede")
    assert (again.withdrawn_at, again.withdrawn_reason) == (first.withdrawn_at, "Eerste")


# --- The matching page, per role ---------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF)
def test_admins_and_the_coordinators_of_the_city_see_the_shortlist_and_the_shares(
    role, cast, share, client_for
):
    client = client_for(cast[role])
    assert list(client.get(HOME).context["page"].object_list) == list(Shortlist.objects.all())
    assert list(client.get(SHARES).context["page"].object_list) == [share]


def test_the_coordinator_of_another_city_sees_neither(share, client_for, coord_dordrecht):
    client = client_for(coord_dordrecht)
    assert list(client.get(HOME).context["page"].object_list) == []
    assert list(client.get(SHARES).context["page"].object_list) == []


def test_the_shares_can_be_filtered_by_the_employers_answer(
    share, client_for, coord_rotterdam, employer_contact1
):
    client = client_for(coord_rotterdam)
    assert (
        list(
            client.get(HOME, {"show": "shares", "answer": "interested"}).context["page"].object_list
        )
        == []
    )
    services.share_answer(share=share, by=employer_contact1, answer="interested")
    rows = client.get(HOME, {"show": "shares", "answer": "interested"}).context["page"].object_list
    assert list(rows) == [share]


@pytest.mark.parametrize("role", NOT_STAFF)
def test_youth_workers_and_employer_contacts_get_404_on_the_matching_page(role, cast, client_for):
    assert client_for(cast[role]).get(HOME).status_code == 404


@pytest.mark.parametrize("role", STAFF)
def test_those_allowed_open_the_share_and_withdraw_pages(role, cast, share, client_for):
    client = client_for(cast[role])
    entry = Shortlist.objects.get(opening=share.opening)
    assert client.get(reverse("matching:share_create", args=[entry.pk])).status_code == 200
    assert client.get(reverse("matching:share_withdraw", args=[share.pk])).status_code == 200


@pytest.mark.parametrize("role", REFUSED)
def test_others_get_404_on_the_share_and_withdraw_pages(role, cast, share, client_for):
    client = client_for(cast[role])
    entry = Shortlist.objects.get(opening=share.opening)
    assert client.get(reverse("matching:share_create", args=[entry.pk])).status_code == 404
    assert client.post(reverse("matching:share_create", args=[entry.pk])).status_code == 404
    withdraw = reverse("matching:share_withdraw", args=[share.pk])
    assert client.get(withdraw).status_code == 404
    assert client.post(withdraw, {"reason": "Weg ermee"}).status_code == 404
    share.refresh_from_db()
    assert share.status == Share.Status.ACTIVE


@pytest.mark.parametrize("role", STAFF)
def test_those_allowed_shortlist(role, cast, world, client_for):
    response = shortlist_post(client_for(cast[role]), world["youth"], world["best"])
    assert response.status_code == 302
    assert Shortlist.objects.count() == 1


@pytest.mark.parametrize("role", REFUSED)
def test_others_get_404_on_shortlisting(role, cast, world, client_for):
    response = shortlist_post(client_for(cast[role]), world["youth"], world["best"])
    assert response.status_code == 404
    assert not Shortlist.objects.exists()


def test_shortlisting_with_nonsense_ids_answers_404_not_500(world, client_for, coord_rotterdam):
    client = client_for(coord_rotterdam)
    url = reverse("matching:shortlist_create")
    assert client.post(url, {"youth": "abc", "opening": world["best"].pk}).status_code == 404
    assert client.post(url, {"youth": world["youth"].pk}).status_code == 404
    assert client.get(url).status_code == 405


# --- Query budgets -----------------------------------------------------------------------------


def many_shortlisted(count, *, coord, jw, rotterdam, sector) -> None:
    """`count` young people, each shortlisted and shared for an opening of their own."""
    employer = make_opening(rotterdam, sector, circularity=Employer.Circularity.CIRCULAR).employer
    YoungPerson.objects.bulk_create(
        YoungPerson(
            first_name=f"Jongere{i:03d}",
            last_name="Test",
            date_of_birth=born_years_ago(19),
            youth_worker=jw,
            city=rotterdam,
            referred_by="rmc",
        )
        for i in range(count)
    )
    Opening.objects.bulk_create(
        Opening(
            employer=employer,
            kind=Opening.Kind.JOB,
            title=f"Vacature {i:03d}",
            hours_per_week=32,
            start_date=timezone.localdate(),
        )
        for i in range(count)
    )
    pairs = list(
        zip(
            YoungPerson.objects.filter(first_name__startswith="Jongere").order_by("pk"),
            Opening.objects.filter(title__startswith="Vacature").order_by("pk"),
            strict=True,
        )
    )
    Shortlist.objects.bulk_create(
        Shortlist(youth=youth, opening=opening, score=55, rank=2, reason="Waarom", created_by=coord)
        for youth, opening in pairs
    )
    Share.objects.bulk_create(
        Share(youth=youth, opening=opening, shared_by=coord) for youth, opening in pairs
    )
    for youth, _opening in pairs[:3]:  # a few with consent: the page shows both kinds of row
        give_sharing_consent(youth)


# session, user, (a coordinator's cities), the count, the badge, the page's rows with their people
# and openings, the session's save (3 with savepoints)
HOME_QUERIES = {"admin": 8, "coord_rotterdam": 9}


@pytest.mark.parametrize("rows", [5, 50])
@pytest.mark.parametrize("url", [HOME, SHARES])
@pytest.mark.parametrize("role", list(HOME_QUERIES))
def test_the_matching_page_keeps_its_query_count(
    rows,
    url,
    role,
    cities,
    sectors,
    cast,
    client_for,
    coord_rotterdam,
    jw_rotterdam,
    django_assert_max_num_queries,
):
    many_shortlisted(
        rows,
        coord=coord_rotterdam,
        jw=jw_rotterdam,
        rotterdam=cities["rotterdam"],
        sector=sectors["recycling"],
    )
    client = client_for(cast[role])
    with django_assert_max_num_queries(HOME_QUERIES[role]):
        response = client.get(url)
    assert len(response.context["page"].object_list) == min(rows, 25)


# --- Twenty at once ------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_share_attempts_make_exactly_one_share_and_no_error(
    require_postgres, cities, sectors, jw_rotterdam, coord_rotterdam
):
    rotterdam = cities["rotterdam"]
    youth = fitting_youth(jw_rotterdam, rotterdam)
    give_sharing_consent(youth)
    opening = make_opening(rotterdam, sectors["recycling"], required=["tools", "safety"])
    entry = services.shortlist_add(youth=youth, opening=opening, by=coord_rotterdam)
    url = reverse("matching:share_create", args=[entry.pk])
    statuses = [response.status_code for response in post_at_once(coord_rotterdam, url, times=20)]

    assert sorted(statuses) == [200] * 19 + [302]
    assert Share.objects.count() == 1
    assert Reminder.objects.filter(kind="matching.shared").count() <= 1

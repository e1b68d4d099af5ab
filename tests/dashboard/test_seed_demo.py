import datetime as dt

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db.models import Exists, OuterRef
from django.test import Client
from django.utils import timezone

from intake.models import IntakeMeeting
from matching.models import Proposal, ProposalRow, Share, Shortlist
from restart_platform.accounts.demo import DEMO_USERNAMES
from restart_platform.accounts.models import City, User
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import plan_reminder
from youth.models import Consent

pytestmark = pytest.mark.django_db

CITIES = ["dordrecht", "rotterdam"]
# An evening: the reminders of this morning, 09:00, are hours overdue unless the demo settles them.
EVENING = dt.datetime(2026, 12, 1, 21, 42, 58, tzinfo=dt.UTC)


def test_seed_demo_creates_every_demo_account_and_is_idempotent():
    call_command("seed_demo")
    call_command("seed_demo")
    assert sorted(User.objects.values_list("username", flat=True)) == sorted(DEMO_USERNAMES)


def test_seed_demo_if_empty_leaves_a_used_database_alone(coord_rotterdam):
    call_command("seed_demo", if_empty=True)
    assert User.objects.count() == 1


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_demo_account_logs_in_with_the_demo_password(username):
    call_command("seed_demo")
    response = Client().post("/accounts/login/", {"username": username, "password": "restart-demo"})
    assert response.status_code == 302, f"{username} could not log in"


def test_demo_people_are_invented_and_scoped():
    call_command("seed_demo")
    assert list(
        User.objects.get(username="coord.rotterdam").cities.values_list("slug", flat=True)
    ) == ["rotterdam"]
    assert User.objects.get(username="jw.dordrecht1").organisation.city.slug == "dordrecht"
    assert User.objects.get(username="admin").is_superuser
    assert all(user.email.endswith("@example.org") for user in User.objects.all())


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def test_a_second_seed_demo_adds_no_rows_anywhere():
    call_command("seed_demo")
    before = _row_counts()
    call_command("seed_demo")
    assert _row_counts() == before


def test_each_city_has_shortlists_by_its_coordinator_with_reasons_for_lower_ranks():
    call_command("seed_demo")
    for slug in CITIES:
        entries = Shortlist.objects.filter(youth__city__slug=slug)
        coordinator = User.objects.get(username=f"coord.{slug}")
        assert entries.count() >= 6, slug
        assert set(entries.values_list("created_by", flat=True)) == {coordinator.pk}, slug
        assert entries.filter(rank__gt=1).exclude(reason="").count() >= 2, slug
        # A reason is asked only when a better suggestion was passed over.
        assert not entries.filter(rank=1).exclude(reason="").exists(), slug


def test_each_city_has_shares_in_every_answer_state_and_a_withdrawn_one():
    call_command("seed_demo")
    for slug in CITIES:
        shares = Share.objects.filter(youth__city__slug=slug)
        active = shares.filter(status=Share.Status.ACTIVE)
        assert set(active.values_list("answer", flat=True)) == set(Share.Answer.values), slug
        assert shares.filter(status=Share.Status.WITHDRAWN).exclude(withdrawn_reason="").exists()
        shortlisted = Shortlist.objects.filter(youth=OuterRef("youth"), opening=OuterRef("opening"))
        assert not shares.exclude(Exists(shortlisted)).exists(), f"{slug}: shared unshortlisted"
    sharing = Consent.objects.filter(
        youth=OuterRef("youth"),
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
        withdrawn_on__isnull=True,
    )
    assert not Share.objects.exclude(Exists(sharing)).exists(), "a share without consent"


def test_each_city_has_an_intake_planned_next_week_for_an_interested_employer():
    call_command("seed_demo")
    for slug in CITIES:
        share = Share.objects.select_related("intake").get(
            youth__city__slug=slug, intake__isnull=False
        )
        meeting = share.intake
        assert share.answer == Share.Answer.INTERESTED, slug
        assert (meeting.youth_id, meeting.opening_id) == (share.youth_id, share.opening_id), slug
        assert meeting.employer_contact_id == share.answered_by_id, slug
        starts = timezone.localtime(meeting.starts_at)
        assert starts > timezone.now(), slug
        assert starts.date() <= timezone.localdate() + dt.timedelta(days=14), slug
        assert starts.time() == dt.time(10), slug


def test_each_demo_employer_contact_sees_candidates_in_every_state():
    call_command("seed_demo")
    for username in ["employer.demo1", "employer.demo2"]:
        client = Client()
        client.force_login(User.objects.get(username=username))
        response = client.get("/portal/candidates/")
        assert response.status_code == 200, username
        rows = response.context["rows"]
        shown = {row["share"].answer for row in rows if row["profile"] is not None}
        assert shown == set(Share.Answer.values), username
        assert any(row["share"].status == Share.Status.WITHDRAWN for row in rows), username


def test_each_city_has_a_computed_proposal_with_rows_decided_and_waiting():
    call_command("seed_demo")
    for slug in CITIES:
        proposal = Proposal.objects.get(city__slug=slug)
        assert proposal.status == Proposal.Status.DONE, slug
        rows = proposal.rows.all()
        accepted = rows.filter(decision=ProposalRow.Decision.ACCEPTED)
        assert accepted.count() == 2, slug
        assert all(row.shortlist_id for row in accepted), slug
        assert rows.filter(decision=ProposalRow.Decision.REJECTED).count() == 1, slug
        assert rows.filter(decision=ProposalRow.Decision.OPEN).exists(), slug
        assert float(proposal.total_score) == pytest.approx(sum(float(r.score) for r in rows))


@time_machine.travel(EVENING, tick=True)
def test_demo_intakes_are_planned_at_office_hours_on_whole_quarters():
    call_command("seed_demo")
    starts = [timezone.localtime(m.starts_at) for m in IntakeMeeting.objects.all()]
    assert len(starts) > 30
    for moment in starts:
        assert moment.weekday() < 5, moment
        assert dt.time(9) <= moment.time() <= dt.time(16, 45), moment
        assert (moment.minute % 15, moment.second, moment.microsecond) == (0, 0, 0), moment


@time_machine.travel(EVENING, tick=True)
def test_the_demo_starts_with_no_reminder_overdue():
    started = timezone.now()
    call_command("seed_demo")
    assert not Reminder.objects.open().filter(next_attempt_at__lt=started).exists()
    # What fell due in the invented past went out back then, to the person it was for.
    past = Reminder.objects.filter(status=Reminder.Status.SENT)
    assert past.exists()
    assert not past.filter(sent_at__gte=started).exists()
    assert not past.filter(sent_to__isnull=True).exists()
    # What the demo plans for now (invitations, answers) still waits for the worker.
    assert Reminder.objects.open().filter(next_attempt_at__lte=timezone.now()).exists()


def test_seed_demo_never_marks_a_reminder_it_did_not_plan_as_sent():
    call_command("seed_demo")
    overdue = plan_reminder(
        key="real-use",
        kind="general",
        due_at=timezone.now() - dt.timedelta(hours=3),
        recipient=User.objects.get(username="coord.rotterdam"),
    )
    call_command("seed_demo")
    overdue.refresh_from_db()
    assert overdue.status == Reminder.Status.PENDING


def test_the_demo_pitch_has_stories_of_consenting_young_people_without_their_names():
    from restart_platform.dashboard.models import Story
    from restart_platform.dashboard.selectors import pitch_stories

    call_command("seed_demo")
    admin = User.objects.get(username="admin")
    for slug in CITIES:
        stories = list(pitch_stories(admin, city=City.objects.get(slug=slug)))
        assert stories, slug
    for story in Story.objects.select_related("youth"):
        assert story.youth.first_name not in story.text

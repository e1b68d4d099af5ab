"""The admin is a second path to the buddy programme: the same rules hold there. Pairs and
mentors are read there, never added or changed past the services (which check consent,
capacity and the one open pair per young person); the weights refuse what the score cannot use
with a clear message, never a 500."""

import pytest
from django.urls import reverse

from buddy.models import Mentor, Pair, PairScoreWeights

from .conftest import log_checkin

pytestmark = pytest.mark.django_db


def weights_data(**overrides):
    return {"needs": "40", "work_fields": "20", "interests": "20", "age_gap": "20", **overrides}


@pytest.mark.parametrize("model_name", ["pair", "mentor", "pairscoreweights"])
def test_an_admin_opens_the_list_and_a_row_of_every_buddy_admin(
    kicked_off, admin, client_for, model_name
):
    log_checkin(kicked_off, admin)
    PairScoreWeights.load()
    client = client_for(admin)
    assert client.get(reverse(f"admin:buddy_{model_name}_changelist")).status_code == 200
    row = {"pair": kicked_off, "mentor": kicked_off.mentor, "pairscoreweights": None}[model_name]
    pk = row.pk if row else 1
    assert client.get(reverse(f"admin:buddy_{model_name}_change", args=[pk])).status_code == 200


@pytest.mark.parametrize("model_name", ["pair", "mentor"])
def test_no_pair_or_mentor_is_added_in_the_admin_past_the_rules(admin, client_for, model_name):
    """A second open pair or a mentor over capacity could only come in this way: it is shut."""
    assert client_for(admin).get(reverse(f"admin:buddy_{model_name}_add")).status_code == 403


def test_a_pair_posted_to_the_admin_keeps_its_status_and_its_mentor(
    kicked_off, admin, client_for, rotterdam
):
    from buddy.factories import MentorFactory

    full = MentorFactory(employer=kicked_off.mentor.employer)
    response = client_for(admin).post(
        reverse("admin:buddy_pair_change", args=[kicked_off.pk]),
        {"status": "closed", "mentor": full.pk, "close_reason": ""},
    )
    assert response.status_code in (200, 302, 403)
    kicked_off.refresh_from_db()
    assert (kicked_off.status, kicked_off.mentor_id) == (
        Pair.Status.KICKED_OFF,
        kicked_off.mentor_id,
    )
    assert kicked_off.mentor != full


def test_a_mentors_capacity_is_not_changed_in_the_admin(proposed, admin, client_for):
    mentor = proposed.mentor
    client_for(admin).post(
        reverse("admin:buddy_mentor_change", args=[mentor.pk]), {"capacity": "0", "name": "X"}
    )
    mentor.refresh_from_db()
    assert mentor.capacity == 1
    assert Mentor.objects.get(pk=mentor.pk).name != "X"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"needs": "0", "work_fields": "0", "interests": "0", "age_gap": "0"},
            "Minstens één gewicht moet boven nul liggen.",
        ),
        ({"needs": "101"}, "hoogstens 100"),
        ({"needs": "-1"}, None),
        ({"needs": "x" * 100_000}, None),
    ],
)
def test_weights_the_score_cannot_use_are_refused_in_the_admin_with_a_message(
    admin, client_for, overrides, message
):
    PairScoreWeights.load()
    response = client_for(admin).post(
        reverse("admin:buddy_pairscoreweights_change", args=[1]), weights_data(**overrides)
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors
    if message:
        assert message in response.content.decode()
    else:
        assert "needs" in errors
    assert PairScoreWeights.load().as_dict() == {
        "needs": 40,
        "work_fields": 20,
        "interests": 20,
        "age_gap": 20,
    }


def test_the_weights_change_in_the_admin_and_no_second_row_is_added(admin, client_for):
    PairScoreWeights.load()
    client = client_for(admin)
    response = client.post(
        reverse("admin:buddy_pairscoreweights_change", args=[1]), weights_data(needs="60")
    )
    assert response.status_code == 302
    assert PairScoreWeights.load().needs == 60
    assert client.get(reverse("admin:buddy_pairscoreweights_add")).status_code == 403

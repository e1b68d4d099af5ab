"""The access rules: what each role sees of a model, given where its scope lives."""

import pytest

from restart_platform.accounts.access import visible
from restart_platform.accounts.factories import CoordinatorFactory
from restart_platform.accounts.models import Organisation
from restart_platform.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations(jw_rotterdam, jw_dordrecht):
    return {"rotterdam": jw_rotterdam.organisation, "dordrecht": jw_dordrecht.organisation}


def names(queryset):
    return sorted(queryset.values_list("name", flat=True))


def test_an_admin_sees_every_city(admin, organisations):
    assert names(visible(Organisation.objects.all(), admin, city="city")) == sorted(
        o.name for o in organisations.values()
    )


def test_a_coordinator_sees_only_their_own_city(coord_rotterdam, organisations):
    assert names(visible(Organisation.objects.all(), coord_rotterdam, city="city")) == [
        organisations["rotterdam"].name
    ]


def test_a_coordinator_of_both_cities_sees_both(rotterdam, dordrecht, organisations):
    both = CoordinatorFactory(username="coord.both", cities=[rotterdam, dordrecht])
    assert len(visible(Organisation.objects.all(), both, city="city")) == 2


def test_a_youth_worker_sees_their_caseload_and_nothing_by_city(
    jw_rotterdam, jw_dordrecht, organisations
):
    mine = Notification.objects.create(user=jw_rotterdam, title="mine")
    Notification.objects.create(user=jw_dordrecht, title="theirs")
    assert list(visible(Notification.objects.all(), jw_rotterdam, caseload="user")) == [mine]
    assert names(visible(Organisation.objects.all(), jw_rotterdam, city="city")) == []


def test_an_employer_contact_sees_nothing_a_model_does_not_share_with_employers(
    employer_contact1, organisations
):
    assert names(visible(Organisation.objects.all(), employer_contact1, city="city")) == []


def test_a_deactivated_user_sees_nothing(coord_rotterdam, organisations):
    coord_rotterdam.is_active = False
    assert names(visible(Organisation.objects.all(), coord_rotterdam, city="city")) == []


def test_admins_see_everything_even_when_rules_are_combined(admin, rotterdam, organisations):
    from django.db.models import Q

    from restart_platform.accounts.access import scope_q

    combined = Organisation.objects.filter(scope_q(admin, city="city") | Q(name="nothing"))
    assert combined.count() == 2

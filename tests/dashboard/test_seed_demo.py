import pytest
from django.core.management import call_command
from django.test import Client

from restart_platform.accounts.demo import DEMO_USERNAMES
from restart_platform.accounts.models import User

pytestmark = pytest.mark.django_db


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

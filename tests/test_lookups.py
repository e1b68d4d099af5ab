"""`field__any_of`: the same rows as `field__in`, whatever the database, with the list as one
parameter on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from restart_platform.accounts.models import City, User

pytestmark = pytest.mark.django_db


def test_any_of_finds_the_same_rows_as_in(rotterdam, dordrecht, coord_rotterdam, jw_dordrecht):
    ids = [rotterdam.pk, dordrecht.pk, 999_999]
    assert set(City.objects.filter(pk__any_of=ids)) == set(City.objects.filter(pk__in=ids))
    users = [coord_rotterdam.pk, jw_dordrecht.pk]
    assert set(User.objects.filter(pk__any_of=users)) == {coord_rotterdam, jw_dordrecht}


def test_any_of_works_on_a_foreign_key(jw_rotterdam, jw_dordrecht):
    organisation = jw_dordrecht.organisation
    found = User.objects.filter(organisation_id__any_of=[organisation.pk])
    assert list(found) == [jw_dordrecht]


def test_an_empty_list_finds_nothing(rotterdam):
    assert not City.objects.filter(pk__any_of=[]).exists()


def test_on_postgresql_the_list_is_one_array_elsewhere_an_in(rotterdam, dordrecht):
    ids = list(range(1, 2_001))
    with CaptureQueriesContext(connection) as queries:
        list(City.objects.filter(pk__any_of=ids))
    sql = queries[-1]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
        assert " IN (" not in sql
    else:
        assert " IN (" in sql


def test_an_empty_list_does_not_ask_the_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert list(City.objects.filter(pk__any_of=[])) == []

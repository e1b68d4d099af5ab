"""`page_by_keys`: a list's page found by its keys, then its rows read in that order."""

import pytest
from django.db.models import Value

from restart_platform.view_helpers import PAGE_SIZE, page_by_keys
from tests.youth.conftest import many_young_people
from youth.models import YoungPerson

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(jw_rotterdam, rotterdam):
    many_young_people(PAGE_SIZE + 5, jw_rotterdam, rotterdam)
    return YoungPerson.objects.order_by("-first_name", "pk")


def names(page) -> list[str]:
    return [person.first_name for person in page.object_list]


def test_the_pages_follow_the_order_of_the_list(people):
    expected = list(people.values_list("first_name", flat=True))
    first, second = page_by_keys(people, "1"), page_by_keys(people, "2")
    assert names(first) + names(second) == expected
    assert (first.paginator.count, first.paginator.num_pages) == (PAGE_SIZE + 5, 2)
    assert len(names(second)) == 5


def test_a_page_number_that_is_not_a_page_gives_a_page_not_a_500(people):
    assert names(page_by_keys(people, "99")) == names(page_by_keys(people, "2"))
    assert names(page_by_keys(people, "x²")) == names(page_by_keys(people, "1"))


def test_the_rows_come_from_the_queryset_given_with_what_it_adds(people):
    page = page_by_keys(people, "1", rows=YoungPerson.objects.annotate(mark=Value("shown")))
    assert {person.mark for person in page.object_list} == {"shown"}
    assert names(page) == list(people.values_list("first_name", flat=True)[:PAGE_SIZE])


def test_a_row_gone_between_the_two_reads_is_left_out(people):
    first = people.first()
    page = page_by_keys(people, "1", rows=YoungPerson.objects.exclude(pk=first.pk))
    assert first.first_name not in names(page)
    assert len(page.object_list) == PAGE_SIZE - 1


def test_an_empty_list_is_one_empty_page():
    page = page_by_keys(YoungPerson.objects.order_by("pk"), "1")
    assert (page.object_list, page.paginator.count, page.number) == ([], 0, 1)


def test_it_reads_the_keys_the_count_and_the_rows(people, django_assert_num_queries):
    with django_assert_num_queries(3):
        names(page_by_keys(people.select_related("city", "youth_worker"), "1"))

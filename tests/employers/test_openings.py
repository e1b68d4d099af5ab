"""The openings pages: who may see them, the rules of the form, the list's search and filters."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from employers.models import Employer, Opening
from restart_platform.taxonomy.models import Sector, Skill
from tests.edits import post_edit
from tests.employers.factories import ContactFactory, EmployerFactory, OpeningFactory

pytestmark = pytest.mark.django_db

ALLOWED = ["admin", "coord_rotterdam"]
REFUSED = ["coord_dordrecht", "jw_rotterdam", "employer1"]


@pytest.fixture
def employer(coord_rotterdam, rotterdam, employer_contact1):
    employer = EmployerFactory(name="Kringloop Maasstad", city=rotterdam, owner=coord_rotterdam)
    # Even the employer's own contact uses the portal, never the coordinator pages.
    ContactFactory(employer=employer, user=employer_contact1)
    return employer


@pytest.fixture
def opening(employer):
    opening = OpeningFactory(employer=employer, title="Medewerker demontage")
    opening.required_skills.set(Skill.objects.active()[:2])
    return opening


def in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def opening_data(**overrides) -> dict:
    skills = list(Skill.objects.active().values_list("pk", flat=True)[:3])
    data = {
        "kind": Opening.Kind.JOB,
        "title": "Medewerker sorteerlijn",
        "description": "Materialen sorteren op de lijn.",
        "required_skills": skills[:2],
        "nice_to_have_skills": skills[2:],
        "hours_per_week": 32,
        "start_date": in_days(14),
        "location": "Rotterdam-Zuid",
        "places": 2,
        "status": Opening.Status.OPEN,
        "crebo_code": "",
        "mbo_level": "",
    }
    return {**data, **overrides}


# Who may see what


@pytest.mark.parametrize("role", ALLOWED)
def test_admin_and_the_citys_coordinator_see_the_opening(role, cast, opening, client_for):
    response = client_for(cast[role]).get(reverse("employers:opening_detail", args=[opening.pk]))
    assert response.status_code == 200
    assert response.context["opening"] == opening


@pytest.mark.parametrize("role", REFUSED)
def test_others_get_404_on_the_opening(role, cast, opening, client_for):
    response = client_for(cast[role]).get(reverse("employers:opening_detail", args=[opening.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", ALLOWED)
def test_admin_and_the_citys_coordinator_may_open_the_edit_form(role, cast, opening, client_for):
    response = client_for(cast[role]).get(reverse("employers:opening_edit", args=[opening.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", REFUSED)
def test_others_get_404_on_the_edit_form_and_cannot_post_it(role, cast, opening, client_for):
    client = client_for(cast[role])
    url = reverse("employers:opening_edit", args=[opening.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, opening_data(title="Overgenomen")).status_code == 404
    opening.refresh_from_db()
    assert opening.title == "Medewerker demontage"


@pytest.mark.parametrize("role", ALLOWED)
def test_admin_and_the_citys_coordinator_may_open_the_create_form(role, cast, employer, client_for):
    response = client_for(cast[role]).get(reverse("employers:opening_create", args=[employer.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", REFUSED)
def test_others_get_404_on_the_create_form_and_cannot_post_it(role, cast, employer, client_for):
    client = client_for(cast[role])
    url = reverse("employers:opening_create", args=[employer.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, opening_data()).status_code == 404
    assert not Opening.objects.exists()


@pytest.mark.parametrize("role", [*ALLOWED, "coord_dordrecht"])
def test_staff_open_the_opening_list(role, cast, opening, client_for):
    assert client_for(cast[role]).get(reverse("employers:opening_list")).status_code == 200


@pytest.mark.parametrize("role", ["jw_rotterdam", "jw_dordrecht", "employer1", "employer2"])
def test_youth_workers_and_employer_contacts_get_404_on_the_opening_list(
    role, cast, opening, client_for
):
    assert client_for(cast[role]).get(reverse("employers:opening_list")).status_code == 404


def test_the_other_citys_coordinator_does_not_see_rotterdam_openings_in_the_list(
    coord_dordrecht, dordrecht, opening, client_for
):
    own = OpeningFactory(
        employer=EmployerFactory(city=dordrecht, owner=coord_dordrecht), title="Fietsenmaker"
    )
    response = client_for(coord_dordrecht).get(reverse("employers:opening_list"))
    assert list(response.context["page"].object_list) == [own]
    assert "Medewerker demontage" not in response.content.decode()


def test_an_unknown_opening_answers_404(admin, client_for):
    assert (
        client_for(admin).get(reverse("employers:opening_detail", args=[999_999])).status_code
        == 404
    )


# Creating and editing


def test_a_coordinator_adds_an_opening_with_its_skills(coord_rotterdam, employer, client_for):
    data = opening_data()
    response = client_for(coord_rotterdam).post(
        reverse("employers:opening_create", args=[employer.pk]), data
    )
    opening = Opening.objects.get()
    assert response.status_code == 302
    assert response["Location"] == opening.get_absolute_url()
    assert opening.employer == employer
    assert opening.places == 2
    assert sorted(opening.required_skills.values_list("pk", flat=True)) == sorted(
        data["required_skills"]
    )
    assert (
        list(opening.nice_to_have_skills.values_list("pk", flat=True))
        == data["nice_to_have_skills"]
    )


def test_an_opening_with_zero_places_is_refused_and_nothing_is_saved(
    coord_rotterdam, employer, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("employers:opening_create", args=[employer.pk]), opening_data(places=0)
    )
    assert response.status_code == 200
    assert "places" in response.context["form"].errors
    assert not Opening.objects.exists()


def test_an_opening_starting_in_the_past_is_refused_and_nothing_is_saved(
    coord_rotterdam, employer, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("employers:opening_create", args=[employer.pk]),
        opening_data(start_date=in_days(-1)),
    )
    assert response.status_code == 200
    assert "start_date" in response.context["form"].errors
    assert not Opening.objects.exists()


def test_a_learning_work_place_needs_its_crebo_code_and_mbo_level(
    coord_rotterdam, employer, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("employers:opening_create", args=[employer.pk]),
        opening_data(kind=Opening.Kind.LEARNING_WORK_PLACE),
    )
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert "crebo_code" in errors
    assert "mbo_level" in errors
    assert not Opening.objects.exists()


def test_a_learning_work_place_with_its_course_is_saved(coord_rotterdam, employer, client_for):
    client_for(coord_rotterdam).post(
        reverse("employers:opening_create", args=[employer.pk]),
        opening_data(kind=Opening.Kind.LEARNING_WORK_PLACE, crebo_code="25498", mbo_level=1),
    )
    opening = Opening.objects.get()
    assert (opening.crebo_code, opening.mbo_level) == ("25498", 1)


def test_bad_input_answers_with_form_errors_not_a_500(coord_rotterdam, employer, client_for):
    response = client_for(coord_rotterdam).post(
        reverse("employers:opening_create", args=[employer.pk]),
        opening_data(hours_per_week="many", start_date="someday", kind="unknown", mbo_level=9),
    )
    assert response.status_code == 200
    assert {"hours_per_week", "start_date", "kind", "mbo_level"} <= set(
        response.context["form"].errors
    )


def test_an_edit_may_keep_a_start_date_that_has_passed(coord_rotterdam, employer, client_for):
    started = timezone.localdate() - dt.timedelta(days=10)
    opening = OpeningFactory(employer=employer, start_date=started)
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("employers:opening_edit", args=[opening.pk]),
        opening_data(start_date=started.isoformat(), status=Opening.Status.FILLED),
    )
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == Opening.Status.FILLED
    assert opening.start_date == started


def test_an_edit_may_not_move_the_start_date_into_the_past(coord_rotterdam, opening, client_for):
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("employers:opening_edit", args=[opening.pk]),
        opening_data(start_date=in_days(-3)),
    )
    assert "start_date" in response.context["form"].errors
    opening.refresh_from_db()
    assert opening.start_date > timezone.localdate()


def test_the_edit_form_and_the_create_form_have_different_titles(
    coord_rotterdam, employer, opening, client_for
):
    client = client_for(coord_rotterdam)
    create = client.get(reverse("employers:opening_create", args=[employer.pk]))
    edit = client.get(reverse("employers:opening_edit", args=[opening.pk]))
    assert create.context["opening"] is None
    assert edit.context["opening"] == opening
    assert create.content.decode().split("<title>")[1] != edit.content.decode().split("<title>")[1]


def test_the_detail_shows_the_skills_and_the_course_of_a_learning_work_place(
    coord_rotterdam, employer, client_for
):
    required, nice = Skill.objects.active()[:2]
    opening = OpeningFactory(
        employer=employer, kind=Opening.Kind.LEARNING_WORK_PLACE, crebo_code="25498", mbo_level=2
    )
    opening.required_skills.set([required])
    opening.nice_to_have_skills.set([nice])
    html = (
        client_for(coord_rotterdam)
        .get(reverse("employers:opening_detail", args=[opening.pk]))
        .content.decode()
    )
    assert required.label in html
    assert nice.label in html
    assert "25498" in html
    assert employer.get_absolute_url() in html
    assert reverse("employers:opening_edit", args=[opening.pk]) in html


# The list


def add_openings(employer: Employer, count: int) -> None:
    skills = list(Skill.objects.active()[:3])
    for number in range(count):
        OpeningFactory(employer=employer, title=f"Opening {number}").required_skills.set(skills)


@pytest.mark.parametrize("rows", [5, 60])
def test_the_opening_list_keeps_its_query_count(
    coord_rotterdam, rotterdam, client_for, django_assert_max_num_queries, rows
):
    for number in range(rows // 5):
        add_openings(
            EmployerFactory(city=rotterdam, owner=coord_rotterdam, name=f"Werkgever {number}"), 5
        )
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("employers:opening_list"), {"q": "Opening", "sort": "employer"}
        )
    assert len(response.context["page"].object_list) == min(rows, 25)


def test_the_list_is_paginated_by_25(coord_rotterdam, employer, client_for):
    add_openings(employer, 30)
    response = client_for(coord_rotterdam).get(reverse("employers:opening_list"), {"page": 2})
    assert len(response.context["page"].object_list) == 5


def test_the_list_shows_an_empty_state(coord_rotterdam, client_for):
    response = client_for(coord_rotterdam).get(reverse("employers:opening_list"))
    assert response.status_code == 200
    assert not response.context["page"].object_list
    assert "<table" not in response.content.decode()


def test_the_list_shows_employer_and_required_skills(coord_rotterdam, opening, client_for):
    html = client_for(coord_rotterdam).get(reverse("employers:opening_list")).content.decode()
    assert "Kringloop Maasstad" in html
    assert opening.employer.get_absolute_url() in html
    for skill in opening.required_skills.all():
        assert skill.label in html


def test_searching_finds_openings_by_title_and_by_employer_name(
    coord_rotterdam, rotterdam, opening, client_for
):
    other = OpeningFactory(
        employer=EmployerFactory(city=rotterdam, name="Fietsenhuis"), title="Fietsenmaker"
    )
    client = client_for(coord_rotterdam)
    by_title = client.get(reverse("employers:opening_list"), {"q": "demontage"})
    by_employer = client.get(reverse("employers:opening_list"), {"q": "fietsenhuis"})
    assert list(by_title.context["page"].object_list) == [opening]
    assert list(by_employer.context["page"].object_list) == [other]


def test_filters_narrow_the_list(coord_rotterdam, rotterdam, opening, client_for):
    other_sector = Sector.objects.exclude(pk=opening.employer.sector_id).first()
    skill = Skill.objects.active().exclude(pk__in=opening.required_skills.all()).first()
    other = OpeningFactory(
        employer=EmployerFactory(city=rotterdam, sector=other_sector),
        kind=Opening.Kind.PAID_INTERNSHIP,
        status=Opening.Status.FILLED,
    )
    other.required_skills.set([skill])
    client = client_for(coord_rotterdam)

    def listed(**params):
        return list(
            client.get(reverse("employers:opening_list"), params).context["page"].object_list
        )

    assert listed(kind=Opening.Kind.PAID_INTERNSHIP) == [other]
    assert listed(status=Opening.Status.OPEN) == [opening]
    assert listed(sector=other_sector.pk) == [other]
    assert listed(skill=skill.pk) == [other]
    assert listed(city=rotterdam.pk) == [opening, other]
    assert listed() == [opening, other]


def test_the_city_filter_offers_only_the_coordinators_cities(
    coord_rotterdam, rotterdam, admin, client_for
):
    form = client_for(coord_rotterdam).get(reverse("employers:opening_list")).context["form"]
    assert list(form.fields["city"].queryset) == [rotterdam]
    admin_form = client_for(admin).get(reverse("employers:opening_list")).context["form"]
    assert admin_form.fields["city"].queryset.count() >= 2


def test_the_list_sorts_by_title_and_by_employer(coord_rotterdam, rotterdam, client_for):
    first = OpeningFactory(
        employer=EmployerFactory(city=rotterdam, name="Zeeman Recycling"), title="Assistent"
    )
    second = OpeningFactory(
        employer=EmployerFactory(city=rotterdam, name="Aarts Metaal"),
        title="Bankwerker",
        start_date=timezone.localdate() + dt.timedelta(days=90),
    )
    client = client_for(coord_rotterdam)

    def listed(sort):
        return list(
            client.get(reverse("employers:opening_list"), {"sort": sort})
            .context["page"]
            .object_list
        )

    assert listed("title") == [first, second]
    assert listed("employer") == [second, first]
    assert listed("start_date") == [first, second]


def test_a_bad_filter_value_is_ignored_not_a_500(coord_rotterdam, opening, client_for):
    response = client_for(coord_rotterdam).get(
        reverse("employers:opening_list"),
        {"city": "abc", "skill": "999999", "sort": "drop", "page": "x"},
    )
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [opening]


def test_the_filters_are_kept_in_the_pagination_links(coord_rotterdam, employer, client_for):
    add_openings(employer, 30)
    response = client_for(coord_rotterdam).get(
        reverse("employers:opening_list"), {"q": "Opening", "page": 1}
    )
    assert response.context["query_string"] == "q=Opening"
    assert "?q=Opening&amp;page=2" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["opening_list", "opening_detail", "opening_create", "opening_edit"]
)
def test_the_opening_pages_have_no_inline_script_or_style(
    name, coord_rotterdam, opening, client_for
):
    args = {"opening_list": [], "opening_create": [opening.employer.pk]}.get(name, [opening.pk])
    html = client_for(coord_rotterdam).get(reverse(f"employers:{name}", args=args)).content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html


@pytest.mark.parametrize("employers", [10, 1000])
def test_the_opening_list_keeps_its_query_count_from_10_to_1000_employers(
    coord_rotterdam, rotterdam, client_for, django_assert_max_num_queries, employers
):
    made = Employer.objects.bulk_create(
        Employer(
            name=f"Werkgever {i:04d}",
            kvk_number=f"{30_000_000 + i:08d}",
            city=rotterdam,
            sector=Sector.objects.first(),
            circularity="circular",
            owner=coord_rotterdam,
        )
        for i in range(employers)
    )
    start = timezone.localdate() + dt.timedelta(days=10)
    Opening.objects.bulk_create(
        Opening(
            employer=employer,
            kind="job",
            title=f"Vacature {employer.name}",
            hours_per_week=32,
            start_date=start,
        )
        for employer in made
    )
    skills = list(Skill.objects.active()[:2])
    for opening in Opening.objects.all()[:30]:
        opening.required_skills.set(skills)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("employers:opening_list"))
    assert response.status_code == 200

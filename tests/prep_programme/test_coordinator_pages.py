"""The coordinator's pages: cohorts created and edited with their coaches, and the employers
involved per cohort, each choice limited to the coordinator's own cities."""

import datetime as dt

import pytest
from django.urls import reverse

from employers.factories import EmployerFactory
from prep_programme import services
from prep_programme.factories import CohortFactory, SessionFactory
from prep_programme.models import Cohort, EmployerInvolvement
from tests.edits import post_edit


def cohort_data(programme, city, **extra):
    return {
        "programme": programme.pk,
        "city": city.pk,
        "name": "Maasstad zomer",
        "starts_on": "2026-06-01",
        "ends_on": "2026-11-30",
        **extra,
    }


def test_a_coordinator_creates_a_cohort_with_coaches_of_their_city(
    programme, rotterdam, coord_rotterdam, jw_rotterdam, jw_dordrecht, client_for
):
    client = client_for(coord_rotterdam)
    url = reverse("prep_programme:cohort_create")
    form = client.get(url).context["form"]
    assert list(form.fields["city"].queryset) == [rotterdam]
    offered = set(form.fields["coaches"].queryset)
    assert {coord_rotterdam, jw_rotterdam} <= offered
    assert jw_dordrecht not in offered
    response = client.post(
        url, cohort_data(programme, rotterdam, coaches=[jw_rotterdam.pk]), follow=True
    )
    cohort = Cohort.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "prep_programme:cohort_detail", args=[cohort.pk]
    )
    assert "Groep aangemaakt" in response.content.decode()
    assert list(cohort.coaches.all()) == [jw_rotterdam]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"ends_on": "2026-05-01"}, "De groep eindigt na de startdatum"),
        ({"starts_on": "9999-01-01"}, "Geef een datum tussen"),
        (
            {"starts_on": "\uff12\uff10\uff12\uff16-\uff10\uff11-\uff10\uff11"},
            "Voer een geldige datum in",
        ),
        ({"name": "x" * 100_000}, "niet meer dan 120 tekens"),
        ({"name": ""}, "Dit veld is verplicht"),
    ],
)
def test_bad_cohort_input_is_refused_in_dutch(
    extra, message, programme, rotterdam, coord_rotterdam, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("prep_programme:cohort_create"), cohort_data(programme, rotterdam, **extra)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Cohort.objects.exists()


def test_a_city_or_coach_from_elsewhere_posted_by_hand_is_refused(
    programme, rotterdam, dordrecht, coord_rotterdam, jw_dordrecht, client_for
):
    client = client_for(coord_rotterdam)
    url = reverse("prep_programme:cohort_create")
    assert client.post(url, cohort_data(programme, dordrecht)).status_code == 200
    response = client.post(url, cohort_data(programme, rotterdam, coaches=[jw_dordrecht.pk]))
    assert response.status_code == 200
    assert not Cohort.objects.exists()


def test_editing_keeps_recorded_sessions_inside_the_dates(
    programme, rotterdam, coord_rotterdam, client_for
):
    cohort = CohortFactory(
        programme=programme,
        city=rotterdam,
        starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 7, 3),
    )
    SessionFactory(cohort=cohort, date=dt.date(2026, 6, 1))
    client = client_for(coord_rotterdam)
    url = reverse("prep_programme:cohort_edit", args=[cohort.pk])
    data = cohort_data(programme, rotterdam, starts_on="2026-01-05", ends_on="2026-05-01")
    response = post_edit(client, url, data)
    assert "buiten deze data" in response.content.decode()
    cohort.refresh_from_db()
    assert cohort.ends_on == dt.date(2026, 7, 3)
    data["ends_on"] = "2026-08-01"
    assert post_edit(client, url, data).status_code == 302
    cohort.refresh_from_db()
    assert (cohort.name, cohort.ends_on) == ("Maasstad zomer", dt.date(2026, 8, 1))


def test_another_citys_coordinator_and_a_coaching_youth_worker_cannot_edit(
    programme, rotterdam, coord_dordrecht, jw_rotterdam, client_for
):
    cohort = CohortFactory(programme=programme, city=rotterdam)
    cohort.coaches.add(jw_rotterdam)
    for user in (coord_dordrecht, jw_rotterdam):
        client = client_for(user)
        for name in ("cohort_edit", "involvement_list"):
            url = reverse(f"prep_programme:{name}", args=[cohort.pk])
            assert client.get(url).status_code == 404
            assert client.post(url, cohort_data(programme, rotterdam)).status_code == 404


def test_a_coordinator_records_and_removes_an_employers_part_after_confirming(
    programme, rotterdam, dordrecht, coord_rotterdam, client_for
):
    cohort = CohortFactory(programme=programme, city=rotterdam)
    ours, theirs = EmployerFactory(city=rotterdam), EmployerFactory(city=dordrecht)
    client = client_for(coord_rotterdam)
    url = reverse("prep_programme:involvement_list", args=[cohort.pk])
    assert list(client.get(url).context["form"].fields["employer"].queryset) == [ours]
    data = {"employer": ours.pk, "kind": "place", "note": "Twee plekken", "on": "2026-03-01"}
    response = client.post(url, data, follow=True)
    assert "Betrokkenheid van de werkgever vastgelegd" in response.content.decode()
    again = client.post(url, data)
    assert "al vastgelegd" in again.content.decode()
    assert client.post(url, {**data, "employer": theirs.pk}).status_code == 200
    assert client.post(url, {**data, "kind": "bribe"}).status_code == 200
    involvement = EmployerInvolvement.objects.get()
    remove = reverse("prep_programme:involvement_remove", args=[involvement.pk])
    assert "Verwijderen" in client.get(remove).content.decode()
    assert EmployerInvolvement.objects.exists()  # a GET only asks
    response = client.post(remove, follow=True)
    assert "verwijderd" in response.content.decode()
    assert not EmployerInvolvement.objects.exists()


def test_another_citys_coordinator_cannot_remove_an_involvement(
    programme, rotterdam, coord_dordrecht, client_for
):
    cohort = CohortFactory(programme=programme, city=rotterdam)
    involvement = EmployerInvolvement.objects.create(
        cohort=cohort, employer=EmployerFactory(city=rotterdam), kind="visit"
    )
    url = reverse("prep_programme:involvement_remove", args=[involvement.pk])
    assert client_for(coord_dordrecht).post(url).status_code == 404
    assert EmployerInvolvement.objects.exists()


def test_the_service_refuses_another_citys_employer(
    programme, rotterdam, dordrecht, coord_rotterdam
):
    from django.core.exceptions import ValidationError

    cohort = CohortFactory(programme=programme, city=rotterdam)
    with pytest.raises(ValidationError):
        services.involvement_add(
            cohort=cohort,
            employer=EmployerFactory(city=dordrecht),
            kind="visit",
            by=coord_rotterdam,
            on=dt.date(2026, 3, 1),
        )

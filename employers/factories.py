"""Factories for employers, shared by the test suite and `seed_demo`."""

import datetime as dt

import factory
from django.utils import timezone

from restart_platform.accounts.factories import CoordinatorFactory, city
from restart_platform.taxonomy.models import Sector

from .models import (
    Agreement,
    Contact,
    DemandProfile,
    Employer,
    Interaction,
    NetworkPartner,
    Opening,
)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Faker("company", locale="nl_NL")
    kvk_number = factory.Sequence(lambda n: f"{10_000_000 + n:08d}")
    city = factory.LazyFunction(lambda: city("rotterdam"))
    address = factory.Faker("street_address", locale="nl_NL")
    postcode = factory.Faker("postcode", locale="nl_NL")
    sector = factory.LazyFunction(lambda: Sector.objects.order_by("pk").first())
    circularity = Employer.Circularity.CIRCULAR
    circular_activity = "Repareert en verkoopt gebruikte witgoedapparaten."
    size = Employer.Size.SMALL
    owner = factory.LazyAttribute(
        lambda employer: CoordinatorFactory(
            username=f"coord.{employer.city.slug}", cities=[employer.city]
        )
    )
    stage = Employer.Stage.LEAD


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Faker("name", locale="nl_NL")
    job_title = "Bedrijfsleider"
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    phone = "010 123 45 67"


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    employer = factory.SubFactory(EmployerFactory)
    kind = Interaction.Kind.CALL
    date = factory.LazyFunction(timezone.localdate)
    summary = "Kennismakingsgesprek over leerwerkplekken."
    author = factory.LazyAttribute(lambda interaction: interaction.employer.owner)


class DemandProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemandProfile

    employer = factory.SubFactory(EmployerFactory)
    roles = "Medewerker demontage, magazijnmedewerker"
    openings_12_months = 2
    openings_24_months = 5
    expected_retirements = 3
    offers_jobs = True
    offers_learning_work_places = True
    diploma_track = "Entree-opleiding, assistent logistiek"


class OpeningFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opening

    employer = factory.SubFactory(EmployerFactory)
    kind = Opening.Kind.JOB
    title = "Medewerker demontage"
    description = "Witgoed demonteren en materialen sorteren."
    hours_per_week = 32
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))
    location = factory.LazyAttribute(lambda opening: opening.employer.city.name)
    places = 1


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkPartner

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = NetworkPartner.Kind.MUNICIPALITY
    city = factory.LazyFunction(lambda: city("rotterdam"))
    role = "Financiert de loonkostensubsidie en stuurt het netwerk aan."
    contact_name = factory.Faker("name", locale="nl_NL")
    contact_email = factory.Sequence(lambda n: f"partner{n}@example.org")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partner = factory.SubFactory(PartnerFactory)
    title = "Loonkostensubsidie 2026"
    kind = Agreement.Kind.WAGE_COST
    starts_on = dt.date(2026, 1, 1)
    ends_on = dt.date(2026, 12, 31)

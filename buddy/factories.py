"""Factories for the buddy programme, shared by the test suite and `seed_demo`. All invented."""

import datetime as dt

import factory
from django.utils import timezone

from employers.factories import EmployerFactory, OpeningFactory
from matching.models import Placement
from youth.factories import YoungPersonFactory
from youth.models import Consent

from .models import Mentor, Pair


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    employer = factory.SubFactory(EmployerFactory)
    name = factory.Faker("name", locale="nl_NL")
    job_title = "Meewerkend voorman"
    years_experience = 12
    email = factory.Sequence(lambda n: f"mentor{n}@example.org")
    birth_year = factory.LazyFunction(lambda: timezone.localdate().year - 35)
    capacity = 1
    trained_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    volunteered_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))
    availability = "Dinsdag en donderdag, in de pauze of na het werk"


class PlacementFactory(factory.django.DjangoModelFactory):
    """A placement row as the placement service leaves it (its follow-ups left out)."""

    class Meta:
        model = Placement

    youth = factory.SubFactory(YoungPersonFactory)
    opening = factory.SubFactory(OpeningFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=14))
    hours_per_week = 32
    agreement = Placement.Agreement.EMPLOYMENT
    created_by = factory.LazyAttribute(lambda placement: placement.opening.employer.owner)


def give_buddy_consent(youth, *, on: dt.date | None = None) -> Consent:
    return Consent.objects.create(
        youth=youth,
        purpose=Consent.Purpose.BUDDY_CONTACT,
        given_on=on or timezone.localdate() - dt.timedelta(days=30),
        recorded_by=youth.youth_worker,
    )


class PairFactory(factory.django.DjangoModelFactory):
    """A proposed pair; kick it off or close it through the services."""

    class Meta:
        model = Pair

    placement = factory.SubFactory(PlacementFactory)
    youth = factory.LazyAttribute(lambda pair: pair.placement.youth)
    mentor = factory.LazyAttribute(
        lambda pair: MentorFactory(employer=pair.placement.opening.employer)
    )
    score = 60
    proposed_by = factory.LazyAttribute(lambda pair: pair.placement.opening.employer.owner)

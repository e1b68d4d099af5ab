"""Factories for the pre-employment programme, shared by the test suite and `seed_demo`."""

import datetime as dt

import factory
from django.utils import timezone

from restart_platform.accounts.factories import city

from .models import Cohort, Participant, Programme, Session


def standard_programme() -> Programme:
    """The programme the data migration seeds: three phases, four core employee skills."""
    return Programme.objects.get(variant=Programme.Variant.STANDARD)


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    programme = factory.LazyFunction(standard_programme)
    city = factory.LazyFunction(lambda: city("rotterdam"))
    name = factory.Sequence(lambda n: f"Groep {n}")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(weeks=8))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(weeks=18))


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A participant written directly; the services enrol with the history and the reminders."""

    class Meta:
        model = Participant

    cohort = factory.SubFactory(CohortFactory)
    youth = factory.SubFactory("youth.factories.YoungPersonFactory")
    enrolled_on = factory.LazyAttribute(lambda participant: participant.cohort.starts_on)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    kind = Session.Kind.TRAINING
    date = factory.LazyFunction(timezone.localdate)
    starts_at = dt.time(9, 0)

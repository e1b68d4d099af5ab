"""Factories for young people, shared by the test suite and `seed_demo`. All invented."""

import datetime as dt

import factory
from django.utils import timezone

from restart_platform.accounts.factories import YouthWorkerFactory, city

from .models import Barrier, Consent, ContactMoment, NetworkFactor, YoungPerson


def born_years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - dt.timedelta(days=30)


class YoungPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YoungPerson

    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    date_of_birth = factory.LazyFunction(lambda: born_years_ago(19))
    email = factory.Sequence(lambda n: f"jongere{n}@example.org")
    phone = factory.Sequence(lambda n: f"06 {20_000_000 + n}")
    city = factory.LazyAttribute(
        lambda youth: (
            youth.youth_worker.organisation.city
            if youth.youth_worker.organisation
            else city("rotterdam")
        )
    )
    youth_worker = factory.SubFactory(YouthWorkerFactory, username="jw.rotterdam1")
    last_school = "Zadkine"
    # The target group: left school without a startkwalificatie.
    left_school_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=120))
    school_level = YoungPerson.SchoolLevel.VMBO
    referred_by = YoungPerson.Referral.YOUTH_WORK
    available_days = factory.LazyFunction(lambda: ["mon", "tue", "wed"])
    available_hours = 24
    ambitions = "Iets met techniek, het liefst met mijn handen werken."


class BarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Barrier

    youth = factory.SubFactory(YoungPersonFactory)
    kind = Barrier.Kind.DEBTS
    severity = Barrier.Severity.SOME
    note = "Schulden bij de zorgverzekeraar; in gesprek met schuldhulp."
    recorded_by = factory.LazyAttribute(lambda barrier: barrier.youth.youth_worker)


class NetworkFactorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkFactor

    youth = factory.SubFactory(YoungPersonFactory)
    effect = NetworkFactor.Effect.HELPS
    description = "Oom werkt in de techniek en wil helpen."
    recorded_by = factory.LazyAttribute(lambda factor: factor.youth.youth_worker)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    youth = factory.SubFactory(YoungPersonFactory)
    purpose = Consent.Purpose.REGISTRATION
    given_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.LazyAttribute(lambda consent: consent.youth.youth_worker)


class ContactMomentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactMoment

    youth = factory.SubFactory(YoungPersonFactory)
    kind = ContactMoment.Kind.IN_PERSON
    date = factory.LazyFunction(timezone.localdate)
    summary = "Gesprek over werk en school."
    author = factory.LazyAttribute(lambda contact: contact.youth.youth_worker)

"""Factories shared by the test suite and `seed_demo`, so both describe the same world."""

import factory
from django.contrib.auth import get_user_model

from .models import City, Organisation

DEMO_PASSWORD = "restart-demo"  # noqa: S105 - the documented password of the invented demo accounts  # nosec B105


def city(slug: str) -> City:
    # get_or_create: a transactional test's flush empties the migration-seeded cities.
    return City.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Jongerenwerk {n}")
    city = factory.LazyFunction(lambda: city("rotterdam"))


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="nl_NL")
    last_name = factory.Faker("last_name", locale="nl_NL")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    role = get_user_model().Role.YOUTH_WORKER
    password = factory.django.Password(DEMO_PASSWORD)

    @factory.post_generation
    def cities(self, create, extracted, **kwargs):
        if create and extracted:
            self.cities.set(extracted)


class AdminFactory(UserFactory):
    role = get_user_model().Role.ADMIN
    is_staff = True
    is_superuser = True


class CoordinatorFactory(UserFactory):
    role = get_user_model().Role.COORDINATOR


class YouthWorkerFactory(UserFactory):
    role = get_user_model().Role.YOUTH_WORKER
    organisation = factory.SubFactory(OrganisationFactory)


class EmployerContactFactory(UserFactory):
    role = get_user_model().Role.EMPLOYER_CONTACT

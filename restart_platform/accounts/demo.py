"""Demo accounts: invented people (Faker nl_NL), the documented usernames, one password."""

from faker import Faker

from .factories import (
    AdminFactory,
    CoordinatorFactory,
    EmployerContactFactory,
    OrganisationFactory,
    YouthWorkerFactory,
    city,
)
from .models import User

DEMO_USERNAMES = [
    "admin",
    "coord.rotterdam",
    "coord.dordrecht",
    "jw.rotterdam1",
    "jw.rotterdam2",
    "jw.dordrecht1",
    "employer.demo1",
    "employer.demo2",
]


def seed(*, stdout=None) -> list[User]:
    """Create the demo accounts that are missing; existing accounts are left as they are."""
    fake = Faker("nl_NL")
    fake.seed_instance(2026)
    names = {username: (fake.first_name(), fake.last_name()) for username in DEMO_USERNAMES}
    rotterdam, dordrecht = city("rotterdam"), city("dordrecht")
    org_rotterdam = OrganisationFactory(name="Jongerenwerk Maasstad (demo)", city=rotterdam)
    org_dordrecht = OrganisationFactory(name="Jongerenwerk Drechtsteden (demo)", city=dordrecht)
    plan = [
        (AdminFactory, "admin", {}),
        (CoordinatorFactory, "coord.rotterdam", {"cities": [rotterdam]}),
        (CoordinatorFactory, "coord.dordrecht", {"cities": [dordrecht]}),
        (YouthWorkerFactory, "jw.rotterdam1", {"organisation": org_rotterdam}),
        (YouthWorkerFactory, "jw.rotterdam2", {"organisation": org_rotterdam}),
        (YouthWorkerFactory, "jw.dordrecht1", {"organisation": org_dordrecht}),
        (EmployerContactFactory, "employer.demo1", {}),
        (EmployerContactFactory, "employer.demo2", {}),
    ]
    users = []
    for factory_class, username, extra in plan:
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            users.append(existing)
            continue
        first, last = names[username]
        users.append(factory_class(username=username, first_name=first, last_name=last, **extra))
        if stdout:
            stdout.write(f"  created account {username}")
    return users

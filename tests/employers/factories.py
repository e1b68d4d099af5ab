from employers.factories import (  # noqa: F401 - one place for the tests to import from
    AgreementFactory,
    ContactFactory,
    DemandProfileFactory,
    EmployerFactory,
    InteractionFactory,
    OpeningFactory,
    PartnerFactory,
)

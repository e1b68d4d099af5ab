from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "restart_platform.accounts"
    label = "accounts"
    verbose_name = _("Accounts and access")

    def ready(self):
        import restart_platform.lookups  # noqa: F401  (field__any_of, for every app's queries)
        from restart_platform import timestamps

        timestamps.connect()  # timestamps parsed by psycopg's compiled loader

        from . import checks, signals  # noqa: F401

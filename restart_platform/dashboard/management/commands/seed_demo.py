from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from buddy import demo as buddy_demo
from employers import demo as employers_demo
from intake import demo as intake_demo
from matching import demo as matching_demo
from matching import demo_proposals as matching_demo_proposals
from matching import demo_shares as matching_demo_shares
from prep_programme import demo as prep_programme_demo
from restart_platform.accounts import demo as accounts_demo
from restart_platform.accounts.models import User
from restart_platform.dashboard import demo as dashboard_demo
from restart_platform.notifications import demo as notifications_demo
from youth import demo as youth_demo

# Each app adds its invented demo data here, in dependency order.
SEEDERS = [
    accounts_demo.seed,
    employers_demo.seed,
    youth_demo.seed,
    intake_demo.seed,
    matching_demo.seed,
    matching_demo_shares.seed,
    matching_demo_proposals.seed,
    prep_programme_demo.seed,
    buddy_demo.seed,
    dashboard_demo.seed,
]


class Command(BaseCommand):
    help = "Add invented demo data (Faker nl_NL) and the demo accounts. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users.",
        )

    def handle(self, *args, if_empty=False, **options):
        if not settings.DEMO:
            raise CommandError(
                "Demo data and the demo accounts (with their public password) are only for the "
                "embedded default database or with DEMO=1."
            )
        if if_empty and User.objects.exists():
            self.stdout.write("The database has data already; demo data not loaded.")
            return
        started = timezone.now()
        with transaction.atomic():
            for seed in SEEDERS:
                seed(stdout=self.stdout)
            notifications_demo.settle_past_reminders(seeded_since=started, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Demo accounts use the password 'restart-demo'.")
        )

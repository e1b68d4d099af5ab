"""Anonymise the young people who left more than RETENTION_MONTHS months ago (AVG retention).

The daily Celery beat task does the same; run it by hand with --dry-run to see who is due.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from youth.services import youth_apply_retention


class Command(BaseCommand):
    help = "Anonymise young people who left more than RETENTION_MONTHS months ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Only list who would be anonymised."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        references = youth_apply_retention(dry_run=dry_run)
        verb = "would be anonymised" if dry_run else "anonymised"
        self.stdout.write(
            f"{len(references)} young people {verb} "
            f"(left more than {settings.RETENTION_MONTHS} months ago)"
            + (f": {', '.join(references)}" if references else ".")
        )

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from restart_platform.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump's custom format; SQLite's online backup) and the files "
        "of MEDIA_ROOT into a new folder under BACKUP_DIR."
    )
    # A backup must be possible whatever state the data is in.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default", help="Database alias to back up.")

    def handle(self, *args, database, **options):
        try:
            outcome = create_backup(
                backup_dir=settings.BACKUP_DIR, media_root=settings.MEDIA_ROOT, alias=database
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written to {outcome.folder}")
        for name, size in outcome.files.items():
            self.stdout.write(f"  {name:<16} {size:>14,} bytes")
        self.stdout.write(f"  {outcome.media_files:,} uploaded files")

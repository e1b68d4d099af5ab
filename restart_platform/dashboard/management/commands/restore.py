from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from restart_platform.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a folder written by `manage.py backup` into the configured database, which "
        "must be empty, and its uploaded files into MEDIA_ROOT."
    )
    # The target is empty until the restore: checks that read the database would fail on it.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup folder to restore.")
        parser.add_argument("--database", default="default", help="Database alias to restore into.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Restore even when the database has tables (the backup's replace those of the "
            "same name) or MEDIA_ROOT has files (the backup's are written over them).",
        )

    def handle(self, *args, folder, database, force, **options):
        try:
            outcome = restore_backup(
                folder=folder, media_root=settings.MEDIA_ROOT, alias=database, force=force
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        name = settings.DATABASES[database]["NAME"]
        self.stdout.write(f"Restored {folder} into the database {name}")
        self.stdout.write(f"  {outcome.media_files:,} uploaded files into {settings.MEDIA_ROOT}")
        self.stdout.write("Next: `manage.py migrate` if this code is newer than the backup.")

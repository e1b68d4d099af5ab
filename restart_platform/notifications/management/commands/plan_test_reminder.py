from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from restart_platform.notifications.services import plan_reminder


class Command(BaseCommand):
    help = "Plan a test reminder for a user, due now (or in N minutes), to see the outbox work."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--in-minutes", type=int, default=0)

    def handle(self, *args, username, in_minutes, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user called {username!r}.")
        due = timezone.now() + timedelta(minutes=in_minutes)
        reminder = plan_reminder(
            key=f"test:{user.pk}:{due.isoformat()}",
            kind="notifications.test",
            due_at=due,
            recipient=user,
        )
        self.stdout.write(
            f"Planned reminder {reminder.pk} for {username}, due {due:%Y-%m-%d %H:%M:%S %Z}."
        )

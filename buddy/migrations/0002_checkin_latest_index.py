# The latest check-in of a pair, read from an index (buddy/models.py, CheckIn.Meta).

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("buddy", "0001_mentors_pairs_checkins"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="checkin",
            index=models.Index(
                models.F("pair"),
                models.OrderBy(models.F("held_on"), descending=True),
                name="buddy_checkin_pair_latest_idx",
            ),
        ),
    ]

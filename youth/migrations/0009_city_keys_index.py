"""A city's young people as keys alone: (city, id) replaces the index Django gave the city
foreign key. A coordinator's scope joins a city's young people on almost every page; with the
keys in the index PostgreSQL reads them without visiting the table (an index-only scan)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_access_log_paths_may_be_erased"),
        ("youth", "0008_last_contact"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="youngperson",
            index=models.Index(fields=["city", "id"], name="youth_city_id_idx"),
        ),
        migrations.AlterField(
            model_name="youngperson",
            name="city",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="young_people",
                to="accounts.city",
                verbose_name="city",
            ),
        ),
    ]

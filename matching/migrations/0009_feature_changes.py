"""Triggers that note every change to what a score reads, for the warm features.

`matching.features` keeps the features of every young person and opening warm in each process
and refreshes only what changed. It learns what changed from `matching_featurechange`, which
these triggers fill in the same transaction as the change itself: a form, the admin, a bulk
update, a merge or raw SQL all leave their note, so no path can leave a score stale.

An update notes a change only when a column the score reads changes (WHEN ... IS DISTINCT
FROM), so saving a name or a note costs nothing. An update that moves a row to another owner
(a merge moving skills to the survivor) notes both the old and the new owner.
"""

import django.db.models.functions.datetime
from django.db import migrations, models

# (table, kind, id of the changed owner as an expression of the row, columns the score reads)
# `{row}` is OLD or NEW. None as columns: a link table, whose every update counts.
WATCHED = [
    (
        "youth_youngperson",
        "youth",
        "{row}.id",
        [
            "city_id",
            "available_hours",
            "available_from",
            "travel_range_km",
            "journey",
            "programme_phase",
        ],
    ),
    ("youth_youngperson_interests", "youth", "{row}.youngperson_id", None),
    ("youth_youthskill", "youth", "{row}.youth_id", ["youth_id", "skill_id"]),
    # The latest finished intake's outcome caps readiness; its meeting names the young person.
    (
        "intake_intakerecord",
        "youth",
        "(SELECT youth_id FROM intake_intakemeeting WHERE id = {row}.meeting_id)",
        ["meeting_id", "status", "outcome", "finished_at"],
    ),
    ("intake_intakemeeting", "youth", "{row}.youth_id", ["youth_id"]),
    ("employers_opening", "opening", "{row}.id", ["employer_id", "hours_per_week", "start_date"]),
    ("employers_opening_required_skills", "opening", "{row}.opening_id", None),
    ("employers_opening_nice_to_have_skills", "opening", "{row}.opening_id", None),
    ("employers_employer", "employer", "{row}.id", ["city_id", "sector_id", "circularity"]),
    ("taxonomy_sector_interest_areas", "sector", "{row}.sector_id", None),
    # Rare and wide: the slugs that make an interest circular, a city's coordinates.
    ("taxonomy_interestarea", "all", "NULL", ["slug"]),
    ("accounts_city", "all", "NULL", ["latitude", "longitude"]),
]
LINK_COLUMNS = {  # a link table's own columns, for its update trigger
    "youth_youngperson_interests": ["youngperson_id", "interestarea_id"],
    "employers_opening_required_skills": ["opening_id", "skill_id"],
    "employers_opening_nice_to_have_skills": ["opening_id", "skill_id"],
    "taxonomy_sector_interest_areas": ["sector_id", "interestarea_id"],
}


def _note(kind: str, owner: str, row: str) -> str:
    # Built only from the constants above, never from input.
    return (
        "INSERT INTO matching_featurechange (kind, object_id) "  # noqa: S608
        f"VALUES ('{kind}', {owner.format(row=row)});"
    )


def _changed(columns: list[str], distinct: str) -> str:
    return " OR ".join(f"OLD.{column} {distinct} NEW.{column}" for column in columns)


def postgresql_forward() -> list[str]:
    statements = []
    for table, kind, owner, columns in WATCHED:
        columns = columns or LINK_COLUMNS[table]
        name = f"matching_fc_{table}"
        statements.append(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$\n"
            "BEGIN\n"
            f"    IF TG_OP IN ('UPDATE', 'DELETE') THEN {_note(kind, owner, 'OLD')} END IF;\n"
            f"    IF TG_OP IN ('UPDATE', 'INSERT') THEN {_note(kind, owner, 'NEW')} END IF;\n"
            "    RETURN NULL;\n"
            "END;\n"
            "$$ LANGUAGE plpgsql;"
        )
        statements += [
            f"CREATE TRIGGER {name}_write AFTER INSERT OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {name}();",
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} FOR EACH ROW "
            f"WHEN ({_changed(columns, 'IS DISTINCT FROM')}) EXECUTE FUNCTION {name}();",
        ]
    return statements


def postgresql_backward() -> list[str]:
    statements = []
    for table, *_rest in WATCHED:
        name = f"matching_fc_{table}"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}_write ON {table};",
            f"DROP TRIGGER IF EXISTS {name}_update ON {table};",
            f"DROP FUNCTION IF EXISTS {name}();",
        ]
    return statements


def sqlite_forward() -> list[str]:
    statements = []
    for table, kind, owner, columns in WATCHED:
        columns = columns or LINK_COLUMNS[table]
        name = f"matching_fc_{table}"
        old, new = _note(kind, owner, "OLD"), _note(kind, owner, "NEW")
        statements += [
            f"CREATE TRIGGER {name}_insert AFTER INSERT ON {table} BEGIN {new} END;",
            f"CREATE TRIGGER {name}_delete AFTER DELETE ON {table} BEGIN {old} END;",
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON {table} "
            f"WHEN {_changed(columns, 'IS NOT')} BEGIN {old} {new} END;",
        ]
    return statements


def sqlite_backward() -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS matching_fc_{table}_{event};"
        for table, *_rest in WATCHED
        for event in ("insert", "delete", "update")
    ]


def _run(schema_editor, statements: dict) -> None:
    for statement in statements.get(schema_editor.connection.vendor, list)():
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, {"postgresql": postgresql_forward, "sqlite": sqlite_forward})


def backward(apps, schema_editor):
    _run(schema_editor, {"postgresql": postgresql_backward, "sqlite": sqlite_backward})


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0008_protect_shares_from_cascades"),
        ("youth", "0006_retention_schedule"),
        ("employers", "0006_demand_untouched_zeros_to_unknown"),
        ("intake", "0004_remove_was_non_committal"),
        ("taxonomy", "0006_seed_personal_interests"),
        ("accounts", "0006_access_log_paths_may_be_erased"),
    ]

    operations = [
        migrations.CreateModel(
            name="FeatureChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("youth", "young person"),
                            ("opening", "opening"),
                            ("employer", "employer"),
                            ("sector", "sector"),
                            ("all", "everything"),
                        ],
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "object_id",
                    models.BigIntegerField(blank=True, null=True, verbose_name="object id"),
                ),
                (
                    "changed_at",
                    models.DateTimeField(
                        db_default=django.db.models.functions.datetime.Now(),
                        verbose_name="changed at",
                    ),
                ),
            ],
            options={
                "verbose_name": "feature change",
                "verbose_name_plural": "feature changes",
                "indexes": [models.Index(fields=["changed_at"], name="matching_featurechange_at")],
            },
        ),
        migrations.RunPython(forward, backward),
    ]

"""The programme as the alliance runs it (DOMAIN.md, "Voorschakelprogramma"), and its variant
for circular employers. Coordinators edit both afterwards; removing them only removes these."""

from django.db import migrations

EMPLOYEE_CORE = ["cooperation", "flexibility", "communication", "motivation"]
CIRCULAR_EXTRA = ["tools", "safety", "dismantling", "sorting"]
PHASES = [
    (1, "Werkritme", "Elke dag op tijd en aanwezig: het ritme van werk.", 80, 2, None),
    (2, "Vaardigheden", "Samenwerken, flexibiliteit, communicatie en motivatie.", None, None, 3),
    (
        3,
        "Stage of werkplek",
        "Een stage of een reguliere werkplek bij een werkgever.",
        None,
        None,
        None,
    ),
]
PROGRAMMES = [
    ("Voorschakelprogramma", "standard", 26, "Praktijkverklaring", EMPLOYEE_CORE),
    (
        "Voorschakelprogramma circulair",
        "circular",
        30,
        "Entree",
        EMPLOYEE_CORE + CIRCULAR_EXTRA,
    ),
]


def seed(apps, schema_editor):
    Programme = apps.get_model("prep_programme", "Programme")
    Phase = apps.get_model("prep_programme", "Phase")
    Skill = apps.get_model("taxonomy", "Skill")
    for name, variant, weeks, certificate, skills in PROGRAMMES:
        programme, created = Programme.objects.get_or_create(
            name=name,
            defaults={"variant": variant, "planned_weeks": weeks, "certificate": certificate},
        )
        if not created:
            continue
        programme.core_skills.set(Skill.objects.filter(slug__in=skills))
        for number, phase_name, aims, attendance, late, rating in PHASES:
            Phase.objects.create(
                programme=programme,
                number=number,
                name=phase_name,
                aims=aims,
                min_attendance_percent=attendance,
                max_late=late,
                min_core_rating=rating,
                window_days=28,
            )


def unseed(apps, schema_editor):
    Programme = apps.get_model("prep_programme", "Programme")
    Programme.objects.filter(name__in=[row[0] for row in PROGRAMMES], cohorts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prep_programme", "0001_initial"),
        ("taxonomy", "0002_seed_terms"),
    ]
    operations = [migrations.RunPython(seed, unseed)]

"""Every model that holds rows about a young person is declared in its app's privacy.py, with
each of its text fields either overwritten on erasure or kept on purpose: a new model or field
that is forgotten fails here, so neither the export nor the erasure can miss it."""

from django.apps import apps
from django.db import models

from restart_platform.privacy import sections
from youth.models import YoungPerson

TEXT = (models.CharField, models.TextField, models.JSONField, models.FileField)


def models_about_a_young_person() -> dict[type[models.Model], str]:
    """Every model with a relation to YoungPerson, directly or through other models, and the
    path from it to the young person."""
    reach: dict[type[models.Model], str] = {YoungPerson: ""}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            if model in reach:
                continue
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.ForeignKey | models.OneToOneField)
                    and field.related_model in reach
                    and field.related_model is not model
                ):
                    path = reach[field.related_model]
                    reach[model] = f"{field.name}__{path}" if path else field.name
                    changed = True
                    break
    return reach


def test_the_walker_finds_the_apps_rows_through_other_rows():
    found = models_about_a_young_person()
    labels = {model._meta.label for model in found}
    # Directly, and through an intake, a participation, a pair and a placement.
    assert {
        "youth.Barrier",
        "intake.IntakeRecord",
        "prep_programme.CoachingTalk",
        "buddy.CheckIn",
        "matching.FollowUp",
    } <= labels


def test_every_model_about_a_young_person_has_a_section():
    declared = {section.model for section in sections()}
    missing = sorted(m._meta.label for m in models_about_a_young_person() if m not in declared)
    assert missing == [], f"declare these in their app's privacy.py: {missing}"


def test_a_sections_path_leads_to_the_young_person():
    for section in sections():
        if section.youth_path:
            last = section.youth_path.split("__")
            model = section.model
            for name in last:
                model = model._meta.get_field(name).related_model
            assert model is YoungPerson, section


def test_every_text_field_is_erased_or_kept_on_purpose():
    undecided = []
    for section in sections():
        decided = set(section.scrub) | set(section.keep) | set(section.replace)
        for field in section.model._meta.concrete_fields:
            if isinstance(field, TEXT) and not field.choices and field.name not in decided:
                undecided.append(f"{section.model._meta.label}.{field.name}")
            if isinstance(field, models.FileField):
                assert field.name not in section.keep, "an uploaded file cannot be kept"
    assert undecided == [], f"scrub or keep (with a reason) in privacy.py: {undecided}"


def test_the_date_of_birth_keeps_only_its_year():
    profile = next(section for section in sections() if section.model is YoungPerson)
    assert "date_of_birth" in profile.replace


def test_every_app_with_rows_about_a_young_person_reacts_to_their_erasure():
    # The youth app erases its own rows in youth_erase; every other app through its subscriber.
    from restart_platform.events import subscribers_of
    from youth.events import YouthErased

    reacting = {
        apps.get_containing_app_config(subscriber.__module__).label
        for subscriber in subscribers_of(YouthErased)
    }
    declared = {section.app_label for section in sections()} - {"youth"}
    assert declared - reacting == set()

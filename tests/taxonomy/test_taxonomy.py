import pytest
from django.utils import translation

from restart_platform.taxonomy.models import InterestArea, Sector, Skill

pytestmark = pytest.mark.django_db


def test_the_taxonomy_is_seeded_with_dutch_and_english_labels():
    assert Sector.objects.filter(slug="recycling").exists()
    assert InterestArea.objects.count() >= 10
    for model in (Sector, Skill, InterestArea):
        assert not model.objects.filter(name_nl="").exists()
        assert not model.objects.filter(name_en="").exists()


@pytest.mark.parametrize(
    ("slug", "category"),
    [
        ("operate-devices", "technical"),
        ("repair-devices", "technical"),
        ("dismantling", "circular"),
        ("sorting", "circular"),
        ("cooperation", "employee"),
        ("flexibility", "employee"),
        ("communication", "employee"),
        ("motivation", "employee"),
        ("punctuality", "employee"),
    ],
)
def test_the_skills_of_the_literature_are_there(slug, category):
    assert Skill.objects.get(slug=slug).category == category


def test_a_term_reads_in_the_active_language():
    skill = Skill.objects.get(slug="punctuality")
    with translation.override("nl"):
        assert str(skill) == "Op tijd komen"
    with translation.override("en"):
        assert str(skill) == "Punctuality"


def test_retired_terms_are_not_offered():
    Skill.objects.filter(slug="forklift").update(is_active=False)
    assert not Skill.objects.active().filter(slug="forklift").exists()


@pytest.mark.parametrize("model", ["sector", "skill", "interestarea"])
def test_admins_edit_the_taxonomy_in_the_admin(client_for, admin, model):
    client = client_for(admin)
    assert client.get(f"/admin/taxonomy/{model}/").status_code == 200
    assert client.get(f"/admin/taxonomy/{model}/add/").status_code == 200

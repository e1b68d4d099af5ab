"""Invented stories for the employer pitch: a few placed young people in each city consent to
use in anonymous reports, and a coordinator of their city wrote their story without names."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from matching.models import Placement
from restart_platform.accounts.models import City, User
from youth import services as youth_services
from youth.models import Consent
from youth.selectors import has_consent

from . import services
from .models import Story

STORIES = [
    (
        "Van twee dagen stage naar een vast contract",
        "Na een half jaar thuis begon deze jongere met twee dagen stage in de demontage. "
        "De buddy op de werkvloer hielp met de eerste weken; nu werkt de jongere vier dagen "
        "en leert een nieuwe collega het sorteren aan.",
    ),
    (
        "Op tijd, elke dag",
        "De werkgever twijfelde: zou deze jongere wel komen? Na drie maanden is er geen dag "
        "gemist. De vaste begeleider zegt: 'Het tempo ligt hoog, en dat bevalt.'",
    ),
    (
        "Een diploma erbij",
        "Via een leerwerkplek haalde deze jongere het eerste mbo-certificaat, naast het werk "
        "in de fietsenmakerij. De werkgever zoekt nu een tweede leerling.",
    ),
]
PER_CITY = 2


def seed(*, stdout=None) -> None:
    if Story.objects.exists():
        return
    today = timezone.localdate()
    written = 0
    for city in City.objects.order_by("slug"):
        coordinator = User.objects.filter(role=User.Role.COORDINATOR, cities=city).first()
        if coordinator is None:
            continue
        placed = (
            Placement.objects.filter(youth__city=city, youth__merged_into__isnull=True)
            .select_related("youth")
            .order_by("start_date", "pk")
        )
        youth = list(dict.fromkeys(placement.youth for placement in placed))
        for person, (title, text) in zip(youth[:PER_CITY], STORIES, strict=False):
            if not has_consent(person, Consent.Purpose.ANONYMOUS_REPORTS):
                youth_services.consent_give(
                    youth=person,
                    purpose=Consent.Purpose.ANONYMOUS_REPORTS,
                    given_on=max(person.registered_on, today.replace(day=1)),
                    by=coordinator,
                )
            try:
                services.story_save(
                    by=coordinator, youth=person, title=title, text=text, is_shareable=True
                )
            except ValidationError:  # an invented name happens to be a word in the story
                continue
            written += 1
    if stdout:
        stdout.write(f"  created {written} stories for the employer pitch")

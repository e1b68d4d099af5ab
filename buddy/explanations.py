"""Why a pairing score is what it is: each component's share in points (they add up to the
score) and a sentence with the numbers. The arithmetic is in `buddy.scoring`."""

from dataclasses import dataclass, field

from django.utils.translation import gettext, ngettext

from restart_platform.taxonomy.models import InterestArea, PersonalInterest, Skill
from restart_platform.weights import Component, shares

from .models import HelpKind, PairScoreWeights
from .scoring import COMPONENTS, IDEAL_AGE_GAP, PairScore


@dataclass
class Terms:
    """The labels the sentences name, read once per table however many pairs are explained."""

    loaded: dict = field(default_factory=dict)

    def labels(self, model, pks) -> str:
        if model not in self.loaded:
            self.loaded[model] = {term.pk: term.label for term in model.objects.all()}
        return ", ".join(sorted(self.loaded[model][pk] for pk in pks))


def explain(result: PairScore, terms: Terms | None = None) -> list[Component]:
    terms = terms or Terms()
    points = shares(result.components, result.weights, result.total)
    sentences = {
        "needs": _needs_sentence(result, terms),
        "work_fields": _work_fields_sentence(result, terms),
        "interests": _interests_sentence(result, terms),
        "age_gap": _age_gap_sentence(result),
    }
    return [
        Component(
            name=name,
            label=str(PairScoreWeights._meta.get_field(name).verbose_name),
            value=result.components[name],
            weight=result.weights[name],
            points=points[name],
            sentence=sentences[name],
        )
        for name in COMPONENTS
    ]


def _needs_sentence(result: PairScore, terms: Terms) -> str:
    youth, mentor = result.youth, result.mentor
    needs = len(youth.skills_to_learn) + len(youth.help_needed)
    if not needs:
        return gettext("no needs recorded in the young person's buddy profile")
    skills = youth.skills_to_learn & mentor.skills
    help_kinds = youth.help_needed & mentor.help_with
    sentence = gettext("covers %(covered)d of %(needs)d needs") % {
        "covered": len(skills) + len(help_kinds),
        "needs": needs,
    }
    named = [terms.labels(Skill, skills)] if skills else []
    named += sorted(str(HelpKind(kind).label) for kind in help_kinds)
    return f"{sentence}: {', '.join(named)}" if named else sentence


def _work_fields_sentence(result: PairScore, terms: Terms) -> str:
    interests = result.youth.career_interests
    if not interests:
        return gettext("no career interests recorded")
    if shown := interests & result.mentor.work_fields:
        return gettext("can show the work field %(fields)s") % {
            "fields": terms.labels(InterestArea, shown)
        }
    return gettext("works in none of the young person's fields of interest")


def _interests_sentence(result: PairScore, terms: Terms) -> str:
    youth, mentor = result.youth.personal_interests, result.mentor.personal_interests
    if not (youth and mentor):
        return gettext("personal interests not recorded on both sides")
    shared = youth & mentor
    if not shared:
        return gettext("no personal interests in common")
    return ngettext(
        "%(count)d personal interest in common: %(interests)s",
        "%(count)d personal interests in common: %(interests)s",
        len(shared),
    ) % {"count": len(shared), "interests": terms.labels(PersonalInterest, shared)}


def _age_gap_sentence(result: PairScore) -> str:
    gap = result.mentor.age - result.youth.age
    numbers = {"years": abs(gap), "ideal": IDEAL_AGE_GAP}
    if gap >= 0:
        return (
            ngettext(
                "%(years)d year older (about %(ideal)d works best)",
                "%(years)d years older (about %(ideal)d works best)",
                abs(gap),
            )
            % numbers
        )
    return (
        ngettext(
            "%(years)d year younger (about %(ideal)d older works best)",
            "%(years)d years younger (about %(ideal)d older works best)",
            abs(gap),
        )
        % numbers
    )

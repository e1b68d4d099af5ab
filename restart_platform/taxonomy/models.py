from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TermQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Term(models.Model):
    """A shared term with a Dutch and an English label; shown in the reader's language."""

    slug = models.SlugField(_("code"), max_length=60, unique=True)
    name_nl = models.CharField(_("Dutch label"), max_length=120)
    name_en = models.CharField(_("English label"), max_length=120)
    is_active = models.BooleanField(
        _("in use"),
        default=True,
        help_text=_("Retired terms stay on old records but are not offered."),
    )

    objects = TermQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["name_nl"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "nl").startswith("en") else self.name_nl


class Sector(Term):
    # Matching reads this: a young person whose career interests meet these fits the sector.
    interest_areas = models.ManyToManyField(
        "InterestArea",
        blank=True,
        related_name="sectors",
        verbose_name=_("fitting career interests"),
        help_text=_("Which career interests fit this sector."),
    )

    class Meta(Term.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Skill(Term):
    class Category(models.TextChoices):
        TECHNICAL = "technical", _("Technical skill")
        CIRCULAR = "circular", _("Circular skill")
        EMPLOYEE = "employee", _("Employee skill")

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)

    class Meta(Term.Meta):
        ordering = ["category", "name_nl"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class InterestArea(Term):
    class Meta(Term.Meta):
        verbose_name = _("career or interest area")
        verbose_name_plural = _("career and interest areas")


class PersonalInterest(Term):
    """What someone likes to do outside work (sport, music, cooking, ...). The buddy programme
    pairs on it: a shared hobby bridges a gap in background between mentor and young person."""

    class Meta(Term.Meta):
        verbose_name = _("personal interest")
        verbose_name_plural = _("personal interests")

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class City(models.Model):
    """A city where the alliance works. Coordinators are scoped to one or more of them."""

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=80, unique=True)
    # The centre of the city: matching measures travel distance between cities from these.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A youth-work organisation; its youth workers keep caseloads of young people."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    city = models.ForeignKey(City, on_delete=models.PROTECT, verbose_name=_("city"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("youth-work organisation")
        verbose_name_plural = _("youth-work organisations")

    def __str__(self):
        return self.name


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        COORDINATOR = "coordinator", _("Coordinator")
        YOUTH_WORKER = "youth_worker", _("Youth worker")
        EMPLOYER_CONTACT = "employer_contact", _("Employer contact")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    cities = models.ManyToManyField(
        City,
        blank=True,
        related_name="users",
        verbose_name=_("cities"),
        help_text=_("A coordinator sees everything in these cities."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="youth_workers",
        verbose_name=_("youth-work organisation"),
    )
    language = models.CharField(
        _("preferred language"), max_length=5, choices=settings.LANGUAGES, default="nl"
    )

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Only an administrator may hold Django's superuser flag.
            models.CheckConstraint(
                condition=Q(is_superuser=False) | Q(role="admin"),
                name="accounts_user_superuser_is_admin",
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(role="youth_worker"),
                name="accounts_user_organisation_only_for_youth_workers",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def needs_two_factor(self) -> bool:
        """Everyone who sees young people's records (youth workers see health and debt
        barriers), and anyone with admin-site access, logs in with a second factor."""
        return self.is_staff or self.role in {
            self.Role.ADMIN,
            self.Role.COORDINATOR,
            self.Role.YOUTH_WORKER,
        }

    @cached_property
    def city_ids(self) -> frozenset[int]:
        return frozenset(self.cities.values_list("pk", flat=True))


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Access log entries cannot be changed.")

    def erase_paths(self, *, suffix: str) -> int:
        """The one change the log allows (AVG erasure): a path that named a young person (a
        search for their name) keeps its page but loses its query, ending in `suffix`. The
        database refuses any other change (migration 0006)."""
        changed = 0
        for pk, path in self.values_list("pk", "path"):
            kept = path.split("?", 1)[0][: 300 - len(suffix) - 1]
            changed += models.QuerySet.update(
                self.model.objects.filter(pk=pk), path=f"{kept}?{suffix}"
            )
        return changed

    def delete(self):
        raise PermissionError("Access log entries cannot be deleted.")


class AccessEvent(models.Model):
    """Who looked at (or was refused) which record, and when. Append-only.

    Written at once in the request's own database connection, never through the queue, so an
    outage of the broker cannot lose it. The database refuses UPDATE and DELETE on this table
    (see migration 0003); the manager refuses them in Python as well. One exception, for the
    AVG erasure of a young person: a path may lose its query string (`erase_paths`, 0006).
    """

    class Outcome(models.TextChoices):
        ALLOWED = "allowed", _("allowed")
        DENIED = "denied", _("refused")
        NOT_FOUND = "not_found", _("not found")

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=40, default="view")
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("record type")
    )
    object_id = models.CharField(_("record id"), max_length=64)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self):
        return (
            f"{self.actor_id} {self.action} {self.content_type_id}:{self.object_id} {self.outcome}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Access log entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Access log entries cannot be deleted.")

"""Personal data of a young person, declared by the app that holds it (AVG: access and erasure).

Every app that stores rows about a young person lists them in its own `privacy.py`:

    register(Section(Barrier, "youth", _("Barriers"), scrub=("note",)))

A `Section` names the model, the path from it to the young person (`"youth"`,
`"meeting__youth"`, `""` for the young person itself), a Dutch label for the export, the text
fields erasure blanks (`scrub`), other fields it overwrites (`replace`), and the text fields it
deliberately keeps (`keep`: coarse data such as a certificate's name, said why in the app).

- The right of access (the dashboard's export, restart_platform/dashboard/avg.py) reads every
  section: no app can be left out. Every app's `privacy.py` is imported to collect them, so
  such a module holds declarations only.
- Erasure (`youth.services.youth_erase` publishes `YouthErased`) has each app's subscriber call
  `erase_sections(app_label, youth)`, which overwrites that app's rows in place and blanks the
  change history of those rows. An app scrubs its own rows; this module only knows the rule.
- A walker test (tests/privacy/test_registry.py) finds every model with a relation to
  `YoungPerson`, direct or through another model, and fails when one has no section, or a text
  field that is neither scrubbed nor kept.

This module is generic: it imports no app and is imported by the apps (they sit above it).
"""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Case, F, Model, Q, QuerySet, Value, When
from django.db.models.functions import Cast
from django.utils.module_loading import autodiscover_modules

ERASED = "[geanonimiseerd]"


@dataclass(frozen=True)
class Section:
    model: type[Model]
    youth_path: str  # "" for the young person, "youth", "pair__youth", ...
    label: Any  # a lazy Dutch label for the export
    scrub: tuple[str, ...] = ()  # text/JSON fields emptied (or ERASED where a value is required)
    replace: dict[str, Any] = field(default_factory=dict)  # other fields: fixed values
    keep: tuple[str, ...] = ()  # text fields deliberately kept (coarse, not identifying)

    @property
    def app_label(self) -> str:
        return self.model._meta.app_label

    def rows_of(self, youth) -> QuerySet:
        if not self.youth_path:
            return self.model._base_manager.filter(pk=youth.pk)
        return self.model._base_manager.filter(**{self.youth_path: youth})

    def erased_values(self) -> dict[str, Any]:
        """What erasure writes: a text that held something becomes ERASED (an empty one stays
        empty, so the rules "a cancelled intake has a reason" keep holding); a field too short
        for ERASED, or an e-mail address, becomes empty; a JSON field its default."""
        values = {}
        for name in self.scrub:
            model_field = self.model._meta.get_field(name)
            if isinstance(model_field, models.JSONField):
                values[name] = model_field.get_default()
            elif isinstance(model_field, models.FileField):
                values[name] = ""  # the file itself is deleted by erase_sections
            elif isinstance(model_field, models.EmailField) or (
                model_field.max_length is not None and model_field.max_length < len(ERASED)
            ):
                values[name] = None if model_field.null else ""
            else:
                values[name] = Case(
                    When(Q(**{name: ""}) | Q(**{f"{name}__isnull": True}), then=F(name)),
                    default=Value(ERASED),
                    output_field=models.TextField(),
                )
        values.update(self.replace)
        return values


_sections: list[Section] = []
_discovered = False


def register(*sections: Section) -> None:
    for section in sections:
        if section.model not in {known.model for known in _sections}:
            _sections.append(section)


def sections() -> list[Section]:
    """Every declared section, in INSTALLED_APPS order (each app's privacy.py imported once)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("privacy")
        _discovered = True
    from django.apps import apps

    order = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_sections, key=lambda section: order.get(section.app_label, len(order)))


def sections_of(app_label: str) -> list[Section]:
    return [section for section in sections() if section.app_label == app_label]


def mask_in_change_history() -> None:
    """The change history records that a field erasure scrubs changed, never what it said: it
    would otherwise be a second, unlogged file of their notes and contact details. Each section's
    scrubbed fields are masked in django-auditlog for its model (settings names the older list
    by field name; this follows the registry, so a field declared later is masked from its first
    edit). Called once all apps are loaded (the dashboard's AppConfig.ready)."""
    from auditlog.registry import auditlog

    for section in sections():
        if section.scrub and auditlog.contains(section.model):
            # Added to the registration in place: registering the model again would drop what
            # AUDITLOG_INCLUDE_ALL_MODELS set up for it (its many-to-many fields, its excludes).
            masked = auditlog._registry[section.model]["mask_fields"]
            masked.extend(name for name in section.scrub if name not in masked)


def erase_sections(app_label: str, youth) -> int:
    """Overwrite the personal data of `youth` in this app's rows, in place, and blank the change
    history of those rows. Runs update() on purpose: a save would record the old values in the
    change history once more. Returns the number of rows overwritten."""
    count = 0
    for section in sections_of(app_label):
        rows = section.rows_of(youth)
        pks = list(rows.values_list("pk", flat=True))
        scrub_change_history(section.model, pks)
        cancel_reminders_about(section.model, pks)
        _delete_files(section, rows)
        values = section.erased_values()
        if values:
            count += rows.update(**values)
    return count


def _delete_files(section: Section, rows: QuerySet) -> None:
    """An uploaded file about them goes from the disk, not only from the row."""
    names = [
        name
        for name in section.scrub
        if isinstance(section.model._meta.get_field(name), models.FileField)
    ]
    for row in rows if names else ():
        for name in names:
            if stored := getattr(row, name):
                stored.delete(save=False)


def scrub_change_history(model: type[Model], pks) -> int:
    """Blank what django-auditlog kept of these rows: the changes, the repr and any note."""
    from auditlog.models import LogEntry

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    pk_texts = [str(pk) for pk in pks]
    if not pk_texts:
        return 0
    return LogEntry.objects.filter(content_type=content_type, object_pk__in=pk_texts).update(
        changes={},
        changes_text="",
        object_repr=ERASED,
        serialized_data=None,
        additional_data=None,
    )


def scrub_change_history_mentioning(tokens: list[str]) -> int:
    """Blank any other change-history entry whose repr or changes name the person (rows deleted
    before the erasure, a merged duplicate's entries)."""
    from auditlog.models import LogEntry

    if not tokens:
        return 0
    query = Q()
    for token in tokens:
        query |= Q(object_repr__icontains=token) | Q(changes_as_text__icontains=token)
        query |= Q(additional_as_text__icontains=token)
    entries = LogEntry.objects.annotate(
        changes_as_text=Cast("changes", models.TextField()),
        additional_as_text=Cast("additional_data", models.TextField()),
    ).filter(query)
    return LogEntry.objects.filter(pk__in=list(entries.values_list("pk", flat=True))).update(
        changes={},
        changes_text="",
        object_repr=ERASED,
        serialized_data=None,
        additional_data=None,
    )


def cancel_reminders_about(model: type[Model], pks) -> int:
    """Nothing of theirs may still go out: open and failed reminders about these rows are
    cancelled (a failed one could be retried), and the in-app notifications already made of any
    reminder about them lose their title, which named the person (a first name or reference)."""
    from restart_platform.notifications.models import Notification, Reminder

    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    about = Reminder.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in pks]
    )
    Notification.objects.filter(reminder__in=about).update(title=ERASED)
    return about.filter(
        status__in=[Reminder.Status.PENDING, Reminder.Status.CLAIMED, Reminder.Status.FAILED]
    ).update(status=Reminder.Status.CANCELLED, last_error="", claim_token=None, claimed_at=None)


def identifying_words(*values: str) -> list[str]:
    """The words that name a person, to find them in free text: each value whole, and each of
    its words of three letters or more (a first name alone in a search)."""
    words = set()
    for value in values:
        value = (value or "").strip()
        if len(value) >= 3:
            words.add(value)
            words.update(part for part in value.split() if len(part) >= 3)
    return sorted(words, key=lambda word: (-len(word), word))

"""The AVG pages' reads: everything the platform holds about one young person (right of access),
and the audit trail of who viewed or changed which young person's record.

The export walks `restart_platform.privacy.sections()`: every app declares its rows about a
young person there, so a new app's rows reach the export without a change here. Around those
rows come the reminders and notifications about them, their change history (django-auditlog)
and the access log of the record.
"""

import datetime as dt
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from restart_platform.accounts.access import is_admin
from restart_platform.accounts.models import AccessEvent, User
from restart_platform.notifications.models import Notification, Reminder
from restart_platform.privacy import sections
from youth.models import YoungPerson

# What the audit viewer calls each kind of event; the access log's actions and one for changes.
AUDIT_ACTIONS = {
    "view": gettext_lazy("viewed"),
    "export": gettext_lazy("exported"),
    "erase": gettext_lazy("anonymised"),
    "change": gettext_lazy("changed the record"),
}


@dataclass
class FileSection:
    key: str
    label: str
    rows: list[list[tuple[str, object]]] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "key": self.key,
            "label": self.label,
            "rows": [{label: _json_value(value) for label, value in row} for row in self.rows],
        }


def _json_value(value):
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | dict | int | float | bool) or value is None:
        return value
    return str(value)


def _display(row: models.Model, model_field) -> object:
    value = getattr(row, model_field.name)
    if model_field.choices and value not in (None, ""):
        return getattr(row, f"get_{model_field.name}_display")()
    if isinstance(model_field, models.ForeignKey):
        if value is None:
            return None
        employer = getattr(value, "employer", None)
        if isinstance(employer, models.Model):  # an opening: say which employer it belongs to
            return f"{value} ({employer})"
        return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _row(row: models.Model) -> list[tuple[str, object]]:
    values = [
        (capfirst(str(model_field.verbose_name)), _display(row, model_field))
        for model_field in row._meta.concrete_fields
        if model_field.name not in ("version", "claim_token", "token")
    ]
    for many in row._meta.many_to_many:
        values.append(
            (
                capfirst(str(many.verbose_name)),
                ", ".join(str(o) for o in getattr(row, many.name).all()),
            )
        )
    return values


def youth_file(youth: YoungPerson) -> dict:
    """Everything held about one young person, in sections with Dutch labels."""
    file_sections: list[FileSection] = []
    targets: list[tuple[int, list[str]]] = []  # (content type id, pks) of every row about them
    for section in sections():
        rows = list(section.rows_of(youth).order_by("pk"))
        meta = section.model._meta
        file_sections.append(
            FileSection(
                key=meta.label_lower, label=str(section.label), rows=[_row(r) for r in rows]
            )
        )
        content_type = ContentType.objects.get_for_model(section.model, for_concrete_model=False)
        targets.append((content_type.pk, [str(row.pk) for row in rows]))
    about = Q(pk__in=[])
    for content_type_id, pks in targets:
        if pks:
            about |= Q(content_type_id=content_type_id, object_id__in=pks)
    history_about = Q(pk__in=[])
    for content_type_id, pks in targets:
        if pks:
            history_about |= Q(content_type_id=content_type_id, object_pk__in=pks)

    reminders = Reminder.objects.filter(about).select_related("recipient").order_by("due_at", "pk")
    file_sections.append(
        FileSection(
            key="notifications.reminder",
            label=_("Reminders about them"),
            rows=[
                [
                    (_("Kind"), reminder.kind),
                    (_("Due"), reminder.due_at),
                    (_("Status"), reminder.get_status_display()),
                    (_("Recipient"), str(reminder.recipient or reminder.recipient_role)),
                    (_("Sent"), reminder.sent_at),
                ]
                for reminder in reminders
            ],
        )
    )
    notifications = Notification.objects.filter(reminder__in=reminders).select_related("user")
    file_sections.append(
        FileSection(
            key="notifications.notification",
            label=_("Notifications about them"),
            rows=[
                [
                    (_("Title"), notification.title),
                    (_("To"), str(notification.user)),
                    (_("Created"), notification.created_at),
                    (_("Read"), notification.read_at),
                ]
                for notification in notifications.order_by("created_at", "pk")
            ],
        )
    )
    history = LogEntry.objects.filter(history_about).select_related("actor", "content_type")
    file_sections.append(
        FileSection(
            key="auditlog.logentry",
            label=_("Change history"),
            rows=[
                [
                    (_("Time"), entry.timestamp),
                    (_("Which record"), f"{entry.content_type.name} {entry.object_pk}"),
                    (_("Description"), entry.object_repr),
                    (_("Action"), entry.get_action_display()),
                    (_("Changes"), entry.changes or {}),
                    (_("Step"), (entry.additional_data or {}).get("action", "")),
                    (_("By"), str(entry.actor) if entry.actor else _("the platform")),
                ]
                for entry in history.order_by("timestamp", "pk")
            ],
        )
    )
    youth_type = ContentType.objects.get_for_model(YoungPerson)
    views = AccessEvent.objects.filter(content_type=youth_type, object_id=str(youth.pk))
    file_sections.append(
        FileSection(
            key="accounts.accessevent",
            label=_("Who viewed the record"),
            rows=[
                [
                    (_("Time"), event.created_at),
                    (_("Who"), str(event.actor) if event.actor else ""),
                    (_("Role"), event.actor_role),
                    (_("Action"), event.action),
                    (_("Outcome"), event.get_outcome_display()),
                    (_("Page"), event.path),
                ]
                for event in views.select_related("actor").order_by("created_at", "pk")
            ],
        )
    )
    return {
        "reference": youth.case_reference,
        "made_at": timezone.now(),
        "sections": file_sections,
    }


def youth_file_json(youth: YoungPerson) -> dict:
    data = youth_file(youth)
    return {
        "reference": data["reference"],
        "made_at": data["made_at"].isoformat(),
        "sections": [section.as_json() for section in data["sections"]],
    }


# --- The audit viewer ---------------------------------------------------------------------


def audit_events(
    user: User,
    *,
    actor: User | None = None,
    youth_id: int | None = None,
    action: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
):
    """Who viewed, exported, anonymised or changed which young person's record: the access log
    and the change history of the young person's own record, as one list, newest first.
    Coordinators see the young people of their cities only (merged and anonymised included)."""
    youth_type = ContentType.objects.get_for_model(YoungPerson)
    visible = YoungPerson.objects.all()
    if not is_admin(user):
        visible = visible.filter(city__in=user.city_ids)
    visible_ids = visible.annotate(text_pk=Cast("pk", CharField())).values("text_pk")

    access = AccessEvent.objects.filter(
        content_type=youth_type, object_id__in=visible_ids, outcome=AccessEvent.Outcome.ALLOWED
    ).annotate(
        at=F("created_at"),
        kind=F("action"),
        youth_ref=F("object_id"),
        source=Value("access", output_field=CharField()),
    )
    changes = LogEntry.objects.filter(content_type=youth_type, object_pk__in=visible_ids).annotate(
        at=F("timestamp"),
        kind=Value("change", output_field=CharField()),
        youth_ref=F("object_pk"),
        source=Value("history", output_field=CharField()),
    )
    if actor is not None:
        access, changes = access.filter(actor=actor), changes.filter(actor=actor)
    if youth_id is not None:
        access = access.filter(object_id=str(youth_id))
        changes = changes.filter(object_pk=str(youth_id))
    if since is not None:
        access = access.filter(created_at__date__gte=since)
        changes = changes.filter(timestamp__date__gte=since)
    if until is not None:
        access = access.filter(created_at__date__lte=until)
        changes = changes.filter(timestamp__date__lte=until)
    if action == "change":
        access = access.none()
    elif action:
        access, changes = access.filter(action=action), changes.none()
    fields = ("pk", "at", "actor_id", "kind", "youth_ref", "source")
    # Each part without its model's default ordering: a compound statement orders once.
    return (
        access.order_by()
        .values_list(*fields)
        .union(changes.order_by().values_list(*fields), all=True)
        .order_by("-at", "-pk")
    )


def audit_actors(user: User):
    """The people who appear in the audit trail this user may read, for the filter."""
    youth_type = ContentType.objects.get_for_model(YoungPerson)
    visible = YoungPerson.objects.all()
    if not is_admin(user):
        visible = visible.filter(city__in=user.city_ids)
    visible_ids = visible.annotate(text_pk=Cast("pk", CharField())).values("text_pk")
    viewers = AccessEvent.objects.filter(content_type=youth_type, object_id__in=visible_ids).values(
        "actor_id"
    )
    changers = LogEntry.objects.filter(content_type=youth_type, object_pk__in=visible_ids).values(
        "actor_id"
    )
    return User.objects.filter(Q(pk__in=viewers) | Q(pk__in=changers)).order_by(
        "first_name", "last_name", "username"
    )


@dataclass
class AuditLine:
    at: dt.datetime
    actor: User | None
    action: str
    youth: YoungPerson | None
    youth_ref: str


def audit_lines(rows) -> list[AuditLine]:
    """One page of `audit_events` with its people: two queries, whatever the page holds."""
    rows = list(rows)
    actors = User.objects.in_bulk({row[2] for row in rows if row[2]})
    youth = YoungPerson.objects.in_bulk({int(row[4]) for row in rows if str(row[4]).isdigit()})
    return [
        AuditLine(
            at=at,
            actor=actors.get(actor_id),
            action=str(AUDIT_ACTIONS.get(kind, kind)),
            youth=youth.get(int(ref)) if str(ref).isdigit() else None,
            youth_ref=ref,
        )
        for _pk, at, actor_id, kind, ref, _source in rows
    ]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet would run as a formula is quoted with an apostrophe (OWASP)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text

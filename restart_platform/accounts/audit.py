"""The audit trail's two helpers: who looked at a record, and who changed it.

Changes to registered models are recorded by django-auditlog on every save; `record_change`
adds the named steps of a workflow (a stage moved, a pair closed) with the person who acted.
`log_access` writes the access log at once, in the same database, never through the queue.
"""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest

from .client import client_ip
from .models import AccessEvent


def log_access(
    *,
    request: HttpRequest | None = None,
    user=None,
    model: type[Model] | None = None,
    target: Model | None = None,
    object_id=None,
    outcome: str = AccessEvent.Outcome.ALLOWED,
    action: str = "view",
    path: str | None = None,
) -> AccessEvent:
    """Log one look at a record (or a refused attempt); call it from every view of a young person.

    `path` defaults to the request's path; a search gives its full path, so the log says what
    was searched for.
    """
    user = user if user is not None else getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    model = model or type(target)
    return AccessEvent.objects.create(
        actor=actor,
        actor_role=getattr(actor, "role", ""),
        action=action,
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=_storable(str(target.pk if target is not None else object_id))[:64],
        outcome=outcome,
        ip_address=client_ip(request) if request else None,
        path=_storable(path if path is not None else request.path if request else "")[:300],
    )


def _storable(text: str) -> str:
    """What a request brought, as PostgreSQL can store it: a NUL character (a hand-made id or
    path) is kept as U+FFFD, so the refused look is still logged instead of failing the
    request."""
    return text.replace("\x00", "\ufffd")


MASKED = "[changed, not recorded]"


def mask_free_text(value: str) -> str:
    """What the change history keeps of a sensitive free-text field: that it held something."""
    return MASKED if value and value != "None" else ""


def record_change(
    *, actor, target: Model, action: str, note: str = "", changes: dict | None = None
) -> LogEntry:
    """Record a named workflow step on `target` in the change history, with who did it."""
    return LogEntry.objects.log_create(
        target,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes=changes or {},
        actor=actor if actor is not None and actor.is_authenticated else None,
        additional_data={"action": action, "note": note},
    )

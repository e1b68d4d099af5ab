"""Canaries: a unique marker in every field the platform holds about one young person.

Every CharField, TextField and JSONField of every model with a path to the young person (found
by walking the relations, as tests/privacy/test_registry.py does) gets a marker of its own,
`CANARY-<Model>-<field>-<hex>`, so a leak names its source. Then:

1. No marker that an audience may not see reaches it: every page an employer contact may open
   (the rows of the permission matrix that let employer1 in, and every notification of theirs),
   every e-mail of every reminder kind about every record of theirs, the calendar invitations,
   the CSV and XLSX exports, and every log record of the scenario.
2. After erasure no marker is left anywhere: every table (raw SQL, the change history
   included), the sessions, the private Redis that serves as the cache, the log file, and the
   files under MEDIA_ROOT and var/. Only the fields the privacy registry keeps on purpose stay.
3. The access export (AVG inzage) holds every marker: nothing about them is left out.
"""

import contextlib
import datetime as dt
import io
import json
import logging
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import caches
from django.db import connection, models
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from matching import services as matching
from restart_platform.notifications.kinds import known_kinds
from restart_platform.notifications.models import Notification
from restart_platform.notifications.services import plan_reminder, reminders_dispatch_due
from restart_platform.privacy import sections
from tests.privacy.test_registry import models_about_a_young_person
from tests.private_services import PrivateRedis
from tests.test_permission_matrix import MATRIX
from tests.worlds import young_person_with_every_record
from youth import services as youth_services

pytestmark = pytest.mark.django_db

PLANTED = (models.CharField, models.TextField, models.JSONField)
# Too short for `CANARY-<hex>`: a marker of letters that no hexadecimal token, UUID or date holds.
SHORT_ALPHABET = "GHJKMNPQRSTVWXYZ"

# --- What each audience may see, by the platform's own rules ------------------------------------

# The employer's portal renders `matching.selectors.minimised_profile` and nothing else of the
# young person (docs/architecture.md, "Roles": no contact details, address, date of birth,
# barriers or notes).
EMPLOYER_MAY_SEE = {
    # minimised_profile "name": the display name (the preferred name, else the first name), also
    # on the mentor's pairs and the employer's own ratings. The surname shows as one letter.
    "youth.YoungPerson.first_name",
    "youth.YoungPerson.preferred_name",
    # minimised_profile "motivation": their own words at the latest finished intake, or their
    # ambitions when they gave none.
    "intake.IntakeRecord.motivation_words",
    "youth.YoungPerson.ambitions",
    # The employer is invited to the intake: the portal and the calendar say when and where
    # (docs/events.md, intake.calendar: "the meeting's reference, time and place").
    "intake.IntakeMeeting.place",
    # The employer's own answer on the candidate, shown back in their answer form.
    "matching.Share.answer_reason",
    # The buddy pair's page is the mentor's too (permission matrix: buddy:pair_detail for
    # employer1, the pair's mentor): the kick-off agreements made with them, the onboarding
    # plan, the closing conversation, the check-ins' work and well-being notes and the concerns.
    # The check-ins' organisation, practical (money, housing) and career notes stay with staff.
    "buddy.Pair.kickoff_agreements",
    "buddy.Pair.onboarding_organisation",
    "buddy.Pair.onboarding_culture",
    "buddy.Pair.onboarding_practical",
    "buddy.Pair.closing_conversation",
    "buddy.CheckIn.work_note",
    "buddy.CheckIn.wellbeing_note",
    "buddy.Concern.what",
}
# A reminder e-mail holds a first name, the kind and a link (notifications.services._send_email);
# its title a case reference or the meeting's reference (notifications/kinds.py). Nothing else.
EMAIL_MAY_SHOW: set[str] = set()
# The intake's calendar invitation names the meeting's reference, time and place (intake/calendar).
CALENDAR_MAY_SHOW = {"intake.IntakeMeeting.place"}
# The audit trail's CSV names whose record was viewed or changed (str(youth): the display name and
# the surname), for staff of their city, who may open that record anyway.
AUDIT_EXPORT_MAY_SHOW = {
    "youth.YoungPerson.first_name",
    "youth.YoungPerson.preferred_name",
    "youth.YoungPerson.last_name",
}
# Every other export is figures, case references, employers: none of the young person's text.
EXPORT_MAY_SHOW: set[str] = set()
# Log records never carry a young person's data.
LOG_MAY_SHOW: set[str] = set()


# The change history records that a field erasure scrubs changed, never what it said (settings:
# "the history would otherwise be a second, unlogged file of it"). A record's name, which erasure
# replaces rather than scrubs, may stand in its history as who the entry is about.
def scrubbed_fields() -> set[str]:
    return {f"{s.model._meta.label}.{name}" for s in sections() for name in s.scrub}


# Erasure keeps these on purpose, as coarse data for the figures (each app's privacy.py says
# why): written out here, so a field newly kept fails this test until someone looks at it.
KEPT_AFTER_ERASURE = {
    "youth.YoungPerson.available_days",  # weekdays, for matching figures
    "prep_programme.Participant.certificate",  # a course name, counted in the figures
    "prep_programme.PhaseChange.checklist",  # the criteria as measured: yes/no per criterion
    "buddy.BuddyProfile.help_needed",  # the kinds of help, a choice list
    "buddy.Pair.score_components",  # numbers per matching component
}


@dataclass(frozen=True)
class Canary:
    marker: str
    field: str  # "app.Model.field"
    table: str
    pk: int

    def __str__(self):
        return f"{self.field} #{self.pk} ({self.marker})"


def found_in(text: str, canaries: list[Canary], *, allowed: set[str] = frozenset()) -> list[str]:
    return [
        str(canary) for canary in canaries if canary.field not in allowed and canary.marker in text
    ]


# --- Planting -----------------------------------------------------------------------------------


def _marker(model, field, taken: set[str]) -> str:
    while True:
        marker = f"CANARY-{model.__name__}-{field.name}-{secrets.token_hex(3)}"
        if isinstance(field, models.EmailField):
            marker = f"{marker}@example.org"
        elif field.max_length and len(marker) > field.max_length:
            marker = f"CANARY-{secrets.token_hex(3)}"
            if len(marker) > field.max_length:  # a postcode: seven letters of a short alphabet
                marker = "".join(secrets.choice(SHORT_ALPHABET) for _ in range(field.max_length))
        if marker not in taken:
            taken.add(marker)
            return marker


def _planted_value(field, current, marker: str):
    if not isinstance(field, models.JSONField):
        return marker
    if isinstance(current, dict):
        return {**current, "canary": marker}
    return [*(current or []), marker]


def plant(youth) -> tuple[list[Canary], int]:
    """A marker in every free field of every row about `youth`, saved through save() so the
    change history records it as an edit would. Returns the canaries and the number of fields
    left alone because they hold one of a fixed set of codes (a choice), not data."""
    canaries: list[Canary] = []
    taken: set[str] = set()
    choices = 0
    for model, path in models_about_a_young_person().items():
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, PLANTED) and not field.primary_key
        ]
        choices += sum(1 for field in fields if field.choices)
        fields = [field for field in fields if not field.choices]
        rows = model._base_manager.filter(**({path: youth} if path else {"pk": youth.pk}))
        for row in rows:
            for field in fields:
                marker = _marker(model, field, taken)
                setattr(row, field.name, _planted_value(field, getattr(row, field.name), marker))
                canaries.append(
                    Canary(
                        marker, f"{model._meta.label}.{field.name}", model._meta.db_table, row.pk
                    )
                )
            if fields:
                row.save(update_fields=[field.name for field in fields])
    return canaries, choices


# --- Capturing: logs, a private Redis as the cache ----------------------------------------------


class Records(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        self.lines.append(f"{record.name} {record.levelname} {text}")


@pytest.fixture
def capture(tmp_path):
    """Every log record of the scenario at DEBUG, in memory and in a file, and a private Redis
    as the platform's cache (its production setting), to be scanned after erasure."""
    redis = PrivateRedis()
    redis.start()
    records, log_file = Records(), tmp_path / "scenario.log"
    to_file = logging.FileHandler(log_file, encoding="utf-8")
    to_file.setLevel(logging.DEBUG)
    root = logging.getLogger()
    old_level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(records)
    root.addHandler(to_file)
    cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis.url,
            "KEY_PREFIX": "restart",
        }
    }
    try:
        with override_settings(CACHES=cache):
            yield {"records": records, "log_file": log_file, "redis": redis}
    finally:
        root.removeHandler(records)
        root.removeHandler(to_file)
        to_file.close()
        root.setLevel(old_level)
        with contextlib.suppress(Exception):
            caches["default"].close()
        redis.stop()


@pytest.fixture
def world(capture, rotterdam, coord_rotterdam, jw_rotterdam, employer_contact1):
    world = young_person_with_every_record(
        rotterdam=rotterdam, coord=coord_rotterdam, jw=jw_rotterdam, employer_user=employer_contact1
    )
    # The employer answers through the service, as their form does: the coordinator hears of it.
    matching.share_answer(
        share=world["share"], by=employer_contact1, answer="interested", reason="Welkom"
    )
    canaries, choices = plant(world["youth"])
    for name in ("youth", "share", "meeting", "pair"):
        world[name].refresh_from_db()
    world.update(canaries=canaries, choice_fields=choices)
    return world


# --- The scenario's steps -----------------------------------------------------------------------


def dispatch_every_kind(world, recipients) -> int:
    """Every reminder kind, about every record of theirs that reminders are about, to an employer
    contact, a coordinator and a youth worker; then the outbox is dispatched as the worker does."""
    targets = [
        row
        for model, path in models_about_a_young_person().items()
        if hasattr(model, "reminder_reference") or hasattr(model, "reminder_attachments")
        for row in model._base_manager.filter(
            **({path: world["youth"]} if path else {"pk": world["youth"].pk})
        )
    ]
    due = timezone.now() - dt.timedelta(minutes=1)
    planned = 0
    for kind in known_kinds():
        for target in targets:
            for recipient in recipients:
                plan_reminder(
                    key=f"canary:{kind.key}:{target._meta.label}:{target.pk}:{recipient.pk}",
                    kind=kind.key,
                    due_at=due,
                    target=target,
                    recipient=recipient,
                )
                planned += 1
    reminders_dispatch_due(now=timezone.now() + dt.timedelta(minutes=1))
    return planned


def employer_pages(world, client, *, answers=(200,)) -> dict[str, str]:
    """Every page an employer contact may open: the permission matrix's rows that let employer1
    in, and each of their notifications followed to where it leads. (After erasure the share is
    withdrawn: its pages answer 404.)"""
    pages = {}
    for name, (build_args, allowed, method, *build_data) in sorted(MATRIX.items()):
        if "employer1" not in allowed or name == "notifications:notification_open":
            continue
        url = reverse(name, args=build_args(world) if build_args else None)
        data = build_data[0](world) if build_data else {}
        response = getattr(client, method)(url, data, follow=True)
        assert response.status_code in answers, url
        pages[f"{method.upper()} {url}"] = response.content.decode()
    user = world["employer_user"]
    for notification in Notification.objects.filter(user=user):
        url = reverse("notifications:notification_open", args=[notification.pk])
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        pages[f"GET {url} -> {response.request['PATH_INFO']}"] = response.content.decode()
    return pages


def read_file(content: bytes) -> str:
    """A download as text: an XLSX is a zip of XML files; a calendar folds its long lines."""
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return content.decode("utf-8", "replace").replace("\r\n ", "").replace("\n ", "")


def exports(world, clients: dict) -> dict[str, tuple[str, set[str]]]:
    """Every CSV and XLSX download of the dashboard and the lists, with what it may show; every
    matrix row named *_export is here, so a new export fails until it is added."""
    cohort = world["cohort"].pk
    coordinator, youth_worker = "coordinator", "youth worker"
    downloads = [
        ("dashboard:kpis_export", ["csv"], "", coordinator),
        ("dashboard:kpis_export", ["xlsx"], "", coordinator),
        ("prep_programme:cohort_export", [cohort, "csv"], "", coordinator),
        ("prep_programme:cohort_export", [cohort, "xlsx"], "", coordinator),
        ("prep_programme:cohort_export", [cohort, "csv"], "", youth_worker),
        ("employers:employer_export", None, "", coordinator),
        ("employers:employer_export", None, "?format=xlsx", coordinator),
        ("dashboard:audit_export", None, "", coordinator),
    ]
    assert {name for name in MATRIX if name.endswith("_export")} == {d[0] for d in downloads}
    files = {}
    for name, args, query, role in downloads:
        url = reverse(name, args=args) + query
        response = clients[role].get(url)
        assert response.status_code == 200, url
        allowed = AUDIT_EXPORT_MAY_SHOW if name == "dashboard:audit_export" else EXPORT_MAY_SHOW
        files[f"{role} {url}"] = (read_file(response.content), allowed)
    return files


def run_before_erasure(world, *, client_for, cast) -> dict:
    employer, coordinator = cast["employer1"], cast["coord_rotterdam"]
    world["employer_user"] = employer
    coord, jw = client_for(coordinator), client_for(cast["jw_rotterdam"])
    # Staff at work on the record: the profile, a search for the surname, the intake page.
    youth = world["youth"]
    assert coord.get(youth.get_absolute_url()).status_code == 200
    assert coord.get(reverse("youth:youth_list"), {"q": youth.last_name}).status_code == 200
    assert jw.get(world["meeting"].get_absolute_url()).status_code == 200
    planned = dispatch_every_kind(world, [employer, coordinator, cast["jw_rotterdam"]])
    # The other e-mail a person can cause: a password reset (its rate limit counts in the cache).
    reset = Client().post(reverse("password_reset"), {"email": employer.email}, follow=True)
    assert reset.status_code == 200
    pages = employer_pages(world, client_for(employer))
    calendars = {
        f"{who} {url}": read_file(client.get(url).content)
        for who, client in (("coordinator", coord), ("youth worker", jw))
        for url in [reverse("intake:intake_ics", args=[world["meeting"].pk])]
    }
    return {
        "planned": planned,
        "pages": pages,
        "calendars": calendars,
        "exports": exports(world, {"coordinator": coord, "youth worker": jw}),
    }


def email_leaks(canaries) -> tuple[list[str], int, int]:
    leaks, calendars = [], 0
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}\n" + "\n".join(
            content for content, _type in getattr(message, "alternatives", [])
        )
        leaks += [
            f"e-mail to {message.to}: {leak}"
            for leak in found_in(text, canaries, allowed=EMAIL_MAY_SHOW)
        ]
        for filename, content, _mimetype in message.attachments:
            calendars += filename.endswith(".ics")
            text = read_file(content if isinstance(content, bytes) else content.encode())
            leaks += [
                f"{filename} to {message.to}: {leak}"
                for leak in found_in(text, canaries, allowed=CALENDAR_MAY_SHOW)
            ]
    return leaks, len(mail.outbox), calendars


# --- 1. Where the markers may not go ------------------------------------------------------------


def test_no_marker_reaches_an_employer_an_email_a_calendar_an_export_or_a_log(
    world, capture, cast, client_for, capfd, figures
):
    canaries = world["canaries"]
    seen = run_before_erasure(world, client_for=client_for, cast=cast)

    page_leaks = [
        f"{page}: {leak}"
        for page, html in seen["pages"].items()
        for leak in found_in(html, canaries, allowed=EMPLOYER_MAY_SEE)
    ]
    mail_leaks, mails, attached_calendars = email_leaks(canaries)
    calendar_leaks = [
        f"{name}: {leak}"
        for name, text in seen["calendars"].items()
        for leak in found_in(text, canaries, allowed=CALENDAR_MAY_SHOW)
    ]
    export_leaks = [
        f"{name}: {leak}"
        for name, (text, allowed) in seen["exports"].items()
        for leak in found_in(text, canaries, allowed=allowed)
    ]
    logs = "\n".join(capture["records"].lines) + capture["log_file"].read_text(encoding="utf-8")
    out, err = capfd.readouterr()
    log_leaks = found_in(logs + out + err, canaries, allowed=LOG_MAY_SHOW)
    with connection.cursor() as cursor:
        cursor.execute("SELECT string_agg(t::text, chr(10)) FROM auditlog_logentry t")
        history = cursor.fetchone()[0] or ""
    not_scrubbed = {canary.field for canary in canaries} - scrubbed_fields()
    history_leaks = [
        f"change history: {leak}" for leak in found_in(history, canaries, allowed=not_scrubbed)
    ]

    figures.add("markers planted", len(canaries))
    figures.add("fields covered", len({canary.field for canary in canaries}))
    figures.add("choice fields (codes, not planted)", world["choice_fields"])
    figures.add("employer pages checked", len(seen["pages"]))
    figures.add("reminders planned (every kind x record x audience)", seen["planned"])
    figures.add("e-mails checked", mails)
    figures.add("calendar files checked", attached_calendars + len(seen["calendars"]))
    figures.add("exports checked", len(seen["exports"]))
    figures.add("log records checked", len(capture["records"].lines))
    figures.add("change-history entries checked", history.count("\n") + bool(history))
    leaks = page_leaks + mail_leaks + calendar_leaks + export_leaks + log_leaks + history_leaks
    figures.add("leaks found", len(leaks))
    # The checks can see: the employer's pages show the name they may see, e-mails went out.
    assert any(found_in(html, canaries) for html in seen["pages"].values())
    assert mails
    assert attached_calendars
    assert leaks == [], "\n".join(leaks)


# --- 2. After erasure, nowhere ------------------------------------------------------------------


def tables_holding(canaries) -> tuple[dict[str, set[Canary]], int]:
    """Every table of the database, read whole as text with raw SQL: which markers it holds."""
    found: dict[str, set[Canary]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(table_name) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        tables = [name for (name,) in cursor.fetchall()]
        for table in tables:
            cursor.execute(f"SELECT string_agg(t::text, chr(10)) FROM {table} t")  # noqa: S608
            text = cursor.fetchone()[0] or ""
            if holding := {canary for canary in canaries if canary.marker in text}:
                found[table.strip('"')] = holding
    return found, len(tables)


def sessions_text() -> str:
    """The sessions as their data, decoded: a flash message may have named the person."""
    return "\n".join(json.dumps(s.get_decoded(), default=str) for s in Session.objects.all())


def redis_text(redis: PrivateRedis) -> tuple[str, int]:
    import redis as redis_client

    server = redis_client.Redis.from_url(redis.url)
    keys = list(server.scan_iter(count=1000))
    dumps = [key + b"\n" + (server.dump(key) or b"") for key in keys]
    server.close()
    return b"\n".join(dumps).decode("latin-1"), len(keys)


def files_text(*folders: Path) -> tuple[str, int]:
    texts, count = [], 0
    for folder in folders:
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file():
                count += 1
                texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts), count


def test_after_erasure_no_marker_is_left_anywhere(world, capture, cast, client_for, capfd, figures):
    canaries, youth = world["canaries"], world["youth"]
    run_before_erasure(world, client_for=client_for, cast=cast)
    before, _count = tables_holding(canaries)
    # The scans can see: before erasure the markers are in their tables and the change history.
    assert {canary.table for canary in canaries} <= set(before)
    assert "auditlog_logentry" in before

    # A network factor removed before the erasure: its row is gone, its history is not.
    youth_services.network_factor_delete(
        factor=youth.network_factors.get(), by=cast["jw_rotterdam"]
    )
    response = client_for(cast["coord_rotterdam"]).post(
        reverse("dashboard:youth_erase", args=[youth.pk]),
        {"confirm": youth.case_reference, "reason": "Verzoek van de jongere zelf"},
        follow=True,
    )
    assert response.status_code == 200
    youth.refresh_from_db()
    assert youth.erased_at is not None
    # Whatever is still queued goes out now, a year on: none of it may name them.
    mail.outbox.clear()
    reminders_dispatch_due(now=timezone.now() + dt.timedelta(days=400))
    pages = employer_pages(world, client_for(cast["employer1"]), answers=(200, 404))
    after, table_count = tables_holding(canaries)
    # Only a field the registry keeps on purpose stays, and only in its own table.
    left = [
        f"{table}: {canary}"
        for table, holding in after.items()
        for canary in holding
        if not (canary.field in KEPT_AFTER_ERASURE and canary.table == table)
    ]
    kept = {canary.field for holding in after.values() for canary in holding} & KEPT_AFTER_ERASURE
    redis, keys = redis_text(capture["redis"])
    var_dir = Path(settings.VAR_DIR)
    media = Path(settings.MEDIA_ROOT) if getattr(settings, "MEDIA_ROOT", "") else var_dir
    disk, files = files_text(media, var_dir)
    logs = "\n".join(capture["records"].lines) + capture["log_file"].read_text(encoding="utf-8")
    out, err = capfd.readouterr()
    elsewhere = {
        "sessions": sessions_text(),
        "redis": redis,
        "files on disk": disk,
        "logs and output": logs + out + err,
        "e-mails after erasure": "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox),
        **{f"employer page {url}": html for url, html in pages.items()},
    }
    left += [
        f"{where}: {leak}" for where, text in elsewhere.items() for leak in found_in(text, canaries)
    ]

    figures.add("markers planted", len(canaries))
    figures.add("tables scanned", table_count)
    figures.add("tables holding markers before erasure", len(before))
    figures.add("redis keys scanned", keys)
    figures.add("files scanned (MEDIA_ROOT, var/)", files)
    figures.add("fields kept on purpose (registry)", len(kept))
    figures.add("markers left after erasure", len(left))
    assert left == [], "\n".join(left)


# --- 3. The access export holds them all --------------------------------------------------------


def test_the_access_export_holds_every_marker(world, cast, client_for, figures):
    canaries, youth = world["canaries"], world["youth"]
    coordinator = client_for(cast["coord_rotterdam"])
    exported = coordinator.get(reverse("dashboard:youth_access_json", args=[youth.pk]))
    printable = coordinator.get(reverse("dashboard:youth_access", args=[youth.pk]))
    assert exported.status_code == printable.status_code == 200
    text = json.dumps(json.loads(exported.content), ensure_ascii=False)
    missing_json = [str(canary) for canary in canaries if canary.marker not in text]
    page = printable.content.decode()
    missing_page = [str(canary) for canary in canaries if canary.marker not in page]
    figures.add("markers planted", len(canaries))
    figures.add("markers in the access export (JSON)", len(canaries) - len(missing_json))
    figures.add("markers on the printable access page", len(canaries) - len(missing_page))
    assert missing_json == [], "\n".join(missing_json)
    assert missing_page == [], "\n".join(missing_page)

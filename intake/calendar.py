"""The intake's calendar invitation (RFC 5545), in Europe/Amsterdam time.

It names the meeting's reference, time and place: a calendar is no place for a young person's
name or situation.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models import IntakeMeeting


def meeting_ics(meeting: IntakeMeeting, *, recipient=None) -> bytes:
    cancelled = meeting.status == IntakeMeeting.Status.CANCELLED
    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//re-START//platform//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"{meeting.uid}@restart-platform")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", _("Intake %(reference)s") % {"reference": meeting.reference})
    event.add("location", meeting.place)
    event.add(
        "description",
        _("A first, non-committal meeting. Details on the platform: %(url)s")
        % {"url": settings.SITE_URL.rstrip("/") + meeting.get_absolute_url()},
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organiser = vCalAddress(f"mailto:{meeting.youth_worker.email}")
    organiser.params["cn"] = vText(
        meeting.youth_worker.get_full_name() or meeting.youth_worker.username
    )
    event["organizer"] = organiser
    for person in meeting.participants():
        if person.email:
            attendee = vCalAddress(f"mailto:{person.email}")
            attendee.params["cn"] = vText(person.get_full_name() or person.username)
            attendee.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", attendee, encode=0)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()

"""The calendar reminder for the re-check date: an iCalendar (RFC 5545) file, made with the
icalendar library (imported only here, and only when --reminder is given).

The same answers give the same bytes: the event's UID and DTSTAMP come from the answers'
dates, not from the clock or the machine's name.
"""

from __future__ import annotations

import datetime
import hashlib


def calendar_text(
    day: datetime.date, answered_on: datetime.date, summary: str, description: str
) -> str:
    """One all-day event on `day` with a reminder at 9 in the morning."""
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//triage//leg cramp re-check//EN")
    cal.add("version", "2.0")
    event = icalendar.Event()
    seed = f"{answered_on.isoformat()}|{day.isoformat()}|{summary}".encode()
    event.add("uid", f"{hashlib.sha256(seed).hexdigest()[:32]}@triage.invalid")
    event.add(
        "dtstamp",
        datetime.datetime.combine(answered_on, datetime.time(0, 0), tzinfo=datetime.timezone.utc),
    )
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", datetime.timedelta(hours=9))
    event.add_component(alarm)
    cal.add_component(event)
    return bytes(cal.to_ical()).decode("utf-8")

"""iCalendar (RFC 5545) feeds of activities: all-day events that link back to their pages.

``icalendar`` escapes, folds and ends the lines; this module only says what goes in them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from icalendar import STATUS, Calendar, Event, vDuration, vText

PRODID = "-//Mrezha//National Network of Youth Centres//BG"
REFRESH = timedelta(hours=1)  # how often a subscribed client should fetch the feed again


def calendar(
    activities: Iterable[dict[str, Any]], base_url: str, name: str, kind_label: Callable[[str], str]
) -> bytes:
    feed = Calendar()
    feed.add("prodid", PRODID)
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", vText(name))  # an X- property is written as given unless it is told it is text
    feed.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})  # RFC 7986
    feed.add("x-published-ttl", vDuration(REFRESH))  # the same for Outlook and older clients
    for activity in activities:
        feed.add_component(_event(activity, f"{base_url.rstrip('/')}/activities/{activity['id']}", kind_label))
    return feed.to_ical()


def _event(activity: dict[str, Any], url: str, kind_label: Callable[[str], str]) -> Event:
    location = ", ".join(p for p in (activity["venue"], activity["city"]) if p) or activity["online_link"]
    changed = datetime.fromisoformat(activity.get("changed_at") or activity["planned_at"])
    event = Event.new(  # DTSTAMP: the last change too, so an unchanged feed is byte for byte the same (its ETag)
        uid=f"{activity['id']}@mrezha",
        start=date.fromisoformat(activity["starts_on"]),
        end=date.fromisoformat(activity["ends_on"]) + timedelta(days=1),  # DTEND is exclusive
        summary=activity["title"],
        description="\n".join(
            p for p in (kind_label(activity["kind"]), activity["host_name"], activity["theme"], url) if p
        ),
        url=url,
        status=STATUS.CANCELLED if activity["status"] == "cancelled" else STATUS.CONFIRMED,
        location=location or None,
        sequence=sequence(activity),
        last_modified=changed,
        stamp=changed,
    )
    return event


def sequence(activity: dict[str, Any]) -> int:
    """RFC 5545 SEQUENCE: raised by every change a client must not miss (new dates, a cancellation)."""
    return int(activity["times_rescheduled"]) + (1 if activity["status"] == "cancelled" else 0)

"""iCalendar (RFC 5545) feeds of activities: all-day events that link back to their pages."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any

PRODID = "-//Mrezha//National Network of Youth Centres//BG"


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")  # a bare CR would end the line
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (never splitting a character)."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode())
            current = b""
        current += encoded
    out.append(current.decode())
    return "\r\n ".join(out)


def _day(value: str) -> str:
    return date.fromisoformat(value).strftime("%Y%m%d")


def calendar(activities: Iterable[dict[str, Any]], base_url: str, name: str, kind_label: Any) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for activity in activities:
        url = f"{base_url.rstrip('/')}/activities/{activity['id']}"
        end = date.fromisoformat(activity["ends_on"]) + timedelta(days=1)  # DTEND is exclusive
        location = ", ".join(p for p in (activity["venue"], activity["city"]) if p) or activity["online_link"]
        description = "\n".join(
            p for p in (kind_label(activity["kind"]), activity["host_name"], activity["theme"], url) if p
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{activity['id']}@mrezha",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{_day(activity['starts_on'])}",
            f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}",
            f"SUMMARY:{_escape(activity['title'])}",
            f"DESCRIPTION:{_escape(description)}",
            f"URL:{url}",
            f"STATUS:{'CANCELLED' if activity['status'] == 'cancelled' else 'CONFIRMED'}",
        ]
        if location:
            lines.append(f"LOCATION:{_escape(location)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)

"""schema.org ``Event`` JSON-LD for an activity's public page, so search engines and aggregators read it.

A ``<script type="application/ld+json">`` block is data, not script: the strict CSP (``script-src 'self'``)
does not run it and need not allow it. What matters is that no text in it can close the element: ``<``,
``>``, ``&`` and ``'`` are written as JSON escapes (``\\u003c`` …), so a title holding ``</script>`` stays a title.
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

ATTENDANCE = {
    "live": "https://schema.org/OfflineEventAttendanceMode",
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "hybrid": "https://schema.org/MixedEventAttendanceMode",
}


def event(activity: dict[str, Any], site_url: str) -> dict[str, Any]:
    root = site_url.rstrip("/")
    page = f"{root}/activities/{activity['id']}"
    if activity["status"] == "cancelled":
        status = "https://schema.org/EventCancelled"
    elif activity["times_rescheduled"]:
        status = "https://schema.org/EventRescheduled"
    else:
        status = "https://schema.org/EventScheduled"
    place = {
        "@type": "Place",
        "name": activity["venue"] or activity["city"],
        "address": {"@type": "PostalAddress", "addressLocality": activity["city"], "addressCountry": "BG"},
    }
    virtual = {"@type": "VirtualLocation", "url": page}  # the meeting link itself is not published
    location: Any = {"live": place, "online": virtual, "hybrid": [place, virtual]}.get(activity["format"], place)
    if activity["format"] != "online" and not activity["city"]:
        location = virtual
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": activity["title"],
        "startDate": activity["starts_on"],
        "endDate": activity["ends_on"],
        "eventStatus": status,
        "eventAttendanceMode": ATTENDANCE.get(activity["format"], ATTENDANCE["live"]),
        "location": location,
        "organizer": {
            "@type": "Organization",
            "name": activity["host_name"],
            "url": f"{root}/centres/{activity['host_centre_id']}",
        },
        "url": page,
    }
    if activity["description"] or activity["theme"]:
        data["description"] = activity["description"] or activity["theme"]
    return data


def json_ld(data: dict[str, Any]) -> Markup:
    """JSON that cannot end the ``<script>`` element it sits in, whatever its strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char in "<>&'":  # the apostrophe too: the page escapes it everywhere else, so no raw one ever shows
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)

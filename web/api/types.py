"""The open-data API's response types: one msgspec struct per public fact; litestar derives the OpenAPI
document (``/schema/openapi.json``) from them, and ``mrezha export open-data`` writes the same fields.

Public facts only: no person's name or contact (no staff, no speakers, no accounts, no centre contact
line), no online meeting links (they admit whoever holds them).
"""

from __future__ import annotations

from typing import Annotated

import msgspec

Id = Annotated[str, msgspec.Meta(description="A UUID, stable for ever")]
IsoDate = Annotated[str, msgspec.Meta(description="A date, YYYY-MM-DD (Europe/Sofia)")]
Cursor = Annotated[str | None, msgspec.Meta(description="Pass as `after` for the next page; null on the last")]


class Centre(msgspec.Struct, kw_only=True):
    id: Id
    name: str
    city: str
    region: str
    address: str
    website: str
    description: str
    membership: Annotated[str, msgspec.Meta(description="registered, applied, admitted, rejected, suspended or left")]
    quality_label: Annotated[str, msgspec.Meta(description="none, applied, inspected, awarded or withdrawn")]
    quality_label_valid_until: IsoDate | None
    admitted_at: Annotated[str | None, msgspec.Meta(description="When first admitted (ISO 8601 time, UTC)")]


class Activity(msgspec.Struct, kw_only=True):
    id: Id
    title: str
    kind: Annotated[str, msgspec.Meta(description="exchange, conference, training, online_meeting, seminar, "
                                                  "round_table or open_day")]
    format: Annotated[str, msgspec.Meta(description="live, online or hybrid")]
    status: Annotated[str, msgspec.Meta(description="planned, cancelled or held")]
    host_centre_id: Id
    host_name: str
    starts_on: IsoDate
    ends_on: IsoDate
    city: str
    venue: str
    theme: str
    description: str
    language: str
    capacity: int | None
    expected_participants: Annotated[int, msgspec.Meta(description="Expected by the centres that joined")]
    times_rescheduled: int
    changed_at: Annotated[str, msgspec.Meta(description="Last change (ISO 8601 time, UTC)")]
    url: Annotated[str, msgspec.Meta(description="The activity's public page")]


class Outcome(msgspec.Struct, kw_only=True):
    activity_id: Id
    title: str
    kind: str
    host_centre_id: Id
    starts_on: IsoDate
    ends_on: IsoDate
    participants: int
    young_people: int
    fewer_opportunities: Annotated[int, msgspec.Meta(description="Young people with fewer opportunities or NEETs")]
    centres_attended: int
    summary: str
    materials_link: str
    stream_link: str


class Practice(msgspec.Struct, kw_only=True):
    id: Id
    centre_id: Id
    centre_name: str
    title: str
    problem: str
    method: str
    target_groups: list[str]
    tags: list[str]
    country: Annotated[str, msgspec.Meta(description="ISO 3166-1 alpha-2")]
    source_project: str
    links: list[str]
    results: dict[str, int]
    version: int
    status: Annotated[str, msgspec.Meta(description="shared or retired")]
    shared_at: str
    revised_at: str
    endorsements: int
    adoptions: int


class ChairTerm(msgspec.Struct, kw_only=True):
    year: int
    centre_id: Id
    centre_name: str
    handed_over_on: IsoDate
    previous_centre_id: Id | None


class PlanItem(msgspec.Struct, kw_only=True):
    item_id: Id
    month: Annotated[int, msgspec.Meta(ge=1, le=12)]
    kind: str
    theme: str
    host_centre_id: Id
    host_name: str


class Plan(msgspec.Struct, kw_only=True):
    year: int
    chair_centre_id: Id
    chair_name: str
    priorities: list[str]
    status: Annotated[str, msgspec.Meta(description="published or closed (report adopted)")]
    published_on: IsoDate
    items: Annotated[list[PlanItem], msgspec.Meta(description="The plan exactly as it was published")]


class CentrePage(msgspec.Struct, kw_only=True):
    items: list[Centre]
    next: Cursor


class ActivityPage(msgspec.Struct, kw_only=True):
    items: list[Activity]
    next: Cursor


class OutcomePage(msgspec.Struct, kw_only=True):
    items: list[Outcome]
    next: Cursor


class PracticePage(msgspec.Struct, kw_only=True):
    items: list[Practice]
    next: Cursor


class ChairPage(msgspec.Struct, kw_only=True):
    items: list[ChairTerm]
    next: Cursor


class PlanPage(msgspec.Struct, kw_only=True):
    items: list[Plan]
    next: Cursor


class Problem(msgspec.Struct, kw_only=True):
    """An error (RFC 9457 in spirit): the status and a sentence."""

    status: int
    detail: str

"""Exports and finding things: the ICS feeds parse with icalendar and link back, the CSV files
round-trip the figures, the calendar's filters and pages, and the centres' search."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

import icalendar
import pytest

from projections.calendar import Calendar
from tests.support.site import Site, running_site

TODAY = date.today()
MONTH = (TODAY + timedelta(days=50)).strftime("%Y-%m")
LONG_TITLE = "Предизвикателствата на младежката работа: обмен, опит; идеи и добри практики от петте центъра"


@dataclass
class Planned:
    id: str
    title: str
    kind: str
    city: str
    starts_on: date
    ends_on: date
    centres: set[str]  # host, co-organisers and the centres that joined (and did not withdraw)
    status: str = "planned"


@dataclass
class Network:
    site: Site
    centres: dict[str, str] = field(default_factory=dict)
    activities: list[Planned] = field(default_factory=list)

    def plan(self, host: str, title: str, kind: str, city: str, starts_in: int, days: int = 1, **extra) -> UUID:
        starts_on = TODAY + timedelta(days=starts_in)
        activity_id, _ = self.site.store.activities.plan_activity(
            host_centre_id=UUID(self.centres[host]), title=title, kind=kind, city=city, starts_on=starts_on,
            ends_on=starts_on + timedelta(days=days - 1), format="live" if city else "online", **extra,
        )
        self.activities.append(
            Planned(str(activity_id), title, kind, city, starts_on, starts_on + timedelta(days=days - 1), {host})
        )
        return activity_id

    def get(self, activity_id: UUID) -> Planned:
        return next(a for a in self.activities if a.id == str(activity_id))

    def upcoming(self) -> list[Planned]:
        return sorted((a for a in self.activities if a.ends_on >= TODAY), key=lambda a: (a.starts_on, a.id))


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Network]:
    with running_site(tmp_path_factory.mktemp("exports")) as site:
        net, store = Network(site), site.store
        for key, name, city in (("vratsa", "Младежки център – Враца", "Враца"),
                                ("dobrich", "Младежки център – Добрич", "Добрич"),
                                ("pernik", "Младежки център – Перник", "Перник")):
            net.centres[key] = str(site.member(name, city))
        ids = {key: UUID(value) for key, value in net.centres.items()}
        for i in range(22):  # more than a page of online meetings, two a day (a page ends between two)
            net.plan("vratsa", f"Онлайн среща на мрежата №{i + 1}", "online_meeting", "", starts_in=1 + 3 * (i // 2))
        conference = net.plan(
            "pernik", "Под многобройните маски на младежката работа", "conference", "Перник", 40, 2,
            venue="Зала „Кракра“\rет. 2",  # a line break, as a crafted post may send
        )
        store.activities.add_co_organiser(conference, ids["dobrich"])
        exchange = net.plan("dobrich", LONG_TITLE, "exchange", "Добрич", 50, 3, capacity=30)
        store.activities.join_activity(exchange, ids["vratsa"], 6)
        store.activities.join_activity(exchange, ids["pernik"], 4)
        training = net.plan("pernik", "Обучение за ромски медиатори", "training", "Перник", 47)
        store.activities.join_activity(training, ids["dobrich"], 5)
        store.activities.withdraw_from_activity(training, ids["dobrich"])
        seminar = net.plan("pernik", "Семинар „Работа с NEETs“", "seminar", "Перник", 20)
        store.activities.join_activity(seminar, ids["dobrich"], 3)
        store.activities.cancel_activity(seminar, "Няма зала")
        held = net.plan("dobrich", "Конференция за неактивни младежи", "conference", "Добрич", -40, 2)
        clock, store.clock = store.clock, lambda: TODAY - timedelta(days=50)  # it was joined before it began
        store.activities.join_activity(held, ids["vratsa"], 10)
        store.clock = clock
        store.activities.record_outcome(held, participants=40, young_people=30, fewer_opportunities=10, centres_attended=4)
        store.activities.correct_outcome(held, participants=42, young_people=31, fewer_opportunities=11, centres_attended=4,
                              happened_on=TODAY - timedelta(days=39), reason="Списъци")
        net.plan("pernik", "Кръгла маса за младежката политика", "round_table", "Перник", -10)
        net.get(conference).centres.add("dobrich")
        net.get(exchange).centres |= {"vratsa", "pernik"}
        net.get(seminar).centres.add("dobrich")
        net.get(seminar).status = "cancelled"
        net.get(held).centres.add("vratsa")
        net.get(held).status = "held"
        site.settle()
        yield net


def feed(network: Network, url: str) -> tuple[bytes, dict[str, icalendar.Event]]:
    response = network.site.web.get(url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    by_uid = {str(event["UID"]).removesuffix("@mrezha"): event for event in events}
    assert len(by_uid) == len(events), "two entries for one activity"
    return response.content, by_uid


def test_the_network_feed_has_one_entry_per_activity_each_linking_to_its_page(network):
    raw, events = feed(network, "/calendar.ics")
    assert set(events) == {a.id for a in network.activities}
    for activity in network.activities:
        event = events[activity.id]
        assert str(event["URL"]).endswith(f"/activities/{activity.id}")
        assert f"/activities/{activity.id}" in str(event["DESCRIPTION"])
        assert str(event["SUMMARY"]) == activity.title
        assert event["DTSTART"].dt == activity.starts_on
        assert event["DTEND"].dt == activity.ends_on + timedelta(days=1)  # exclusive
        assert str(event["STATUS"]) == ("CANCELLED" if activity.status == "cancelled" else "CONFIRMED")
    assert network.site.web.get(str(events[network.activities[0].id]["URL"])).status_code == 200


def test_lines_end_only_in_crlf_fold_at_75_octets_and_unfold_to_the_same_text(network):
    raw, events = feed(network, "/calendar.ics")
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert b"\r" not in raw.replace(b"\r\n", b"") and b"\n" not in raw.replace(b"\r\n", b""), "a bare line break"
    assert any(line.startswith(b" ") for line in lines), "the long title was not folded"
    raw.decode("utf-8")  # no character was cut in two
    assert LONG_TITLE in [str(event["SUMMARY"]) for event in events.values()]


@pytest.mark.parametrize("centre", ["vratsa", "dobrich", "pernik"])
def test_a_centres_feed_holds_what_it_hosts_co_organises_or_joined(network, centre):
    _, events = feed(network, f"/centres/{network.centres[centre]}/calendar.ics")
    assert set(events) == {a.id for a in network.activities if centre in a.centres}


def csv_rows(network: Network, url: str) -> list[dict[str, str]]:
    response = network.site.web.get(url)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text, newline="")))


def test_the_activities_csv_round_trips_every_figure(network):
    rows = {row["id"]: row for row in csv_rows(network, "/activities.csv")}
    assert set(rows) == {a.id for a in network.activities}
    store = network.site.store
    for activity in network.activities:
        row, aggregate = rows[activity.id], store.repository.get(UUID(activity.id))
        assert (row["title"], row["kind"], row["status"]) == (activity.title, activity.kind, activity.status)
        assert int(row["expected_total"]) == aggregate.expected_total
        outcome = aggregate.outcome or {}
        for figure in ("participants", "young_people", "fewer_opportunities", "centres_attended"):
            assert row[figure] == str(outcome.get(figure, "")), (activity.title, figure)
            assert row[figure] == str(Calendar.get(network.site.db, activity.id)[figure] or "")
    assert any(row["participants"] == "42" for row in rows.values())  # the corrected figure, not the first one


def test_the_participations_csv_has_each_centre_in_each_activity_with_its_expected_participants(network):
    rows = csv_rows(network, "/participations.csv")
    assert {(row["activity_id"], row["centre_id"]) for row in rows} == {
        (a.id, network.centres[c]) for a in network.activities for c in a.centres
    }
    store = network.site.store
    for row in rows:
        joined = store.repository.get(UUID(row["activity_id"])).participants
        assert int(row["expected_participants"]) == joined.get(row["centre_id"], 0)


def listed(network: Network, url: str) -> tuple[list[str], str | None]:
    page = network.site.page(url)
    ids = [row["id"].removeprefix("activity-") for row in page.select("#activity-rows tr[id]")]
    following = page.select_one("#next-page")
    return ids, following["href"] if following else None


def test_the_calendar_pages_through_every_upcoming_activity_once_in_order(network):
    seen, url, pages = [], "/calendar", 0
    while url:
        ids, url = listed(network, url)
        assert len(ids) == 20 or url is None
        seen, pages = seen + ids, pages + 1
    assert seen == [a.id for a in network.upcoming()]
    assert pages == 2
    assert network.get(UUID(seen[19])).starts_on == network.get(UUID(seen[20])).starts_on  # the page ended mid-day


@pytest.mark.parametrize(
    "query, wanted",
    [
        ("kind=conference", lambda a: a.kind == "conference"),
        ("centre={dobrich}", lambda a: "dobrich" in a.centres),
        ("city=Перник", lambda a: a.city == "Перник"),
        ("month={month}", lambda a: a.starts_on.strftime("%Y-%m") == MONTH),
        ("kind=seminar&city=Перник", lambda a: a.kind == "seminar" and a.city == "Перник"),
    ],
)
def test_the_calendar_filters_upcoming_activities(network, query, wanted):
    url = "/calendar?" + query.format(**network.centres, month=MONTH)
    ids, following = listed(network, url)
    expected = [a.id for a in network.upcoming() if wanted(a)]
    assert ids == expected[:20] and len(expected) > 0
    assert (following is None) == (len(expected) <= 20)


def test_the_past_calendar_lists_what_has_ended_latest_first(network):
    ids, _ = listed(network, "/calendar?when=past")
    past = sorted((a for a in network.activities if a.ends_on < TODAY), key=lambda a: (a.starts_on, a.id), reverse=True)
    assert ids == [a.id for a in past] and len(ids) == 2


@pytest.mark.parametrize("query", ["враца", "ВРАЦА", "Център – Вр", "враца "])
def test_the_centres_search_finds_a_centre_by_any_case_of_its_cyrillic_name(network, query):
    page = network.site.page(f"/centres?q={query}")
    assert [a.get_text(strip=True) for a in page.select("#centre-list li > a")] == ["Младежки център – Враца"]
    fragment = network.site.web.get(f"/centres?q={query}", headers={"HX-Request": "true", "HX-Target": "centre-list"})
    assert "<html" not in fragment.text and "Младежки център – Враца" in fragment.text


# The spreadsheet CSV, conditional requests, HEAD, filters ------------------------------------------


def spreadsheet(network: Network, url: str, lang: str = "bg") -> tuple[bytes, list[dict[str, str]]]:
    network.site.web.client.cookies.set("lang", lang)
    try:
        response = network.site.web.get(url)
    finally:
        network.site.web.client.cookies.set("lang", "bg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"  # one charset, not two
    assert response.content.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM: Excel would read Windows-1251"
    text = response.content.decode("utf-8-sig")
    return response.content, list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_spreadsheet_csv_has_a_bom_semicolons_bulgarian_headers_labels_and_dates(network):
    _, rows = spreadsheet(network, "/activities.spreadsheet.csv")
    assert len(rows) == len(network.activities)
    exchange = next(row for row in rows if row["Заглавие"] == LONG_TITLE)  # the title with ";" and ":" survives
    planned = next(a for a in network.activities if a.title == LONG_TITLE)
    assert exchange["Вид"] == "Обмен" and exchange["Статус"] == "Планирана"
    assert exchange["Начало"] == planned.starts_on.strftime("%d.%m.%Y")
    assert exchange["Страница"].endswith(f"/activities/{planned.id}")
    assert "exchange" not in exchange.values()


def test_the_spreadsheet_csv_speaks_english_in_the_english_ui(network):
    _, rows = spreadsheet(network, "/activities.spreadsheet.csv", lang="en")
    exchange = next(row for row in rows if row["Title"] == LONG_TITLE)
    assert exchange["Kind"] == "Exchange" and exchange["Status"] == "Planned"


def test_the_participations_spreadsheet_names_each_role(network):
    _, rows = spreadsheet(network, "/participations.spreadsheet.csv")
    assert {row["Роля"] for row in rows} == {"Домакин", "Съорганизатор", "Участник"}


@pytest.mark.parametrize("url", ["/activities.csv", "/activities.spreadsheet.csv", "/participations.csv",
                                 "/participations.spreadsheet.csv", "/calendar.ics"])
def test_every_export_answers_304_to_its_etag_and_head_without_a_body(network, url):
    web = network.site.web
    full = web.get(url)
    etag = full.headers["etag"]
    assert web.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert web.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    head = web.client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == etag and int(head.headers["content-length"]) == len(full.content)


@pytest.mark.parametrize(
    "query, wanted",
    [
        ("kind=conference", lambda a: a.kind == "conference"),
        ("centre={dobrich}", lambda a: "dobrich" in a.centres),
        ("city=Перник&when=upcoming", lambda a: a.city == "Перник" and a.ends_on >= TODAY),
        ("when=past", lambda a: a.ends_on < TODAY),
    ],
)
def test_both_csv_files_follow_the_calendars_filters(network, query, wanted):
    query = query.format(**network.centres)
    expected = {a.id for a in network.activities if wanted(a)}
    assert {row["id"] for row in csv_rows(network, f"/activities.csv?{query}")} == expected
    _, rows = spreadsheet(network, f"/activities.spreadsheet.csv?{query}")
    assert {row["Страница"].rsplit("/", 1)[1] for row in rows} == expected
    participations = csv_rows(network, f"/participations.csv?{query}")
    assert {row["activity_id"] for row in participations} == expected


def test_the_calendar_page_links_its_filtered_exports(network):
    page = network.site.page("/calendar?kind=conference")
    links = {a["href"] for a in page.select("#calendar-exports a")}
    assert "/activities.spreadsheet.csv?when=upcoming&kind=conference" in links
    assert "/activities.csv?when=upcoming&kind=conference" in links


def test_the_feed_tells_clients_how_often_to_refresh_and_what_changed(network):
    raw, events = feed(network, "/calendar.ics")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in raw and b"X-PUBLISHED-TTL:PT1H" in raw
    for activity in network.activities:
        event = events[activity.id]
        assert int(event["SEQUENCE"]) == (1 if activity.status == "cancelled" else 0)
        assert event["LAST-MODIFIED"].dt.tzinfo is not None
    assert feed(network, "/calendar.ics")[0] == raw, "the same calendar twice is the same bytes (and ETag)"


def test_a_rescheduled_activity_raises_its_sequence(network):
    activity_id = network.plan("vratsa", "Среща, която се мести", "seminar", "Враца", 70)
    network.site.store.activities.reschedule_activity(
        activity_id, starts_on=TODAY + timedelta(days=75), ends_on=TODAY + timedelta(days=75), reason="Залата е заета"
    )
    network.site.settle()
    _, events = feed(network, "/calendar.ics")
    assert int(events[str(activity_id)]["SEQUENCE"]) == 1
    network.get(activity_id).starts_on = network.get(activity_id).ends_on = TODAY + timedelta(days=75)


def test_feed_links_come_from_the_public_url_never_the_host_header(network):
    response = network.site.web.get("/calendar.ics", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert b"evil.example" not in response.content
    events = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    site_url = network.site.settings.site_url.rstrip("/")
    assert events and all(str(event["URL"]).startswith(site_url + "/activities/") for event in events)

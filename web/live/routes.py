"""The live pages' streams: the calendar, an activity, a centre and the network update themselves as
new facts are projected. Each stream is as public as its page, and sends the partial that page includes."""

from __future__ import annotations

from litestar import Controller, Request, get
from litestar.exceptions import NotFoundException
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import ServerSentEvent

from projections.calendar import Calendar
from projections.centres import CentresDirectory
from web.activities.pages import activity_context, calendar_context, calendar_filter
from web.auth import current_user
from web.centres.pages import profile_context, public_profile_context
from web.context import Services
from web.live.reads import ACTIVITY, CALENDAR, CENTRE, NETWORK, PUBLIC_CENTRE
from web.live.stream import LiveView, live_stream
from web.network.routes import network_context
from web.paths import uuid_or_404



class LiveController(Controller):
    path = "/live"

    @get("/calendar", sync_to_thread=True, opt={"public": True})
    def calendar(
        self,
        request: Request,
        services: NamedDependency[Services],
        kind: FromQuery[str] = "",
        centre: FromQuery[str] = "",
        city: FromQuery[str] = "",
        month: FromQuery[str] = "",
        when: FromQuery[str] = "upcoming",
        after: FromQuery[str] = "",
        since: FromQuery[str] = "",
    ) -> ServerSentEvent:
        flt, user = calendar_filter(kind, centre, city, month, when), current_user(request)
        view = LiveView(CALENDAR, "activities/_results.html", lambda: calendar_context(services, flt, after[:80], user=user))
        return live_stream(request, view, since, services.settings.live_stream_seconds)

    @get("/activities/{activity_id:str}", sync_to_thread=True, opt={"public": True})
    def activity(
        self, request: Request, activity_id: FromPath[str], services: NamedDependency[Services], since: FromQuery[str] = ""
    ) -> ServerSentEvent:
        if Calendar.get(services.db, uuid_or_404(activity_id)) is None:
            raise NotFoundException()
        user = current_user(request)
        view = LiveView(
            ACTIVITY, "activities/_activity_panel.html", lambda: activity_context(services, activity_id, user=user)
        )
        return live_stream(request, view, since, services.settings.live_stream_seconds)

    @get("/centres/{centre_id:str}", sync_to_thread=True, opt={"public": True})
    def centre(
        self, request: Request, centre_id: FromPath[str], services: NamedDependency[Services], since: FromQuery[str] = ""
    ) -> ServerSentEvent:
        """A visitor's stream sends the centre's public face (only a centre that has been a member has
        one); the signed-in's, its whole profile."""
        if CentresDirectory.get(services.db, uuid_or_404(centre_id)) is None:
            raise NotFoundException()
        if current_user(request) is None:
            public_profile_context(services, centre_id)  # a 404 for a centre with no public face
            view = LiveView(
                PUBLIC_CENTRE, "centres/_public_profile_panel.html", lambda: public_profile_context(services, centre_id)
            )
        else:
            view = LiveView(CENTRE, "centres/_profile_panel.html", lambda: profile_context(services, centre_id))
        return live_stream(request, view, since, services.settings.live_stream_seconds)

    @get("/network", sync_to_thread=True, opt={"public": True})
    def network(
        self, request: Request, services: NamedDependency[Services], since: FromQuery[str] = ""
    ) -> ServerSentEvent:
        view = LiveView(NETWORK, "network/_panel.html", lambda: network_context(services))
        return live_stream(request, view, since, services.settings.live_stream_seconds)

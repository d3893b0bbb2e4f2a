"""A member centre of the network (младежки център)."""

from __future__ import annotations

import unicodedata
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.checks import Validation, check_link, check_text

NAME_MAX = 150
CITY_MAX = 80
TEXT_MAX = 200
DESCRIPTION_MAX = 2000


class Centre(Aggregate):
    """A youth centre: registered once, its profile and membership grow later."""

    class Registered(Aggregate.Created):
        name: str
        city: str
        region: str
        address: str
        contact: str
        website: str
        description: str

    @event(Registered)
    def __init__(
        self,
        name: str,
        city: str,
        region: str,
        address: str,
        contact: str,
        website: str,
        description: str,
    ) -> None:
        self.name = name
        self.city = city
        self.region = region
        self.address = address
        self.contact = contact
        self.website = website
        self.description = description

    @classmethod
    def register(
        cls,
        *,
        name: str,
        city: str,
        region: str = "",
        address: str = "",
        contact: str = "",
        website: str = "",
        description: str = "",
    ) -> Centre:
        """Check every field, then record the registration."""
        check = Validation()
        fields = dict(
            name=check(check_text, "name", name, max_length=NAME_MAX),
            city=check(check_text, "city", city, max_length=CITY_MAX),
            region=check(check_text, "region", region, max_length=CITY_MAX, required=False),
            address=check(check_text, "address", address, max_length=TEXT_MAX, required=False),
            contact=check(check_text, "contact", contact, max_length=TEXT_MAX, required=False),
            website=check(check_link, "website", website),
            description=check(
                check_text, "description", description, max_length=DESCRIPTION_MAX, required=False
            ),
        )
        check.done()
        return cls(**fields)

def normalised_name(name: str) -> str:
    """Names that differ only in case, accents' composition or spacing are the same name."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


class CentreName(Aggregate):
    """The claim on a centre's name: its id derives from the name, so two claims collide.

    Saved in the same transaction as the centre, it makes a duplicate name
    impossible even when two registrations race.
    """

    class Claimed(Aggregate.Created):
        name: str
        centre_id: UUID

    @event(Claimed)
    def __init__(self, name: str, centre_id: UUID) -> None:
        self.name = name
        self.centre_id = centre_id

    @staticmethod
    def create_id(name: str) -> UUID:
        return uuid5(NAMESPACE_URL, "/mrezha/centre-names/" + normalised_name(name))

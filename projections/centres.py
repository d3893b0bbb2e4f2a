"""The centres directory: each member centre's profile, membership, label and staff."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID

from domain.centre import Centre
from projections.base import Projection
from projections.cached import by_position
from projections.sql import Database, Row, Transaction


def search_key(*parts: str) -> str:
    """Case-folded in Python: SQLite's lower() knows no Cyrillic."""
    return " ".join(p.casefold() for p in parts if p)


class CentresDirectory(Projection):
    name = "centres"
    tables = ("centres", "centre_staff")
    schema = (
        """
        CREATE TABLE IF NOT EXISTS centres (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            city TEXT NOT NULL,
            region TEXT NOT NULL,
            address TEXT NOT NULL,
            contact TEXT NOT NULL,
            website TEXT NOT NULL,
            description TEXT NOT NULL,
            membership TEXT NOT NULL,
            label TEXT NOT NULL,
            label_valid_until TEXT,
            registered_at TEXT NOT NULL,
            admitted_at TEXT,
            search TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS centres_by_name ON centres (name)",
        """
        CREATE TABLE IF NOT EXISTS centre_staff (
            staff_id TEXT PRIMARY KEY,
            centre_id TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            added_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS centre_staff_by_centre ON centre_staff (centre_id, name)",
    )

    @singledispatchmethod
    def apply(self, event: Any, tx: Transaction) -> None:
        """Other events do not change this read model."""

    @apply.register
    def _(self, event: Centre.Registered, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO centres (id, name, city, region, address, contact, website, description, "
            "membership, label, registered_at, search) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'registered', 'none', ?, ?) "
            "ON CONFLICT (id) DO NOTHING",
            (
                str(event.originator_id), event.name, event.city, event.region, event.address,
                event.contact, event.website, event.description, event.timestamp.isoformat(),
                search_key(event.name, event.city, event.region),
            ),
        )

    @apply.register
    def _(self, event: Centre.ProfileUpdated, tx: Transaction) -> None:
        row = tx.fetchone("SELECT name FROM centres WHERE id = ?", (str(event.originator_id),))
        tx.execute(
            "UPDATE centres SET city = ?, region = ?, address = ?, contact = ?, website = ?, "
            "description = ?, search = ? WHERE id = ?",
            (
                event.city, event.region, event.address, event.contact, event.website, event.description,
                search_key(row["name"] if row else "", event.city, event.region), str(event.originator_id),
            ),
        )

    def _membership(self, event: Any, tx: Transaction, state: str) -> None:
        tx.execute("UPDATE centres SET membership = ? WHERE id = ?", (state, str(event.originator_id)))

    @apply.register
    def _(self, event: Centre.MembershipApplied, tx: Transaction) -> None:
        self._membership(event, tx, "applied")

    @apply.register
    def _(self, event: Centre.MembershipAdmitted, tx: Transaction) -> None:
        tx.execute(
            "UPDATE centres SET membership = 'admitted', admitted_at = ? WHERE id = ?",
            (event.timestamp.isoformat(), str(event.originator_id)),
        )

    @apply.register
    def _(self, event: Centre.MembershipRejected, tx: Transaction) -> None:
        self._membership(event, tx, "rejected")

    @apply.register
    def _(self, event: Centre.MembershipSuspended, tx: Transaction) -> None:
        self._membership(event, tx, "suspended")

    @apply.register
    def _(self, event: Centre.MembershipReinstated, tx: Transaction) -> None:
        self._membership(event, tx, "admitted")

    @apply.register
    def _(self, event: Centre.MembershipLeft, tx: Transaction) -> None:
        self._membership(event, tx, "left")

    @apply.register
    def _(self, event: Centre.MembershipRejoined, tx: Transaction) -> None:
        self._membership(event, tx, "admitted")

    @apply.register
    def _(self, event: Centre.StaffMemberAdded, tx: Transaction) -> None:
        tx.execute(
            "INSERT INTO centre_staff (staff_id, centre_id, name, role, added_at) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (staff_id) DO NOTHING",
            (str(event.staff_id), str(event.originator_id), event.name, event.role, event.timestamp.isoformat()),
        )

    @apply.register
    def _(self, event: Centre.StaffMemberRemoved, tx: Transaction) -> None:
        tx.execute("DELETE FROM centre_staff WHERE staff_id = ?", (str(event.staff_id),))

    def _label(self, event: Any, tx: Transaction, state: str, valid_until: Any = None) -> None:
        tx.execute(
            "UPDATE centres SET label = ?, label_valid_until = ? WHERE id = ?",
            (state, valid_until.isoformat() if valid_until else None, str(event.originator_id)),
        )

    @apply.register
    def _(self, event: Centre.LabelApplied, tx: Transaction) -> None:
        self._label(event, tx, "applied")

    @apply.register
    def _(self, event: Centre.LabelInspected, tx: Transaction) -> None:
        self._label(event, tx, "inspected")

    @apply.register
    def _(self, event: Centre.LabelAwarded, tx: Transaction) -> None:
        self._label(event, tx, "awarded", event.valid_until)

    @apply.register
    def _(self, event: Centre.LabelRenewed, tx: Transaction) -> None:
        self._label(event, tx, "awarded", event.valid_until)

    @apply.register
    def _(self, event: Centre.LabelWithdrawn, tx: Transaction) -> None:
        self._label(event, tx, "withdrawn")

    # Queries ------------------------------------------------------------------

    @staticmethod
    @by_position("centres")
    def all(db: Database) -> list[Row]:
        return db.fetchall("SELECT * FROM centres ORDER BY name")

    @staticmethod
    @by_position("centres")
    def members(db: Database) -> list[Row]:
        """Centres in good standing: those that may host and join."""
        return db.fetchall("SELECT * FROM centres WHERE membership = 'admitted' ORDER BY name")

    @staticmethod
    def search(db: Database, query: str = "", limit: int = 200, members_only: bool = False) -> list[Row]:
        """Centres by name or city; ``members_only``: the admitted members, as the public directory lists them."""
        only = "membership = 'admitted'" if members_only else "1 = 1"
        if not query.strip():
            return db.fetchall(f"SELECT * FROM centres WHERE {only} ORDER BY name LIMIT ?", (limit,))
        words = query.replace("\x00", "").strip().casefold()  # PostgreSQL text cannot hold NUL
        pattern = "%" + words.replace("\\", "").replace("%", "").replace("_", "") + "%"
        return db.fetchall(
            f"SELECT * FROM centres WHERE {only} AND search LIKE ? ORDER BY name LIMIT ?", (pattern, limit)
        )

    @staticmethod
    def newest_members(db: Database, limit: int = 5) -> list[Row]:
        return db.fetchall(
            "SELECT * FROM centres WHERE membership = 'admitted' ORDER BY admitted_at DESC, name LIMIT ?",
            (limit,),
        )

    @staticmethod
    def get(db: Database, centre_id: UUID | str) -> Row | None:
        return db.fetchone("SELECT * FROM centres WHERE id = ?", (str(centre_id),))

    @staticmethod
    def staff(db: Database, centre_id: UUID | str) -> list[Row]:
        return db.fetchall("SELECT * FROM centre_staff WHERE centre_id = ? ORDER BY name", (str(centre_id),))

    @staticmethod
    def count(db: Database) -> int:
        row = db.fetchone("SELECT COUNT(*) AS n FROM centres")
        return int(row["n"]) if row else 0

    @staticmethod
    def member_count(db: Database) -> int:
        """How many centres ``members`` lists, without reading them."""
        row = db.fetchone("SELECT COUNT(*) AS n FROM centres WHERE membership = 'admitted'")
        return int(row["n"]) if row else 0

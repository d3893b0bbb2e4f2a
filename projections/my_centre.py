"""What a centre's people have to do next, read for its "My centre" page: every query bounded by an
index (the centre's participations by start, its hosted activities by status and end, the practices
by revision), so the page costs the same with 2,000 activities as with 20,000."""

from __future__ import annotations

from datetime import date

from projections.sql import Database, Row


class MyCentre:
    @staticmethod
    def next_activities(db: Database, centre_id: str, today: date, limit: int = 5) -> list[Row]:
        """The centre's coming activities, hosted, co-organised or joined, soonest first."""
        return db.fetchall(
            "SELECT a.id, a.title, a.kind, a.language, a.starts_on, p.role FROM calendar_participations p "
            "JOIN calendar_activities a ON a.id = p.activity_id "
            "WHERE p.centre_id = ? AND p.starts_on >= ? AND a.status = 'planned' "
            "ORDER BY p.starts_on, p.activity_id LIMIT ?",
            (centre_id, today.isoformat(), limit),
        )

    @staticmethod
    def outcomes_due(db: Database, centre_id: str, today: date, limit: int = 10) -> list[Row]:
        """Activities the centre hosted that have ended without an outcome reported, the oldest first."""
        return db.fetchall(
            "SELECT id, title, language, ends_on FROM calendar_activities "
            "WHERE host_centre_id = ? AND status = 'planned' AND ends_on < ? "
            "ORDER BY ends_on, id LIMIT ?",
            (centre_id, today.isoformat(), limit),
        )

    @staticmethod
    def applications(db: Database, limit: int = 20) -> list[Row]:
        """Centres that applied for membership, waiting for the chair's (or the secretariat's) decision."""
        return db.fetchall(
            "SELECT id, name, city, registered_at FROM centres WHERE membership = 'applied' ORDER BY name LIMIT ?",
            (limit,),
        )

    @staticmethod
    def coming_handover(db: Database) -> Row | None:
        """The chair an annual meeting confirmed for a year whose handover is not recorded yet: the next
        handover (a handover is recorded when it happens, never ahead)."""
        return db.fetchone(
            "SELECT m.report_year + 1 AS year, m.next_chair_id AS centre_id, m.next_chair_name AS centre_name, "
            "m.held_on FROM network_meetings m WHERE NOT EXISTS (SELECT 1 FROM network_chairs c "
            "WHERE c.year = m.report_year + 1) ORDER BY m.report_year DESC LIMIT 1"
        )

    @staticmethod
    def practices_to_endorse(db: Database, centre_id: str, limit: int = 5) -> list[Row]:
        """Other centres' practices in use that this centre has not endorsed yet, the latest revised first."""
        return db.fetchall(
            "SELECT p.id, p.title, p.centre_name, p.revised_at, p.endorsements FROM practices p "
            "WHERE p.status = 'active' AND p.centre_id <> ? AND NOT EXISTS (SELECT 1 FROM practice_endorsements e "
            "WHERE e.practice_id = p.id AND e.centre_id = ?) ORDER BY p.status, p.revised_at DESC LIMIT ?",
            (centre_id, centre_id, limit),
        )

"""Answers kept until their read model moves (projections.cached): asked once per position."""

from __future__ import annotations

from pathlib import Path

from infra.sql import SQLiteDatabase
from projections.base import TRACKING_TABLE
from projections.cached import by_position

asked: list[str] = []


@by_position("centres")
def names(db: SQLiteDatabase, city: str) -> list[str]:
    asked.append(city)
    return [row["name"] for row in db.fetchall("SELECT name FROM towns WHERE city = ? ORDER BY name", (city,))]


def moved_to(db: SQLiteDatabase, at: int) -> None:
    with db.transaction() as tx:
        tx.execute(
            "INSERT INTO projection_tracking (projection, position) VALUES ('centres', ?) "
            "ON CONFLICT (projection) DO UPDATE SET position = excluded.position",
            (at,),
        )


def test_an_answer_is_asked_once_per_position_and_again_once_the_read_model_moved(tmp_path: Path):
    db = SQLiteDatabase(tmp_path / "read-models.sqlite")
    with db.transaction() as tx:
        tx.execute(TRACKING_TABLE)
        tx.execute("CREATE TABLE towns (name TEXT, city TEXT)")
        tx.execute("INSERT INTO towns VALUES ('Враца', 'north')")
    moved_to(db, 1)
    asked.clear()

    # Asked twice at the same position: the query runs once, and each argument has its own answer
    assert names(db, "north") == ["Враца"] and names(db, "north") == ["Враца"]
    assert names(db, "south") == []
    assert asked == ["north", "south"]

    # A new fact projected: the next answer is asked again, and shows it
    with db.transaction() as tx:
        tx.execute("INSERT INTO towns VALUES ('Видин', 'north')")
    moved_to(db, 2)
    assert names(db, "north") == ["Видин", "Враца"]
    assert asked == ["north", "south", "north"]
    db.close()

"""The rules the network keeps on its chair, rotation and annual meeting, checked on the aggregate itself."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import DomainError
from domain.network import NETWORK_ID, Network

TODAY = date(2026, 11, 22)
VRATSA, DOBRICH, PERNIK = uuid4(), uuid4(), uuid4()


def network() -> Network:
    return Network(name="Национална мрежа на младежките центрове")


def refusal(action) -> tuple[str | None, str]:
    with pytest.raises(DomainError) as caught:
        action()
    return caught.value.field, caught.value.code


def hand_over(n: Network, year: int, centre, on: date | None = None) -> None:
    n.hand_over_chair(year, centre, on or date(year, 1, 15), TODAY)


def test_there_is_one_network_whose_id_never_changes():
    assert network().id == network().id == NETWORK_ID


def test_the_chair_handed_over_for_a_year_is_the_chair_of_that_year():
    n = network()
    hand_over(n, 2025, PERNIK)
    hand_over(n, 2026, VRATSA)
    assert (n.chair_of(2025), n.chair_of(2026), n.chair_of(2027)) == (PERNIK, VRATSA, None)


def test_a_year_has_one_chair_and_its_handover_is_never_recorded_twice():
    n = network()
    hand_over(n, 2026, VRATSA)
    assert refusal(lambda: hand_over(n, 2026, DOBRICH)) == ("year", "chair_already_handed_over")
    assert refusal(lambda: hand_over(n, 2026, VRATSA)) == ("year", "chair_already_handed_over")


def test_no_centre_chairs_two_years_running_before_or_after():
    n = network()
    hand_over(n, 2026, VRATSA)
    assert refusal(lambda: hand_over(n, 2027, VRATSA, date(2026, 11, 1))) == ("centre_id", "chair_two_years_running")
    assert refusal(lambda: hand_over(n, 2025, VRATSA)) == ("centre_id", "chair_two_years_running")
    hand_over(n, 2027, DOBRICH, date(2026, 11, 1))
    hand_over(n, 2024, VRATSA)  # two years before is fine


def test_a_handover_happens_in_its_year_or_the_year_before_and_not_in_the_future():
    n = network()
    assert refusal(lambda: hand_over(n, 2026, VRATSA, date(2024, 12, 31))) == ("handed_over_on", "handover_outside_year")
    assert refusal(lambda: hand_over(n, 2026, VRATSA, date(2026, 12, 1))) == ("handed_over_on", "date_in_future")
    hand_over(n, 2026, VRATSA, date(2025, 12, 12))


@pytest.mark.parametrize("year", [1999, 2101, True, "2026"])
def test_a_year_outside_2000_to_2100_is_refused(year):
    assert refusal(lambda: network().hand_over_chair(year, VRATSA, date(2026, 1, 1), TODAY)) == ("year", "invalid_year")


def test_the_current_chair_is_the_latest_handover_that_has_taken_place():
    n = network()
    hand_over(n, 2026, VRATSA)
    assert n.current_chair(date(2026, 11, 30)) == VRATSA
    n.hand_over_chair(2027, DOBRICH, date(2026, 11, 22), TODAY)
    assert n.current_chair(date(2026, 11, 21)) == VRATSA
    assert n.current_chair(date(2026, 11, 22)) == DOBRICH


def test_a_mistaken_handover_is_corrected_by_a_new_fact_naming_the_centre_it_replaces():
    n = network()
    hand_over(n, 2026, DOBRICH)
    n.correct_handover(2026, VRATSA, "Записан е грешен център")
    correction = n.collect_events()[-1]
    assert isinstance(correction, Network.HandoverCorrected)
    assert (correction.centre_id, correction.replaced_centre_id) == (VRATSA, DOBRICH)
    assert n.chair_of(2026) == VRATSA


def test_a_correction_needs_a_recorded_handover_another_centre_and_a_reason():
    n = network()
    assert refusal(lambda: n.correct_handover(2026, VRATSA, "Грешка")) == ("year", "no_handover_to_correct")
    hand_over(n, 2026, VRATSA)
    assert refusal(lambda: n.correct_handover(2026, VRATSA, "Грешка")) == ("centre_id", "same_chair")
    assert refusal(lambda: n.correct_handover(2026, DOBRICH, "  ")) == ("reason", "required")
    hand_over(n, 2025, PERNIK)
    assert refusal(lambda: n.correct_handover(2026, PERNIK, "Грешка")) == ("centre_id", "chair_two_years_running")


def test_a_rotation_lists_at_least_two_centres_each_once_and_differs_from_the_one_set():
    n = network()
    assert refusal(lambda: n.set_rotation([VRATSA])) == ("order", "rotation_too_short")
    assert refusal(lambda: n.set_rotation([VRATSA, DOBRICH, VRATSA])) == ("order", "duplicate_in_rotation")
    n.set_rotation([VRATSA, DOBRICH, PERNIK])
    assert refusal(lambda: n.set_rotation([VRATSA, DOBRICH, PERNIK])) == ("order", "same_rotation")
    n.set_rotation([DOBRICH, VRATSA, PERNIK])
    assert n.rotation == [str(DOBRICH), str(VRATSA), str(PERNIK)]


def meeting(n: Network, **changes) -> None:
    fields = dict(held_on=date(2025, 12, 12), report_year=2025, next_chair_id=VRATSA,
                  priorities=["Обмяна на добри практики", ""], today=TODAY)
    n.record_annual_meeting(**{**fields, **changes})


def test_the_annual_meeting_confirms_next_years_chair_and_the_handover_must_go_to_it():
    n = network()
    meeting(n)
    assert n.collect_events()[-1].priorities == ["Обмяна на добри практики"]
    assert refusal(lambda: hand_over(n, 2026, DOBRICH)) == ("centre_id", "not_the_confirmed_chair")
    hand_over(n, 2026, VRATSA)


def test_the_annual_meeting_is_recorded_once_per_year_after_the_year_has_ended():
    n = network()
    assert refusal(lambda: meeting(n, held_on=date(2025, 11, 30))) == ("held_on", "meeting_outside_year_end")
    assert refusal(lambda: meeting(n, held_on=date(2027, 1, 10))) == ("held_on", "date_in_future")
    assert refusal(lambda: meeting(n, priorities=[" "])) == ("priorities", "required")
    assert refusal(lambda: meeting(n, priorities=[f"Приоритет {i}" for i in range(13)])) == ("priorities", "too_many")
    meeting(n)
    assert refusal(lambda: meeting(n, held_on=date(2026, 1, 20))) == ("report_year", "meeting_already_recorded")


def test_the_meeting_cannot_confirm_the_chair_of_the_report_year_again():
    n = network()
    hand_over(n, 2025, VRATSA)
    assert refusal(lambda: meeting(n)) == ("next_chair_id", "chair_two_years_running")
    meeting(n, next_chair_id=DOBRICH)

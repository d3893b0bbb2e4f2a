"""Passwords: long enough, not one of the 10,000 most common, and not made of the user's or the
centre's name."""

from __future__ import annotations

import pytest

from domain.account import check_password_strength
from domain.errors import InvalidField


@pytest.mark.parametrize("password", ["1234567890", "qwertyuiop", "password123", "PASSWORD123", "1q2w3e4r5t"])
def test_a_commonly_used_password_is_refused(password):
    with pytest.raises(InvalidField) as refused:
        check_password_strength(password, "ivana")
    assert (refused.value.field, refused.value.code) == ("password", "password_too_common")


@pytest.mark.parametrize("password", ["Dobrich2026!", "dobrich-dobrich", "2026.ДОБРИЧ", "ivana.petrova99", "Младежки център"])
def test_a_password_made_of_the_user_s_or_the_centre_s_name_is_refused(password):
    names = ("Ivana Petrova", "МЦ Добрич", "Dobrich", "Младежки център – Добрич")
    with pytest.raises(InvalidField) as refused:
        check_password_strength(password, "ivana.petrova", names=names)
    assert refused.value.code in ("password_has_name", "password_has_username")


def test_a_long_uncommon_passphrase_is_accepted():
    check_password_strength("кафе на гарата в четвъртък", "ivana", names=("Ivana Petrova", "МЦ Добрич"))


def test_the_list_ships_with_the_package_and_holds_ten_thousand_passwords():
    from domain.account import common_passwords

    assert len(common_passwords()) == 10_000 and "123456" in common_passwords()

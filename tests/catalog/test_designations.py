"""COSPAR piece letters and 1962 Greek-letter designations against the published record."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from debriscope.catalog.designations import (
    cospar_id,
    greek_launch_name,
    greek_piece_name,
    parse_cospar_id,
    piece_index,
    piece_letters,
    tle_intldesg,
)


@pytest.mark.parametrize(
    ("index", "letters"),
    [
        (1, "A"),
        (8, "H"),
        (9, "J"),
        (14, "P"),
        (24, "Z"),
        (25, "AA"),
        (48, "AZ"),
        (49, "BA"),
        (600, "ZZ"),
        (601, "AAA"),
    ],
)
def test_piece_letters_skip_i_and_o(index, letters):
    assert piece_letters(index) == letters


def test_piece_letters_mcdowell_example():
    # J. McDowell, GCAT "Launch and piece designations": 1999-025EYS is piece 5*24*24 + 23*24 + 17 = 3449
    assert piece_letters(3449) == "EYS"
    assert piece_index("EYS") == 3449


@given(st.integers(min_value=1, max_value=24**4))
def test_piece_letters_round_trip(index):
    letters = piece_letters(index)
    assert "I" not in letters and "O" not in letters
    assert piece_index(letters) == index


def test_greek_names_of_the_record():
    # NASA NSSDC 1962-057A "Sputnik 22": alternate name "1962 Beta Iota 1";
    # NSSDC/Wikipedia 1962-061A "Mars 1": "1962 Beta Nu 1"
    assert greek_piece_name("1962-057", 1) == "1962 Beta Iota 1"
    assert greek_launch_name(1962, 61) == "1962 Beta Nu"
    assert greek_launch_name(1962, 1) == "1962 Alpha"
    assert greek_launch_name(1962, 24) == "1962 Omega"
    assert greek_launch_name(1962, 25) == "1962 Alpha Alpha"
    assert greek_launch_name(1963, 1) is None  # COSPAR numbers from 1963-01-01 (NASA SP-4402 app. B)


def test_cospar_forms():
    assert cospar_id("1962-057", 1) == "1962-057A"
    assert parse_cospar_id("1962-057C") == (1962, 57, 3)
    assert tle_intldesg("1962-057A") == "62057A"
    with pytest.raises(ValueError):
        parse_cospar_id("1962-057I")

"""International designations: the COSPAR form (``1962-057A``) and the Greek-letter form of 1957-1962.

COSPAR form (COSPAR Guide to Rocket and Satellite Information and Data Exchange, 1962; in force
from 1 January 1963, NAS-NRC news release of 31 December 1962, NASA SP-4402 appendix B):
``YYYY-NNN`` for the launch, then piece letters A..Z, AA..AZ, BA..ZZ, AAA.. with I and O never
used, i.e. a bijective base-24 numeral (J. McDowell, GCAT "Launch and piece designations":
piece 3449 of 1999-025 is ``EYS`` = 5*24*24 + 23*24 + 17).

Greek-letter form (used until the end of 1962): launches of a year took the Greek letters in
order, Alpha..Omega, then Alpha Alpha..Alpha Omega, Beta Alpha.. (T. Molczan and A. Beresford,
SeeSat-L, 28 Sep 1996), and the pieces of a launch were numbered 1, 2, ... So 1962-057 was
"1962 Beta Iota" (NASA NSSDC 1962-057A: "1962 Beta Iota 1") and 1962-061 "1962 Beta Nu"
(Mars 1, "1962 Beta Nu 1"). The mapping launch number -> letters assumes the later COSPAR numbers
kept the order of the Greek letters, which those two launches confirm.
"""

from __future__ import annotations

import re

PIECE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ"
"""The 24 piece letters: A-Z without I and O."""

GREEK_LETTERS = (
    "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa", "Lambda", "Mu",
    "Nu", "Xi", "Omicron", "Pi", "Rho", "Sigma", "Tau", "Upsilon", "Phi", "Chi", "Psi", "Omega",
)  # fmt: skip
"""The 24 letters of the Greek alphabet, in order."""

LAST_GREEK_YEAR = 1962
"""The last year designated with Greek letters (the COSPAR numbers began on 1963-01-01)."""

_COSPAR_RE = re.compile(r"^(\d{4})-(\d{3})([A-HJ-NP-Z]{1,3})$")


def piece_letters(index: int) -> str:
    """Piece number (1 = A) -> COSPAR piece letters; 24 -> 'Z', 25 -> 'AA', 3449 -> 'EYS'."""
    if index < 1:
        raise ValueError(f"piece index {index}: expected an integer >= 1")
    letters = []
    while index > 0:
        index, digit = divmod(index - 1, 24)  # bijective base 24
        letters.append(PIECE_ALPHABET[digit])
    return "".join(reversed(letters))


def piece_index(letters: str) -> int:
    """COSPAR piece letters -> piece number (inverse of :func:`piece_letters`)."""
    if not letters or any(c not in PIECE_ALPHABET for c in letters):
        raise ValueError(f"{letters!r}: piece letters are A-Z without I and O")
    index = 0
    for c in letters:
        index = index * 24 + PIECE_ALPHABET.index(c) + 1
    return index


def cospar_id(launch_designator: str | None, piece: int) -> str | None:
    """``('1962-057', 1) -> '1962-057A'``; None without a launch designator."""
    return None if launch_designator is None else f"{launch_designator}{piece_letters(piece)}"


def parse_cospar_id(text: str) -> tuple[int, int, int]:
    """``'1962-057A' -> (1962, 57, 1)``: launch year, launch number, piece number."""
    match = _COSPAR_RE.match(text.strip().upper())
    if match is None:
        raise ValueError(f"{text!r} is not a COSPAR designator such as '1962-057A'")
    return int(match.group(1)), int(match.group(2)), piece_index(match.group(3))


def greek_launch_name(year: int, launch_number: int) -> str | None:
    """The Greek-letter name of a launch of 1957-1962 (``(1962, 57) -> '1962 Beta Iota'``).

    Returns None for years after 1962, which never had Greek names.
    """
    if year > LAST_GREEK_YEAR:
        return None
    if launch_number < 1:
        raise ValueError(f"launch number {launch_number}: expected >= 1")
    if launch_number <= 24:
        return f"{year} {GREEK_LETTERS[launch_number - 1]}"
    first, second = divmod(launch_number - 25, 24)
    if first >= 24:
        raise ValueError(f"launch number {launch_number}: beyond Omega Omega")
    return f"{year} {GREEK_LETTERS[first]} {GREEK_LETTERS[second]}"


def greek_piece_name(launch_designator: str | None, piece: int) -> str | None:
    """``('1962-057', 1) -> '1962 Beta Iota 1'``; None after 1962 or without a designator."""
    if launch_designator is None:
        return None
    year, number = (int(part) for part in launch_designator.split("-"))
    name = greek_launch_name(year, number)
    return None if name is None else f"{name} {piece}"


def tle_intldesg(cospar: str | None) -> str:
    """The 8-character TLE form: ``'1962-057A' -> '62057A'`` (columns 10-17 of line 1); blank
    (``''``) without a designator, as TLEs of analyst objects have."""
    if cospar is None:
        return ""
    year, number, piece = parse_cospar_id(cospar)
    return f"{year % 100:02d}{number:03d}{piece_letters(piece)}"

"""A plain-text listing in the style of the 1960s Satellite Situation Summary.

The US Satellite Situation Summary (later NASA Goddard's Satellite Situation Report) listed each
catalogued object by international designation with its catalog number, source, launch date,
orbit (period in minutes, inclination in degrees, apogee and perigee in km) and decay date, two
typewritten lines per object, capital letters. The column set follows the report's
decayed-objects section as quoted by B. Gimle (SeeSat-L, 22 Oct 1997: ``INT-ID/Name CATALOG#
SOURCE PERIOD INCL APOGEE PERIGEE RCS`` then ``NAME Launched (date) Decayed [date]``); the
1962 edition's exact typography was not found, so the Greek-letter designation of the time
(``1962 BETA IOTA 1``) leads the entry where it exists, the COSPAR form beside it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import Any

_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
RULE = "-" * 100


def sss_date(iso_date: str | None) -> str:
    """``'1962-10-24' -> '24 OCT 1962'``; blank for None."""
    if not iso_date:
        return ""
    day = _dt.date.fromisoformat(iso_date[:10])
    return f"{day.day:2d} {_MONTHS[day.month - 1]} {day.year}"


def _num(value: float | None, width: int, decimals: int) -> str:
    return " " * width if value is None else f"{value:{width}.{decimals}f}"


def sss_listing(
    entries: Iterable[tuple[Mapping[str, Any], Mapping[str, Any] | None]], title: str, as_of_date: str
) -> str:
    """The listing for ``(objects row, latest element_sets row or None)`` pairs, by catalog number."""
    entries = sorted(entries, key=lambda pair: pair[0]["catalog_number"])
    lines = [
        "SATELLITE SITUATION SUMMARY".center(100),
        title.upper().center(100),
        f"AS OF {sss_date(as_of_date)}".center(100),
        RULE,
        f"{'INTERNATIONAL DESIGNATION':<28}{'CAT NO':>7}  {'SOURCE':<6} {'LAUNCHED':>11}"
        f" {'PERIOD':>7} {'INCL':>6} {'APOGEE':>7} {'PERIGEE':>7}  {'DECAYED':>11}",
        f"{'NAME':<28}{'':>7}  {'':<6} {'':>11} {'MIN':>7} {'DEG':>6} {'KM':>7} {'KM':>7}",
        RULE,
    ]
    in_orbit = 0
    for obj, el in entries:
        designation = (obj["greek_designation"] or obj["cospar_id"] or "").upper()
        period = el["period_min"] if el else None
        incl = el["inclination_deg"] if el else None
        apogee = el["apogee_km"] if el else None
        perigee = el["perigee_km"] if el else None
        lines.append(
            f"{designation:<28}{obj['catalog_number']:>7d}  {obj['owner']:<6} {sss_date(obj['launch_date']):>11}"
            f" {_num(period, 7, 1)} {_num(incl, 6, 1)} {_num(apogee, 7, 0)} {_num(perigee, 7, 0)}"
            f"  {sss_date(obj['decay_date']):>11}"
        )
        cospar = f"({obj['cospar_id']})" if obj["cospar_id"] else ""
        lines.append(f"  {obj['object_name'].upper():<26}{cospar}")
        in_orbit += obj["fate"] == "in orbit"
    total = len(entries)
    lines += [
        RULE,
        f"OBJECTS LISTED {total:5d}    IN ORBIT {in_orbit:5d}    DECAYED {total - in_orbit:5d}",
        "",
    ]
    return "\n".join(lines)

"""What the public record says about the intended mission and Mars 1: the figures the computed plan is
set beside (never inputs). Each value names its source; where sources disagree, every version is kept.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Published:
    """One published figure: value (unit in ``quantity``), source, and a caveat if any."""

    quantity: str
    value: float | str
    source: str
    caveat: str = ""


NO1_PLANNED_FLYBY_DATE = Published(
    "2MV-4 No.1 planned Mars flyby (date)", "1963-06-17",
    "NASA Science, '2MV-4/1 In Depth' (after Siddiqi, Beyond Earth, NASA SP-2018-4041)")
NO1_PLANNED_FLYBY_ALTITUDE_KM = Published(
    "2MV-4 No.1 planned flyby distance, km", 11000.0,
    "alan-scott.blogspot.com, 'USSR launches Mars 1 probe' (2016)", "weak source; the aim point is a plan")
NO1_DEBRIS_ORBIT = Published(
    "tracked debris orbit, km x km, deg", "1485 x 180, 64.8",
    "NASA Science, '2MV-4/1 In Depth'", "the orbit after about 17 s of the departure burn")
MARS1_LAST_CONTACT_DISTANCE_KM = Published(
    "Mars 1 distance from Earth at last contact (21 Mar 1963), km", 106e6,
    "NASA NSSDC 1962-061A; NASA Science 'Mars 1'")
MARS1_FLYBY_DISTANCE_KM = (
    Published("Mars 1 flyby distance (19 Jun 1963), km", 193000.0,
              "Wikipedia 'Mars 1' infobox; herlent.daniel.free.fr/missions/mars1.htm"),
    Published("Mars 1 flyby distance (19 Jun 1963), km", 197000.0,
              "A. Siddiqi, Beyond Earth (NASA SP-2018-4041), quoted by NASA Science"),
)
MARS1_ORBIT_NSSDC = Published(
    "Mars 1 heliocentric orbit (NSSDC-derived): q, Q (AU), e, i (deg), P (d)", "0.924, 1.604, 0.269, 2.68, 519",
    "ru.wikipedia 'Mars-1' (mirror wiki-org.ru), from NSSDC")
MARS1_NSSDC_APHELION_AU = 1.604
"""Aphelion of the NSSDC-derived set above, AU (checked against Mars's distance from the Sun at the flyby)."""
MARS1_ORBIT_148_250 = Published(
    "Mars 1 heliocentric orbit: perihelion x aphelion, million km", "148 x 250",
    "astronomos.gr/archives/2991", "weak source")

"""Shipped site positions against the figures they were checked with (docs/sensors.md, "The shipped
network"): each figure as its source gives it, converted here by astropy (independent of the
conversion that produced the shipped values)."""

from __future__ import annotations

import astropy.units as u
import numpy as np
import pytest
from astropy.coordinates import EarthLocation

from debriscope.sensors.network import BAKER_NUNN_SITES, shipped_network

MPC_EARTH_RADIUS_M = 6378140.0
"""MPC parallax constants are in Earth equatorial radii (IAU 1976 value)."""


def _geocentric(x_m: float, y_m: float, z_m: float) -> tuple[float, float, float]:
    loc = EarthLocation.from_geocentric(x_m, y_m, z_m, unit=u.m).to_geodetic("WGS84")
    return float(loc.lat.deg), float(loc.lon.deg), float(loc.height.to_value(u.m))


def _mpc(lon_east_deg: float, rho_cos: float, rho_sin: float) -> tuple[float, float, float]:
    lon = np.radians(lon_east_deg)
    r = rho_cos * MPC_EARTH_RADIUS_M
    return _geocentric(r * np.cos(lon), r * np.sin(lon), rho_sin * MPC_EARTH_RADIUS_M)


def _dms(d: float, m: float, s: float) -> float:
    return np.sign(d) * (abs(d) + m / 60.0 + s / 3600.0)


CHECKED = {
    # site: (source figure converted to lat, lon, height m or None), tolerances deg / m
    # course-project station 337 "Pirinclik, Turkey", ECEF m (amandamarlow/StatOD, Project1/project1_6080.m)
    "diyarbakir": (_geocentric(3860910.0, 3238490.0, 3898094.0), 1e-4, 1.0),
    # course-project station 394 "Thule, Greenland"; the shipped lat/lon are radomes.org's (76.570, -68.299)
    "thule": (_geocentric(549505.0, -1380872.0, 6182197.0), 2e-3, 1.0),
    # wikimapia.org/1139763 (the 1959-76 FPS-49 site): 39 58'48"N 74 54'5"W
    "moorestown": ((_dms(39, 58, 48), -_dms(74, 54, 5), None), 1e-4, None),
    # thkruz/keeptrack.space src/app/data/catalogs/sensors.ts, "Millstone": 42.6233, -71.4882, 0.131 km
    "millstone": ((42.6233, -71.4882, 131.0), 1e-9, 1e-9),
    # NAVSPASUR Lake Kickapoo, 33 33'09"N 98 45'47"W (the shared network notes, [D 7])
    "navspasur": ((_dms(33, 33, 9), -_dms(98, 45, 47), None), 1e-4, None),
    # DORIS beacon AREB, Arequipa (Characato), ITRF2005 at 2000.0 (ipgp.fr/~willis/DPOD2005_AREA.htm)
    "bn_arequipa": (_geocentric(1942803.431, -5804071.522, -1796922.038), 1e-4, 1.0),
    # MPC observatory code 983 "San Fernando" (longitude E, rho cos phi', rho sin phi')
    "bn_san_fernando": (_mpc(353.79525, 0.805167, 0.591067), 1e-4, 100.0),
}


@pytest.mark.parametrize("site", sorted(CHECKED))
def test_checked_site_matches_its_source(site):
    (lat, lon, height), tol_deg, tol_m = CHECKED[site]
    sensor = shipped_network()[site][0]
    if site == "navspasur":  # the fence: its central transmitter
        sensor = next(s for s in sensor.stations if s.name == "lake_kickapoo")
    assert sensor.latitude_deg == pytest.approx(lat, abs=tol_deg)
    assert sensor.longitude_deg == pytest.approx(lon, abs=tol_deg)
    if height is not None:
        assert sensor.altitude_m == pytest.approx(height, abs=tol_m)


def test_the_course_project_pirinclik_is_in_turkey():
    # one copy of the project table (MartinAstro/StatOD) gives X = -3860910.0: that point is in Japan,
    # so the positive sign (amandamarlow/StatOD) is the one that matches the station's name
    lat, lon, _ = _geocentric(-3860910.0, 3238490.0, 3898094.0)
    assert 130.0 < lon < 145.0
    lat, lon, _ = CHECKED["diyarbakir"][0]
    assert 36.0 < lat < 42.0 and 26.0 < lon < 45.0  # Turkey


def test_every_baker_nunn_row_is_a_plausible_station():
    names = [row[0] for row in BAKER_NUNN_SITES]
    assert len(names) == len(set(names)) == 12
    for _, lat, lon, height, clear in BAKER_NUNN_SITES:
        assert -36.5 <= lat <= 36.5  # SAO: "between 36 degrees north and 36 degrees south" (SNAC), San Fernando at 36.47 N
        assert -180.0 <= lon <= 180.0 and 0.0 <= height < 4000.0 and 0.0 < clear < 1.0

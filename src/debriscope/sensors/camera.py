"""Baker-Nunn satellite-tracking cameras: angles-only (RA/Dec) observation opportunities.

An object can be photographed from a station when (all at one instant)

- the station is dark: the Sun's elevation is at or below ``-sun_depression_deg`` (default 12 deg,
  the end of nautical twilight as defined by the US Naval Observatory, "Rise, Set, and Twilight
  Definitions": the horizon and the brighter stars are then visible; a satellite camera works best
  in the twilight hours when low satellites are still sunlit, so the darker astronomical limit of
  18 deg would discard the most useful time; the value is an estimate [E]);
- the object is sunlit: outside the Earth's cylindrical shadow (Vallado, *Fundamentals of
  Astrodynamics and Applications*, 4th ed., 2013, sec. 5.3, algorithm 34, cylindrical model);
- it stands above the camera's ``min_elevation_deg``;
- its apparent magnitude, that of a diffuse (Lambertian) sphere of diameter ``Lc`` and albedo
  ``albedo``, is at or below ``limiting_magnitude``::

      m = m_sun - 2.5 log10( rho A F(phi) / R^2 ),   A = pi Lc^2 / 4,
      F(phi) = 2 / (3 pi^2) [ (pi - phi) cos(phi) + sin(phi) ]

  (phase angle ``phi`` between the directions object->Sun and object->station; McCue, Williams &
  Morford, "Optical characteristics of artificial satellites", Planet. Space Sci. 19 (1971) 851;
  ``m_sun = -26.74``, Allen's *Astrophysical Quantities*, 4th ed., 2000, sec. 14.7; default albedo
  0.175, the value of NASA's optical size estimation for debris, an estimate [E] here). Atmospheric
  extinction is not modelled;
- the night is clear: one draw per station and local night from the seeded generator with the
  station's ``clear_sky_probability``.

The Sun's position is the low-precision solar ephemeris of the *Astronomical Almanac* (Vallado 2013,
algorithm 29; about 0.01 deg), in the mean equator and equinox of date, used as TEME (they differ by
the nutation, under 20 arcsec). A camera must be pointed from a prediction, so every visible pass
is an *observation opportunity* (``needs_prediction``): one RA/Dec (topocentric, TEME axes) at the
pass's highest sampled elevation, noise ``sigma_angle_arcsec`` on the sky.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import SECONDS_PER_DAY
from ..errors import ScenarioError
from .ephemeris import SampledStates

AU_M = 149_597_870_700.0
"""Astronomical unit, m (IAU 2012 Resolution B2)."""
EARTH_RADIUS_M = 6_378_137.0
"""Shadow cylinder radius: WGS-84 equatorial radius, m."""
SUN_MAGNITUDE_V = -26.74
"""Apparent V magnitude of the Sun at 1 AU (Allen's Astrophysical Quantities, 4th ed., sec. 14.7)."""


def sun_direction_teme(t_tt_s: ArrayLike) -> NDArray:
    """Unit vector (3, T) towards the Sun, mean equator and equinox of date (Vallado 2013 alg. 29)."""
    t = np.atleast_1d(np.asarray(t_tt_s, dtype=float)) / (SECONDS_PER_DAY * 36525.0)
    lam_m = np.radians(280.460 + 36000.771 * t)
    m = np.radians(357.5291092 + 35999.05034 * t)
    lam = lam_m + np.radians(1.914666471 * np.sin(m) + 0.019994643 * np.sin(2 * m))
    eps = np.radians(23.439291 - 0.0130042 * t)
    return np.stack([np.cos(lam), np.cos(eps) * np.sin(lam), np.sin(eps) * np.sin(lam)])


def sunlit(r_teme_m: NDArray, sun_unit: NDArray) -> NDArray:
    """Whether positions (3, ...) are outside the Earth's cylindrical shadow (Vallado 2013 alg. 34)."""
    along = np.einsum("i...,i...->...", r_teme_m, sun_unit)
    perp2 = np.einsum("i...,i...->...", r_teme_m, r_teme_m) - along**2
    return (along >= 0) | (perp2 > EARTH_RADIUS_M**2)


def diffuse_sphere_magnitude(diameter_m: ArrayLike, range_m: ArrayLike, phase_rad: ArrayLike,
                             albedo: float) -> NDArray:
    """Apparent magnitude of a Lambertian sphere (McCue et al. 1971); ``inf`` where it returns no light."""
    f = phase_function(phase_rad)
    area = np.pi * np.asarray(diameter_m, dtype=float) ** 2 / 4.0
    with np.errstate(divide="ignore", invalid="ignore"):
        flux = albedo * area * np.maximum(f, 0.0) / np.asarray(range_m, dtype=float) ** 2
        return np.where(flux > 0, SUN_MAGNITUDE_V - 2.5 * np.log10(flux), np.inf)


def phase_function(phase_rad: ArrayLike) -> NDArray:
    """Diffuse-sphere phase function ``F(phi) = 2/(3 pi^2) [(pi - phi) cos phi + sin phi]`` (McCue et al. 1971)."""
    phi = np.asarray(phase_rad, dtype=float)
    return 2.0 / (3.0 * np.pi**2) * ((np.pi - phi) * np.cos(phi) + np.sin(phi))


def diameter_from_magnitude_m(magnitude: ArrayLike, range_m: ArrayLike, phase_rad: ArrayLike,
                              albedo: float) -> NDArray:
    """Diameter (m) of the Lambertian sphere of apparent ``magnitude``: :func:`diffuse_sphere_magnitude` inverted.

    ``A = R^2 10^((m_sun - m)/2.5) / (rho F(phi))``, ``d = sqrt(4 A / pi)``; NaN where ``F(phi) <= 0``
    (the sphere returns no light at that phase).
    """
    f = phase_function(phase_rad)
    flux = 10.0 ** ((SUN_MAGNITUDE_V - np.asarray(magnitude, dtype=float)) / 2.5)
    with np.errstate(divide="ignore", invalid="ignore"):
        area = np.where(f > 0, flux * np.asarray(range_m, dtype=float) ** 2 / (albedo * f), np.nan)
    return np.sqrt(4.0 * area / np.pi)


@dataclass(frozen=True, kw_only=True)
class Camera:
    """A Baker-Nunn camera station (angles in degrees as named). Validated; errors name ``<name>.<field>``."""

    name: str
    site: str = ""
    latitude_deg: float
    longitude_deg: float
    altitude_m: float = 0.0
    min_elevation_deg: float = 15.0
    sun_depression_deg: float = 12.0
    limiting_magnitude: float = 12.0
    albedo: float = 0.175
    clear_sky_probability: float
    sigma_angle_arcsec: float = 3.0
    source: str = ""

    def __post_init__(self) -> None:
        if not self.site:
            object.__setattr__(self, "site", self.name)
        checks = {
            "latitude_deg": (-90.0, 90.0), "longitude_deg": (-180.0, 360.0), "min_elevation_deg": (0.0, 89.0),
            "sun_depression_deg": (0.0, 30.0), "limiting_magnitude": (-5.0, 25.0), "albedo": (1e-3, 1.0),
            "clear_sky_probability": (0.0, 1.0), "sigma_angle_arcsec": (0.0, 3600.0),
        }
        for key, (lo, hi) in checks.items():
            value = getattr(self, key)
            if not (np.isfinite(value) and lo <= value <= hi):
                raise ScenarioError(f"{self.name}.{key}", value, f"must lie in [{lo:g}, {hi:g}]")

    def night_index(self, t_tt_s: NDArray, t0_tt_s: float) -> NDArray:
        """Index of the local night (local noon to local noon, mean solar time) counted from ``t0_tt_s``'s night."""
        shift = self.longitude_deg / 360.0 * SECONDS_PER_DAY + SECONDS_PER_DAY / 2.0
        start = np.floor((t0_tt_s + shift) / SECONDS_PER_DAY)
        return (np.floor((np.asarray(t_tt_s) + shift) / SECONDS_PER_DAY) - start).astype(np.int64)


def pass_peaks(mask: NDArray, score: NDArray) -> tuple[NDArray, NDArray]:
    """Sample of highest ``score`` in every run of consecutive ``True`` along axis 0 of ``mask`` (T, N).

    Returns (time index, column) per run, ordered by column then time.
    """
    t_len = mask.shape[0]
    flat = np.flatnonzero(mask.T)
    if flat.size == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    col, k = np.divmod(flat, t_len)
    new_run = np.ones(flat.size, dtype=bool)
    new_run[1:] = (np.diff(flat) != 1) | (col[1:] != col[:-1])
    run = np.cumsum(new_run) - 1
    order = np.lexsort((-score[k, col], run))
    first = np.ones(order.size, dtype=bool)
    first[1:] = run[order][1:] != run[order][:-1]
    pick = order[first]
    return k[pick], col[pick]


def camera_looks(camera: Camera, sampled: SampledStates, diameter_m: NDArray, sun_unit: NDArray,
                 lit: NDArray, clear: NDArray, t0_tt_s: float, rng: np.random.Generator) -> dict[str, NDArray]:
    """Observation opportunities of one camera in one chunk.

    ``sun_unit`` (3, T) and ``lit`` (T, N) are the chunk's Sun directions and sunlit mask (shared by
    all cameras), ``diameter_m`` per column, ``clear`` the camera's clear-sky draw per night.
    The geometry is computed only at the samples when the station is dark (the screen).
    """
    times = sampled.times_tt_s
    site = sampled.site_grid(camera.latitude_deg, camera.longitude_deg, camera.altitude_m)
    sun_el = np.einsum("it,it->t", sun_unit, site.up)
    nights = np.clip(camera.night_index(times, t0_tt_s), 0, clear.size - 1)
    dark = (sun_el <= np.sin(np.radians(-camera.sun_depression_deg))) & clear[nights]
    rows = np.flatnonzero(dark)
    empty = {"t_tt_s": np.empty(0), "col": np.empty(0, dtype=np.int64), "ra_deg": np.empty(0),
             "dec_deg": np.empty(0), "magnitude": np.empty(0)}
    if rows.size == 0:
        return empty
    r = sampled.states[rows, :3, :]  # (t, 3, N)
    rho = r - site.r_teme_m[:, rows].T[:, :, None]
    rng_m = np.linalg.norm(rho, axis=1)
    u = rho / rng_m[:, None, :]
    el = np.arcsin(np.clip(np.einsum("tin,it->tn", u, site.up[:, rows]), -1, 1))
    cos_phase = -np.einsum("tin,it->tn", u, sun_unit[:, rows])
    ok = lit[rows] & (el >= np.radians(camera.min_elevation_deg)) & np.isfinite(rng_m)
    cells = np.nonzero(ok)  # the photometry only where the geometry allows a look
    mag = np.full(ok.shape, np.inf)
    mag[cells] = diffuse_sphere_magnitude(diameter_m[cells[1]], rng_m[cells],
                                          np.arccos(np.clip(cos_phase[cells], -1, 1)), camera.albedo)
    ok[cells] = mag[cells] <= camera.limiting_magnitude
    # runs must be consecutive in the full grid: mark gaps where dark samples are not adjacent
    full = np.zeros((times.size, ok.shape[1]), dtype=bool)
    full[rows] = ok
    score = np.full(full.shape, -np.inf)
    score[rows] = np.where(ok, el, -np.inf)
    k, col = pass_peaks(full, score)
    if k.size == 0:
        return empty
    kk = np.searchsorted(rows, k)
    uu = u[kk, :, col].T  # (3, M)
    ra = np.degrees(np.arctan2(uu[1], uu[0])) % 360.0
    dec = np.degrees(np.arcsin(np.clip(uu[2], -1, 1)))
    sigma = camera.sigma_angle_arcsec / 3600.0
    noise = rng.standard_normal((2, k.size))
    return {
        "t_tt_s": times[k], "col": col,
        "ra_deg": (ra + sigma * noise[0] / np.maximum(np.cos(np.radians(dec)), 1e-6)) % 360.0,
        "dec_deg": dec + sigma * noise[1],
        "magnitude": mag[kk, col],
    }

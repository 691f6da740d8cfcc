"""A CW bistatic radio fence (the NAVSPASUR principle): plane crossings, bistatic SNR, interferometer angles.

Transmitters and receivers stand on one great circle; each radiates (or listens) in a fan that is
broad along the great circle and thin (``beam_thickness_deg``) across it, and every fan is vertical,
so all of them lie in one Earth-fixed plane through the Earth's centre: the plane of the great
circle (NRL, *Space Surveillance System - Technical Summary Report No. 5*, NRL Report 5766, 1962;
"The Navy Space Surveillance System", Proc. IRE 48(4):663, 1960). An object is seen when it crosses
that plane where a transmitter illuminates it and a receiver hears it (both above their
``min_elevation_deg``), with enough SNR by the bistatic radar equation (Skolnik, *Introduction to
Radar Systems*, 3rd ed., 2001, sec. 10.2, eq. 10.1)::

    SNR = P_t G_t G_r lambda^2 sigma T_int / ((4 pi)^3 R_t^2 R_r^2 k T_s L)

with the coherent integration time ``T_int = min(1 / B, t_transit)``: a narrowband CW receiver of
bandwidth ``B`` collects the echo for at most ``1/B``, and less when the object crosses the beam
(linear thickness ``R_r theta`` at the receiver) faster than that, ``t_transit = R_r theta / |v_n|``
with ``v_n`` the Earth-fixed velocity normal to the plane.

Crossings are events: the signed distance to the plane ``d(t) = n(t) . r(t)`` (``n`` the plane's
unit normal carried into TEME) changes sign between two ephemeris samples; the crossing time is
refined by regula falsi (Illinois) on the cubic-Hermite-interpolated ephemeris, as for the fans.
Each receiver that hears the crossing reports the direction of the echo as direction cosines in
its local east/north axes (the interferometer's two baselines): ``l = u . E``, ``m = u . N``
(``u`` the unit line of sight). Two receivers give a position (:func:`triangulate`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ..constants import BOLTZMANN_J_K, C_LIGHT_MPS, OMEGA_EARTH_RAD_S
from ..errors import ScenarioError
from ..frames import geodetic_to_ecef
from . import crossings
from .ephemeris import SampledStates
from .geometry import SiteTeme, earth_rotation_velocity, itrf_to_teme_matrices, site_teme, turned
from .radar_equation import FOUR_PI_CUBED, db_to_ratio, detect_draw

_ROOT_TOL_M = 1e-3
_ROOT_ITERATIONS = 30


def bistatic_snr(
    range_tx_m: NDArray, range_rx_m: NDArray, rcs_m2: NDArray, *, power_w: float, gain_tx: float,
    gain_rx: float, wavelength_m: float, integration_s: NDArray | float, noise_temperature_k: float,
    losses: float = 1.0,
) -> NDArray:
    """Bistatic SNR (power ratio) of a CW echo integrated for ``integration_s`` (Skolnik 2001 eq. 10.1).

    ``gain_tx``, ``gain_rx`` and ``losses`` are power ratios.
    """
    received = power_w * gain_tx * gain_rx * wavelength_m**2 * np.asarray(rcs_m2, dtype=float) / (
        FOUR_PI_CUBED * np.asarray(range_tx_m, dtype=float) ** 2 * np.asarray(range_rx_m, dtype=float) ** 2 * losses
    )
    return received * np.asarray(integration_s, dtype=float) / (BOLTZMANN_J_K * noise_temperature_k)


@dataclass(frozen=True, kw_only=True)
class FenceStation:
    """A transmitter (``power_w > 0``) or receiver (``power_w == 0``) of a fence."""

    name: str
    latitude_deg: float
    longitude_deg: float
    altitude_m: float = 0.0
    gain_dbi: float
    power_w: float = 0.0

    @property
    def is_transmitter(self) -> bool:
        return self.power_w > 0.0


@dataclass(frozen=True, kw_only=True)
class Fence:
    """A bistatic CW fence: stations on one great circle, parameters in SI (angles in degrees as named).

    The plane is the great circle through the westernmost and easternmost stations (by longitude)
    unless ``plane_pole_ecef`` is given. Validated on construction; a bad value raises
    :class:`~debriscope.errors.ScenarioError` naming ``<fence name>.<field>``.
    """

    name: str
    site: str = ""
    stations: tuple[FenceStation, ...]
    frequency_hz: float
    beam_thickness_deg: float
    min_elevation_deg: float = 5.0
    bandwidth_hz: float
    noise_temperature_k: float
    losses_db: float = 0.0
    pfa: float = 1e-6
    swerling: int = 1
    sigma_direction_cosine: float
    sigma_time_s: float = 0.0
    sigma_direction_cosine_rate_per_s: float = 0.0
    source: str = ""
    plane_pole_ecef: tuple[float, float, float] | None = field(default=None)

    def __post_init__(self) -> None:
        if not self.site:
            object.__setattr__(self, "site", self.name)
        object.__setattr__(self, "stations", tuple(self.stations))
        for key in ("frequency_hz", "beam_thickness_deg", "bandwidth_hz", "noise_temperature_k"):
            value = getattr(self, key)
            if not np.isfinite(value) or value <= 0:
                raise ScenarioError(f"{self.name}.{key}", value, "must be a finite number > 0")
        for key in ("losses_db", "sigma_direction_cosine", "sigma_time_s", "sigma_direction_cosine_rate_per_s"):
            value = getattr(self, key)
            if not np.isfinite(value) or value < 0:
                raise ScenarioError(f"{self.name}.{key}", value, "must be a finite number >= 0")
        if not -5.0 <= self.min_elevation_deg < 90.0:
            raise ScenarioError(f"{self.name}.min_elevation_deg", self.min_elevation_deg, "must lie in [-5, 90)")
        if not 0.0 < self.pfa <= 0.5:
            raise ScenarioError(f"{self.name}.pfa", self.pfa, "must lie in (0, 0.5]")
        if self.swerling not in (0, 1, 3):
            raise ScenarioError(f"{self.name}.swerling", self.swerling, "allowed: 0, 1, 3")
        if not self.transmitters or not self.receivers:
            raise ScenarioError(f"{self.name}.stations", len(self.stations), "at least one transmitter (power_w > 0) and one receiver (power_w = 0)")
        names = [s.name for s in self.stations]
        if len(set(names)) != len(names):
            raise ScenarioError(f"{self.name}.stations", names, "station names must be distinct")
        for k, s in enumerate(self.stations):
            if not -90.0 <= s.latitude_deg <= 90.0:
                raise ScenarioError(f"{self.name}.stations[{k}].latitude_deg", s.latitude_deg, "must lie in [-90, 90]")
            if not -180.0 <= s.longitude_deg <= 360.0:
                raise ScenarioError(f"{self.name}.stations[{k}].longitude_deg", s.longitude_deg, "must lie in [-180, 360]")
            if not (np.isfinite(s.power_w) and s.power_w >= 0):
                raise ScenarioError(f"{self.name}.stations[{k}].power_w", s.power_w, "must be >= 0 (0: a receiver)")
            if not (np.isfinite(s.gain_dbi) and 0.0 <= s.gain_dbi <= 80.0):
                raise ScenarioError(f"{self.name}.stations[{k}].gain_dbi", s.gain_dbi, "must lie in [0, 80]")
        if self.plane_pole_ecef is None and len({round(s.longitude_deg, 6) for s in self.stations}) < 2:
            raise ScenarioError(f"{self.name}.stations", names, "stations at two longitudes at least (they define the great circle)")

    @property
    def transmitters(self) -> tuple[FenceStation, ...]:
        return tuple(s for s in self.stations if s.is_transmitter)

    @property
    def receivers(self) -> tuple[FenceStation, ...]:
        return tuple(s for s in self.stations if not s.is_transmitter)

    @property
    def wavelength_m(self) -> float:
        return C_LIGHT_MPS / self.frequency_hz

    def pole_itrf(self) -> NDArray:
        """Unit normal (3,) of the fence plane in ITRF (northern side positive)."""
        if self.plane_pole_ecef is not None:
            n = np.asarray(self.plane_pole_ecef, dtype=float)
        else:
            lon = np.array([s.longitude_deg for s in self.stations])
            west, east = self.stations[int(np.argmin(lon))], self.stations[int(np.argmax(lon))]
            ends = [geodetic_to_ecef(np.radians(s.latitude_deg), np.radians(s.longitude_deg), 0.0).reshape(3) for s in (west, east)]
            n = np.cross(ends[0], ends[1])
        n = n / np.linalg.norm(n)
        return n if n[2] >= 0 else -n

    def snr(self, tx: FenceStation, rx: FenceStation, range_tx_m: NDArray, range_rx_m: NDArray,
            rcs_m2: NDArray, normal_speed_mps: NDArray) -> NDArray:
        """Mean SNR at receiver ``rx`` of the echo of transmitter ``tx`` (integration min(1/B, transit))."""
        transit = range_rx_m * np.radians(self.beam_thickness_deg) / np.maximum(np.abs(normal_speed_mps), 1e-9)
        return bistatic_snr(
            range_tx_m, range_rx_m, rcs_m2, power_w=tx.power_w, gain_tx=float(db_to_ratio(tx.gain_dbi)),
            gain_rx=float(db_to_ratio(rx.gain_dbi)), wavelength_m=self.wavelength_m,
            integration_s=np.minimum(1.0 / self.bandwidth_hz, transit), noise_temperature_k=self.noise_temperature_k,
            losses=float(db_to_ratio(self.losses_db)),
        )


def _pole_teme(pole_itrf: NDArray, t: NDArray) -> NDArray:
    return np.einsum("tij,j->it", itrf_to_teme_matrices(np.atleast_1d(np.asarray(t, dtype=float))), pole_itrf)


@dataclass(frozen=True)
class PlaneCrossings:
    """Crossings of the fence plane: time (TT s), fragment column, TEME position and velocity (3, M)."""

    t_tt_s: NDArray
    col: NDArray
    r_teme_m: NDArray
    v_teme_mps: NDArray
    normal_speed_mps: NDArray


def plane_crossings(pole_itrf: NDArray, sampled: SampledStates) -> PlaneCrossings:
    """Every crossing of the Earth-fixed plane through the centre with unit normal ``pole_itrf``.

    Brackets: sign changes of ``n . r`` between samples; refinement: Illinois regula falsi on the
    Hermite-interpolated ephemeris, to 1 mm. ``normal_speed_mps`` is the Earth-fixed velocity
    across the plane, ``(v - omega x r) . n`` (the plane rotates with the Earth).
    """
    times = sampled.times_tt_s
    n_grid = _pole_teme(pole_itrf, times)
    d = np.einsum("it,tin->tn", n_grid, sampled.states[:, :3, :])
    sign = d > 0
    cand = (sign[:-1] != sign[1:]) & np.isfinite(d[:-1]) & np.isfinite(d[1:])
    k, col = np.nonzero(cand)
    t = crossings.refine(sampled, np.zeros_like(n_grid), n_grid, k, col, d[k, col], d[k + 1, col], 0.0, angle=False,
                         tol=_ROOT_TOL_M, iterations=_ROOT_ITERATIONS)
    r, v = sampled.interpolate(t, col)
    n_t = turned(n_grid, times, t)
    v_rel = v - earth_rotation_velocity(r)
    return PlaneCrossings(t, col, r, v, np.einsum("im,im->m", n_t, v_rel))


def direction_cosines(site: SiteTeme, r_teme_m: NDArray) -> tuple[NDArray, NDArray, NDArray, NDArray]:
    """Range (m), elevation (rad) and east/north direction cosines of TEME positions (3, M) seen from
    a station at the M times of ``site``."""
    rho = r_teme_m - site.r_teme_m
    rng = np.linalg.norm(rho, axis=0)
    u = rho / rng
    up = np.einsum("im,im->m", u, site.up)
    return rng, np.arcsin(np.clip(up, -1, 1)), np.einsum("im,im->m", u, site.east), np.einsum("im,im->m", u, site.north)


def direction_cosine_rates(site: SiteTeme, r_teme_m: NDArray, v_teme_mps: NDArray) -> tuple[NDArray, NDArray]:
    """Rates (1/s) of the east and north direction cosines of TEME states (3, M) seen from a station
    at the M times of ``site``: ``d(u.E)/dt = u'.E + u.(omega x E)``, the line of sight turning as
    ``u' = (v_rel - (v_rel.u) u) / rho`` with the velocity ``v_rel`` relative to the station, and
    the station's axes turning with the Earth (``omega`` about TEME's z axis). What the phase rate
    on an interferometer's baseline measures: NAVSPASUR's velocity for its single-pass orbits (NRL
    Report 5766, 1962)."""
    rho = r_teme_m - site.r_teme_m
    rng = np.linalg.norm(rho, axis=0)
    u = rho / rng
    v_rel = v_teme_mps - site.v_teme_mps
    u_dot = (v_rel - np.einsum("im,im->m", u, v_rel) * u) / rng
    rates = []
    for axis in (site.east, site.north):  # u . (omega z x axis), written out
        rates.append(np.einsum("im,im->m", u_dot, axis) + OMEGA_EARTH_RAD_S * (u[1] * axis[0] - u[0] * axis[1]))
    return rates[0], rates[1]


def triangulate(stations: list[FenceStation], t_tt_s: float, dcos_east: NDArray, dcos_north: NDArray) -> NDArray:
    """TEME position (3,) closest, in least squares, to the lines of sight of two or more receivers.

    Each line is the receiver's position plus ``s u`` with ``u = l E + m N + sqrt(1 - l^2 - m^2) U``;
    the point minimising the summed squared distances solves ``sum(I - u u^T) x = sum(I - u u^T) p``.
    """
    a = np.zeros((3, 3))
    b = np.zeros(3)
    for st, l_, m_ in zip(stations, dcos_east, dcos_north, strict=True):
        site = site_teme(st.latitude_deg, st.longitude_deg, st.altitude_m, np.array([t_tt_s]))
        up = np.sqrt(max(0.0, 1.0 - l_ * l_ - m_ * m_))
        u = l_ * site.east[:, 0] + m_ * site.north[:, 0] + up * site.up[:, 0]
        proj = np.eye(3) - np.outer(u, u)
        a += proj
        b += proj @ site.r_teme_m[:, 0]
    return np.linalg.solve(a, b)


def fence_looks(fence: Fence, sampled: SampledStates, rcs_m2: NDArray, rng: np.random.Generator) -> list[dict[str, NDArray]]:
    """Detections of one chunk: one row per (crossing, receiver that hears it).

    A crossing is illuminated by the transmitters that see it above ``min_elevation_deg``; each
    receiver above ``min_elevation_deg`` takes the strongest illuminated echo, draws a Swerling
    RCS fluctuation and a detection with the square-law P_d at ``pfa``, and reports the crossing
    time and its direction cosines (Gaussian noise ``sigma_direction_cosine``, ``sigma_time_s``),
    and, where ``sigma_direction_cosine_rate_per_s`` > 0, their rates (:func:`direction_cosine_rates`).
    ``rcs_m2`` is per column of ``sampled``.
    """
    cross = plane_crossings(fence.pole_itrf(), sampled)
    min_el = np.radians(fence.min_elevation_deg)
    out: list[dict[str, NDArray]] = []
    if cross.t_tt_s.size == 0:
        return out
    tx_range = []
    for tx in fence.transmitters:
        site = sampled.site(tx.latitude_deg, tx.longitude_deg, tx.altitude_m, cross.t_tt_s)
        r_tx, el_tx, _, _ = direction_cosines(site, cross.r_teme_m)
        tx_range.append(np.where(el_tx >= min_el, r_tx, np.nan))
    for rx in fence.receivers:
        site = sampled.site(rx.latitude_deg, rx.longitude_deg, rx.altitude_m, cross.t_tt_s)
        r_rx, el_rx, l_, m_ = direction_cosines(site, cross.r_teme_m)
        l_dot, m_dot = direction_cosine_rates(site, cross.r_teme_m, cross.v_teme_mps)
        heard = el_rx >= min_el
        snr = np.zeros(cross.t_tt_s.size)
        for tx, r_tx in zip(fence.transmitters, tx_range, strict=True):
            ok = heard & np.isfinite(r_tx)
            snr = np.where(ok, np.maximum(snr, fence.snr(tx, rx, np.where(ok, r_tx, 1.0), r_rx, rcs_m2[cross.col], cross.normal_speed_mps)), snr)
        cand = snr > 0
        hit, snr_real = detect_draw(fence.swerling, fence.pfa, snr[cand], (int(cand.sum()),), rng)
        idx = np.flatnonzero(cand)[hit]
        noise = rng.standard_normal((3, idx.size))
        if fence.sigma_direction_cosine_rate_per_s > 0:  # phase rates reported: drawn after the rest
            rate_noise = fence.sigma_direction_cosine_rate_per_s * rng.standard_normal((2, idx.size))
            rates = (l_dot[idx] + rate_noise[0], m_dot[idx] + rate_noise[1])
        else:
            rates = (np.full(idx.size, np.nan), np.full(idx.size, np.nan))
        out.append({
            "t_tt_s": cross.t_tt_s[idx] + fence.sigma_time_s * noise[0],
            "beam": np.full(idx.size, rx.name, dtype=object),
            "col": cross.col[idx],
            "dcos_east": l_[idx] + fence.sigma_direction_cosine * noise[1],
            "dcos_north": m_[idx] + fence.sigma_direction_cosine * noise[2],
            "dcos_east_rate_per_s": rates[0],
            "dcos_north_rate_per_s": rates[1],
            "snr": snr_real[hit],
        })
    return out

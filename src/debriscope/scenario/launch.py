"""Launch geometry: from launch site, time and target inclination (or azimuth) to the parking-orbit
state at insertion, and the coast to the event.

Method (spherical trigonometry of a direct ascent; Vallado 2013, sec. 6.4 "launch windows",
eqs. 6-9 to 6-11, and Chobotov, *Orbital Mechanics*, 3rd ed., sec. 7.2):

- The orbit plane contains the Earth's centre and the launch site at lift-off (its geocentric
  declination delta and right ascension alpha in TEME at the launch instant).
- For inclination i and an ascending (northbound) launch, the site's argument of latitude is
  u = asin(sin delta / sin i) and the node is Omega = alpha - atan2(cos i sin u, cos u).
  Given an inertial azimuth beta instead, cos i = cos delta sin beta (Vallado eq. 6-10); a
  southbound azimuth puts the site on the descending half of the plane.
- Insertion happens ``time_to_insertion_s`` after lift-off, ``insertion_downrange_deg`` further along
  the plane, at the parking orbit's perigee (the usual injection of an ascent to a low parking orbit).
- The coast from insertion to the event uses a passed-in propagator; the default integrates the
  two-body + J2 equations (no drag) with SciPy's DOP853.
- A scenario that gives the parent's element set (``[orbit.tle]``/``[orbit.omm]``) skips the launch:
  SGP4 carries the element set to the event (:mod:`debriscope.scenario.element_sets`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from ..constants import J2, MU_EARTH_M3_S2, R_EARTH_GRAVITY_M
from ..elements import apsides_to_a_e, elements_to_rv
from ..frames import ecef_to_geodetic, gcrf_to_teme, geodetic_to_ecef, itrf_to_teme, teme_to_itrf
from ..timescale import utc_to_tt_s
from .element_sets import orbit_satrec, satrec_epoch_utc, sgp4_teme
from .schema import Scenario

Coast = Callable[[NDArray, float, float], NDArray]
"""A propagator ``(state_teme (6, N), t0_tt_s, t1_tt_s) -> state_teme (6, N)``."""


@dataclass(frozen=True)
class PlaneGeometry:
    """The parking-orbit plane fixed by the launch. Angles in rad, TEME of the launch epoch."""

    inclination_rad: float
    raan_rad: float
    site_arg_latitude_rad: float
    azimuth_rad: float


def j2_acceleration(r: NDArray) -> NDArray:
    """Two-body + J2 acceleration at ``r`` (3,), m/s^2 (Vallado 2013 eq. 8-31)."""
    rn = np.linalg.norm(r)
    z2 = (r[2] / rn) ** 2
    k = -MU_EARTH_M3_S2 / rn**3
    f = 1.5 * J2 * (R_EARTH_GRAVITY_M / rn) ** 2
    return k * r * np.array([1.0 + f * (1 - 5 * z2), 1.0 + f * (1 - 5 * z2), 1.0 + f * (3 - 5 * z2)])


def _j2_rhs(_t: float, y: NDArray) -> NDArray:
    return np.concatenate([y[3:], j2_acceleration(y[:3])])


def j2_coast(state_teme: NDArray, t0_tt_s: float, t1_tt_s: float) -> NDArray:
    """Two-body + J2 coast, no drag (DOP853, rtol 1e-11). States (6, N) in TEME, SI."""
    state = np.asarray(state_teme, dtype=float).reshape(6, -1)
    if t1_tt_s == t0_tt_s:
        return state.copy()
    out = np.empty_like(state)
    for k in range(state.shape[1]):
        sol = solve_ivp(_j2_rhs, (0.0, t1_tt_s - t0_tt_s), state[:, k], method="DOP853", rtol=1e-11, atol=1e-6)
        out[:, k] = sol.y[:, -1]
    return out


def site_teme(scenario: Scenario, t_tt_s: float) -> NDArray:
    """Launch-site position in TEME at ``t_tt_s``, m, shape (3,)."""
    launch = scenario.launch
    r_itrf = geodetic_to_ecef(np.radians(launch.latitude_deg), np.radians(launch.longitude_deg), launch.altitude_m)
    r_teme, _ = itrf_to_teme(r_itrf, None, t_tt_s)
    return np.asarray(r_teme).reshape(3)


def plane_from_launch(scenario: Scenario) -> PlaneGeometry:
    """The orbit plane through the launch site at lift-off (see the module notes)."""
    launch = scenario.launch
    t_launch = float(utc_to_tt_s(launch.time_utc))
    r = site_teme(scenario, t_launch)
    delta = np.arcsin(r[2] / np.linalg.norm(r))
    alpha = np.arctan2(r[1], r[0])
    if scenario.orbit.inclination_deg is not None:
        inc = np.radians(scenario.orbit.inclination_deg)
        ascending = True
    else:
        beta = np.radians(launch.azimuth_deg)
        inc = np.arccos(np.clip(np.cos(delta) * np.sin(beta), -1.0, 1.0))  # Vallado eq. 6-10
        ascending = np.cos(beta) >= 0.0
    s = np.clip(np.sin(delta) / np.sin(inc), -1.0, 1.0) if np.sin(inc) > 0 else 0.0
    u = np.arcsin(s) if ascending else np.pi - np.arcsin(s)
    raan = np.mod(alpha - np.arctan2(np.cos(inc) * np.sin(u), np.cos(u)), 2 * np.pi)
    azimuth = np.arcsin(np.clip(np.cos(inc) / np.cos(delta), -1.0, 1.0))
    if not ascending:
        azimuth = np.pi - azimuth
    return PlaneGeometry(float(inc), float(raan), float(u), float(azimuth))


def launch_time_tt_s(scenario: Scenario) -> float | None:
    return None if scenario.launch is None else float(utc_to_tt_s(scenario.launch.time_utc))


def event_time_tt_s(scenario: Scenario) -> float:
    """Event epoch, TT seconds since J2000."""
    if scenario.event.time_utc is not None:
        return float(utc_to_tt_s(scenario.event.time_utc))
    return launch_time_tt_s(scenario) + scenario.event.time_after_launch_s


@dataclass(frozen=True)
class InitialState:
    """The parking-orbit state the scenario starts from: epoch (TT s) and TEME state (6,)."""

    t_tt_s: float
    state_teme: NDArray
    plane: PlaneGeometry | None


def insertion_state(scenario: Scenario) -> InitialState:
    """State at parking-orbit insertion (or the scenario's explicit state vector), TEME."""
    orbit = scenario.orbit
    if orbit.tle is not None or orbit.omm is not None:
        sat, path = orbit_satrec(orbit)
        t = float(utc_to_tt_s(satrec_epoch_utc(sat)))
        return InitialState(t, sgp4_teme(sat, t, path), None)
    if orbit.state is not None:
        t = float(utc_to_tt_s(orbit.state.epoch_utc))
        r = np.array(orbit.state.position_m, dtype=float)
        v = np.array(orbit.state.velocity_mps, dtype=float)
        if orbit.state.frame == "GCRF":
            r, v = gcrf_to_teme(r, v, t)
        elif orbit.state.frame == "ITRF":
            r, v = itrf_to_teme(r, v, t)
        return InitialState(t, np.concatenate([np.ravel(r), np.ravel(v)]), None)
    plane = plane_from_launch(scenario)
    t_ins = launch_time_tt_s(scenario) + scenario.launch.time_to_insertion_s
    a, e = apsides_to_a_e(orbit.perigee_km * 1e3, orbit.apogee_km * 1e3)
    argp = plane.site_arg_latitude_rad + np.radians(scenario.launch.insertion_downrange_deg)
    r, v = elements_to_rv(a, e, plane.inclination_rad, plane.raan_rad, argp, 0.0)
    return InitialState(t_ins, np.concatenate([r[:, 0], v[:, 0]]), plane)


@dataclass(frozen=True)
class EventGeometry:
    """Where and when the event happened."""

    t_tt_s: float
    state_teme: NDArray
    subsatellite_lat_deg: float
    subsatellite_lon_deg: float
    altitude_km: float


@dataclass(frozen=True)
class IgnitionState:
    """The state at the ignition of ``[event.burn]`` on the coasting orbit: epoch (TT s), TEME state (6,)."""

    t_tt_s: float
    state_teme: NDArray


def ignition_state(scenario: Scenario, coast: Coast = j2_coast) -> IgnitionState:
    """Coast from insertion to the ignition of the interrupted burn (``event.burn``)."""
    burn = scenario.event.burn
    if burn is None:
        raise ValueError("the scenario has no [event.burn] table")
    start = insertion_state(scenario)
    t_ign = event_time_tt_s(scenario) - burn.ignition_before_event_s
    if t_ign < start.t_tt_s:
        raise ValueError(
            f"the burn's ignition ({t_ign - start.t_tt_s:.0f} s relative to insertion) precedes orbit insertion; "
            "check event.burn.ignition_before_event_s and launch.time_to_insertion_s"
        )
    return IgnitionState(t_ign, coast(start.state_teme.reshape(6, 1), start.t_tt_s, t_ign)[:, 0])


def event_geometry(scenario: Scenario, coast: Coast = j2_coast) -> EventGeometry:
    """The parents' common state and sub-satellite point at the event.

    Coast from insertion (or the given state) to the event, or SGP4 from a TLE or OMM to it; with
    ``event.burn.applied``, coast to the ignition and integrate the partial burn to the event
    (:func:`debriscope.scenario.burn.finite_burn`).
    """
    t_event = event_time_tt_s(scenario)
    burn = scenario.event.burn
    if scenario.orbit.tle is not None or scenario.orbit.omm is not None:
        sat, path = orbit_satrec(scenario.orbit)
        state = sgp4_teme(sat, t_event, path)
    elif burn is not None and burn.applied:
        from .burn import finite_burn

        ignition = ignition_state(scenario, coast)
        state, _ = finite_burn(ignition.state_teme, burn.ignition_before_event_s, burn.thrust_n, burn.isp_s,
                               burn.mass_at_ignition_kg)
    else:
        start = insertion_state(scenario)
        if t_event < start.t_tt_s:
            raise ValueError(
                f"the event ({t_event - start.t_tt_s:.0f} s relative to insertion) precedes orbit insertion; "
                "check event.time_after_launch_s and launch.time_to_insertion_s"
            )
        state = coast(start.state_teme.reshape(6, 1), start.t_tt_s, t_event)[:, 0]
    r_itrf, _ = teme_to_itrf(state[:3], None, t_event)
    lat, lon, h = ecef_to_geodetic(np.asarray(r_itrf).reshape(3, 1))
    return EventGeometry(
        t_event, state, float(np.degrees(lat[0])), float(np.degrees(lon[0])), float(h[0] / 1e3)
    )

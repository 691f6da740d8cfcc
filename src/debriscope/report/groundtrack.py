"""Ground track of the parking orbit, with the event point, the launch site and the radar sites.

The track is drawn from the insertion state of ``event.json`` with a Keplerian orbit whose node,
argument of perigee and mean anomaly drift at the secular J2 rates (Vallado 2013, *Fundamentals of
Astrodynamics and Applications*, 4th ed., eqs. 9-41 (node), 9-39 (argument of perigee) and 9-40
(mean anomaly)). Over the two hours drawn, the short-period J2 terms it leaves out move the
sub-satellite point by well under 0.5 deg, invisible on a world map; the event point itself is
the one the scenario stage computed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from ..constants import J2, MU_EARTH_M3_S2, R_EARTH_GRAVITY_M
from ..elements import elements_to_rv, mean_to_true, rv_to_elements
from ..frames import ecef_to_geodetic, teme_to_itrf
from ..timescale import tt_s_to_datetime64
from .canvas import PARENT_COLOR, SITE_COLORS, MissingInput, new_figure
from .coastline import draw_coastline, split_at_antimeridian
from .inputs import RunData
from .sites import SiteGeometry


def j2_secular_positions(r_teme_m: NDArray, v_teme_mps: NDArray, t0_tt_s: float, times_tt_s: NDArray) -> NDArray:
    """TEME positions (3, T) of one object at ``times_tt_s``: Kepler with secular J2 drift.

    Parameters
    ----------
    r_teme_m, v_teme_mps : (3,) arrays
        State at ``t0_tt_s``.
    t0_tt_s : float
        Epoch of the state, TT seconds since J2000.
    times_tt_s : (T,) array
        Output times.
    """
    el = rv_to_elements(np.asarray(r_teme_m, float), np.asarray(v_teme_mps, float))
    a, e, inc = float(el.a_m[0]), float(el.e[0]), float(el.i_rad[0])
    n = np.sqrt(MU_EARTH_M3_S2 / a**3)
    p = a * (1.0 - e * e)
    k = n * J2 * (R_EARTH_GRAVITY_M / p) ** 2
    s2 = np.sin(inc) ** 2
    raan_dot = -1.5 * k * np.cos(inc)  # Vallado 2013 eq. 9-41
    argp_dot = 0.75 * k * (4.0 - 5.0 * s2)  # Vallado 2013 eq. 9-39
    m_dot = n + 0.75 * k * np.sqrt(1.0 - e * e) * (2.0 - 3.0 * s2)  # Vallado 2013 eq. 9-40
    dt = np.asarray(times_tt_s, float) - t0_tt_s
    mean = float(el.mean_anomaly_rad[0]) + m_dot * dt
    r, _ = elements_to_rv(
        a, e, inc, float(el.raan_rad[0]) + raan_dot * dt, float(el.argp_rad[0]) + argp_dot * dt, mean_to_true(mean, e)
    )
    return r


def subsatellite_points(r_teme_m: NDArray, times_tt_s: NDArray) -> tuple[NDArray, NDArray]:
    """Geodetic ``(lat_deg, lon_deg)`` of TEME positions (3, T) at their times."""
    r_itrf, _ = teme_to_itrf(r_teme_m, None, times_tt_s)
    lat, lon, _ = ecef_to_geodetic(r_itrf)
    return np.degrees(lat), np.degrees(lon)


def parking_orbit_track(event: dict, revolutions_after_event: float = 1.5, step_s: float = 20.0) -> dict[str, NDArray]:
    """Sub-satellite track from insertion to the event and on past it (as if the stage had survived).

    Returns a dict with ``t_tt_s``, ``lat_deg``, ``lon_deg`` and ``after_event`` (bool).
    """
    start = event.get("insertion") or {}
    if "r_teme_m" not in start:
        parent = (event.get("parents") or [None])[0]
        if parent is None:
            raise MissingInput("event.json has neither an insertion state nor a parent state")
        start = {"t_tt_s": event["event"]["t_tt_s"], "r_teme_m": parent["r_teme_m"], "v_teme_mps": parent["v_teme_mps"]}
    t0 = float(start["t_tt_s"])
    t_event = float(event["event"]["t_tt_s"])
    a = float(rv_to_elements(np.asarray(start["r_teme_m"]), np.asarray(start["v_teme_mps"])).a_m[0])
    period = 2.0 * np.pi * np.sqrt(a**3 / MU_EARTH_M3_S2)
    times = np.arange(t0, t_event + revolutions_after_event * period, step_s)
    times = np.union1d(times, [t_event])
    r = j2_secular_positions(np.asarray(start["r_teme_m"]), np.asarray(start["v_teme_mps"]), t0, times)
    lat, lon = subsatellite_points(r, times)
    return {"t_tt_s": times, "lat_deg": lat, "lon_deg": lon, "after_event": times > t_event}


def groundtrack_figure(run: RunData, sites: Sequence[SiteGeometry]) -> Figure:
    """World map: parking-orbit ground track to the event and beyond, event point, launch and radar sites."""
    if run.event is None:
        raise MissingInput("event.json is missing: the scenario stage has not run")
    event = run.event
    track = parking_orbit_track(event)
    fig = new_figure(10.0, 5.6)
    ax = fig.add_subplot()
    draw_coastline(ax)
    before = ~track["after_event"]
    lon, lat = split_at_antimeridian(track["lon_deg"][before], track["lat_deg"][before])
    ax.plot(lon, lat, color="tab:blue", lw=1.6, label="parking orbit, insertion to event", zorder=3)
    idx = np.flatnonzero(track["after_event"])
    idx = np.concatenate([idx[:1] - 1, idx]) if idx.size else idx
    lon, lat = split_at_antimeridian(track["lon_deg"][idx], track["lat_deg"][idx])
    ax.plot(lon, lat, color="tab:blue", lw=1.0, ls="--", alpha=0.7, label="the same orbit had it survived", zorder=2)
    ins_time = str(tt_s_to_datetime64(track["t_tt_s"][0])[0])[:16].replace("T", " ")
    ax.plot(track["lon_deg"][0], track["lat_deg"][0], "o", color="tab:blue", ms=6, zorder=4)
    ax.annotate(f"insertion {ins_time}Z", (track["lon_deg"][0], track["lat_deg"][0]), xytext=(5, -12),
                textcoords="offset points", fontsize=8, color="tab:blue")
    ev = event["event"]
    ax.plot(ev["subsatellite_lon_deg"], ev["subsatellite_lat_deg"], "*", color="red", ms=16, mec="k",
            zorder=5, label=f"event {ev['time_utc'][:19].replace('T', ' ')}Z, {ev['altitude_km']:.0f} km")
    launch = event.get("launch")
    if launch:
        site = launch["site"]
        ax.plot(site["longitude_deg"], site["latitude_deg"], "P", color=PARENT_COLOR, ms=9, zorder=5,
                label=f"launch site{', ' + site['name'] if site.get('name') else ''}")
    for k, s in enumerate(sites):
        color = SITE_COLORS[k % len(SITE_COLORS)]
        ax.plot(s.lon_deg, s.lat_deg, "^", color=color, mec="k", ms=9, zorder=5, label=f"radar: {s.label}")
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_xticks(np.arange(-180, 181, 60))
    ax.set_yticks(np.arange(-90, 91, 30))
    ax.set_aspect("equal")
    ax.grid(lw=0.3, alpha=0.6)
    ax.set_xlabel("longitude (deg)")
    ax.set_ylabel("geodetic latitude (deg)")
    ax.legend(loc="lower left", fontsize=8, framealpha=0.9)
    ax.set_title("Ground track of the parking orbit")
    return fig

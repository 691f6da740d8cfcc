"""The intended mission's figures: the launch window as a porkchop, and the planned and the other
launches' heliocentric arcs in the ecliptic (from :func:`debriscope.mission.mission_plan`).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from ..constants import AU_M, SECONDS_PER_DAY
from ..mission.ephemeris import heliocentric_state, icrf_to_ecliptic
from ..mission.plan import MissionPlan
from ..mission.transfer import Transfer, kepler_state
from ..timescale import tt_s_to_datetime64
from .canvas import date_axis, new_figure

C3_LEVELS_KM2_S2 = (9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 22, 25, 30)
VINF_LEVELS_KM_S = (3, 3.5, 4, 4.5, 5, 6, 7)
OTHER_COLORS = ("tab:red", "tab:purple", "tab:brown")


def porkchop_figure(plan: MissionPlan) -> Figure:
    """C3 (filled contours) and arrival v_inf (dashed lines) over departure and arrival dates, with the
    planned transfer and the other launches marked."""
    w = plan.window
    dep = tt_s_to_datetime64(w.t_dep_tt_s)
    arr = tt_s_to_datetime64(w.t_arr_tt_s)
    fig = new_figure(10.0, 6.2)
    ax = fig.add_subplot()
    filled = ax.contourf(dep, arr, w.c3_km2_s2.T, levels=C3_LEVELS_KM2_S2, cmap="viridis_r", extend="max")
    fig.colorbar(filled, ax=ax, label="C3 (km$^2$/s$^2$)")
    lines = ax.contour(dep, arr, w.v_inf_arr_km_s.T, levels=VINF_LEVELS_KM_S, colors="white", linestyles="--",
                       linewidths=0.8)
    ax.clabel(lines, fmt="%.1f km/s", fontsize=7)
    ax.plot(tt_s_to_datetime64(plan.t_dep_tt_s), tt_s_to_datetime64(plan.t_arr_tt_s), "*", color="black",
            ms=13, label=f"2MV-4 No.1 planned (C3 {plan.departure.c3_km2_s2:.1f})")
    ax.axvline(tt_s_to_datetime64(plan.t_dep_tt_s), color="black", lw=0.8)
    for k, other in enumerate(plan.others):
        color = OTHER_COLORS[k % len(OTHER_COLORS)]
        t_dep = tt_s_to_datetime64(other.transfer.t_dep_tt_s if other.transfer else _tt(other.departure_utc))
        ax.axvline(t_dep, color=color, lw=0.8)
        if other.transfer is not None:
            ax.plot(t_dep, tt_s_to_datetime64(other.transfer.t_arr_tt_s), "o", color=color, ms=8,
                    label=f"{other.name} (C3 {other.c3_km2_s2:.1f})")
        else:
            ax.plot([], [], color=color, lw=0.8, label=f"{other.name} (launched; no arrival)")
    ax.set_xlabel("departure from Earth (1962)")
    ax.set_ylabel("arrival at " + plan.target.capitalize())
    date_axis(ax)
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title("The 1962 launch window: C3 (colour) and arrival v$_\\infty$ (dashed)")
    return fig


def _tt(utc: str) -> float:
    from ..timescale import utc_to_tt_s

    return float(utc_to_tt_s(utc))


def _orbit_track(body: str, t0: float, days: float) -> np.ndarray:
    t = t0 + np.linspace(0.0, days, 400) * SECONDS_PER_DAY
    r, _ = heliocentric_state(body, t)
    return icrf_to_ecliptic(r) / AU_M


def _arc(transfer: Transfer, t_end: float) -> np.ndarray:
    dt = np.linspace(0.0, t_end - transfer.t_dep_tt_s, 300)
    return icrf_to_ecliptic(kepler_state(transfer.r_dep_icrf_m, transfer.v_dep_icrf_mps, dt)) / AU_M


def heliocentric_figure(plan: MissionPlan) -> Figure:
    """Earth's and the target's orbits, the planned arc and the other launches' arcs, ecliptic x-y (AU)."""
    fig = new_figure(7.6, 7.2)
    ax = fig.add_subplot()
    t0 = plan.t_dep_tt_s
    for body, color, period in (("earth", "tab:blue", 366.0), (plan.target, "tab:orange", 690.0)):
        track = _orbit_track(body, t0, period)
        ax.plot(track[0], track[1], color=color, lw=0.6, alpha=0.6)
    ax.plot(0, 0, "o", color="gold", ms=12, mec="darkorange")
    arc = _arc(plan.transfer, plan.t_arr_tt_s)
    ax.plot(arc[0], arc[1], color="black", lw=1.8, label="2MV-4 No.1: the planned transfer")
    ax.plot(arc[0, 0], arc[1, 0], "o", color="tab:blue", ms=7, label="Earth at the departures")
    ax.plot(arc[0, -1], arc[1, -1], "o", color="tab:orange", ms=7, label=f"{plan.target.capitalize()} at the arrivals")
    for k, other in enumerate(plan.others):
        if other.transfer is None:
            continue
        color = OTHER_COLORS[k % len(OTHER_COLORS)]
        arc = _arc(other.transfer, other.transfer.t_arr_tt_s)
        ax.plot(arc[0], arc[1], color=color, lw=1.2, ls="--", label=f"{other.name}")
        ax.plot(arc[0, -1], arc[1, -1], "o", color="tab:orange", ms=7)
        if other.last_contact_utc is not None:
            t_lc = _tt(other.last_contact_utc)
            probe = _arc(other.transfer, t_lc)[:, -1]
            earth = icrf_to_ecliptic(heliocentric_state("earth", t_lc)[0])[:, 0] / AU_M
            ax.plot([probe[0], earth[0]], [probe[1], earth[1]], ":", color=color, lw=1.0)
            ax.plot(earth[0], earth[1], "o", color="tab:blue", ms=5)
            ax.plot(probe[0], probe[1], "s", color=color, ms=6,
                    label=f"{other.name} at last contact ({other.distance_last_contact_m / 1e9:.0f} million km "
                    "from Earth)")
    ax.set_aspect("equal")
    ax.set_xlabel("x, J2000 ecliptic (AU)")
    ax.set_ylabel("y (AU)")
    ax.grid(lw=0.3, alpha=0.6)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title("Planned and flown heliocentric arcs (patched conics, JPL DE421)")
    return fig

"""Gabbard diagrams: orbital period (min) against apogee and perigee altitude (km), two markers per
object, at several epochs after the event (J. R. Gabbard's plot, as used and explained in N. L. Johnson
et al., *History of On-Orbit Satellite Fragmentations*, 14th ed., NASA JSC-62530, 2008: a breakup's
fragments form an X centred on the parent's orbit, apogees on the upper arm, perigees on the lower).

Points come from the ``elements.csv`` snapshots of the propagation stage; the parent is marked by its
orbit at the event (from ``event.json``), computed with :mod:`debriscope.elements`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from numpy.typing import NDArray

from ..elements import apsis_altitudes_m, period_s, rv_to_elements
from .canvas import ALL_COLOR, CATALOGUED_COLOR, PARENT_COLOR, MissingInput, new_figure, require
from .inputs import RunData, utc_datetime64

COLUMNS = ("fragment_id", "epoch_utc", "period_min", "apogee_km", "perigee_km")


def parent_points(event: dict | None) -> list[tuple[str, float, float, float]]:
    """``(name, period_min, apogee_km, perigee_km)`` of each parent at the event."""
    out = []
    for parent in (event or {}).get("parents", []):
        el = rv_to_elements(np.asarray(parent["r_teme_m"]), np.asarray(parent["v_teme_mps"]))
        apo, per = apsis_altitudes_m(el.a_m, el.e)
        out.append((parent["name"], float(period_s(el.a_m)[0]) / 60.0, float(apo[0]) / 1e3, float(per[0]) / 1e3))
    return out


def choose_snapshots(epochs: NDArray, event_time: np.datetime64, days_after_event: Sequence[float]) -> list[np.datetime64]:
    """The distinct snapshot epochs nearest to each requested time after the event, in time order."""
    unique = np.unique(epochs[~np.isnat(epochs)])
    if unique.size == 0:
        return []
    chosen = set()
    for days in days_after_event:
        target = event_time + np.timedelta64(int(round(days * 86400e3)), "ms")
        chosen.add(unique[np.argmin(np.abs(unique - target))])
    return sorted(chosen)


def gabbard_figure(run: RunData, days_after_event: Sequence[float]) -> Figure:
    """A row of Gabbard diagrams at the snapshots nearest to ``days_after_event``."""
    el = require(run.elements, "elements.csv", COLUMNS)
    if run.event is None:
        raise MissingInput("event.json is missing: the scenario stage has not run")
    kinds = np.asarray(el["kind"]).astype(str) if "kind" in el else np.full(len(el["fragment_id"]), "osculating")
    use = "mean" if np.any(kinds == "mean") else "osculating"
    keep = kinds == use
    epochs = utc_datetime64(el["epoch_utc"])
    t_event = utc_datetime64(run.event["event"]["time_utc"])[0]
    snaps = choose_snapshots(epochs[keep], t_event, days_after_event)
    if not snaps:
        raise MissingInput("elements.csv has no dated snapshot")
    catalogued = run.catalogued_fragment_ids()
    parents = parent_points(run.event)
    ncol = min(len(snaps), 2)
    nrow = int(np.ceil(len(snaps) / ncol))
    fig = new_figure(10.0, 4.0 * nrow + 0.6)
    axes = fig.subplots(nrow, ncol, squeeze=False, sharex=True, sharey=True).ravel()
    period, apo, per = (np.asarray(el[c], float) for c in ("period_min", "apogee_km", "perigee_km"))
    ids = np.asarray(el["fragment_id"])
    for ax, snap in zip(axes, snaps, strict=False):
        m = keep & (epochs == snap) & np.isfinite(period)
        is_cat = np.isin(ids[m], catalogued) if catalogued is not None else np.zeros(m.sum(), bool)
        ax.scatter(period[m][~is_cat], apo[m][~is_cat], s=7, marker="^", color=ALL_COLOR, alpha=0.55, lw=0,
                   label="apogee")
        ax.scatter(period[m][~is_cat], per[m][~is_cat], s=7, marker="v", color="tab:cyan", alpha=0.55, lw=0,
                   label="perigee")
        if is_cat.any():
            ax.scatter(period[m][is_cat], apo[m][is_cat], s=22, marker="^", color=CATALOGUED_COLOR, ec="k",
                       lw=0.4, label="catalogued: apogee")
            ax.scatter(period[m][is_cat], per[m][is_cat], s=22, marker="v", color=CATALOGUED_COLOR, ec="k",
                       lw=0.4, label="catalogued: perigee")
        for k, (name, p_min, a_km, q_km) in enumerate(parents):
            ax.plot([p_min, p_min], [a_km, q_km], "*", color=PARENT_COLOR, ms=13, mfc="yellow", mec="k",
                    label=f"parent at the event ({name})" if k == 0 else None)
        days = (snap - t_event) / np.timedelta64(1, "D")
        ax.set_title(f"T+{days:.1f} d ({str(snap)[:16].replace('T', ' ')}Z): {int(m.sum())} objects in orbit",
                     fontsize=9)
        ax.grid(lw=0.3, alpha=0.6)
    for ax in axes[len(snaps):]:
        ax.set_visible(False)
    for ax in axes[(nrow - 1) * ncol:]:
        ax.set_xlabel("period (min)")
    for ax in axes[::ncol]:
        ax.set_ylabel("altitude above 6378.135 km (km)")
    axes[0].legend(fontsize=7, loc="upper left")
    _limits(axes[0], period[keep], apo[keep], per[keep], parents)
    fig.suptitle(f"Gabbard diagrams ({use} elements)")
    return fig


def _limits(ax, period: NDArray, apo: NDArray, per: NDArray, parents) -> None:
    """Axis limits from the 1st-99th percentiles, so a few extreme fragments do not flatten the X."""
    ok = np.isfinite(period) & np.isfinite(apo) & np.isfinite(per)
    if not ok.any():
        return
    p_lo, p_hi = np.percentile(period[ok], [1, 99])
    y_lo = min(np.percentile(per[ok], 1), 0.0)
    y_hi = np.percentile(apo[ok], 99)
    for _, p_min, a_km, _q in parents:
        p_lo, p_hi, y_hi = min(p_lo, p_min), max(p_hi, p_min), max(y_hi, a_km)
    pad = 0.05 * (p_hi - p_lo + 1.0)
    ax.set_xlim(p_lo - pad, p_hi + pad)
    ax.set_ylim(y_lo, y_hi * 1.08 + 10.0)

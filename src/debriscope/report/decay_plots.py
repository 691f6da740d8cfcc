"""Orbital decay: altitude against time for the catalogued fragments, and the decay dates of all and
of the catalogued fragments beside the recorded decay window.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.figure import Figure
from numpy.typing import NDArray

from .canvas import ALL_COLOR, CATALOGUED_COLOR, RECORD_COLOR, MissingInput, date_axis, new_figure, require
from .inputs import RunData, utc_datetime64
from .record import HistoricalRecord


def altitude_figure(run: RunData) -> Figure:
    """Perigee (solid) and apogee (thin) altitude of each catalogued fragment against time."""
    el = require(run.elements, "elements.csv", ("fragment_id", "epoch_utc", "apogee_km", "perigee_km"))
    ids = run.catalogued_fragment_ids()
    if ids is None:
        raise MissingInput("no catalog and no orbits.csv: the tracking and catalog stages have not run")
    if ids.size == 0:
        raise MissingInput("no fragment was catalogued")
    kinds = np.asarray(el["kind"]).astype(str) if "kind" in el else None
    keep = np.ones(len(el["fragment_id"]), bool) if kinds is None else kinds == ("mean" if np.any(kinds == "mean") else kinds[0])
    epochs = utc_datetime64(el["epoch_utc"])
    fid = np.asarray(el["fragment_id"])
    decay = _decay_times(run)
    fig = new_figure(10.0, 5.0)
    ax = fig.add_subplot()
    cmap = colormaps["viridis"]
    for k, f in enumerate(ids):
        m = keep & (fid == f)
        order = np.argsort(epochs[m])
        t = epochs[m][order]
        color = cmap(k / max(len(ids) - 1, 1))
        ax.plot(t, np.asarray(el["perigee_km"], float)[m][order], color=color, lw=1.2)
        ax.plot(t, np.asarray(el["apogee_km"], float)[m][order], color=color, lw=0.6, alpha=0.7)
        if decay is not None and f in decay and not np.isnat(decay[f]):
            ax.plot(decay[f], 0.0, "x", color=color, ms=6)
    ax.plot([], [], color="k", lw=1.2, label="perigee")
    ax.plot([], [], color="k", lw=0.6, alpha=0.7, label="apogee")
    ax.plot([], [], "x", color="k", label="decay")
    ax.set_ylim(bottom=0)
    ax.set_ylabel("altitude (km)")
    date_axis(ax)
    ax.grid(lw=0.3, alpha=0.6)
    ax.legend(fontsize=8, loc="upper right")
    ax.set_title(f"Altitude of the {len(ids)} catalogued fragments")
    return fig


def _decay_times(run: RunData) -> dict[int, np.datetime64] | None:
    if run.decay is None or "decay_utc" not in run.decay:
        return None
    times = utc_datetime64(run.decay["decay_utc"])
    return {int(f): t for f, t in zip(run.decay["fragment_id"], times, strict=True)}


def _cumulative(ax, times: NDArray, color: str, label: str, lw: float) -> None:
    times = np.sort(times[~np.isnat(times)])
    if times.size:
        ax.step(times, np.arange(1, times.size + 1), where="post", color=color, lw=lw, label=label)


def decay_figure(run: RunData, record: HistoricalRecord | None) -> Figure:
    """Cumulative decays of all fragments (left axis) and of the catalogued ones (right axis, with the
    record's count of catalogued pieces), the recorded decay window shaded."""
    dec = require(run.decay, "decay.csv", ("fragment_id", "decay_utc"))
    times = utc_datetime64(dec["decay_utc"])
    if np.all(np.isnat(times)):
        raise MissingInput("no fragment decayed within the propagated span")
    n_all = len(times)
    ids = run.catalogued_fragment_ids()
    fig = new_figure(10.0, 4.6)
    ax = fig.add_subplot()
    if record is not None:
        lo = np.datetime64(record.first_decay_utc.value)
        hi = np.datetime64(record.last_decay_utc.value) + np.timedelta64(1, "D")
        ax.axvspan(lo, hi, color=RECORD_COLOR, alpha=0.18, lw=0,
                   label=f"recorded decays ({record.first_decay_utc.value} to {record.last_decay_utc.value})")
    _cumulative(ax, times, ALL_COLOR, f"all fragments, left axis ({int(np.sum(~np.isnat(times)))} of {n_all} decayed)", 1.5)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("all fragments decayed (cumulative)", color=ALL_COLOR)
    handles, labels = ax.get_legend_handles_labels()
    if ids is not None and ids.size:
        right = ax.twinx()
        cat = times[np.isin(dec["fragment_id"], ids)]
        _cumulative(right, cat, CATALOGUED_COLOR,
                    f"catalogued fragments, right axis ({int(np.sum(~np.isnat(cat)))} of {ids.size} decayed)", 2.0)
        ax.plot(cat, np.zeros(cat.size), "|", color=CATALOGUED_COLOR, ms=14, mew=1.5, clip_on=False)
        top = float(ids.size)
        if record is not None:
            n_rec = record.n_catalogued.value
            right.axhline(n_rec, color=RECORD_COLOR, ls=":", lw=1.4,
                          label=f"pieces catalogued in the record ({n_rec}), right axis")
            top = max(top, float(n_rec))
        right.set_ylim(0, top * 1.1)
        right.set_ylabel("catalogued fragments decayed (cumulative)", color=CATALOGUED_COLOR)
        more_h, more_l = right.get_legend_handles_labels()
        handles, labels = handles + more_h, labels + more_l
    date_axis(ax)
    ax.grid(lw=0.3, alpha=0.6)
    ax.legend(handles, labels, fontsize=8, loc="lower right", framealpha=0.9)
    ax.set_title("Decay dates")
    return fig

"""The catalog beside the record: how many debris the catalog held over time, who observed them, their
decay dates as the catalog predicted them and as they happened, and their sizes against the cloud's.

Read from what the catalog stage wrote (the ``objects`` table of ``catalog.sqlite`` and the ``catalog``
section of ``summary.json``) and, for the whole cloud's sizes, ``fragments.csv``; the record's values
come from :mod:`debriscope.report.record`. Nothing is fitted to the record.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from .canvas import ALL_COLOR, CATALOGUED_COLOR, RECORD_COLOR, MissingInput, date_axis, new_figure, require
from .inputs import RunData, utc_datetime64
from .record import HistoricalRecord


def _record_window(ax: Axes, record: HistoricalRecord | None) -> None:
    if record is None:
        return
    lo = np.datetime64(record.first_decay_utc.value)
    hi = np.datetime64(record.last_decay_utc.value) + np.timedelta64(1, "D")
    ax.axvspan(lo, hi, color=RECORD_COLOR, alpha=0.12, label="recorded decay window")


def _count_panel(ax: Axes, over: dict, record: HistoricalRecord | None) -> None:
    days = np.array(over["dates"], dtype="datetime64[D]")
    ax.step(days, over["n_admitted"], where="post", color=ALL_COLOR, lw=1.0, label="admitted (cumulative)")
    ax.step(days, over["n_in_catalog"], where="post", color=CATALOGUED_COLOR, lw=1.6,
            label="in the catalog (admitted, not yet decayed)")
    if record is not None:
        ax.axhline(float(record.n_catalogued.value), color=RECORD_COLOR, ls="--", lw=1.2,
                   label=f"record: {record.n_catalogued.value} catalogued")
    _record_window(ax, record)
    ax.set_ylabel("catalogued debris")
    ax.set_ylim(bottom=0)
    date_axis(ax)
    ax.grid(lw=0.3, alpha=0.6)
    ax.legend(fontsize=7, loc="upper right")
    ax.set_title("Catalogued debris over time")


def _decay_panel(ax: Axes, objects: dict, record: HistoricalRecord | None) -> None:
    predicted = utc_datetime64(objects["decay_utc"])
    true = utc_datetime64(objects["decay_true_utc"]) if "decay_true_utc" in objects else np.full(predicted.size, np.datetime64("NaT", "ms"))
    k = np.arange(predicted.size)
    ax.plot(predicted, k, "o", color=CATALOGUED_COLOR, ms=4, label="catalog's prediction (own last set)")
    ax.plot(true, k, "x", color="k", ms=5, label="truth (scoring)")
    for j in k:
        if not (np.isnat(predicted[j]) or np.isnat(true[j])):
            ax.plot([true[j], predicted[j]], [j, j], color="grey", lw=0.6)
    _record_window(ax, record)
    ax.set_ylabel("catalogued object (order of admission)")
    date_axis(ax)
    ax.grid(lw=0.3, alpha=0.6)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("Decay dates of the catalogued debris")


def _size_panel(ax: Axes, run: RunData, objects: dict) -> None:
    est = np.asarray(objects["size_m"], dtype=float)
    est = est[np.isfinite(est) & (est > 0)]
    frag = run.fragments
    lc_all = np.asarray(frag["lc_m"], dtype=float) if frag is not None and "lc_m" in frag else np.zeros(0)
    ids = np.asarray(objects.get("truth_fragment_id", np.zeros(0)), dtype=float)
    lc_cat = np.zeros(0)
    if lc_all.size and ids.size:
        lc_cat = lc_all[np.isin(np.asarray(frag["fragment_id"], dtype=float), ids[np.isfinite(ids)])]
    values = np.concatenate([lc_all, est, lc_cat])
    values = values[values > 0]
    if values.size == 0:
        raise MissingInput("no sizes: neither fragments.csv nor estimated sizes in the catalog")
    bins = np.geomspace(values.min() * 0.9, values.max() * 1.1, 30)
    if lc_all.size:
        ax.hist(lc_all, bins=bins, color=ALL_COLOR, alpha=0.35, label=f"all fragments, true Lc ({lc_all.size})")
    if lc_cat.size:
        ax.hist(lc_cat, bins=bins, histtype="step", color="k", lw=1.0, label="catalogued, true Lc (scoring)")
    if est.size:
        ax.hist(est, bins=bins, histtype="step", color=CATALOGUED_COLOR, lw=1.8,
                label=f"catalogued, estimated size ({est.size})")
    ax.set_xscale("log")
    ax.set_xlabel("size (m)")
    ax.set_ylabel("objects per bin")
    ax.grid(lw=0.3, alpha=0.6)
    ax.legend(fontsize=7)
    ax.set_title("Sizes: catalogued debris against the whole cloud")


def _sensor_panel(ax: Axes, by_sensor: dict[str, int]) -> None:
    names = sorted(by_sensor, key=lambda n: by_sensor[n])
    ax.barh(names, [by_sensor[n] for n in names], color=CATALOGUED_COLOR)
    ax.set_xlabel("detections associated to catalogued objects")
    ax.tick_params(axis="y", labelsize=7)
    ax.grid(axis="x", lw=0.3, alpha=0.6)
    ax.set_title("Who observed the catalogued debris")


def catalog_figure(run: RunData, record: HistoricalRecord | None) -> Figure:
    """Four panels: count over time, decay dates (predicted and true), sizes, detections by sensor."""
    section = run.summary.get("catalog") or {}
    if "count_over_time" not in section:
        raise MissingInput("summary.json has no catalog count over time: the catalog stage has not run")
    objects = require(run.catalog_objects, "catalog.sqlite", ("object_type", "decay_utc", "size_m"))
    debris = np.char.upper(np.asarray(objects["object_type"]).astype(str)) == "DEB"
    if not debris.any():
        raise MissingInput("the catalog holds no debris")
    deb = {k: np.asarray(v)[debris] for k, v in objects.items()}
    fig = new_figure(12.0, 8.0)
    axes = fig.subplots(2, 2)
    _count_panel(axes[0, 0], section["count_over_time"], record)
    _decay_panel(axes[0, 1], deb, record)
    _size_panel(axes[1, 0], run, deb)
    _sensor_panel(axes[1, 1], section.get("detections_by_sensor") or {})
    return fig

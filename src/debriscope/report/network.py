"""The network's watch: detections per sensor and day, and each sensor's size threshold.

Left: one row per sensor (grouped by kind), a mark per day with at least one detection, its area
proportional to the day's count (observation opportunities of tasked trackers and cameras
included). Right: the smallest characteristic length each sensor detects at 500 km (the sensors
stage's ``size_threshold_500km_m``) and the smallest fragment it actually saw.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .canvas import MissingInput, date_axis, new_figure, require
from .inputs import RunData, utc_datetime64

KIND_ORDER = ("radar_fan", "radar_cued", "radar_tasked", "fence", "camera")
KIND_COLORS = {"radar_fan": "tab:blue", "radar_cued": "tab:purple", "radar_tasked": "tab:green",
               "fence": "tab:red", "camera": "tab:orange"}


def network_figure(run: RunData) -> Figure:
    """Detections per sensor and day (left) and size thresholds per sensor (right)."""
    det = require(run.detections, "detections.csv", ("time_utc", "sensor", "sensor_kind"))
    per = (run.summary.get("sensors") or {}).get("sensors")
    if not per:
        raise MissingInput("summary.json has no per-sensor section: re-run the sensors stage")
    names = [n for k in KIND_ORDER for n, s in per.items() if s.get("kind") == k]
    sensor = np.asarray(det["sensor"]).astype(str)
    days = utc_datetime64(det["time_utc"]).astype("datetime64[D]")
    fig = new_figure(12.0, max(4.0, 0.24 * len(names) + 1.5))
    grid = fig.add_gridspec(1, 2, width_ratios=(2.2, 1.0))
    ax, bx = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
    for y, name in enumerate(names):
        color = KIND_COLORS[per[name]["kind"]]
        d, counts = np.unique(days[sensor == name], return_counts=True)
        if d.size:
            ax.scatter(d.astype("datetime64[s]").astype(object), np.full(d.size, y), s=6 + 3 * np.sqrt(counts),
                       color=color, alpha=0.8, linewidths=0)
        threshold = per[name].get("size_threshold_500km_m")
        if threshold is not None:
            bx.barh(y, threshold * 100.0, color=color, alpha=0.6)
        smallest = per[name].get("smallest_lc_seen_m")
        if smallest is not None:
            bx.plot(smallest * 100.0, y, "k|", markersize=8)
    for a in (ax, bx):
        a.set_yticks(range(len(names)))
        a.set_ylim(len(names) - 0.5, -0.5)
        a.grid(True, axis="x", alpha=0.3)
    ax.set_yticklabels(names, fontsize=7)
    bx.set_yticklabels([])
    date_axis(ax)
    ax.set_title("detections per sensor and day (area ~ sqrt of the count)", fontsize=9)
    bx.set_xscale("log")
    bx.set_xlabel("characteristic length, cm")
    bx.set_title("size threshold at 500 km (bar); smallest seen (|)", fontsize=9)
    for kind in KIND_ORDER:
        ax.scatter([], [], color=KIND_COLORS[kind], label=kind.replace("_", " "))
    ax.legend(loc="lower right", fontsize=7, ncols=len(KIND_ORDER))
    return fig

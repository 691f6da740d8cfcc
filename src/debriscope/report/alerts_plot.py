"""The alert timeline: for each track that raised an alert, from its first detection to the naive
alert (a warning raised on the first detections alone) and on to the time it was cleared (classified).
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .canvas import SITE_COLORS, MissingInput, new_figure, require
from .inputs import RunData, utc_datetime64

CLASS_COLORS = {"orbital": "tab:blue", "ballistic": "tab:red"}


def alerts_figure(run: RunData) -> Figure:
    """One row per track that raised a naive alert, minutes after the event on x; rows grouped by site."""
    if run.alerts is not None and len(next(iter(run.alerts.values()), [])) == 0:
        raise MissingInput("no track raised an alert")
    table = require(run.alerts, "alerts.csv", ("site", "track_id", "first_detection_utc", "naive_alert_utc"))
    if run.event is None:
        raise MissingInput("event.json is missing: the scenario stage has not run")
    t_event = utc_datetime64(run.event["event"]["time_utc"])[0]
    n_tracks = len(table["site"])
    alerted = ~np.isnat(utc_datetime64(table["naive_alert_utc"]))
    if not alerted.any():
        raise MissingInput(f"none of the {n_tracks} tracks raised an alert")
    al = {k: np.asarray(v)[alerted] for k, v in table.items()}
    n = int(alerted.sum())

    def minutes(column: str) -> np.ndarray:
        if column not in al:
            return np.full(n, np.nan)
        t = utc_datetime64(al[column])
        out = (t - t_event) / np.timedelta64(1, "m")
        return np.where(np.isnat(t), np.nan, out)

    first, naive, cleared = minutes("first_detection_utc"), minutes("naive_alert_utc"), minutes("cleared_utc")
    sites = np.asarray(al["site"]).astype(str)
    classes = np.asarray(al["classification"]).astype(str) if "classification" in al else np.full(n, "")
    order = np.lexsort((first, sites))
    fig = new_figure(10.0, min(2.0 + 0.22 * n, 9.0))
    ax = fig.add_subplot()
    site_names = sorted(set(sites))
    end_open = np.nanmax(np.concatenate([first, naive, cleared])) if n else 0.0
    for row, k in enumerate(order):
        color = CLASS_COLORS.get(classes[k], "tab:gray")
        stop = cleared[k] if np.isfinite(cleared[k]) else end_open
        ax.plot([first[k], stop], [row, row], color=color, lw=3, alpha=0.6, solid_capstyle="butt")
        ax.plot(first[k], row, "|", color="k", ms=8)
        if np.isfinite(naive[k]):
            ax.plot(naive[k], row, "o", color="tab:red", ms=5, mec="k", mew=0.5)
        if np.isfinite(cleared[k]):
            ax.plot(cleared[k], row, "s", color=color, ms=4, mec="k", mew=0.5)
        else:
            ax.plot(stop, row, ">", color="0.3", ms=6)
    bounds = np.flatnonzero(np.diff(np.searchsorted(site_names, sites[order]))) + 0.5
    for b in bounds:
        ax.axhline(b, color="0.6", lw=0.6)
    for j, name in enumerate(site_names):
        rows = np.flatnonzero(sites[order] == name)
        ax.text(1.005, (n - 0.5 - rows.mean()) / n, name, transform=ax.transAxes, fontsize=8,
                color=SITE_COLORS[j % len(SITE_COLORS)], va="center")
    ax.plot([], [], "|", color="k", label="first detection")
    ax.plot([], [], "o", color="tab:red", mec="k", label="naive alert")
    for cls, color in CLASS_COLORS.items():
        ax.plot([], [], "s", color=color, mec="k", label=f"cleared as {cls}")
    if not np.all(np.isfinite(cleared)):
        ax.plot([], [], ">", color="0.3", label="not cleared in the data")
    ax.set_ylim(n - 0.5, -0.5)
    ax.set_yticks([])
    ax.set_xlabel(f"minutes after the event ({str(t_event)[:19].replace('T', ' ')}Z)")
    ax.grid(axis="x", lw=0.3, alpha=0.6)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=5, frameon=False)
    ax.set_title(f"Alert timeline: {n} of {n_tracks} tracks raised an alert")
    return fig

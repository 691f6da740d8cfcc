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
    last = _track_last_minutes(run, al, t_event)
    sites = np.asarray(al["site"]).astype(str)
    classes = np.asarray(al["classification"]).astype(str) if "classification" in al else np.full(n, "")
    site_names = sorted(set(sites))
    span = np.nanmax(np.concatenate([first, naive, cleared, last]))
    unit, scale = ("hours", 60.0) if span > 600.0 else ("minutes", 1.0)
    counts = [int(np.sum(sites == name)) for name in site_names]
    fig = new_figure(10.0, min(1.8 + 0.24 * n + 0.5 * len(site_names), 10.0))
    axes = fig.subplots(len(site_names), 2, squeeze=False, sharex="col",
                        gridspec_kw={"height_ratios": counts, "width_ratios": (1.2, 1.0)})
    for j, name in enumerate(site_names):
        when, how_long = axes[j]
        idx = np.flatnonzero(sites == name)
        idx = idx[np.argsort(naive[idx])]
        for row, k in enumerate(idx):
            color = CLASS_COLORS.get(classes[k], "tab:gray")
            is_cleared = np.isfinite(cleared[k])
            stop = cleared[k] if is_cleared else np.nanmax([last[k], naive[k], first[k]])
            when.plot(naive[k] / scale, row, "o", color=color if is_cleared else "0.3", ms=6, mec="k", mew=0.5)
            how_long.plot([first[k] - naive[k], stop - naive[k]], [row, row], color=color, lw=3, alpha=0.6,
                          solid_capstyle="butt")
            how_long.plot(first[k] - naive[k], row, "|", color="k", ms=9)
            how_long.plot(0.0, row, "o", color="tab:red", ms=5, mec="k", mew=0.5)
            how_long.plot(stop - naive[k], row, "s" if is_cleared else ">", color=color if is_cleared else "0.3",
                          ms=5, mec="k", mew=0.5)
        for ax in (when, how_long):
            ax.set_ylim(len(idx) - 0.5, -0.5)
            ax.set_yticks([])
            ax.grid(axis="x", lw=0.3, alpha=0.6)
        when.set_ylabel(f"{name}\n({len(idx)})", rotation=0, ha="right", va="center",
                        color=SITE_COLORS[j % len(SITE_COLORS)])
    axes[0, 0].set_title("when: the naive alerts", fontsize=9)
    axes[0, 1].set_title("how long: from the naive alert to cleared (or the track's end)", fontsize=9)
    axes[-1, 0].set_xlabel(f"{unit} after the event ({str(t_event)[:19].replace('T', ' ')}Z)")
    axes[-1, 1].set_xlabel("minutes from the naive alert")
    ax = axes[-1, 1]
    ax.plot([], [], "|", color="k", label="first detection")
    ax.plot([], [], "o", color="tab:red", mec="k", label="naive alert")
    for cls, color in CLASS_COLORS.items():
        ax.plot([], [], "s", color=color, mec="k", label=f"cleared as {cls}")
    if not np.all(np.isfinite(cleared)):
        ax.plot([], [], ">", color="0.3", mec="k", label="never cleared (to the track's last detection)")
    fig.legend(*ax.get_legend_handles_labels(), fontsize=8, loc="outside lower center", ncol=5, frameon=False)
    fig.suptitle(f"Alert timeline: {n} of {n_tracks} tracks raised an alert")
    return fig


def _track_last_minutes(run: RunData, al: dict, t_event: np.datetime64) -> np.ndarray:
    """Minutes after the event of each alert's track's last detection (tracks.csv), NaN if unknown."""
    n = len(al["site"])
    tracks = run.tracks
    if tracks is None or "last_utc" not in tracks or "track_id" not in tracks or "track_id" not in al:
        return np.full(n, np.nan)
    last = dict(zip(np.asarray(tracks["track_id"]).tolist(), utc_datetime64(tracks["last_utc"]), strict=True))
    times = np.array([last.get(k, np.datetime64("NaT", "ms")) for k in np.asarray(al["track_id"]).tolist()],
                     dtype="datetime64[ms]")
    return np.where(np.isnat(times), np.nan, (times - t_event) / np.timedelta64(1, "m"))

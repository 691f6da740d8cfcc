"""The event timeline: launch, insertion, event, first detections, alerts and decays.

Two panels on one figure: the first hours (UTC clock time) and the months that follow (calendar
dates), because the run spans minutes to months.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import NDArray

from .canvas import ALL_COLOR, CATALOGUED_COLOR, RECORD_COLOR, MissingInput, date_axis, new_figure
from .inputs import RunData, utc_datetime64
from .record import HistoricalRecord

SHORT_SPAN = np.timedelta64(24, "h")
"""Events within this time of the first one go into the first panel."""

CATEGORY_COLORS = {
    "flight": "black",
    "event": "red",
    "detection": "tab:purple",
    "alert": "tab:red",
    "cleared": "tab:gray",
    "decay": ALL_COLOR,
    "decay_catalogued": CATALOGUED_COLOR,
}


@dataclass(frozen=True)
class Milestone:
    """One point of the timeline."""

    time: np.datetime64
    label: str
    category: str


def _first(times: NDArray) -> np.datetime64 | None:
    times = times[~np.isnat(times)]
    return times.min() if times.size else None


def _last(times: NDArray) -> np.datetime64 | None:
    times = times[~np.isnat(times)]
    return times.max() if times.size else None


def milestones(run: RunData) -> list[Milestone]:
    """Every milestone the run folder supports, in time order."""
    out: list[Milestone] = []
    event = run.event or {}
    for key, label, cat in (("launch", "launch", "flight"), ("insertion", "insertion", "flight"),
                            ("event", "breakup", "event")):
        if key in event and event[key].get("time_utc"):
            out.append(Milestone(utc_datetime64(event[key]["time_utc"])[0], label, cat))
    det = run.detections
    if det is not None and "time_utc" in det and len(det["time_utc"]):
        times = utc_datetime64(det["time_utc"])
        site = np.asarray(det["site"]).astype(str)
        kind = np.asarray(det["sensor_kind"]).astype(str) if "sensor_kind" in det else np.full(site.size, "radar_fan")
        radar = np.isin(kind, ("radar_fan", "radar_cued"))  # per site for the radars that search
        for name in sorted(set(site[radar])):
            t = _first(times[radar & (site == name)])
            if t is not None:
                out.append(Milestone(t, f"first detection, {name}", "detection"))
        for k, label in (("fence", "first fence detection"), ("radar_tasked", "first tasked-tracker opportunity"),
                         ("camera", "first camera opportunity")):  # one milestone per other kind
            t = _first(times[kind == k])
            if t is not None:
                out.append(Milestone(t, label, "detection"))
    al = run.alerts
    if al is not None and "site" in al and len(al["site"]):
        sites = np.asarray(al["site"]).astype(str)
        naive = utc_datetime64(al["naive_alert_utc"]) if "naive_alert_utc" in al else np.full(sites.size, np.datetime64("NaT"))
        for site in sorted(set(sites)):
            mask = (sites == site) & ~np.isnat(naive)
            t = _first(naive[mask])
            if t is not None:
                out.append(Milestone(t, f"first alert, {site}", "alert"))
            if "cleared_utc" in al:
                t = _last(utc_datetime64(al["cleared_utc"][mask]))
                if t is not None:
                    out.append(Milestone(t, f"last alert cleared, {site}", "cleared"))
    if run.decay is not None and "decay_utc" in run.decay and len(run.decay["decay_utc"]):
        times = utc_datetime64(run.decay["decay_utc"])
        for fn, word in ((_first, "first"), (_last, "last")):
            t = fn(times)
            if t is not None:
                out.append(Milestone(t, f"{word} decay (all)", "decay"))
        ids = run.catalogued_fragment_ids()
        if ids is not None and ids.size and "fragment_id" in run.decay:
            cat_times = times[np.isin(run.decay["fragment_id"], ids)]
            for fn, word in ((_first, "first"), (_last, "last")):
                t = fn(cat_times)
                if t is not None:
                    out.append(Milestone(t, f"{word} decay (catalogued)", "decay_catalogued"))
    out.sort(key=lambda m: m.time)
    return out


def _draw(ax: Axes, items: list[Milestone]) -> None:
    levels = [0.9, 0.65, 0.4, 0.15]
    for k, m in enumerate(items):
        color = CATEGORY_COLORS[m.category]
        y = levels[k % len(levels)]
        ax.vlines(m.time, 0, y, color=color, lw=1.0)
        ax.plot(m.time, 0, "o", color=color, ms=5, clip_on=False)
        stamp = str(m.time.astype("datetime64[m]")).replace("T", " ")
        ax.annotate(f"{m.label}\n{stamp}Z", (m.time, y), xytext=(3, 0), textcoords="offset points",
                    fontsize=7.5, color=color, va="center", ha="left")
    ax.set_ylim(0, 1.08)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)


def timeline_figure(run: RunData, record: HistoricalRecord | None) -> Figure:
    """The timeline figure; :class:`MissingInput` if the run has no dated milestone at all."""
    items = milestones(run)
    if not items:
        raise MissingInput("no dated milestone: event.json is missing")
    t0 = items[0].time
    short = [m for m in items if m.time - t0 <= SHORT_SPAN]
    long = [m for m in items if m.time - t0 > SHORT_SPAN]
    fig = new_figure(11.0, 6.2 if long else 3.4)
    axes = fig.subplots(2 if long else 1, 1, squeeze=False)[:, 0]
    _draw(axes[0], short)
    span = max(short[-1].time - t0, np.timedelta64(30, "m"))
    pad = span / 12
    axes[0].set_xlim(t0 - pad, short[-1].time + 3 * pad)
    axes[0].xaxis.set_major_formatter(mdates.DateFormatter("%d %b %H:%M"))
    axes[0].set_title(f"The first hours (UTC), from {str(t0)[:10]}", fontsize=10, loc="left")
    if long:
        ax = axes[1]
        _draw(ax, long)
        if record is not None:
            lo = np.datetime64(record.first_decay_utc.value)
            hi = np.datetime64(record.last_decay_utc.value) + np.timedelta64(1, "D")
            ax.axvspan(lo, hi, color=RECORD_COLOR, alpha=0.15, lw=0, label="recorded decays")
            ax.legend(loc="upper right", fontsize=8)
        first, last = t0, long[-1].time
        if record is not None:
            last = max(last, np.datetime64(record.last_decay_utc.value, "ms"))
        pad = (last - first) / 15
        ax.set_xlim(first, last + 2 * pad)
        date_axis(ax)
        ax.set_title("The months after (UTC dates)", fontsize=10, loc="left")
    fig.suptitle("Event timeline")
    return fig

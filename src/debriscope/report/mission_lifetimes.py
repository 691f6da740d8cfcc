"""The cloud's lifetimes with the breakup on the parking orbit and after the partial burn: a figure
and a table drawn from ``lifetimes_burn_vs_parking.csv`` and the propagation's ``burn_comparison``
summary (both written by the propagation stage; :mod:`debriscope.propagation.burn_lifetimes`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..mission.record import NO1_DEBRIS_ORBIT
from ..runfolder import BURN_LIFETIMES_FILE
from .canvas import RECORD_COLOR, MissingInput, new_figure, require
from .html import Table
from .inputs import RunData, utc_datetime64
from .record import HistoricalRecord

CASE_LABELS = {"parking_orbit": "breakup on the parking orbit", "after_burn": "breakup after the partial burn"}
CASE_COLORS = {"parking_orbit": "tab:blue", "after_burn": "tab:red"}
SHORTEST_DAYS = 1e-3
"""Left end of the logarithmic time axis, days (about 1.4 min: the first fragments re-enter within minutes)."""


def _comparison(run: RunData) -> dict[str, Any]:
    section = (run.summary or {}).get("propagation", {}).get("burn_comparison")
    if not section:
        raise MissingInput("summary.json has no propagation.burn_comparison: the scenario has no [mission] "
                           "with an [event.burn], or the propagation stage has not run")
    return section


def _applied_note(case: str, comparison: dict[str, Any]) -> str:
    return " (this run)" if comparison.get("applied") == case else ""


def burn_lifetimes_figure(run: RunData, record: HistoricalRecord | None) -> Figure:
    """Fraction of the cloud decayed against days after the breakup (log scale), for both event states;
    the recorded decay window shaded."""
    cols = [f"lifetime_days_{c}" for c in CASE_LABELS]
    table = require(run.burn_lifetimes, BURN_LIFETIMES_FILE, ["fragment_id", *cols])
    comparison = _comparison(run)
    max_days = float(run.summary["propagation"].get("max_days", np.nan))
    fig = new_figure(10.0, 4.6)
    ax = fig.add_subplot()
    if record is not None and run.event:
        t0 = utc_datetime64(run.event["event"]["time_utc"])[0]
        lo, hi = (float((utc_datetime64(v)[0] - t0) / np.timedelta64(1, "D"))
                  for v in (record.first_decay_utc.value, record.last_decay_utc.value))
        ax.axvspan(max(lo, SHORTEST_DAYS), hi + 1.0, color=RECORD_COLOR, alpha=0.18, lw=0,
                   label=f"recorded decays ({record.first_decay_utc.value} to {record.last_decay_utc.value})")
    for case, label in CASE_LABELS.items():
        life = np.asarray(table[f"lifetime_days_{case}"], float)
        done = np.sort(np.maximum(life[np.isfinite(life)], SHORTEST_DAYS))
        summary = comparison[case]
        text = (f"{label}{_applied_note(case, comparison)}: {summary['event_perigee_km']:.0f} x "
                f"{summary['event_apogee_km']:.0f} km, {100 * summary['fraction_decayed']:.1f} % decayed")
        ax.step(np.concatenate([[SHORTEST_DAYS], done, [max_days]]),
                np.concatenate([[0.0], np.arange(1, done.size + 1), [done.size]]) / max(life.size, 1),
                where="post", color=CASE_COLORS[case], lw=1.6, label=text)
    ax.set_xscale("log")
    ax.set_xlim(SHORTEST_DAYS, max_days)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel(f"days after the breakup (propagated to {max_days:.0f} days)")
    ax.set_ylabel("fraction of the fragments decayed")
    ax.grid(lw=0.3, alpha=0.6, which="both")
    ax.legend(fontsize=8, loc="upper left", framealpha=0.9)
    ax.set_title("The cloud's lifetimes: breakup on the parking orbit and after the partial burn")
    return fig


def _days(value: float | None, max_days: float) -> str:
    return f"> {max_days:.0f}" if value is None else f"{value:.1f}"


def burn_lifetimes_table(run: RunData, record: HistoricalRecord | None) -> Table:
    """Per event state: the event orbit, the share decayed, lifetime quantiles, the last decay; and the
    record's figures."""
    comparison = _comparison(run)
    max_days = float(run.summary["propagation"].get("max_days", np.nan))
    n = run.summary["propagation"].get("n_fragments")
    rows = []
    for case, label in CASE_LABELS.items():
        s = comparison[case]
        rows.append((label + _applied_note(case, comparison), f"{s['event_perigee_km']:.0f} x {s['event_apogee_km']:.0f}",
                     f"{s['n_decayed']} of {n} ({100 * s['fraction_decayed']:.1f} %)",
                     f"{_days(s['lifetime_days_p50'], max_days)} / {_days(s['lifetime_days_p90'], max_days)}",
                     (s["last_decay_utc"] or "-")[:10]))
    if record is not None:
        rows.append((f"record ({record.designation})",
                     f"as published: {record.parking_orbit.value} ({record.parking_orbit.source}); debris "
                     f"{NO1_DEBRIS_ORBIT.value} ({NO1_DEBRIS_ORBIT.source})",
                     f"all {record.n_catalogued.value} catalogued pieces", "-", record.last_decay_utc.value))
    return Table(("breakup", "event orbit (osculating), perigee x apogee, km",
                  f"fragments decayed within {max_days:.0f} days", "lifetime, days: median / 90 %", "last decay"),
                 tuple(rows))

"""The ensemble's report: outcome distributions, decay by size, Gabbard envelopes with percentile
bands, and the inputs' tornado of rank correlations, as one self-contained HTML file (the run
report's layout, :mod:`debriscope.report.html`)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import __version__
from ..constants import SECONDS_PER_DAY
from ..report.canvas import new_figure, png_bytes
from ..report.html import Section, Table, render_html
from ..report.record import RECORDS
from ..scenario import Scenario, event_time_tt_s
from ..timescale import tt_s_to_utc_iso
from . import statistics as st

DPI = 110
_LABELS = {
    "n_fragments": "fragments (count)",
    "n_catalogued": "debris catalogued (count)",
    "last_decay_days": "last decay (days after the event)",
    "first_decay_days": "first decay (days after the event)",
    "median_lifetime_days": "median lifetime (days)",
    "n_in_orbit": "fragments still in orbit at the end (count)",
    "n_fragments_seen": "fragments seen by the sensors (count)",
    "mass_in_fragments_kg": "mass in fragments (kg)",
    "n_decayed": "fragments decayed (count)",
    "n_detections": "detections (count)",
    "catalogued_first_decay_days": "first decay of the catalogued debris (days after the event)",
    "catalogued_last_decay_days": "last decay of the catalogued debris (days after the event)",
}


def _fmt(x: Any, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    return f"{x:.{digits}g}" if isinstance(x, float) else str(x)


def _with_se(stats: dict[str, Any], key: str) -> str:
    return f"{_fmt(stats.get(key))} +- {_fmt(stats.get(key + '_se'), 2)}" if key in stats else "-"


def _histograms(table: dict[str, Any]) -> bytes | None:
    names = [n for n in ("n_catalogued", "n_fragments", "last_decay_days", "median_lifetime_days") if n in table]
    if not names:
        return None
    fig = new_figure(10.0, 2.8)
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    for ax, name in zip(axes, names, strict=True):
        values = np.asarray(table[name], dtype=float)
        values = values[np.isfinite(values)]
        if values.size:
            ax.hist(values, bins=min(30, max(5, values.size // 3)), color="tab:blue", alpha=0.8)
            for q, style in zip(st.QUANTILES, (":", "-", ":"), strict=True):
                ax.axvline(np.quantile(values, q), color="black", lw=1, ls=style)
        ax.set_xlabel(_LABELS.get(name, name))
        ax.set_ylabel("realisations")
    return png_bytes(fig, DPI)


def _decay_by_size(summary: dict[str, Any]) -> bytes | None:
    by_size = summary.get("decay_by_size")
    if not by_size:
        return None
    fig = new_figure(7.5, 3.6)
    ax = fig.subplots()
    labels = list(by_size)
    x = np.arange(len(labels))
    for offset, field, color in ((-0.12, "median_lifetime_days", "tab:blue"), (0.12, "last_decay_days", "tab:red")):
        med = np.array([by_size[b][field].get("p50", np.nan) for b in labels], dtype=float)
        lo = np.array([by_size[b][field].get("p05", np.nan) for b in labels], dtype=float)
        hi = np.array([by_size[b][field].get("p95", np.nan) for b in labels], dtype=float)
        ok = np.isfinite(med)
        ax.errorbar(x[ok] + offset, med[ok], yerr=[med[ok] - lo[ok], hi[ok] - med[ok]], fmt="o", color=color,
                    capsize=4, label=field.replace("_", " ").replace(" days", " (days)"))
    ax.set_xticks(x, labels)
    ax.set_yscale("log")
    ax.set_xlabel("characteristic length")
    ax.set_ylabel("days after the event")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(True, which="both", alpha=0.3)
    return png_bytes(fig, DPI)


def _gabbard_bands(summary: dict[str, Any]) -> bytes | None:
    g = summary.get("gabbard")
    if not g:
        return None
    edges = np.asarray(g["period_bin_edges_min"], dtype=float)
    mid = 0.5 * (edges[:-1] + edges[1:])
    fig = new_figure(7.5, 4.2)
    ax = fig.subplots()
    for key, color, label in (("apogee_km_max", "tab:red", "highest apogee"), ("perigee_km_min", "tab:blue",
                                                                               "lowest perigee")):
        band = {q: np.array([np.nan if v is None else v for v in g[key][q]], dtype=float) for q in g[key]}
        ok = np.isfinite(band["p50"])
        if not ok.any():
            continue
        ax.fill_between(mid[ok], band["p05"][ok], band["p95"][ok], color=color, alpha=0.25, lw=0,
                        label=f"{label}: 5-95 % of realisations")
        ax.plot(mid[ok], band["p50"][ok], color=color, lw=1.2, label=f"{label}: median")
    ax.set_xlabel("period (min)")
    ax.set_ylabel("altitude (km)")
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    return png_bytes(fig, DPI)


def _tornado(summary: dict[str, Any]) -> tuple[bytes | None, str]:
    sens = summary.get("sensitivity") or {}
    outcome = next((o for o in ("n_catalogued", "last_decay_days", "median_lifetime_days", "n_fragments")
                    if o in sens), None)
    if outcome is None:
        return None, ""
    rho = {k: v["rho"] for k, v in sens[outcome].items() if v["rho"] is not None and math.isfinite(v["rho"])}
    if not rho:
        return None, outcome
    names = sorted(rho, key=lambda k: abs(rho[k]))
    fig = new_figure(7.5, 0.5 + 0.45 * len(names))
    ax = fig.subplots()
    ax.barh(np.arange(len(names)), [rho[k] for k in names],
            color=["tab:red" if rho[k] > 0 else "tab:blue" for k in names])
    ax.set_yticks(np.arange(len(names)), names)
    ax.axvline(0.0, color="black", lw=0.8)
    ax.set_xlim(-1, 1)
    ax.set_xlabel(f"Spearman rank correlation with {_LABELS.get(outcome, outcome)}")
    return png_bytes(fig, DPI), outcome


def _date_after_event(t_event_tt_s: float, days: float | None) -> str:
    if days is None or not math.isfinite(days):
        return "-"
    t = t_event_tt_s + days * SECONDS_PER_DAY
    return str(tt_s_to_utc_iso(t))[:10]


def _beside_record(scenario: Scenario, summary: dict[str, Any]) -> Section | None:
    """The catalogued count and the catalogued debris's decay dates beside the scenario's public
    record (``[report] record``), when the ensemble ran the catalog stage. Compared, never fitted."""
    record = RECORDS.get(scenario.report.record)
    figures = summary["figures"]
    if record is None or "n_catalogued" not in figures or not figures["n_catalogued"].get("n"):
        return None
    t_event = event_time_tt_s(scenario)
    rows = [("debris catalogued", f"{_fmt(figures['n_catalogued'].get('p50'))} "
             f"(5-95 %: {_fmt(figures['n_catalogued'].get('p05'))} - {_fmt(figures['n_catalogued'].get('p95'))})",
             str(record.n_catalogued.value), record.n_catalogued.source)]
    for name, value in (("catalogued_first_decay_days", record.first_decay_utc),
                        ("catalogued_last_decay_days", record.last_decay_utc)):
        s = figures.get(name, {})
        if s.get("n"):
            rows.append((_LABELS[name].split(" (")[0],
                         f"{_date_after_event(t_event, s.get('p50'))} (5-95 %: "
                         f"{_date_after_event(t_event, s.get('p05'))} - {_date_after_event(t_event, s.get('p95'))})",
                         str(value.value), value.source))
    return Section("record", "Beside the record",
                   text=f"The ensemble's catalogued debris beside the public record of {record.name}, "
                        f"{record.designation}. Nothing in the model is fitted to it.",
                   tables=(Table(("quantity", "ensemble: median (5-95 %)", "record", "source"), tuple(rows)),))


def render_report(scenario: Scenario, summary: dict[str, Any], table: dict[str, Any],
                  inputs: dict[str, np.ndarray]) -> str:
    """The ensemble report as one HTML document."""
    n = summary["n_realisations"]
    stats_rows = tuple(
        (_LABELS.get(name, name), str(s.get("n", 0)), _with_se(s, "mean"), _with_se(s, "p05"), _with_se(s, "p50"),
         _with_se(s, "p95"))
        for name, s in summary["figures"].items()
    )
    input_rows = []
    for key, s in summary["inputs"].items():
        if "counts" in s:
            spread = ", ".join(f"{v}: {c}" for v, c in s["counts"].items())
            input_rows.append((key, s["distribution"], spread, "", "", s.get("source", "")))
        else:
            input_rows.append((key, s["distribution"], _fmt(s.get("p05")), _fmt(s.get("p50")), _fmt(s.get("p95")),
                               s.get("source", "")))
    sections = [
        Section("outcomes", "Outcomes over the realisations",
                text=f"{n} realisations of {scenario.name} (seed {scenario.seed}; stages "
                     f"{', '.join(summary['stages'])}). Each figure: mean, 5th, 50th and 95th percentiles, "
                     "each +- its Monte Carlo standard error.",
                png=_histograms(table), caption="Distributions over the realisations (lines: 5, 50, 95 %).",
                tables=(Table(("figure", "n", "mean", "5 %", "median", "95 %"), stats_rows),)),
        Section("inputs", "Uncertain inputs", text="What each realisation drew ([[uncertainty]] of the scenario).",
                tables=(Table(("key", "distribution", "5 %", "median", "95 %", "source"), tuple(input_rows)),),
                missing=None if input_rows else "the scenario has no [[uncertainty]] tables: the realisations "
                                                 "differ only in the breakup draw"),
    ]
    decay_png = _decay_by_size(summary)
    sections.append(Section("decay", "Decay by size", png=decay_png,
                            caption="Per size bin: each realisation's median lifetime and last decay; the point is "
                                    "the median over realisations, the bar 5-95 %.",
                            missing=None if decay_png else "the ensemble did not run propagation"))
    sections.append(Section("gabbard", "Gabbard diagram envelopes", png=_gabbard_bands(summary),
                            caption="Right after the event, per 1-min period bin: the highest apogee and lowest "
                                    "perigee of each realisation; bands over realisations."))
    record_section = _beside_record(scenario, summary)
    if record_section is not None:
        sections.insert(1, record_section)
    tornado, outcome = _tornado(summary)
    sections.append(Section("sensitivity", "Which input moves the answer", png=tornado,
                            caption=f"Spearman rank correlation of {_LABELS.get(outcome, outcome)} with each input "
                                    "(Saltelli et al. 2008).",
                            missing=None if tornado else "no uncertain input, or no outcome varied"))
    return render_html(f"Ensemble: {scenario.name}", f"{n} realisations", sections,
                       f"debriscope {__version__}")

"""The report stage: every figure as PNG in ``report/`` and one self-contained ``report/report.html``.

Each figure is drawn from the run folder alone; a figure whose inputs are missing (a stage not run,
or one that found nothing) becomes a section saying so, and the report is still written.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from .. import __version__
from ..mission import MissionPlan, plan_sections
from ..runfolder import REPORT_DIR, RunContext
from ..scenario.options import ReportOptions
from ..tables import atomic_write
from .alerts_plot import alerts_figure
from .canvas import MissingInput, png_bytes
from .catalog_plots import catalog_figure
from .compare import model_vs_record
from .coverage import coverage_figure
from .decay_plots import altitude_figure, decay_figure
from .gabbard import gabbard_figure
from .groundtrack import groundtrack_figure
from .html import Section, Table, render_html
from .inputs import RunData, lat_lon_text, load_run, utc_text
from .mission_lifetimes import burn_lifetimes_figure, burn_lifetimes_table
from .mission_plots import heliocentric_figure, porkchop_figure
from .network import network_figure
from .record import RECORDS, HistoricalRecord
from .sites import SiteGeometry, sites_from_sensor_file
from .timeline import timeline_figure

log = logging.getLogger(__name__)

REPORT_FILE = "report.html"


@dataclass(frozen=True)
class FigureSpec:
    """A figure of the report: its file stem, title, caption and how to draw it."""

    name: str
    title: str
    caption: str
    draw: Callable[[], Figure]


def figure_specs(run: RunData, options: ReportOptions, record: HistoricalRecord | None,
                  sites: Sequence[SiteGeometry]) -> list[FigureSpec]:
    window = "" if record is None else (
        f" The green band is the recorded decay window ({record.first_decay_utc.value} to "
        f"{record.last_decay_utc.value}).")
    return [
        FigureSpec("timeline", "Event timeline",
                   "Launch, insertion and breakup; each search radar site's first detection and the first fence detection, "
                   "tasked-tracker and camera opportunity; the first alert and the last "
                   "alert cleared per site; first and last decays of all and of the catalogued fragments." + window,
                   lambda: timeline_figure(run, record)),
        FigureSpec("groundtrack", "Ground track",
                   "Sub-satellite track of the parking orbit from insertion to the breakup (solid) and as it "
                   "would have continued (dashed), two-body + J2 propagation; the star is the breakup "
                   "point; triangles are the radar sites. Coastline: Natural Earth 1:110m (public domain).",
                   lambda: groundtrack_figure(run, sites)),
        FigureSpec("gabbard", "Gabbard diagrams",
                   "Orbital period against apogee (upward triangle) and perigee (downward triangle) altitude, "
                   "one pair per fragment still in orbit, at several epochs after the breakup; catalogued "
                   "fragments in orange; the star pair is the parent's orbit at the breakup.",
                   lambda: gabbard_figure(run, options.gabbard_days_after_event)),
        FigureSpec("altitude", "Altitude of the catalogued fragments",
                   "Perigee (thick) and apogee (thin) altitude of each catalogued fragment until it decays "
                   "(cross), from the propagation's element snapshots.",
                   lambda: altitude_figure(run)),
        FigureSpec("decay", "Decay dates",
                   "Cumulative number of fragments decayed, all fragments and the catalogued ones (ticks on "
                   "the time axis: the catalogued fragments' decay dates)." + window,
                   lambda: decay_figure(run, record)),
        FigureSpec("catalog", "The catalog beside the record",
                   "Top left: debris admitted to the catalog (cumulative) and those still in it (admitted, not "
                   "yet decayed by the catalog's own prediction), per UTC day" + (
                       f"; dashed: the {record.n_catalogued.value} pieces of the record" if record else "") + ". "
                   "Top right: each catalogued object's decay as the catalog predicted it from its own last "
                   "element set (circle) and as it happened (cross, the simulation's truth, for scoring). "
                   "Bottom left: sizes estimated from the detections (radar equation, SEM; camera magnitude) "
                   "against the true sizes of the catalogued fragments and of the whole cloud. Bottom right: "
                   "detections associated to catalogued objects, by sensor." + window,
                   lambda: catalog_figure(run, record)),
        FigureSpec("coverage", "Radar coverage and detections",
                   "Left: where each radar's fans (low: solid, high: dashed) meet the sphere at the detections' "
                   "median height, and the sub-points of the detections. Right: detections in range and azimuth per site, by beam.",
                   lambda: coverage_figure(run, sites)),
        FigureSpec("network", "The network's watch",
                   "Left: each sensor's detections per day over the observation window (fan radars, cued and "
                   "tasked trackers, the NAVSPASUR fence, Baker-Nunn cameras; tasked trackers and cameras give "
                   "observation opportunities that need a prediction). Right: each sensor's size threshold at "
                   "500 km (P_d 0.5; cameras at 90 deg phase) and the smallest fragment it saw.",
                   lambda: network_figure(run)),
        FigureSpec("alerts", "Alert timeline",
                   "Left: when each alerting track raised its naive alert (an alert on the first detections "
                   "alone), coloured by how it was cleared (grey: never). Right: the same alerts on a common "
                   "clock starting at the naive alert: first detection, alert, and the moment the track was "
                   "cleared as orbital or ballistic, or its last detection if it never was.",
                   lambda: alerts_figure(run)),
    ]


def mission_specs(plan: MissionPlan, run: RunData, record: HistoricalRecord | None) -> list[FigureSpec]:
    """The figures of the section "What the probe was to do"."""
    return [
        FigureSpec("mission_window", "What the probe was to do",
                   "The launch window it was aimed at: C3 of the departure (colour) and v-infinity at arrival "
                   "(dashed) for each departure and arrival date (Lambert arcs between the DE421 positions of "
                   "Earth and the target, prograde, single revolution). The star is the planned departure, "
                   "at the ignition of the burn the explosion cut short, and the planned arrival; the vertical "
                   "lines mark the window's other launches. Every figure below is a plan computed from the "
                   "scenario, not a fact of the record.",
                   lambda: porkchop_figure(plan)),
        FigureSpec("mission_arcs", "What the probe was to do: planned and flown arcs",
                   "Sun-centred arcs in the J2000 ecliptic: the planned transfer (solid) and the other "
                   "launches that left Earth (dashed), with Earth's and the target's orbits; the square and "
                   "the dotted line show the distance from Earth at the last contact.",
                   lambda: heliocentric_figure(plan)),
        FigureSpec("mission_lifetimes", "What the probe was to do: the cloud's lifetimes with and without the burn",
                   "The same fragments (sizes, A/m, ejection velocities) carried to decay from the two candidate "
                   "event states of [event.burn]: the coasting parking orbit at the event time, and the end of the "
                   "partial departure burn; the propagation stage computed both (the run's own cloud and the "
                   "same cloud from the other state, same force model). Fragments still in orbit at the end of "
                   "the propagated span count as living longer (a quantile beyond it reads '>').",
                   lambda: burn_lifetimes_figure(run, record)),
    ]


def _event_table(event: dict[str, Any]) -> Table:
    rows = []
    launch = event.get("launch")
    if launch:
        site = launch.get("site", {})
        where = site.get("name", "")
        if "latitude_deg" in site:
            where += f" ({lat_lon_text(site['latitude_deg'], site['longitude_deg'])})"
        rows.append(("launch", utc_text(launch["time_utc"]), ", ".join(x for x in (where, launch.get("vehicle", "")) if x)))
    if "insertion" in event:
        rows.append(("insertion into the parking orbit", utc_text(event["insertion"]["time_utc"]), ""))
    ev = event["event"]
    rows.append((f"breakup ({ev.get('kind', '')})", utc_text(ev["time_utc"]),
                 f"over {lat_lon_text(ev['subsatellite_lat_deg'], ev['subsatellite_lon_deg'])}, "
                 f"{ev['altitude_km']:.0f} km altitude"))
    for parent in event.get("parents", []):
        rows.append((f"parent: {parent['name']}", "", f"{parent.get('object_class', '')}, {parent['mass_kg']:g} kg"))
    return Table(("", "time (UTC)", "details"), tuple(rows))


def _summary_table(summary: dict[str, Any]) -> Table:
    """The key figures of every stage but the report itself (a re-run would otherwise show the
    previous report's section and differ from the first report)."""
    rows = []
    for stage, section in summary.items():
        if stage == "report":
            continue
        if not isinstance(section, dict):
            rows.append((stage, "", json.dumps(section)))
            continue
        for key, value in section.items():
            text = value if isinstance(value, str) else json.dumps(value)
            rows.append((stage, key, text if len(text) <= 160 else text[:157] + "..."))
    return Table(("stage", "key", "value"), tuple(rows))


def build_report(
    run_dir: str | Path,
    options: ReportOptions,
    *,
    title: str,
    description: str = "",
    mission: MissionPlan | None = None,
) -> dict[str, Any]:
    """Draw every figure, write the PNGs and ``report.html`` into ``run_dir/report/``.

    Parameters
    ----------
    run_dir : path
        The run folder.
    options : ReportOptions
        The ``[report]`` options.
    title : str
        The report's title.
    description : str
        The scenario's description, shown first.
    mission : MissionPlan, optional
        The intended mission (:func:`debriscope.mission.mission_plan`): the section "What the probe
        was to do".

    Returns
    -------
    dict
        The report's ``summary.json`` section.
    """
    run = load_run(run_dir)
    sites = sites_from_sensor_file(run.radars)  # the radars the sensors stage simulated
    out = Path(run_dir) / REPORT_DIR
    out.mkdir(parents=True, exist_ok=True)
    record = RECORDS.get(options.record)
    sections: list[Section] = []
    written, missing = [], {}
    rows = model_vs_record(run, record)
    if description.strip() or run.event:
        sections.append(Section("event", "The event", " ".join(description.split()),
                                tables=(_event_table(run.event),) if run.event else ()))
    sections.append(Section(
        "record", "Model vs record" if record else "Key results",
        "" if record is None else f"The run beside the public record of {record.name}, {record.designation}.",
        tables=(Table(("quantity", "model", "record", "source"),
                      tuple((r.quantity, r.model, r.record, r.source) for r in rows)) if record else
                Table(("quantity", "model"), tuple((r.quantity, r.model) for r in rows)),),
    ))
    for spec in figure_specs(run, options, record, sites):
        png_path = out / f"{spec.name}.png"
        try:
            fig = spec.draw()
        except MissingInput as exc:
            missing[spec.name] = str(exc)
            png_path.unlink(missing_ok=True)
            sections.append(Section(spec.name, spec.title, missing=str(exc)))
            continue
        png = png_bytes(fig, options.dpi)
        with atomic_write(png_path, "wb") as handle:
            handle.write(png)
        written.append(png_path.name)
        sections.append(Section(spec.name, spec.title, png=png, caption=spec.caption, alt=spec.title))
    if mission is not None:
        for spec in mission_specs(mission, run, record):
            try:
                fig = spec.draw()
            except MissingInput as exc:
                missing[spec.name] = str(exc)
                (out / f"{spec.name}.png").unlink(missing_ok=True)
                sections.append(Section(spec.name, spec.title, missing=str(exc)))
                continue
            png = png_bytes(fig, options.dpi)
            with atomic_write(out / f"{spec.name}.png", "wb") as handle:
                handle.write(png)
            written.append(f"{spec.name}.png")
            tables: tuple[Table, ...] = ()
            if spec.name == "mission_window":
                tables = tuple(Table((title, "value", "note"), tuple(rows)) for title, rows in plan_sections(mission))
            elif spec.name == "mission_lifetimes":
                tables = (burn_lifetimes_table(run, record),)
            sections.append(Section(spec.name, spec.title, png=png, caption=spec.caption, alt=spec.title,
                                    tables=tables))
    if run.summary:
        sections.append(Section("summary", "Key figures of each stage", tables=(_summary_table(run.summary),)))
    event = (run.event or {}).get("event", {})
    scen = (run.summary or {}).get("scenario", {})
    ident = f"Scenario {scen['name']}, seed {scen['seed']}" if {"name", "seed"} <= scen.keys() else (
        f"Run folder {Path(run_dir).name}")  # the folder's name is not final while `debriscope run` builds it
    subtitle = ident + (
        f"; breakup {utc_text(event['time_utc'])} ({event.get('kind', '')})" if event.get("time_utc") else "")
    footer = (f"debriscope {__version__}. Self-contained: every figure is embedded; nothing is loaded from "
              "elsewhere. Figures are also in this folder as PNG.")
    text = render_html(title, subtitle, sections, footer)
    html_path = out / REPORT_FILE
    with atomic_write(html_path, "w", encoding="utf-8") as handle:
        handle.write(text)
    log.info("report: %d figures, %d missing -> %s", len(written), len(missing), html_path)
    return {
        "html": f"{REPORT_DIR}/{REPORT_FILE}",
        "html_bytes": len(text.encode("utf-8")),
        "figures": written,
        "missing": missing,
        "n_catalogued": run.n_catalogued(),
        "record": options.record,
        "record_n_catalogued": None if record is None else record.n_catalogued.value,
    }


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """The report stage of the pipeline (see the module docstring)."""
    scenario = ctx.scenario
    name = getattr(scenario, "name", "") or Path(ctx.run_dir).name
    description = getattr(scenario, "description", "") or ""
    mission = None
    if getattr(scenario, "mission", None) is not None:
        from ..mission import mission_plan

        mission = mission_plan(scenario)
    return build_report(ctx.run_dir, scenario.report, title=f"debriscope report: {name}", description=description,
                        mission=mission)

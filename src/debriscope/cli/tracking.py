"""``debriscope track`` and ``debriscope classify``: tracking on a run folder, or on any radar CSV.

::

    debriscope track runs/sputnik22-seed1
    debriscope classify observations.csv --site clear
    debriscope classify my_radar.csv --site-lat-deg 52.4 --site-lon-deg 0.7 --site-alt-m 40

``classify`` reads radar measurements with the ``detections.csv`` columns (``time_utc`` ISO 8601
UTC, ``range_m``, ``azimuth_deg``, ``elevation_deg``; optional ``site``, ``beam``,
``range_rate_mps``, ``sigma_range_m``, ``sigma_azimuth_deg``, ``sigma_elevation_deg``,
``sigma_range_rate_mps``, ``fragment_id``), associates them into tracks, fits each track's orbit
and prints its class (orbital/ballistic), the probability of ballistic and, if ballistic, the
predicted impact point and time.
"""

from __future__ import annotations

from pathlib import Path

import click
import numpy as np

from ..scenario.fields import build
from ..scenario.options import TrackingOptions
from ..tables import Table, read_csv, select
from ..timescale import tt_s_to_utc_iso
from .types import FINITE, FiniteFloat

_PHYSICAL = {
    "range_m": (0.0, None, "a slant range > 0 m"),
    "azimuth_deg": (-360.0, 360.0, "an azimuth in [-360, 360] deg"),
    "elevation_deg": (-90.0, 90.0, "an elevation in [-90, 90] deg"),
    "range_rate_mps": (None, None, "a finite range rate, m/s, or an empty cell"),
    "sigma_range_m": (0.0, None, "a standard deviation > 0, or an empty cell for the default"),
    "sigma_azimuth_deg": (0.0, None, "a standard deviation > 0, or an empty cell for the default"),
    "sigma_elevation_deg": (0.0, None, "a standard deviation > 0, or an empty cell for the default"),
    "sigma_range_rate_mps": (0.0, None, "a standard deviation > 0, or an empty cell for the default"),
}
"""Measurement columns of an observation CSV: (lower bound, upper bound, what is allowed). Ranges
and standard deviations must exceed their lower bound, angles lie within their bounds."""
_REQUIRED_VALUES = ("range_m", "azimuth_deg", "elevation_deg")


def checked_observations(table: Table, path: Path) -> tuple[Table, int]:
    """Refuse physically impossible measurements (naming the file, line, column and value) and drop
    exact duplicate rows; returns the table and the number of rows dropped."""
    n = len(table["time_utc"])
    for name, (lo, hi, allowed) in _PHYSICAL.items():
        if name not in table:
            continue
        column = np.asarray(table[name])
        if column.dtype.kind == "f":  # read_csv made empty cells NaN
            text = np.where(np.isnan(column), "", column.astype(str))
        else:
            text = np.array([str(v).strip() for v in column], dtype=str)
        values = np.full(n, np.nan)
        for k, cell in enumerate(text):
            try:
                values[k] = float(cell) if cell else np.nan
            except ValueError:
                raise click.UsageError(f"{path} line {k + 2}: {name} = {str(cell)!r}: expected {allowed}") from None
        inside = np.isfinite(values)
        if lo is not None:
            inside &= (values >= lo) if name in ("azimuth_deg", "elevation_deg") else (values > lo)
        if hi is not None:
            inside &= values <= hi
        bad = ~inside if name in _REQUIRED_VALUES else ~inside & (text != "")
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            raise click.UsageError(f"{path} line {k + 2}: {name} = {text[k] or 'empty'}: expected {allowed}")
    if not n:
        return table, 0
    rows = list(zip(*(np.asarray(table[c]).astype(str) for c in table), strict=True))
    first: dict[tuple, int] = {}
    keep = np.array([first.setdefault(row, k) == k for k, row in enumerate(rows)], dtype=bool)
    return select(table, keep), int(n - keep.sum())


@click.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
def track(run_dir: Path) -> None:
    """Re-run the tracking stage on RUN_DIR (reads detections.csv; writes tracks, orbits, alerts)."""
    from ..pipeline import rerun_stage

    summary = rerun_stage(run_dir, "tracking")
    click.echo(f"{summary['n_tracks']} tracks, {summary['n_objects']} objects -> {run_dir}")
    for site, s in summary["sites"].items():
        click.echo(
            f"  {site}: first detection {s['first_detection_utc']}, {s['n_tracks']} tracks, "
            f"first naive alert {s['first_naive_alert_utc'] or '-'}, cleared {s['first_alert_cleared_utc'] or '-'}"
        )


def _shipped_site(name: str) -> tuple[float, float, float] | None:
    from ..sensors.sites import shipped_sites

    radars = shipped_sites().get(name)
    if not radars:
        return None
    r = radars[0]
    return r.latitude_deg, r.longitude_deg, r.altitude_m


@click.command()
@click.argument("observations", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--site", default=None, help="Shipped site whose position to use ('clear', 'thule'); "
              "default: the CSV's site column, or the --site-* options.")
@click.option("--site-lat-deg", type=FiniteFloat(-90, 90), default=None,
              help="Radar geodetic latitude, deg (with --site-lon-deg).")
@click.option("--site-lon-deg", type=FiniteFloat(-180, 360), default=None,
              help="Radar east longitude, deg (with --site-lat-deg).")
@click.option("--site-alt-m", type=FINITE, default=None, help="Radar height above WGS-84, m (default 0, or the shipped site's).")
@click.option("--perigee-threshold-km", type=FiniteFloat(min=0), default=120.0, show_default=True,
              help="Orbital if the perigee is at least this high above the ellipsoid.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="Seed of the Monte Carlo probability.")
def classify(observations: Path, site: str | None, site_lat_deg: float | None, site_lon_deg: float | None,
             site_alt_m: float | None, perigee_threshold_km: float, seed: int) -> None:
    """Classify the tracks in OBSERVATIONS.csv as orbital or ballistic."""
    from ..tracking.measurements import Site
    from ..tracking.stage import early_warning_parts, utc
    from ..tracking.tracker import build_tracks, fit_and_classify, measurements_from_table, track_arc

    if (site_lat_deg is None) != (site_lon_deg is None):
        given = "--site-lat-deg" if site_lon_deg is None else "--site-lon-deg"
        missing = "--site-lon-deg" if site_lon_deg is None else "--site-lat-deg"
        raise click.UsageError(f"{given} needs {missing}: give the radar's latitude and longitude together")
    table = read_csv(observations)
    if "time_utc" not in table:
        raise click.UsageError(f"{observations}: no time_utc column (see 'debriscope classify --help')")
    table, n_duplicates = checked_observations(table, observations)
    if n_duplicates:
        click.echo(f"{observations}: {n_duplicates} duplicated row(s) ignored", err=True)
    if "site" in table:
        present = sorted(set(map(str, table["site"])))
        if site is None and len(present) > 1:
            raise click.UsageError(
                f"{observations} holds measurements from several sites ({', '.join(present)}): choose one with --site"
            )
        if site is not None and site in present:
            table = select(table, np.asarray(table["site"]).astype(str) == site)
        elif site is not None and site_lat_deg is None:
            raise click.UsageError(f"{observations} has no measurements from site {site!r} (it has {', '.join(present)})")
    n = len(table["time_utc"])
    name = site or (str(table["site"][0]) if "site" in table and n else "radar")
    pos = _shipped_site(name) if site_lat_deg is None or site_lon_deg is None else None
    if site_lat_deg is not None and site_lon_deg is not None:
        pos = (site_lat_deg, site_lon_deg, site_alt_m or 0.0)
    if pos is None:
        raise click.UsageError(f"unknown site {name!r}: give --site clear|thule or --site-lat-deg/--site-lon-deg")
    if site_alt_m is not None:
        pos = (pos[0], pos[1], site_alt_m)
    table["site"] = np.full(n, name)
    parts = early_warning_parts(build(TrackingOptions, {"perigee_threshold_km": perigee_threshold_km}))
    try:
        meas = measurements_from_table(table, parts.sigmas)
    except ValueError as exc:
        raise click.UsageError(f"{observations}: {exc}") from exc
    sites = {name: Site(name, *pos)}
    labels = build_tracks(meas, sites, parts.associator)
    rng = np.random.default_rng(seed)
    n_tracks = int(labels.max()) + 1 if n and labels.max() >= 0 else 0
    click.echo(f"{n} measurements, {n_tracks} tracks; site {name} at {pos[0]:.4f} {pos[1]:.4f} {pos[2]:.0f} m")
    for k in range(n_tracks):
        idx = np.flatnonzero(labels == k)
        head = (f"track {k + 1}: {idx.size} detections, {tt_s_to_utc_iso(meas.t_tt_s[idx].min(), 1)} .. "
                f"{tt_s_to_utc_iso(meas.t_tt_s[idx].max(), 1)}: ")
        # an arc needs distinct times (IOD divides by their differences): the first detection of a time is kept
        distinct = idx[np.unique(meas.t_tt_s[idx], return_index=True)[1]]
        if distinct.size < idx.size:
            head += f"{idx.size - distinct.size} left out (same time as another, different values); "
        if distinct.size < 2:
            click.echo(head + "not classified (fewer than two distinct times)")
            continue
        res = fit_and_classify(track_arc(meas, distinct, sites[name]), parts.classifier, rng)
        line = head + f"{res.classification}, p_ballistic {res.p_ballistic:.3f}, perigee {res.perigee_km:.0f} km"
        if res.classification == "ballistic" and np.isfinite(res.impact_tt_s):
            line += f"; impact {res.impact_lat_deg:.2f} {res.impact_lon_deg:.2f} at {utc(res.impact_tt_s)}"
        click.echo(line)

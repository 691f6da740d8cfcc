"""``debriscope observe RUN_DIR``: re-run the sensors stage on a run folder.

Reads ``fragments.csv`` and the resolved ``scenario.toml`` of the run, writes ``detections.csv``
(and ``detections.tdm`` with ``[sensors] tdm = true``), updates ``summary.json`` and prints, per
site, whether the radars could see the cloud and when::

    debriscope observe runs/sputnik22-seed1
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click


def format_summary(section: dict[str, Any]) -> list[str]:
    """Human-readable lines of the sensors section of ``summary.json``."""
    lines = [f"{section['n_detections']} detections of {section['n_fragments_seen']} fragments "
             f"over {section['window_days']:g} days by {section['n_radars']} radars"]
    for site, s in section["sites"].items():
        first = s["first_detection_utc"] or "never"
        lines.append(f"{site}: could see the cloud: {'yes' if s['could_see_cloud'] else 'no'}; first detection {first}; "
                     f"{s['n_fragments_seen']} fragments, {s['n_detections']} detections")
        for beam, f in s["fans"].items():
            if f["first_rising_crossing_utc"] is None:
                lines.append(f"  {beam}: no fragment crossed it inside the sector and range")
            else:
                lines.append(
                    f"  {beam}: first rising crossing {f['first_rising_crossing_utc']} by fragment {f['fragment_id']} "
                    f"over {f['subsatellite_lat_deg']:.2f}, {f['subsatellite_lon_deg']:.2f} deg "
                    f"(range {f['range_km']:.0f} km, azimuth {f['azimuth_deg']:.1f} deg); "
                    f"{f['n_fragments_in_coverage']} fragments in coverage"
                )
    return lines


@click.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
def observe(run_dir: Path) -> None:
    """Simulate the radars' detections of the cloud in RUN_DIR (writes detections.csv)."""
    from ..pipeline import rerun_stage, rich_progress

    section = rerun_stage(run_dir, "sensors", progress=rich_progress(sys.stderr.isatty()))
    for line in format_summary(section):
        click.echo(line)

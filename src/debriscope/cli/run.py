"""``debriscope run``: every stage on a scenario."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..pipeline import rich_progress
from ..pipeline import run as run_pipeline
from ..runfolder import SUMMARY_FILE
from ..scenario.schema import MAX_SEED


@click.command()
@click.argument("scenario", required=False, default="sputnik22")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), default=None,
              help="Run folder to write (default: runs/<name>-seed<seed>): a new or empty folder, or an earlier "
                   "run with --force (replaced only when the run succeeds).")
@click.option("--seed", type=click.IntRange(min=0, max=MAX_SEED), default=None, help="Override the scenario's seed.")
@click.option("--force", is_flag=True,
              help="Replace an earlier debriscope run in the run folder (never a folder holding anything else).")
@click.option("--no-progress", is_flag=True, help="No progress bars (they are off anyway when stderr is not a terminal).")
def run(scenario: str, out_dir: Path | None, seed: int | None, force: bool, no_progress: bool) -> None:
    """Run every stage on SCENARIO (a .toml file or a shipped name; default: sputnik22)."""
    folder = run_pipeline(scenario, out_dir, seed=seed, force=force, progress=rich_progress(not no_progress))
    summary = json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8"))
    click.echo(f"Run folder: {folder}")
    for stage, section in summary.items():
        if isinstance(section, dict):
            keys = [k for k, v in section.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)]
            shown = ", ".join(f"{k}={section[k]}" for k in keys[:6])
            click.echo(f"  {stage}: {shown}")

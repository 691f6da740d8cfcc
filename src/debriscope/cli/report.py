"""``debriscope report RUN_DIR [--open]``: (re)write a run's self-contained HTML report."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click


@click.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--open", "open_browser", is_flag=True, help="Open the report in the default web browser.")
def report(run_dir: Path, open_browser: bool) -> None:
    """Draw the figures and write RUN_DIR/report/report.html (one file, opens offline)."""
    from ..pipeline import rerun_stage

    summary = rerun_stage(run_dir, "report")
    html = (run_dir / summary["html"]).resolve()
    click.echo(f"report: {html} ({len(summary['figures'])} figures)")
    for name, reason in summary["missing"].items():
        click.echo(f"  {name}: not drawn ({reason})")
    if open_browser:
        webbrowser.open(html.as_uri())

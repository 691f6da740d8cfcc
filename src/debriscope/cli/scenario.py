"""``debriscope scenario``: list, check and show scenarios."""

from __future__ import annotations

import click

from ..scenario import load, shipped_scenarios, to_toml
from ..scenario.launch import event_geometry


@click.group()
def scenario() -> None:
    """List, check and show scenario files."""


@scenario.command("list")
def list_() -> None:
    """The scenarios shipped with debriscope."""
    for name in shipped_scenarios():
        click.echo(name)


@scenario.command()
@click.argument("source", default="sputnik22")
def check(source: str) -> None:
    """Validate SOURCE (a .toml file or a shipped name) and print where the event happens."""
    sc = load(source)
    geo = event_geometry(sc)
    from ..timescale import tt_s_to_utc_iso

    click.echo(f"{sc.name}: valid")
    click.echo(f"  event {sc.event.kind} at {tt_s_to_utc_iso(geo.t_tt_s)}")
    click.echo(
        f"  sub-satellite point {geo.subsatellite_lat_deg:+.3f} deg, {geo.subsatellite_lon_deg:+.3f} deg; "
        f"altitude {geo.altitude_km:.1f} km"
    )


@scenario.command()
@click.argument("source", default="sputnik22")
def show(source: str) -> None:
    """Print the resolved scenario (every default filled in) as TOML."""
    click.echo(to_toml(load(source)), nl=False)

"""``debriscope mission [SCENARIO]``: the intended mission of a scenario's ``[mission]`` table."""

from __future__ import annotations

import json

import click


@click.command()
@click.argument("source", default="sputnik22")
@click.option("--json", "as_json", is_flag=True, help="Print the key figures as JSON instead of text.")
def mission(source: str, as_json: bool) -> None:
    """The departure the event interrupted, the planned flyby, the launch window and the other launches
    beside it (patched conics, JPL DE421; docs/mission.md). SOURCE is a .toml file or a shipped name."""
    from ..mission import mission_plan, plan_json, plan_sections
    from ..scenario import load

    plan = mission_plan(load(source))
    if as_json:
        click.echo(json.dumps(plan_json(plan), indent=2))
        return
    for title, rows in plan_sections(plan):
        click.echo(title)
        width = max(len(q) for q, _, _ in rows)
        for quantity, value, note in rows:
            click.echo(f"  {quantity:<{width}}  {value}" + (f"  [{note}]" if note else ""))
        click.echo()

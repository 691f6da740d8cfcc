"""``debriscope breakup``: the NASA Standard Breakup Model on one body, without an orbit.

Writes the fragment table (ejection velocities only, no states) for an explosion of one parent
or a collision of a target with an impactor::

    debriscope breakup --kind explosion --object-class rocket_body --mass-kg 900 \\
        --lc-min-m 0.05 --seed 7 -o fragments.csv
    debriscope breakup --kind collision --object-class spacecraft --mass-kg 1000 \\
        --impactor-mass-kg 10 --relative-speed-mps 10000 -o fragments.parquet
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click
import numpy as np

from ..breakup.cloud import Parent, collision, explosion
from ..breakup.fragments_io import write_fragments
from ..errors import FragmentCountError
from ..scenario.options import BreakupOptions
from .types import POSITIVE, FiniteFloat

_CLASSES = click.Choice(["rocket_body", "spacecraft"])
_SCHEMA = {f.name: f for f in dataclasses.fields(BreakupOptions)}
"""The ``[breakup]`` fields: the options below take their bounds and defaults from the scenario schema."""
_LC_MIN = _SCHEMA["lc_min_m"]
_MAX_FRAGMENTS = _SCHEMA["max_fragments"]


@click.command()
@click.option("--kind", type=click.Choice(["explosion", "collision"]), default="explosion", show_default=True,
              help="Event kind.")
@click.option("--object-class", "--target-class", "object_class", type=_CLASSES, required=True,
              help="Class of the body (the target in a collision): selects its A/m distribution.")
@click.option("--mass-kg", type=POSITIVE, required=True, help="Mass of the body that fragments, kg.")
@click.option("--area-m2", type=POSITIVE, default=None,
              help="Its mean cross-sectional area, m^2 (bounds the largest fragment; default: from the mass).")
@click.option("--name", default="parent", show_default=True, help="Name written in the 'parent' column.")
@click.option("--lc-min-m", type=FiniteFloat(min=_LC_MIN.metadata["min"]), default=_LC_MIN.default,
              show_default=True, help="Smallest characteristic length sampled, m (as breakup.lc_min_m).")
@click.option("--max-fragments", type=click.IntRange(min=_MAX_FRAGMENTS.metadata["min"]),
              default=_MAX_FRAGMENTS.default, show_default=True,
              help="Refuse, before sampling, more expected fragments than this (about 1.3 GB per million).")
@click.option("--scaling-factor", type=POSITIVE, default=None,
              help="Explosion scaling factor S (default 1 for either class).")
@click.option("--impactor-mass-kg", type=POSITIVE, default=None, help="Collision: impactor mass, kg.")
@click.option("--impactor-class", type=_CLASSES, default="spacecraft", show_default=True,
              help="Collision: impactor class.")
@click.option("--relative-speed-mps", type=POSITIVE, default=None, help="Collision: impact speed, m/s.")
@click.option("--no-mass-budget", is_flag=True, help="Keep the sample as drawn (may exceed the parent's mass).")
@click.option("--mass-budget-policy", type=click.Choice(["resample", "truncate"]), default="resample",
              show_default=True, help="How an overweight sample meets the mass budget (docs/breakup.md).")
@click.option("--n-remnants", type=click.IntRange(_SCHEMA["n_remnants"].metadata["min"], _SCHEMA["n_remnants"].metadata["max"]),
              default=_SCHEMA["n_remnants"].default, show_default=True,
              help="Remnants carrying the mass the fragments leave over.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True, help="Random seed.")
@click.option("-o", "--out", "out", type=click.Path(dir_okay=False, path_type=Path), default=Path("fragments.csv"),
              show_default=True, help="Output file; '.parquet' writes Parquet, else CSV.")
def breakup(
    kind: str,
    object_class: str,
    mass_kg: float,
    area_m2: float | None,
    name: str,
    lc_min_m: float,
    max_fragments: int,
    scaling_factor: float | None,
    impactor_mass_kg: float | None,
    impactor_class: str,
    relative_speed_mps: float | None,
    no_mass_budget: bool,
    mass_budget_policy: str,
    n_remnants: int,
    seed: int,
    out: Path,
) -> None:
    """Fragment one body with the NASA Standard Breakup Model and write the fragment table."""
    rng = np.random.default_rng(seed)
    common = dict(lc_min_m=lc_min_m, mass_budget=not no_mass_budget, mass_budget_policy=mass_budget_policy,
                  n_remnants=n_remnants, max_fragments=max_fragments)
    try:
        parent = Parent(name=name, object_class=object_class, mass_kg=mass_kg, area_m2=area_m2)
        if kind == "explosion":
            if impactor_mass_kg is not None or relative_speed_mps is not None:
                raise click.UsageError("--impactor-mass-kg and --relative-speed-mps apply to --kind collision only")
            factors = None if scaling_factor is None else [scaling_factor]
            cloud = explosion([parent], rng, scaling_factors=factors, **common)
        else:
            if impactor_mass_kg is None or relative_speed_mps is None:
                raise click.UsageError("--kind collision needs --impactor-mass-kg and --relative-speed-mps")
            if scaling_factor is not None:
                raise click.UsageError("--scaling-factor applies to --kind explosion only")
            impactor = Parent(name="impactor", object_class=impactor_class, mass_kg=impactor_mass_kg)
            cloud = collision(parent, impactor, relative_speed_mps, rng, **common)
    except FragmentCountError as exc:
        raise click.UsageError(
            f"--lc-min-m {lc_min_m:g} gives about {exc.expected:.3g} fragments (NASA breakup model size law), "
            f"more than --max-fragments {max_fragments}: give a larger --lc-min-m, or raise --max-fragments "
            "(about 1.3 GB of memory per million fragments)"
        ) from None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    output_format = "parquet" if out.suffix == ".parquet" else "csv"
    write_fragments(out, cloud.table, output_format)
    summary = cloud.summary()
    click.echo(f"{out}: {summary['n_fragments']} fragments ({summary['n_remnants']} remnants), "
               f"{summary['mass_accounted_kg']:.6g} of {summary['mass_total_kg']:.6g} kg accounted for")
    if kind == "collision":
        click.echo(f"catastrophic={summary['catastrophic']}, M={summary['reference_mass_kg']:.6g} kg, "
                   f"{summary['energy_to_mass_j_per_g']:.4g} J/g")

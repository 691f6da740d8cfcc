"""The breakup stage: read ``event.json``, write the fragment table with post-event states.

Inputs (``event.json``, written by the scenario stage): ``event.kind``, ``event.time_utc``, the
``parents`` (name, object_class, mass_kg, area_m2 or null, r_teme_m, v_teme_mps at the event) and,
for a collision, the ``impactor`` (name, object_class, mass_kg, relative_speed_mps, direction
'along' | 'cross' | 'radial' in the target's local frame). The impactor's velocity is the target's
plus ``relative_speed_mps`` along that direction; its position is the target's.

Output: ``fragments.csv`` (or ``fragments.parquet`` with ``output_format = 'parquet'``), columns
as in :mod:`debriscope.breakup.cloud`; the returned summary is the breakup section of
``summary.json``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import FragmentCountError, ScenarioError
from ..runfolder import EVENT_FILE, FRAGMENTS_FILE, FRAGMENTS_PARQUET_FILE, RunContext
from .cloud import FragmentCloud, Parent, collision, explosion
from .fragments_io import write_fragments

_DIRECTIONS = ("along", "cross", "radial")


def _parent(record: dict[str, Any], key: str) -> Parent:
    try:
        return Parent(
            name=str(record["name"]),
            object_class=record["object_class"],
            mass_kg=float(record["mass_kg"]),
            area_m2=None if record.get("area_m2") is None else float(record["area_m2"]),
            r_teme_m=tuple(float(x) for x in record["r_teme_m"]),
            v_teme_mps=tuple(float(x) for x in record["v_teme_mps"]),
        )
    except KeyError as exc:
        raise ScenarioError(f"{key}.{exc.args[0]}", None, "required in event.json") from None
    except ValueError as exc:
        raise ScenarioError(key, record.get("name"), str(exc)) from None


def impactor_velocity_teme_mps(
    r_teme_m: np.ndarray, v_teme_mps: np.ndarray, relative_speed_mps: float, direction: str
) -> np.ndarray:
    """The impactor's velocity: the target's plus ``relative_speed_mps`` along the target's local
    along-track (velocity), cross-track (orbit normal) or radial unit vector."""
    r, v = np.asarray(r_teme_m, dtype=float), np.asarray(v_teme_mps, dtype=float)
    if direction == "along":
        unit = v / np.linalg.norm(v)
    elif direction == "cross":
        h = np.cross(r, v)
        unit = h / np.linalg.norm(h)
    elif direction == "radial":
        unit = r / np.linalg.norm(r)
    else:
        raise ScenarioError("event.impactor.direction", direction, "allowed: 'along', 'cross', 'radial'")
    return v + relative_speed_mps * unit


def cloud_from_event(event: dict[str, Any], options: Any, rng: np.random.Generator) -> FragmentCloud:
    """Fragment the parents described by an ``event.json`` record with ``[breakup]`` options."""
    kind = event["event"]["kind"]
    epoch = event["event"]["time_utc"]
    parents = [_parent(p, f"parents[{k}]") for k, p in enumerate(event.get("parents") or [])]
    if not parents:
        raise ScenarioError("parents", [], "event.json lists no parent to fragment")
    common = dict(
        lc_min_m=options.lc_min_m, mass_budget=options.mass_budget, mass_budget_policy=options.mass_budget_policy,
        n_remnants=options.n_remnants, epoch_utc=epoch, max_fragments=options.max_fragments,
    )
    try:
        if kind == "explosion":
            factors = [options.scaling_factor(p.name, p.object_class) for p in parents]
            return explosion(parents, rng, scaling_factors=factors, **common)
        if kind == "collision":
            imp = event.get("impactor")
            if imp is None:
                raise ScenarioError("event.impactor", None, "a collision needs an impactor")
            if len(parents) != 1:
                raise ScenarioError("parents", [p.name for p in parents], "a collision has exactly one target")
            target = parents[0]
            speed = float(imp["relative_speed_mps"])
            v_imp = impactor_velocity_teme_mps(
                target.r_teme_m, target.v_teme_mps, speed, imp.get("direction", "cross")
            )
            impactor = Parent(
                name=str(imp.get("name", "impactor")),
                object_class=imp["object_class"],
                mass_kg=float(imp["mass_kg"]),
                r_teme_m=target.r_teme_m,
                v_teme_mps=tuple(float(x) for x in v_imp),
            )
            return collision(target, impactor, speed, rng, **common)
    except ScenarioError:
        raise
    except FragmentCountError as exc:
        raise ScenarioError(
            "breakup.lc_min_m", exc.lc_min_m,
            f"gives about {exc.expected:.3g} fragments, more than breakup.max_fragments = {exc.limit:g}; "
            "choose a larger breakup.lc_min_m or raise breakup.max_fragments (about 1.3 GB of memory per million)",
        ) from None
    except ValueError as exc:
        raise ScenarioError("breakup", kind, str(exc)) from None
    raise ScenarioError("event.kind", kind, "allowed: 'explosion', 'collision'")


def run_stage(ctx: RunContext) -> dict[str, Any]:
    """Fragment the event's parents and write the fragment table; return the summary section."""
    options = ctx.scenario.breakup
    cloud = cloud_from_event(ctx.read_json(EVENT_FILE), options, ctx.rng)
    path = ctx.path(FRAGMENTS_FILE if options.output_format == "csv" else FRAGMENTS_PARQUET_FILE)
    write_fragments(path, cloud.table, options.output_format)
    summary = cloud.summary()
    summary["file"] = path.name
    return summary

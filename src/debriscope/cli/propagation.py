"""``debriscope lifetime`` (one object's decay) and ``debriscope propagate RUN_DIR`` (the stage)."""

from __future__ import annotations

import dataclasses
from dataclasses import replace

import click
import numpy as np

from ..scenario.options import PropagationOptions
from .types import FINITE, NON_NEGATIVE, POSITIVE, FiniteFloat

_MAX_DAYS = next(f for f in dataclasses.fields(PropagationOptions) if f.name == "max_days")
"""``propagation.max_days``: ``--max-days`` takes its bounds from the scenario schema."""


@click.command()
@click.option("--perigee-km", type=FINITE, required=True, help="perigee altitude above 6378.135 km, km")
@click.option("--apogee-km", type=FINITE, required=True, help="apogee altitude above 6378.135 km, km")
@click.option("--inclination-deg", type=FiniteFloat(min=0.0, max=180.0), required=True, help="inclination (TEME), deg")
@click.option("--epoch", "epoch_utc", required=True, help="epoch, ISO 8601 UTC, e.g. 1962-10-24T19:00:00Z")
@click.option("--am-m2-kg", type=NON_NEGATIVE, required=True, help="area-to-mass ratio, m^2/kg")
@click.option("--cd", type=POSITIVE, default=2.2, show_default=True, help="drag coefficient")
@click.option("--f107", "f107_sfu", type=POSITIVE, default=None, help="constant F10.7 and 81-day mean, sfu")
@click.option("--ap", type=NON_NEGATIVE, default=None, help="constant Ap (with --f107)")
@click.option("--raan-deg", type=FINITE, default=0.0, show_default=True, help="right ascension of the node (TEME)")
@click.option("--argp-deg", type=FINITE, default=0.0, show_default=True,
              help="argument of perigee; the object starts at perigee")
@click.option("--msis-version", type=click.Choice(["00", "2.0", "2.1"]), default="2.1", show_default=True)
@click.option("--mode", type=click.Choice(["fast", "reference"]), default="fast", show_default=True)
@click.option("--max-days", type=FiniteFloat(min=_MAX_DAYS.metadata["min"], min_open=True, max=_MAX_DAYS.metadata["max"]),
              default=400.0, show_default=True,
              help="give up after this many days (at most 100 years, as propagation.max_days); on a terminal a "
              "progress bar counts the simulated time (fast mode)")
@click.pass_context
def lifetime(ctx: click.Context, perigee_km: float, apogee_km: float, inclination_deg: float, epoch_utc: str,
             am_m2_kg: float, cd: float, f107_sfu: float | None, ap: float | None, raan_deg: float, argp_deg: float,
             msis_version: str, mode: str, max_days: float) -> None:
    """Print the decay epoch and orbital lifetime of one object, starting at perigee.

    Historical F10.7/Ap of the actual dates by default; constant indices with --f107 and --ap.
    """
    from .. import spaceweather
    from ..compile_progress import compile_progress
    from ..elements import apsides_to_a_e, elements_to_rv
    from ..errors import DataCoverageError
    from ..pipeline import rich_progress
    from ..propagation import Status, force_model_from_parameters, predict_decay
    from ..propagation.fast import DECAY_CHUNK_S
    from ..scenario.models import truth_parameters
    from ..timescale import tt_s_to_utc_iso, utc_to_tt_s

    if (f107_sfu is None) != (ap is None):
        raise click.UsageError("give both --f107 and --ap (constant indices) or neither (historical)")
    if not (0.0 <= perigee_km <= apogee_km):
        raise click.UsageError("need 0 <= --perigee-km <= --apogee-km")
    try:
        t0 = float(utc_to_tt_s(epoch_utc))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--epoch'") from None
    try:
        options = replace(PropagationOptions(), mode=mode, cd=cd, f107_sfu=f107_sfu, ap=ap,
                          msis_version=msis_version, max_days=max_days)
        if f107_sfu is None:  # the whole span inside the historical record, before any work
            spaceweather.indices(np.array([t0, t0 + max_days * 86400.0]))
        model = force_model_from_parameters(truth_parameters(options), t0)
    except DataCoverageError as exc:
        raise click.BadParameter(f"{epoch_utc} plus --max-days {max_days:g}: {exc}", param_hint="'--epoch'") from None
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    a, e = apsides_to_a_e(perigee_km * 1e3, apogee_km * 1e3)
    r, v = elements_to_rv(a, e, np.radians(inclination_deg), np.radians(raan_deg), np.radians(argp_deg), 0.0)
    quiet = bool((ctx.find_root().obj or {}).get("quiet"))
    chunk_days = DECAY_CHUNK_S / 86400.0  # fast mode reports once per chunk of simulated time
    progress = rich_progress(enabled=not quiet)
    with compile_progress(progress), progress(int(np.ceil(max_days / chunk_days)), "simulated 2-day chunks") as advance:
        res = predict_decay(np.vstack([r, v]), t0, np.array([am_m2_kg]), model, max_days, lambda _left: advance(1))
    status = Status(int(res.status[0]))
    indices = f"constant F10.7 {f107_sfu:g}, Ap {ap:g}" if f107_sfu is not None else "historical indices"
    click.echo(f"model: NRLMSIS {msis_version}, {indices}, Cd {cd:g}, mode {mode}")
    if status == Status.DECAYED:
        days = (res.decay_tt_s[0] - t0) / 86400.0
        click.echo(f"decay: {tt_s_to_utc_iso(res.decay_tt_s[0], decimals=0)}")
        click.echo(f"lifetime: {days:.3f} days")
    elif status == Status.OK:
        click.echo(f"decay: none within {max_days:g} days")
        click.echo(f"lifetime: > {max_days:g} days")
    elif status == Status.ESCAPED:
        click.echo("decay: none (the apogee lies beyond Earth's sphere of influence: the object leaves Earth orbit)")
    else:  # the orbit is bound and its inputs finite: a failure here is the integrator's
        raise RuntimeError("the propagation failed (non-finite state); try --mode reference")


@click.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False))
def propagate(run_dir: str) -> None:
    """Re-run the propagation stage on RUN_DIR (reads fragments.csv, event.json)."""
    from ..pipeline import rerun_stage

    summary = rerun_stage(run_dir, "propagation")
    click.echo(f"{summary['n_decayed']} of {summary['n_fragments']} fragments decayed within "
               f"{summary['max_days']:g} days; median lifetime {summary['median_lifetime_days']} days")

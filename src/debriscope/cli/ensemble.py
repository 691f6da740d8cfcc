"""``debriscope ensemble``: many realisations of a scenario and their statistics."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..ensemble import BACKENDS
from ..ensemble import ensemble as run_ensemble
from ..pipeline import rich_progress
from ..scenario.schema import MAX_SEED


@click.command()
@click.argument("scenario", required=False, default="sputnik22")
@click.option("-n", "n", type=click.IntRange(min=1), required=True, help="Number of realisations.")
@click.option("-o", "--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Ensemble folder (new or empty; or an earlier ensemble with --resume).")
@click.option("--backend", type=click.Choice(BACKENDS), default=None,
              help="serial, processes (a local process pool; the default) or dask (dask.distributed).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the CPU count). With --backend dask: a LocalCluster's workers.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="A running dask.distributed scheduler (e.g. tcp://10.0.0.5:8786); implies --backend dask.")
@click.option("--stages", default=None, metavar="LIST",
              help="Comma-separated pipeline prefix each realisation runs (default: breakup,propagation; "
                   "e.g. breakup,propagation,sensors,tracking,catalog).")
@click.option("--seed", type=click.IntRange(min=0, max=MAX_SEED), default=None, help="Override the scenario's seed.")
@click.option("--resume", is_flag=True, help="Continue an interrupted ensemble in the folder (done realisations are kept).")
@click.option("--keep-runs", is_flag=True, help="Keep every realisation's full run folder under runs/.")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
def ensemble(scenario: str, n: int, out_dir: Path, backend: str | None, workers: int | None, scheduler: str | None,
             stages: str | None, seed: int | None, resume: bool, keep_runs: bool, no_progress: bool) -> None:
    """Run N realisations of SCENARIO (a .toml file or a shipped name) and their statistics.

    Realisation i draws the scenario's [[uncertainty]] inputs and its breakup from
    SeedSequence(seed).spawn(N)[i]: every backend gives the same numbers.
    """
    if backend is None:
        backend = "dask" if scheduler else "processes"
    folder = run_ensemble(
        scenario, n, out_dir, backend=backend, workers=workers, scheduler=scheduler,
        stages=stages.split(",") if stages else None, seed=seed, resume=resume, keep_runs=keep_runs,
        progress=rich_progress(not no_progress),
    )
    stats = json.loads((folder / "ensemble.json").read_text(encoding="utf-8"))
    click.echo(f"Ensemble folder: {folder} ({stats['n_realisations']} realisations)")
    for name, s in stats["figures"].items():
        if s.get("n"):
            click.echo(f"  {name}: median {s['p50']:.4g} (5-95 %: {s['p05']:.4g} - {s['p95']:.4g}), "
                       f"mean {s['mean']:.4g} +- {s['mean_se']:.2g}")

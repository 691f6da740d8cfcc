"""Ensemble throughput: flagship realisations (breakup + propagation to decay, Lc >= 5 cm) per
minute after the first, on Dask LocalClusters of 1 and of 2 workers, and each worker's peak memory.

Run: ``python benchmarks/ensemble.py [-n 16] [--scenario sputnik22] [--workers 1 2]``. A warm-up
realisation first fills the Numba and density-slice caches (a repeated ensemble of the same event
starts warm); then, for each worker count, a fresh LocalCluster runs ``n`` realisations of the
same ensemble and the rate is counted from the first realisation's completion to the last's
(cluster start and each worker's first realisation excluded, as the issue's "after the first").
Prints realisations per minute, the speed-up over the first worker count, and the peak resident
memory of each worker (``getrusage``).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message="Local data files are older")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def rate_on_dask(spec, indices: list[int], workers: int) -> tuple[float, list[float], float]:
    """(realisations per minute after the first, peak RSS of each worker in MB, wall s)."""
    import dask
    from distributed import Client, LocalCluster, as_completed

    from debriscope.ensemble.realisation import run_realisation

    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=40) as cluster, Client(cluster) as client:
            client.run(lambda: run_realisation(spec, indices[0]))  # each worker's first realisation (warm-up)
            start = time.perf_counter()
            done = []
            for _ in as_completed([client.submit(run_realisation, spec, i, pure=False) for i in indices[1:]]):
                done.append(time.perf_counter())
            wall = done[-1] - start
            rss = sorted(client.run(_peak_rss_mb).values())
    return 60.0 * len(done) / wall, rss, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=16, help="realisations per measurement")
    parser.add_argument("--scenario", default="sputnik22")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()

    from debriscope.ensemble.realisation import EnsembleSpec, run_realisation
    from debriscope.scenario import load, to_toml

    scenario = load(args.scenario)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (out / ".work").mkdir()
        spec = EnsembleSpec(scenario_toml=to_toml(scenario), stages=("scenario", "breakup", "propagation"),
                            out_dir=str(out), numba_threads=1)
        t0 = time.perf_counter()
        record = run_realisation(spec, 0)
        print(f"{scenario.name}: {len(scenario.uncertainty)} uncertain inputs; warm-up realisation "
              f"({record['figures'].get('n_fragments')} fragments) {time.perf_counter() - t0:.1f} s")
        rates = {}
        for workers in args.workers:
            rate, rss, wall = rate_on_dask(spec, list(range(args.n)), workers)
            rates[workers] = rate
            print(f"dask, {workers} worker(s): {args.n - 1} realisations in {wall:.1f} s = {rate:.1f} per minute; "
                  f"worker peak RSS {', '.join(f'{m:.0f}' for m in rss)} MB")
        base = args.workers[0]
        for workers in args.workers[1:]:
            print(f"speed-up {base} -> {workers} workers: {rates[workers] / rates[base]:.2f}x")


if __name__ == "__main__":
    main()

"""Ensemble throughput: flagship realisations (breakup + propagation to decay, Lc >= 5 cm) per
minute after the first, on Dask LocalClusters of 1 and of 2 workers, and each worker's peak memory.

Run: ``python benchmarks/ensemble.py [-n 16] [--scenario sputnik22] [--workers 1 2] [--split 3]``.
A warm-up realisation first fills the Numba and density-slice caches (a repeated ensemble of the
same event starts warm); then, for each worker count, a fresh LocalCluster runs ``n``
realisations of the same ensemble and the rate is counted from the first realisation's
completion to the last's (cluster start and each worker's first realisation excluded, as the
issue's "after the first"). Prints realisations per minute, the speed-up over the first worker
count, the mean CPU seconds a realisation took in its worker (``time.process_time``: what the
rate would be on otherwise idle cores, ``60 / cpu_s`` per worker, whatever else the machine
runs), the peak resident memory of each worker (``getrusage``) and the load average before and
after (other processes on the same cores lower the wall-clock rate and the speed-up).

``--compare I [I ...]`` instead sets in-memory realisations beside ``debriscope run`` of the
same realisations (lifetimes per fragment, median lifetime, last decay; docs/ensemble.md).

``--split K`` first runs K realisations in this process under cProfile and prints where their
CPU time goes: the decay kernel (``kernels.averaged_advance``), the numerical kernel
(``kernels.numerical_advance``: the final revolutions with ``averaged = false``, and a pipeline
realisation's snapshot windows), the NRLMSIS density slices (memo, on-disk cache), the breakup,
and the rest.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import tempfile
import time
import warnings
from pathlib import Path

warnings.filterwarnings("ignore", message="Local data files are older")

STAGES = ("scenario", "breakup", "propagation")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def timed_realisation(spec, index: int) -> float:
    """Run one realisation; its CPU seconds in this process."""
    from debriscope.ensemble.realisation import run_realisation

    cpu = time.process_time()
    run_realisation(spec, index)
    return time.process_time() - cpu


def rate_on_dask(spec, indices: list[int], workers: int) -> tuple[float, list[float], float, float]:
    """(realisations per minute after the first, peak RSS of each worker in MB, wall s, mean CPU s
    per realisation)."""
    import dask
    from distributed import Client, LocalCluster, as_completed

    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=40) as cluster, Client(cluster) as client:
            client.run(timed_realisation, spec, indices[0])  # each worker's first realisation (warm-up)
            start = time.perf_counter()
            done, cpu = [], []
            futures = [client.submit(timed_realisation, spec, i, pure=False) for i in indices[1:]]
            for future in as_completed(futures):
                done.append(time.perf_counter())
                cpu.append(future.result())
            wall = done[-1] - start
            rss = sorted(client.run(_peak_rss_mb).values())
    return 60.0 * len(done) / wall, rss, wall, sum(cpu) / len(cpu)


def split(spec, indices: list[int]) -> None:
    """Where the CPU time of in-process realisations goes (cProfile on ``time.process_time``, so
    other processes on the same cores do not count; summed over ``indices``)."""
    from debriscope.ensemble.realisation import run_realisation

    profile = cProfile.Profile(time.process_time)
    start = time.perf_counter()
    profile.runcall(lambda: [run_realisation(spec, i) for i in indices])
    wall = time.perf_counter() - start
    stats = pstats.Stats(profile).stats  # (file, line, name) -> (cc, nc, tottime, cumtime, callers)

    def cum(module: str, name: str, own: bool = False) -> float:
        return sum(v[2] if own else v[3] for (f, _, n), v in stats.items() if n == name and f.endswith(module))

    parts = {
        "decay kernel (kernels.averaged_advance)": cum("kernels.py", "averaged_advance", own=True),
        "numerical kernel (kernels.numerical_advance)": cum("kernels.py", "numerical_advance", own=True),
        "density slices (atmosphere._slices_for)": cum("atmosphere.py", "_slices_for"),
        "breakup (cloud_from_event)": cum("stage.py", "cloud_from_event"),
    }
    total = cum("realisation.py", "run_realisation")
    print(f"split of {len(indices)} in-process realisations: {wall:.1f} s wall, {total:.1f} CPU s:")
    for label, seconds in parts.items():
        print(f"  {label}: {seconds / len(indices):.2f} CPU s per realisation ({100 * seconds / total:.0f} %)")
    rest = total - sum(parts.values())
    print(f"  the rest (draws, event record, force model, files): {rest / len(indices):.2f} CPU s per realisation "
          f"({100 * rest / total:.0f} %)")


def compare(scenario, indices: list[int]) -> None:
    """In-memory realisations beside pipeline runs (snapshot windows integrated numerically)."""
    import json

    import numpy as np

    from debriscope.ensemble.realisation import IN_MEMORY_STAGES, run_in_memory, run_through_pipeline
    from debriscope.scenario.uncertainty import draw_realisation

    for i in indices:
        realised, drawn = draw_realisation(scenario, i)
        mem, mem_table = run_in_memory(realised, IN_MEMORY_STAGES)
        with tempfile.TemporaryDirectory() as tmp:
            run, run_table = run_through_pipeline(realised, IN_MEMORY_STAGES, Path(tmp))
        a, b = mem_table["lifetime_days"], run_table["lifetime_days"]
        both = np.isfinite(a) & np.isfinite(b)
        rel = (a[both] - b[both]) / b[both]
        print(f"r{i} {json.dumps(drawn)}: {a.size} fragments; decayed in memory / run {np.isfinite(a).sum()} / "
              f"{np.isfinite(b).sum()}; median lifetime {mem['propagation']['median_lifetime_days']:.4f} / "
              f"{run['propagation']['median_lifetime_days']:.4f} d; last decay {np.nanmax(a):.2f} / {np.nanmax(b):.2f} d; "
              f"per-fragment relative difference median {np.median(rel):+.2e} (5-95 %: {np.percentile(rel, 5):+.2e} "
              f"to {np.percentile(rel, 95):+.2e}; max |.| {np.max(np.abs(rel)):.2e})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=16, help="realisations per measurement")
    parser.add_argument("--scenario", default="sputnik22")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--split", type=int, default=0, metavar="K",
                        help="first profile K realisations in this process")
    parser.add_argument("--compare", type=int, nargs="+", metavar="I",
                        help="compare these realisations in memory with debriscope run, and stop")
    args = parser.parse_args()

    import numba

    from debriscope.ensemble.realisation import EnsembleSpec
    from debriscope.scenario import load, to_toml

    numba.set_num_threads(1)
    scenario = load(args.scenario)
    if args.compare:
        compare(scenario, args.compare)
        return
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        (out / ".work").mkdir()
        spec = EnsembleSpec(scenario_toml=to_toml(scenario), stages=STAGES, out_dir=str(out), numba_threads=1)
        t0 = time.perf_counter()
        timed_realisation(spec, 0)
        print(f"{scenario.name}: {len(scenario.uncertainty)} uncertain inputs; warm-up realisation "
              f"{time.perf_counter() - t0:.1f} s; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        if args.split:
            split(spec, list(range(1, args.split + 1)))
        rates = {}
        for workers in args.workers:
            rate, rss, wall, cpu = rate_on_dask(spec, list(range(args.n)), workers)
            rates[workers] = rate
            print(f"dask, {workers} worker(s): {args.n - 1} realisations in {wall:.1f} s = {rate:.1f} per minute; "
                  f"{cpu:.2f} CPU s per realisation ({60.0 * workers / cpu:.0f} per minute on {workers} idle "
                  f"core(s)); worker peak RSS {', '.join(f'{m:.0f}' for m in rss)} MB; "
                  f"load average {os.getloadavg()[0]:.1f}")
        base = args.workers[0]
        for workers in args.workers[1:]:
            print(f"speed-up {base} -> {workers} workers: {rates[workers] / rates[base]:.2f}x")


if __name__ == "__main__":
    main()

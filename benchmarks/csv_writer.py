"""Speed of the CSV writer (``debriscope.tables.write_csv``) on a 10^6-row fragment table.

Draws a 900 kg rocket-body explosion with Lc_min chosen so that the law gives about 10^6 fragments
(mass budget off), writes it with ``write_csv`` and, with ``--reference``, with the per-cell
``csv.writer`` loop the writer replaced (issue 18), checking that the bytes are identical.
Prints wall and CPU seconds (best of ``--repeats``) of rendering the bytes and of the whole write (the
file is fsynced, so the wall time includes the disk).

    python benchmarks/csv_writer.py [--reference] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import tempfile
import time
from pathlib import Path

import numpy as np

from debriscope.breakup import Parent, explosion
from debriscope.tables import table_to_csv_bytes, write_csv


def reference_csv_text(table: dict) -> str:
    """The writer before issue 18: one ``csv.writer`` row per entry, one Python call per cell."""
    def column(col):
        if col.dtype.kind == "f":
            return ["" if np.isnan(x) else repr(float(x)) for x in col]
        if col.dtype.kind in "iu":
            return [str(int(x)) for x in col]
        if col.dtype.kind == "b":
            return ["true" if x else "false" for x in col]
        return [str(x) for x in col]

    cols = [column(np.asarray(c)) for c in table.values()]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(list(table))
    for i in range(len(cols[0])):
        writer.writerow([c[i] for c in cols])
    return buf.getvalue()


def timed(fn, repeats: int) -> tuple[float, float]:
    best_wall = best_cpu = float("inf")
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        best_wall, best_cpu = min(best_wall, time.perf_counter() - w), min(best_cpu, time.process_time() - c)
    return best_wall, best_cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", action="store_true", help="also time the replaced writer and compare bytes")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    lc_min = (6.0 / 1e6) ** (1 / 1.6)  # N(>Lc_min) = 6 Lc_min^-1.6 = 10^6
    table = explosion([Parent("RB", "rocket_body", 900.0)], np.random.default_rng(1), lc_min_m=lc_min,
                      mass_budget=False).table
    write_csv(Path(tempfile.gettempdir()) / "debriscope-warmup.csv", {"x": np.zeros(1)})  # load compiled loops
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fragments.csv"
        r_wall, r_cpu = timed(lambda: table_to_csv_bytes(table), args.repeats)
        wall, cpu = timed(lambda: write_csv(path, table), args.repeats)
        n, size = table["lc_m"].size, path.stat().st_size
        print(f"rendering : {n:,} rows x {len(table)} columns ({size / 1e6:.0f} MB) in {r_wall:.2f} s wall, {r_cpu:.2f} s CPU")
        print(f"write_csv : the same, written and fsynced, in {wall:.2f} s wall, {cpu:.2f} s CPU")
        if args.reference:
            ref = Path(tmp) / "reference.csv"
            r_wall, r_cpu = timed(lambda: ref.write_text(reference_csv_text(table), encoding="utf-8"), 1)
            same = ref.read_bytes() == path.read_bytes()
            print(f"reference : {r_wall:.2f} s wall, {r_cpu:.2f} s CPU; identical bytes: {same}; "
                  f"speed-up {r_wall / wall:.1f}x wall, {r_cpu / cpu:.1f}x CPU")


if __name__ == "__main__":
    main()

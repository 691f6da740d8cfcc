"""Time the report stage on a run folder: loading, each figure (draw + PNG), and the whole build.

    python benchmarks/report.py [RUN_DIR]     (default: runs/sputnik22-seed1962, made by `debriscope run`)

Works on a copy of the run folder, so the run's own report is left as it was.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from debriscope.report import build_report
from debriscope.report.canvas import MissingInput, png_bytes
from debriscope.report.inputs import load_run
from debriscope.report.record import RECORDS
from debriscope.report.sites import sites_from_sensor_file
from debriscope.report.stage import figure_specs
from debriscope.scenario.options import ReportOptions


def main(run_dir: Path) -> None:
    options = ReportOptions()
    t = time.perf_counter()
    run = load_run(run_dir)
    sites = sites_from_sensor_file(run.radars)
    print(f"load run folder        {time.perf_counter() - t:6.2f} s")
    for spec in figure_specs(run, options, RECORDS[options.record], sites):
        t = time.perf_counter()
        try:
            fig = spec.draw()
        except MissingInput as exc:
            print(f"{spec.name:<22} missing ({exc})")
            continue
        t_draw = time.perf_counter() - t
        png = png_bytes(fig, options.dpi)
        print(f"{spec.name:<22} {time.perf_counter() - t:6.2f} s  (draw {t_draw:.2f} s, PNG {len(png) / 1e3:.0f} kB)")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / run_dir.name
        shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns("report"))
        t = time.perf_counter()
        summary = build_report(copy, options, title="benchmark")
        print(f"whole report stage     {time.perf_counter() - t:6.2f} s  (HTML {summary['html_bytes'] / 1e6:.2f} MB, "
              f"{len(summary['figures'])} figures)")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "runs/sputnik22-seed1962"))

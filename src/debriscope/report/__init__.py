"""The run's report: matplotlib figures (object API, Agg; never pyplot) and one self-contained HTML
file with every figure embedded, written to ``RUN_DIR/report/``.

Entry points: :func:`build_report` (a run folder in, the report out) and the pipeline stage
``debriscope.report.stage.run_stage``.
"""

from __future__ import annotations

from .record import RECORDS, SPUTNIK22, HistoricalRecord, RecordValue
from .stage import REPORT_FILE, build_report

__all__ = ["RECORDS", "REPORT_FILE", "SPUTNIK22", "HistoricalRecord", "RecordValue", "build_report"]

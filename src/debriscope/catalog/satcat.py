"""The catalog as a CSV with CelesTrak SATCAT columns.

Reference: T.S. Kelso, "SATCAT Format Documentation", CelesTrak (updated 2023 May 7), CSV data
format (RFC 4180): OBJECT_NAME, OBJECT_ID, NORAD_CAT_ID, OBJECT_TYPE, OPS_STATUS_CODE, OWNER,
LAUNCH_DATE, LAUNCH_SITE, DECAY_DATE, PERIOD [min], INCLINATION [deg], APOGEE [km], PERIGEE [km],
RCS [m^2], DATA_STATUS_CODE, ORBIT_CENTER, ORBIT_TYPE. Codes used here: OBJECT_TYPE PAY, R/B, DEB;
OPS_STATUS_CODE ``D`` (decayed) or ``-`` (non-operational); DATA_STATUS_CODE ``NEA`` (no elements
available); ORBIT_CENTER ``EA`` (Earth); ORBIT_TYPE ``ORB`` (in orbit) or ``IMP`` (decayed).
Orbit values are those of the object's latest element set, as in SATCAT.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

SATCAT_COLUMNS = (
    "OBJECT_NAME", "OBJECT_ID", "NORAD_CAT_ID", "OBJECT_TYPE", "OPS_STATUS_CODE", "OWNER", "LAUNCH_DATE",
    "LAUNCH_SITE", "DECAY_DATE", "PERIOD", "INCLINATION", "APOGEE", "PERIGEE", "RCS", "DATA_STATUS_CODE",
    "ORBIT_CENTER", "ORBIT_TYPE",
)  # fmt: skip


def _fmt(value: float | None, spec: str) -> str:
    return "" if value is None else format(value, spec)


def satcat_record(obj: Mapping[str, Any], latest: Mapping[str, Any] | None) -> dict[str, str]:
    """One SATCAT row from an ``objects`` row and its latest ``element_sets`` row (or None)."""
    gone = obj["fate"] != "in orbit"
    return {
        "OBJECT_NAME": obj["object_name"],
        "OBJECT_ID": obj["cospar_id"] or "",
        "NORAD_CAT_ID": str(obj["catalog_number"]),
        "OBJECT_TYPE": obj["object_type"],
        "OPS_STATUS_CODE": "D" if gone else "-",
        "OWNER": obj["owner"],
        "LAUNCH_DATE": obj["launch_date"],
        "LAUNCH_SITE": obj["launch_site"],
        "DECAY_DATE": obj["decay_date"] or "",
        "PERIOD": _fmt(latest and latest["period_min"], ".2f"),
        "INCLINATION": _fmt(latest and latest["inclination_deg"], ".2f"),
        "APOGEE": _fmt(latest and latest["apogee_km"], ".0f"),
        "PERIGEE": _fmt(latest and latest["perigee_km"], ".0f"),
        "RCS": _fmt(obj["rcs_m2"], ".4f"),
        "DATA_STATUS_CODE": "" if latest else "NEA",
        "ORBIT_CENTER": "EA",
        "ORBIT_TYPE": "IMP" if gone else "ORB",
    }


def satcat_csv(records: Iterable[Mapping[str, str]]) -> str:
    """SATCAT records as RFC 4180 CSV text (header line first, CRLF line ends)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=SATCAT_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return buf.getvalue()

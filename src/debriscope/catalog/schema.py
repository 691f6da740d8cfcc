"""The catalog's relational schema: SQLite STRICT tables, portable to PostgreSQL.

Only the column types INTEGER, REAL and TEXT are used, with PRIMARY KEY, UNIQUE, NOT NULL, CHECK
and REFERENCES constraints that both engines understand. :func:`schema_sql` gives the DDL for
SQLite (``STRICT`` tables: a value of the wrong type is rejected, SQLite 3.37+) or PostgreSQL
(``STRICT`` dropped, ``REAL`` -> ``DOUBLE PRECISION``). SI units inside, units in column names;
times are ISO 8601 UTC strings ending in ``Z`` (and ``*_tt_s`` internal times where computed on).

Tables
------
runs
    One row: the run that built the catalog (scenario name and SHA-256, seed, package version).
objects
    One row per catalogued object: catalog number, COSPAR and Greek-letter designations (NULL when
    the scenario gives no international designator), name, SATCAT object type, parent (NULL for
    debris: unknown), size and RCS as estimated from the detections, launch, admission, the decay
    predicted from the object's last element set, its estimated ballistic coefficient, and how
    tracking saw it. ``truth_fragment_id`` and ``decay_true_utc`` are the simulation's truth, kept
    for scoring only.
element_sets
    Element sets over time: SGP4 mean elements fitted to the ephemeris (``source='sgp4-fit'``,
    with the fit's residual and the TLE lines), or the osculating state of a parent at the event
    (``source='event-state'``).
ephemeris
    TEME states of the objects selected for the OEM export.
"""

from __future__ import annotations

OBJECT_TYPES = ("PAY", "R/B", "DEB", "UNK")
"""SATCAT object types (CelesTrak SATCAT CSV ``OBJECT_TYPE``)."""
ELEMENT_SOURCES = ("sgp4-fit", "event-state")
SCHEMA_VERSION = 3
"""2: ``cospar_id`` may be NULL (a scenario without an international designator); 3: objects carry
``admitted_utc``, ``decay_true_utc`` (scoring), ``sigma_ln_size``, ``rcs_wavelength_m`` and
``ballistic_coefficient_m2_kg``; a debris object's size, RCS and decay are estimates."""

_TABLES = (
    """CREATE TABLE runs (
    run_id INTEGER PRIMARY KEY,
    schema_version INTEGER NOT NULL,
    scenario_name TEXT NOT NULL,
    scenario_sha256 TEXT NOT NULL,
    seed INTEGER NOT NULL,
    package_version TEXT NOT NULL,
    launch_utc TEXT NOT NULL,
    event_utc TEXT NOT NULL,
    min_detections INTEGER NOT NULL,
    min_passes INTEGER NOT NULL
)""",
    f"""CREATE TABLE objects (
    catalog_number INTEGER PRIMARY KEY CHECK (catalog_number BETWEEN 1 AND 999999999),
    cospar_id TEXT UNIQUE,
    greek_designation TEXT,
    object_name TEXT NOT NULL,
    object_type TEXT NOT NULL CHECK (object_type IN ({", ".join(f"'{t}'" for t in OBJECT_TYPES)})),
    parent_name TEXT,
    parent_catalog_number INTEGER REFERENCES objects (catalog_number),
    owner TEXT NOT NULL,
    launch_site TEXT NOT NULL,
    launch_date TEXT NOT NULL,
    decay_utc TEXT,
    decay_date TEXT,
    fate TEXT NOT NULL CHECK (fate IN ('in orbit', 'decayed', 'fragmented')),
    size_m REAL CHECK (size_m > 0),
    sigma_ln_size REAL CHECK (sigma_ln_size >= 0),
    rcs_m2 REAL CHECK (rcs_m2 > 0),
    rcs_wavelength_m REAL CHECK (rcs_wavelength_m > 0),
    ballistic_coefficient_m2_kg REAL CHECK (ballistic_coefficient_m2_kg >= 0),
    tracking_object_id INTEGER,
    n_passes INTEGER CHECK (n_passes >= 0),
    n_detections INTEGER CHECK (n_detections >= 0),
    first_seen_utc TEXT,
    admitted_utc TEXT,
    truth_fragment_id INTEGER,
    decay_true_utc TEXT,
    run_id INTEGER NOT NULL REFERENCES runs (run_id)
)""",
    f"""CREATE TABLE element_sets (
    catalog_number INTEGER NOT NULL REFERENCES objects (catalog_number),
    epoch_utc TEXT NOT NULL,
    epoch_tt_s REAL NOT NULL,
    source TEXT NOT NULL CHECK (source IN ({", ".join(f"'{s}'" for s in ELEMENT_SOURCES)})),
    kind TEXT NOT NULL CHECK (kind IN ('mean', 'osculating')),
    element_set_number INTEGER NOT NULL,
    mean_motion_rev_day REAL NOT NULL CHECK (mean_motion_rev_day > 0),
    eccentricity REAL NOT NULL CHECK (eccentricity >= 0 AND eccentricity < 1),
    inclination_deg REAL NOT NULL CHECK (inclination_deg BETWEEN 0 AND 180),
    raan_deg REAL NOT NULL,
    arg_perigee_deg REAL NOT NULL,
    mean_anomaly_deg REAL NOT NULL,
    bstar_per_er REAL,
    rev_at_epoch INTEGER NOT NULL,
    period_min REAL NOT NULL,
    apogee_km REAL NOT NULL,
    perigee_km REAL NOT NULL,
    fit_rms_m REAL,
    fit_max_m REAL,
    fit_span_s REAL,
    fit_points INTEGER,
    tle_line1 TEXT,
    tle_line2 TEXT,
    PRIMARY KEY (catalog_number, epoch_utc, source)
)""",
    """CREATE TABLE ephemeris (
    catalog_number INTEGER NOT NULL REFERENCES objects (catalog_number),
    epoch_utc TEXT NOT NULL,
    t_tt_s REAL NOT NULL,
    x_teme_m REAL NOT NULL,
    y_teme_m REAL NOT NULL,
    z_teme_m REAL NOT NULL,
    vx_teme_mps REAL NOT NULL,
    vy_teme_mps REAL NOT NULL,
    vz_teme_mps REAL NOT NULL,
    PRIMARY KEY (catalog_number, t_tt_s)
)""",
)

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {}
"""Column names of each table, in DDL order (filled from the DDL below)."""
for _ddl in _TABLES:
    _name = _ddl.split()[2]
    _body = _ddl[_ddl.index("(") + 1 : _ddl.rindex(")")]
    TABLE_COLUMNS[_name] = tuple(
        line.split()[0]
        for line in _body.splitlines()
        if line.strip() and not line.strip().startswith(("PRIMARY KEY (", "UNIQUE ("))
    )


def schema_sql(dialect: str = "sqlite") -> list[str]:
    """The ``CREATE TABLE`` statements for ``'sqlite'`` (STRICT) or ``'postgresql'``."""
    if dialect == "sqlite":
        return [ddl + " STRICT" for ddl in _TABLES]
    if dialect == "postgresql":
        return [ddl.replace(" REAL", " DOUBLE PRECISION") for ddl in _TABLES]
    raise ValueError(f"dialect {dialect!r}: allowed 'sqlite', 'postgresql'")

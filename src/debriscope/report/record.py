"""The public record of a breakup, as data with its sources, for the report's "model vs record" table.

Only the flagship event has a record here: the 24 Oct 1962 explosion of the Blok L upper stage of
Molniya 8K78 T103-15 carrying Mars probe 2MV-4 No.1 (COSPAR 1962-057A, "1962 Beta Iota 1",
Sputnik 22 in the US Satellite Situation Summary). Each value carries its source and the
confidence the project gives it (high = a primary catalogue or two independent sources; medium =
one reputable secondary source).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordValue:
    """One recorded quantity.

    Attributes
    ----------
    value : str | int | float
        The value, with its unit stated in the field name of :class:`HistoricalRecord`.
    source : str
        Where it is published.
    confidence : str
        'high', 'medium' or 'low'.
    note : str
        What the sources disagree on, if anything.
    """

    value: str | int | float
    source: str
    confidence: str
    note: str = ""


@dataclass(frozen=True)
class HistoricalRecord:
    """What the public record says about a breakup; times UTC ("YYYY-MM-DD" or "YYYY-MM-DD hh:mm[:ss]Z")."""

    name: str
    designation: str
    launch_utc: RecordValue
    event_utc: RecordValue
    parking_orbit: RecordValue
    n_catalogued: RecordValue
    first_decay_utc: RecordValue
    last_decay_utc: RecordValue


SPUTNIK22 = HistoricalRecord(
    name="Sputnik 22 (Mars 2MV-4 No.1) and its Blok L stage",
    designation="1962-057A (1962 Beta Iota 1)",
    launch_utc=RecordValue(
        "1962-10-24 17:55:04Z",
        "J. McDowell, launch log (planet4589.org); Wikipedia 'Mars 2MV-4 No.1'",
        "high",
        "two mirrors give 17:55:05",
    ),
    event_utc=RecordValue(
        "1962-10-24 18:56Z",
        "J. McDowell, GCAT separation times (debris at 18:56 UTC on 24 Oct)",
        "medium",
        "Blok L ignition about one hour after launch; the turbopump failed about 17 s after ignition",
    ),
    parking_orbit=RecordValue(
        "180 x 485 km, 64.9 deg", "NASA NSSDC Master Catalog, 1962-057A", "medium"
    ),
    n_catalogued=RecordValue(
        22,
        "Wikipedia 'Mars 2MV-4 No.1'; NASA Solar System Exploration '2MV-4/1' (after A. Siddiqi, Beyond Earth)",
        "medium",
        "NASA's page says 'as many as 24 fragments'",
    ),
    first_decay_utc=RecordValue(
        "1962-10-29", "Wikipedia 'Mars 2MV-4 No.1'; NASA Solar System Exploration '2MV-4/1'", "medium"
    ),
    last_decay_utc=RecordValue(
        "1963-02-26", "Wikipedia 'Mars 2MV-4 No.1'; NASA Solar System Exploration '2MV-4/1'", "medium"
    ),
)

RECORDS: dict[str, HistoricalRecord] = {"sputnik22": SPUTNIK22}
"""Records by the key used in the scenario's ``[report] record`` option."""

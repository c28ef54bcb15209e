"""The risk score of a location, and why it is what it is.

A location (a file, an archive, a database table) is scored as

    score = S × V × E

* **S, sensitivity** — the highest sensitivity among the categories of
  personal data found there, from ``contract.categories.SENSITIVITY``
  (special category and criminal offence 10, credential 8, financial 6,
  identity 5, contact 2, online identifier 1). The worst data present sets
  the harm one exposed record can do.
* **V, volume** — ``1 + log10(records)``: 1 for a single record, 2 for 10,
  4 for 1,000, 7 for a million. Harm grows with the number of records, but
  the first records matter most: a logarithm keeps one huge log file from
  drowning out a small file of health data.
* **E, exposure** — how many people can read the data: 1.0 by default
  (owner/group-only files, databases behind credentials); +0.5 if the file is
  world-readable (POSIX ``mode`` has the "other read" bit, 0o004); +0.5 if it
  sits on a network file share (SMB), which a whole office can usually reach.

A location holding an identity document's number (PASSPORT, ID_CARD: read
from a machine-readable zone, so most often a scanned passport or card)
scores at least 25, ``high``, whatever its volume: one such scan is enough
to impersonate its holder.

Levels: ``low`` below 10, ``medium`` below 25, ``high`` below 50, ``critical``
from 50. Examples: one e-mail address in a private file scores 2 × 1 × 1 = 2
(low); one health record 10 (medium); 1,000 e-mail addresses in a
world-readable file 2 × 4 × 1.5 = 12 (medium); 100 health records on a share
10 × 3 × 1.5 = 45 (high); 10,000 national insurance numbers in a
world-readable file 5 × 5 × 1.5 = 37.5 (high).

The same formula exists as SQL (scored in DuckDB over every location) and as
Python (to explain one score); tests hold the two equal.
"""

from __future__ import annotations

import math

WORLD_READABLE = 0o004
WORLD_READABLE_WEIGHT = 0.5
NETWORK_SHARE_WEIGHT = 0.5
NETWORK_SHARE_AGENTS = ("smb",)

LEVELS = ("critical", "high", "medium", "low")
_THRESHOLDS = ((50.0, "critical"), (25.0, "high"), (10.0, "medium"))
IDENTITY_DOCUMENTS = ("PASSPORT", "ID_CARD")
IDENTITY_DOCUMENT_FLOOR = 25.0  # "high"


def volume(records: int) -> float:
    """V: 1 + log10(records), with at least one record."""
    return 1.0 + math.log10(max(records, 1))


def exposure(agent: str | None, mode: int | None) -> float:
    """E: 1.0, +0.5 when world-readable, +0.5 on a network share."""
    value = 1.0
    if mode is not None and mode & WORLD_READABLE:
        value += WORLD_READABLE_WEIGHT
    if agent in NETWORK_SHARE_AGENTS:
        value += NETWORK_SHARE_WEIGHT
    return value


def exposure_reasons(agent: str | None, mode: int | None) -> list[str]:
    """Human words for what raised E above 1.0."""
    reasons = []
    if mode is not None and mode & WORLD_READABLE:
        reasons.append(f"world-readable (mode {mode & 0o777:o})")
    if agent in NETWORK_SHARE_AGENTS:
        reasons.append("on a network share")
    return reasons


def score(sensitivity: int, records: int, exposure_factor: float, entity_types=()) -> float:
    """S × V × E, at least IDENTITY_DOCUMENT_FLOOR where an identity document was found."""
    value = sensitivity * volume(records) * exposure_factor
    if any(e in IDENTITY_DOCUMENTS for e in entity_types):
        value = max(value, IDENTITY_DOCUMENT_FLOOR)
    return value


def level(value: float) -> str:
    """The risk level of a score."""
    for threshold, name in _THRESHOLDS:
        if value >= threshold:
            return name
    return "low"


def exposure_sql(agent: str, mode: str) -> str:
    """E as a DuckDB expression over the given agent and mode columns."""
    share = ", ".join("'" + a + "'" for a in NETWORK_SHARE_AGENTS)
    return (f"CAST(1.0 + CASE WHEN {mode} IS NOT NULL AND ({mode} & {WORLD_READABLE}) <> 0 "
            f"THEN {WORLD_READABLE_WEIGHT} ELSE 0 END "
            f"+ CASE WHEN {agent} IN ({share}) THEN {NETWORK_SHARE_WEIGHT} ELSE 0 END AS DOUBLE)")


def score_sql(sensitivity: str, records: str, exposure_expr: str, entity_types: str | None = None) -> str:
    """S × V × E as a DuckDB expression; ``entity_types``: a ", "-joined list of the location's
    entity types, for the identity-document floor."""
    value = f"({sensitivity} * (1.0 + log10(greatest({records}, 1))) * {exposure_expr})"
    if entity_types is None:
        return value
    documents = ", ".join(f"'{e}'" for e in IDENTITY_DOCUMENTS)
    return (f"(CASE WHEN list_has_any(string_split(coalesce({entity_types}, ''), ', '), [{documents}]) "
            f"THEN greatest({value}, {IDENTITY_DOCUMENT_FLOOR}) ELSE {value} END)")


def level_sql(value: str) -> str:
    """The level of a score as a DuckDB expression."""
    cases = " ".join(f"WHEN {value} >= {t} THEN '{name}'" for t, name in _THRESHOLDS)
    return f"(CASE {cases} ELSE 'low' END)"

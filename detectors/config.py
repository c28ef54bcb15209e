"""Detection options: a light module, so that the scan's main process (which never detects)
need not import Presidio and spaCy to pass them on to its workers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DetectorConfig:
    """Detection options a scan passes to every worker."""

    ner: bool = True
    spacy_model: str | None = None

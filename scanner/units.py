"""What the main process sends to workers: item references and the workers' configuration.

Kept apart from :mod:`scanner.worker` so that the main process, which only
enumerates and writes the inventory, does not import the detectors (Presidio
and spaCy take seconds to import, and every second counts on a 2-core jump host).
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.base import AgentOptions
from detectors.config import DetectorConfig
from scanner.limits import ExtractLimits
from contract.models import Item
from contract.targets import Target


@dataclass(frozen=True)
class WorkUnit:
    """A reference to one item of one target: all a worker needs to scan it."""

    target: Target
    item: Item
    agent: str
    host: str


@dataclass(frozen=True)
class WorkerConfig:
    """Everything a worker process is initialised with."""

    detector: DetectorConfig
    key: bytes
    limits: ExtractLimits
    agent_options: AgentOptions

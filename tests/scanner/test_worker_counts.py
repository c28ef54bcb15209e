"""A worker's occurrence counts survive the partial batches a huge item is sent in."""

from __future__ import annotations

import pickle

from agents import make_agent
from agents.base import AgentOptions
from detectors.config import DetectorConfig
from detectors.normalise import normalise
from scanner import worker as worker_module
from scanner.extract import ExtractLimits
from contract.keys import value_hash
from contract.targets import parse_target
from scanner.units import WorkerConfig, WorkUnit

KEY = b"k" * 32
REPEATED = "Ravi.Repeat@fixture-mail.example"


def test_counts_of_repeated_values_add_up_across_flushed_batches(tmp_path, monkeypatch):
    lines = []
    for i in range(40):  # a new value, then the repeated one twice, written two ways (one normalised value)
        lines.append(f"login by unique.person{i}@fixture-mail.example ok")
        repeated = REPEATED if i % 2 else REPEATED.lower()
        lines.append(f"mail to {repeated} sent, copy to {repeated}")
    (tmp_path / "mail.log").write_text("\n".join(lines) + "\n")
    monkeypatch.setattr(worker_module, "FLUSH_FINDINGS", 1)  # every new row is sent at once
    target = parse_target(str(tmp_path))
    item = next(iter(make_agent(target, AgentOptions()).items()))
    worker = worker_module.Worker(WorkerConfig(DetectorConfig(ner=False), KEY, ExtractLimits(), AgentOptions()))
    parts = []
    # a part is pickled when sent to the scan's process: later changes to its rows never arrive
    outcome = worker.process(WorkUnit(target, item, "local", "h"),
                             emit=lambda part: parts.append(pickle.loads(pickle.dumps(part))))
    columns = [part.packed().findings.columns for part in parts + [outcome]]
    rows = [dict(zip(c, values)) for c in columns for values in zip(*c.values())]
    repeated = value_hash(KEY, normalise("EMAIL_ADDRESS", REPEATED))
    assert len(parts) >= 5, "the item was sent in several batches"
    assert sum(r["count"] for r in rows if r["value_hash"] == repeated) == 80
    assert sum(r["count"] for r in rows if r["entity_type"] == "EMAIL_ADDRESS") == 120

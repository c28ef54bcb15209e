"""Items scanned in a batch come out as they do one at a time: same rows, findings and counts."""

from __future__ import annotations

from agents import make_agent
from agents.base import AgentOptions
from contract.targets import parse_target
from detectors.config import DetectorConfig
from scanner.extract import ExtractLimits
from scanner.units import WorkerConfig, WorkUnit
from scanner.worker import Worker

KEY = b"k" * 32
TICKETS = [
    "Ticket 1\nCalled by Xanthippe Quarrendon, callback 020 7946 0991. She says Tsereteli will sign.",
    "Hi team, my name is Dan and Okafor asked me to reset the password for j.doe@example.com today.",
    "Note: Mateusz Wiśniewski moved to 12 High Street, London SW1A 1AA. Card 4111 1111 1111 1111.",
    "Plain line without anybody in it.",
]


def _rows(outcome) -> tuple:
    columns = outcome.packed().findings.columns
    findings = sorted(zip(*(columns[name] for name in sorted(columns))))
    records = [(r.uri, r.container, r.status, r.reason, r.format, r.findings) for r in outcome.records]
    return records, findings, sorted(outcome.values)


def test_a_batch_gives_each_item_what_it_gets_alone(tmp_path):
    for i, text in enumerate(TICKETS):
        (tmp_path / f"ticket-{i}.txt").write_text(text + "\n")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (tmp_path / "crm.csv").write_text("name,email,notes\nAnna Kovacs,anna@example.org,"
                                      "Daughter Ingrid Solberg also registered\n")
    target = parse_target(str(tmp_path))
    units = [WorkUnit(target, item, "local", "h") for item in make_agent(target, AgentOptions()).items()]
    worker = Worker(WorkerConfig(DetectorConfig(ner=True), KEY, ExtractLimits(), AgentOptions()))
    alone = [_rows(worker.process(unit)) for unit in units]
    together = [_rows(outcome) for outcome in worker.process_batch(units)]
    assert together == alone
    statuses = {records[0][0].rsplit("/", 1)[1]: records[0][2] for records, _, _ in together}
    assert statuses["broken.pdf"] == "error" and statuses["ticket-0.txt"] == "scanned"
    people = [f for _, findings, _ in together for f in findings if "PERSON" in f]
    assert len(people) >= 4  # the tickets' names were read by NER in the batch

"""An estate with nested folders, grey folders and hostile names, for the folder map tests.

Written with the real InventoryWriter (see :mod:`tests.reports.fixtures`). The
tests do not trust this description: they recompute every folder roll-up from
the Parquet files it produces.
"""

from __future__ import annotations

from contract.models import ItemRecord
from tests.reports.fixtures import EPOCH_2026, TargetSpec, column_values, finding, write_scan

# Names an attacker with write access to a scanned share could choose (no "/": a
# file name cannot hold one): markup, and inline event handlers that would mark
# the page if they ever ran.
HOSTILE_FOLDER = "<b>bold \"quoted\" 'single' &amp;"
HOSTILE_SVG = "<svg onload=\"document.documentElement.setAttribute('data-pwned','svg')\">.txt"
HOSTILE_HANDLER = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">.txt"


def _file(spec: TargetSpec, path: str, *found: tuple[str, str], mode: int = 0o640) -> None:
    uri = spec.target.rstrip("/") + "/" + path
    spec.items.append(ItemRecord(uri=uri, path=path, size=1000, mtime=EPOCH_2026, mode=mode, format="text"))
    for i, (entity_type, value) in enumerate(found):
        spec.findings.append((uri, path, finding(entity_type, value, start=40 * i)))


def folder_targets(tag: str = "") -> list[TargetSpec]:
    """Two local targets on one host (so the map shows a target level), an SMB share and a table.

    ``tag`` is added to every target's root, so that two clients' estates do not share locations.
    """
    files = TargetSpec(f"file:///srv{tag}/files", "local", "fs1")
    for i in range(1, 7):
        _file(files, f"HR/contracts/contract{i}.docx", ("SPECIAL_CATEGORY_HEALTH", f"asthma case {i}"),
              ("PERSON", f"Worker Number{i}"))
    _file(files, "HR/contracts/archive/old1.docx", ("SPECIAL_CATEGORY_HEALTH", "migraine"))
    _file(files, "HR/contracts/archive/old2.docx", ("PERSON", "Old Worker"))
    _file(files, "HR/payroll.xlsx", ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32"), ("PERSON", "Pay Roll"))
    for i in range(1, 4):
        _file(files, f"Support/tickets/t{i}.txt", ("SPECIAL_CATEGORY_HEALTH", f"diabetes ticket {i}"))
    _file(files, "Support/tickets/t4.txt", ("EMAIL_ADDRESS", "user4@example.com"))
    _file(files, "Support/tickets/t5.txt")
    _file(files, "config/app.ini", ("PASSWORD", "s3cret-app-pass"))
    _file(files, "config/db.ini", ("PASSWORD", "s3cret-db-pass"))
    _file(files, "config/readme.txt")
    _file(files, "public/a.txt")
    _file(files, "public/b.txt")
    _file(files, "public/docs/manual.txt")
    _file(files, "notes.txt", ("EMAIL_ADDRESS", "root.notes@example.com"))
    _file(files, f"{HOSTILE_FOLDER}/{HOSTILE_SVG}", ("EMAIL_ADDRESS", "hostile1@example.com"))
    _file(files, f"{HOSTILE_FOLDER}/{HOSTILE_HANDLER}", ("CRIMINAL_OFFENCE", "convicted of theft"))
    files.items.append(ItemRecord(uri=f"file:///srv{tag}/files/public/locked.pdf", path="public/locked.pdf",
                                  status="error", reason="encrypted PDF", size=10, mtime=EPOCH_2026))

    home = TargetSpec(f"file:///home{tag}", "local", "fs1")
    _file(home, "alice/notes.txt", ("SPECIAL_CATEGORY_RELIGION", "attends mass weekly"))
    _file(home, "bob/todo.txt")

    share = TargetSpec(f"smb://svc@nas/share{tag}", "smb", "nas")
    _file(share, "finance/cards.csv", ("CREDIT_CARD", "4111 1111 1111 1111"))
    _file(share, "finance/2023/q1.csv", ("CREDIT_CARD", "5555 5555 5555 4444"))
    _file(share, "Legal/cases/case1.docx", ("CRIMINAL_OFFENCE", "charged with fraud"))

    db = TargetSpec(f"postgresql://scanner@db1/crm{tag}", "sql", "db1")
    customers = f"{db.target}/crm.public.customers"
    db.items = [ItemRecord(uri=customers, path="crm.public.customers", kind="table", row_estimate=200,
                           rows_sampled=3, format="table")]
    db.findings = [(customers, "crm.public.customers.email",
                    finding("EMAIL_ADDRESS", "x@example.com", count=200, container="customers.email", hashed=False))]
    db.values = column_values(customers, "crm.public.customers.email", "customers.email", "EMAIL_ADDRESS",
                              ["a@example.com", "b@example.com", "c@example.com"])
    return [files, home, share, db]


def write_folder_estate(out_dir: str, client: str = "globex", scan_id: str = "20260301T000000Z-globex",
                        tag: str = "") -> str:
    """Write the estate of :func:`folder_targets` as one scan; return its folder."""
    return write_scan(out_dir, scan_id, client, folder_targets(tag))

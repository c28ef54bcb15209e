"""Builders of small, fully known scan inventories for the report tests.

Inventories are written with the real :class:`scanner.inventory.InventoryWriter`,
values hashed with the estate key after normalisation and masked with the
production masker, exactly as a scan would; the test then knows every number
the reports must show.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contract.categories import category_of
from detectors.masking import mask
from detectors.normalise import normalise
from scanner.inventory import InventoryWriter
from contract.keys import value_hash
from contract.models import ItemRecord, Finding

KEY = b"test-estate-key-0123456789abcdef"

EPOCH_2015 = 1_420_070_400.0  # 2015-01-01: old enough for any retention window
EPOCH_2026 = 1_767_225_600.0  # 2026-01-01


def finding(entity_type: str, value: str, *, start: int = 0, count: int = 1, container: str = "",
            score: float = 0.9, hashed: bool = True) -> Finding:
    """A finding for ``value`` as the detector would write it (hash + masked preview)."""
    return Finding(entity_type=entity_type, category=category_of(entity_type), start=start,
                   end=start + len(value), line=1, score=score, detector="test",
                   value_hash=value_hash(KEY, normalise(entity_type, value)) if hashed else None,
                   preview=mask(entity_type, value), count=count, container=container)


@dataclass
class TargetSpec:
    """One target's items, findings and sampled column values."""

    target: str
    agent: str
    host: str
    items: list[ItemRecord] = field(default_factory=list)
    findings: list[tuple[str, str, Finding]] = field(default_factory=list)
    values: list[tuple[str, str, str, str, str]] = field(default_factory=list)


def column_values(uri: str, path: str, container: str, entity_type: str, raw: list[str]):
    """values.parquet rows for a sampled column's raw values."""
    return [(uri, path, container, entity_type, value_hash(KEY, normalise(entity_type, v))) for v in raw]


def write_scan(out_dir: str, scan_id: str, client: str, targets: list[TargetSpec]) -> str:
    """Write one inventory folder and return its path."""
    w = InventoryWriter(out_dir, scan_id, client)
    for t in targets:
        w.add_items(t.target, t.agent, t.host, t.items)
        w.add_findings(t.target, t.agent, t.host, t.findings)
        w.add_values(t.target, t.agent, t.host, t.values)
    w.close({"ended": "2026-06-01T00:00:00+00:00", "options": {}})
    return w.dir


# One person planted across the estate (DSAR tests look for exactly these places).
JANE = {"email": "Jane.Doe@Example.com", "phone": "+44 7700 900123", "iban": "GB82 WEST 1234 5698 7654 32"}
JANE_LOCATIONS = {
    ("file:///srv/data/hr/contacts.txt", "EMAIL_ADDRESS"),
    ("file:///srv/data/hr/contacts.txt", "PHONE_NUMBER"),
    ("smb://filer/share/finance/payroll.xlsx", "IBAN_CODE"),
    ("smb://filer/share/finance/payroll.xlsx", "EMAIL_ADDRESS"),
    ("postgresql://db1/crm/public.customers", "EMAIL_ADDRESS"),
}


def estate_targets(variant: str = "a") -> list[TargetSpec]:
    """A small estate of local files, an SMB share and a database, with every kind of row.

    ``variant`` "b" is the same estate later: one file deleted, one added, one
    modified (a value removed, a value added), the rest unchanged.
    """
    local = TargetSpec("file:///srv/data", "local", "jump1")
    f = local.findings
    contacts, notes, old = ("file:///srv/data/hr/contacts.txt", "file:///srv/data/notes/health.md",
                            "file:///srv/data/archive/2014.zip")
    local.items = [
        ItemRecord(uri=contacts, path="hr/contacts.txt", size=2048, mtime=EPOCH_2026, mode=0o644, format="text"),
        ItemRecord(uri=notes, path="notes/health.md", size=900, mtime=EPOCH_2026, mode=0o600, format="text"),
        ItemRecord(uri="file:///srv/data/bin/tool", path="bin/tool", status="skipped", reason="binary file",
                   size=10_000, mtime=EPOCH_2026, mode=0o755),
        ItemRecord(uri="file:///srv/data/locked.pdf", path="locked.pdf", status="error",
                   reason="encrypted PDF", size=5000, mtime=EPOCH_2026, mode=0o600),
    ]
    f += [(contacts, "hr/contacts.txt", finding("EMAIL_ADDRESS", JANE["email"], start=10)),
          (contacts, "hr/contacts.txt", finding("PHONE_NUMBER", JANE["phone"], start=40)),
          (contacts, "hr/contacts.txt", finding("EMAIL_ADDRESS", "bob@example.org", start=80)),
          (contacts, "hr/contacts.txt", finding("PERSON", "Bob Smith", start=100, score=0.85)),
          (notes, "notes/health.md", finding("SPECIAL_CATEGORY_HEALTH", "type 2 diabetes", start=5)),
          (notes, "notes/health.md", finding("PERSON", "Alice Jones", start=30))]
    if variant == "a":
        local.items.append(ItemRecord(uri=old, path="archive/2014.zip", size=4000, mtime=EPOCH_2015, mode=0o644))
        local.items.append(ItemRecord(uri=old, path="archive/2014.zip", container="secret.zip", status="error",
                                      reason="encrypted zip member", size=100))
        f += [(old, "archive/2014.zip", finding("UK_NINO", "QQ 12 34 56 C", container="staff.csv")),
              (old, "archive/2014.zip", finding("PASSWORD", "hunter2-secret", container="config.ini"))]
    else:
        # contacts.txt edited: Bob's e-mail gone, Carol's added
        local.items[0] = ItemRecord(uri=contacts, path="hr/contacts.txt", size=2100, mtime=EPOCH_2026 + 86400,
                                    mode=0o644, format="text")
        f[:] = [x for x in f if x[2].preview != mask("EMAIL_ADDRESS", "bob@example.org")]
        f.append((contacts, "hr/contacts.txt", finding("EMAIL_ADDRESS", "carol@example.net", start=120)))
        new = "file:///srv/data/hr/new-starters.txt"
        local.items.append(ItemRecord(uri=new, path="hr/new-starters.txt", size=300, mtime=EPOCH_2026 + 86400,
                                      mode=0o640))
        f.append((new, "hr/new-starters.txt", finding("PERSON", "Dan Brown")))

    share = TargetSpec("smb://svc@filer/share", "smb", "filer")
    payroll = "smb://filer/share/finance/payroll.xlsx"
    share.items = [ItemRecord(uri=payroll, path="finance/payroll.xlsx", size=30_000, mtime=EPOCH_2026,
                              format="xlsx")]
    share.findings = [
        (payroll, "finance/payroll.xlsx", finding("IBAN_CODE", JANE["iban"], container="Sheet1")),
        (payroll, "finance/payroll.xlsx", finding("EMAIL_ADDRESS", JANE["email"].upper(), container="Sheet1")),
        (payroll, "finance/payroll.xlsx", finding("IBAN_CODE", "DE89 3704 0044 0532 0130 00", container="Sheet1")),
    ]

    db = TargetSpec("postgresql://scanner@db1/crm", "sql", "db1")
    customers = "postgresql://db1/crm/public.customers"
    db.items = [ItemRecord(uri=customers, path="crm.public.customers", kind="table", row_estimate=5000,
                           rows_sampled=3, format="table")]
    # a classified column: one finding without hash, sampled values in values.parquet
    db.findings = [(customers, "public.customers.email",
                    finding("EMAIL_ADDRESS", "x@example.com", count=5000, container="customers.email",
                            hashed=False))]
    db.values = column_values(customers, "public.customers.email", "customers.email", "EMAIL_ADDRESS",
                              [JANE["email"], "eve@example.com", "frank@example.com"])
    return [local, share, db]


def write_estate(out_dir: str, variant: str = "a") -> str:
    """Write the estate of :func:`estate_targets` as one scan; return its folder."""
    scan_id = "20260101T000000Z-acme" if variant == "a" else "20260601T000000Z-acme"
    return write_scan(out_dir, scan_id, "acme", estate_targets(variant))

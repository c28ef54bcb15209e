"""Hard negatives of the quality corpus: files with no personal data that look as if they had some.

Release notes full of build numbers and dotted versions, checksum lists,
price lists with EAN barcodes, statistics tables of large numbers, source
code (C++ ``std::`` scopes, hex constants, UUIDs), invoices with 16-digit
references that fail Luhn, lorem ipsum, and a config that only references
secrets. A scanner should report no identifier in any of them.
"""

from __future__ import annotations

import hashlib
import random

from bench import fakedata
from bench import quality_docs as out

_LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et "
          "dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip "
          "ex ea commodo consequat. Duis aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu "
          "fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia "
          "deserunt mollit anim id est laborum.")
_PRODUCTS = ["USB-C dock", "27in monitor", "Wireless mouse", "Laptop stand", "Cat6 patch cable 2m", "UPS 1500VA",
             "Managed switch 24p", "SSD 1TB NVMe", "Headset USB", "Firewall licence 1y", "Backup appliance"]


def _release_notes(rng: random.Random) -> list[str]:
    n = rng.randint
    paras = [f"Release {n(2, 12)}.{n(0, 30)}.{n(0, 9)} (build {n(10000, 99999)})"]
    for _ in range(n(5, 10)):
        paras.append(rng.choice([
            f"- Fixed a crash when importing files larger than {n(2, 64)} GB (issue #{n(1000, 9999)}).",
            f"- Firmware {n(1, 9)}.{n(0, 9)}.{n(0, 9)}.{n(10, 99)} is now the minimum supported version.",
            f"- Requires Windows 10 build 10.0.{n(17763, 22631)}.{n(100, 4000)} or later.",
            f"- Updated OpenSSL to 3.{n(0, 3)}.{n(0, 14)}; KB{n(5000000, 5040000)} must be installed first.",
            f"- Package build {n(2023, 2025)}{n(1, 12):02d}{n(1, 28):02d}.{n(1, 9)} ships with schema "
            f"version {n(100, 400)}.",
            f"- Performance: p95 latency reduced from {n(200, 900)} ms to {n(50, 199)} ms.",
            f"- Default port changed to {n(1024, 65000)}; timeout is {n(10, 600)} seconds.",
        ]))
    return paras


def _checksums(rng: random.Random) -> list[str]:
    lines = []
    for i in range(rng.randint(10, 30)):
        ext = rng.choice(["msi", "deb", "rpm", "tar.gz"])
        name = f"installer-{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}-x86_64.{ext}"
        digest = hashlib.sha256(f"{name}{i}{rng.random()}".encode()).hexdigest()
        lines.append(f"{digest}  {name}")
    lines.append(f"MD5 {hashlib.md5(str(rng.random()).encode()).hexdigest()}")
    return ["\n".join(lines)]


def _price_rows(rng: random.Random) -> tuple[list, list]:
    header = ["sku", "ean", "product", "unit_price", "vat_rate", "stock"]
    rows = []
    for _ in range(rng.randint(15, 40)):
        ean12 = "".join(rng.choice("0123456789") for _ in range(12))
        check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(ean12)) % 10) % 10
        rows.append([f"SKU-{rng.randint(10000, 99999)}", ean12 + str(check), rng.choice(_PRODUCTS),
                     f"{rng.randint(5, 2500)}.{rng.randint(0, 99):02d}", "20%", rng.randint(0, 500)])
    return header, rows


def _statistics_rows(rng: random.Random) -> tuple[list, list]:
    header = ["region", "year", "tickets_opened", "tickets_closed", "revenue", "avg_resolution_hours", "growth"]
    rows = []
    for region in ["North", "South", "East", "West", "Central"]:
        for year in range(2019, 2025):
            rows.append([region, year, rng.randint(1000, 99999), rng.randint(1000, 99999),
                         rng.choice([f"{rng.randint(10**6, 10**9):,}", str(rng.randint(10**6, 10**9))]),
                         f"{rng.uniform(1, 72):.2f}", f"{rng.uniform(-0.2, 0.4):.3f}"])
    return header, rows


def _source_code(rng: random.Random, lang: str) -> str:
    if lang == "cpp":
        return (f"#include <string>\n#include <vector>\n\nnamespace app::net {{\nconstexpr std::uint32_t MAGIC = "
                f"0x{rng.randint(0, 2**32 - 1):08X};\nstd::vector<std::string> split(const std::string& s) {{\n"
                "    std::vector<std::string> out;\n    for (auto c : s) { if (c == ':') out.emplace_back(); }\n"
                "    return out;\n}\n}  // namespace app::net\n")
    if lang == "rs":
        return ("use std::collections::HashMap;\nuse crate::config::Settings;\n\n"
                f"const BUILD: u64 = {rng.randint(10**9, 10**12)};\n\nfn main() {{\n"
                "    let mut m: HashMap<String, u32> = HashMap::new();\n    m.insert(String::from(\"retries\"), 3);\n"
                "    println!(\"{:?}\", Settings::default());\n}\n")
    crc = ", ".join(hex(rng.randint(0, 2**32)) for _ in range(8))
    return (f"import uuid\n\nVERSION = \"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 99)}\"\n"
            f"BUILD_ID = \"{uuid_from(rng)}\"\nCRC_TABLE = [{crc}]\n"
            f"TIMEOUT_MS = {rng.randint(1000, 60000)}\n\n\ndef checksum(data: bytes) -> int:\n"
            "    total = 0\n    for b in data:\n        total = (total * 31 + b) % 4294967291\n    return total\n")


def uuid_from(rng: random.Random) -> str:
    """A deterministic UUID-shaped string (no personal data; a common false-positive trap)."""
    h = "%032x" % rng.getrandbits(128)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _invoice(rng: random.Random) -> list[str]:
    lines = [f"Invoice INV-{rng.randint(100000, 999999)}", "Supplier: Northwind Components Ltd"]
    for _ in range(rng.randint(3, 8)):
        price = f"{rng.randint(10, 900)}.{rng.randint(0, 99):02d}"
        lines.append(f"{rng.choice(_PRODUCTS)}  x{rng.randint(1, 20)}  {price}")
    lines.append(f"Payment reference: {fakedata.luhn_failing_reference(rng)}")
    lines.append(f"Order reference {fakedata.luhn_failing_reference(rng).replace(' ', '')}, "
                 f"purchase order PO{rng.randint(10**8, 10**9)}")
    lines.append(f"Total due within 30 days: {rng.randint(100, 9000)}.{rng.randint(0, 99):02d}")
    return lines


def _safe_config() -> str:
    return ("# secrets come from the vault at deploy time\nDB_PASSWORD=${VAULT_DB_PASSWORD}\n"
            "PASSWORD_MIN_LENGTH=12\nPASSWORD_RESET_TIMEOUT=3600\nSESSION_TTL=900\nLISTEN_PORT=8443\n"
            "FEATURE_FLAGS=new-dashboard,audit-log\n")


def write_negatives(root: str, rng: random.Random) -> list[str]:
    """Write the hard negatives under ``root/negatives`` and return their relative paths."""
    written: list[str] = []

    def rel(name: str) -> str:
        written.append(f"negatives/{name}")
        return f"{root}/negatives/{name}"

    for i in range(8):
        notes = _release_notes(rng)
        kind = ["md", "txt", "pdf", "docx"][i % 4]
        if kind == "pdf":
            out.write_pdf(rel(f"release_notes_{i}.pdf"), notes, "Release notes")
        elif kind == "docx":
            out.write_docx(rel(f"release_notes_{i}.docx"), notes, "Release notes")
        else:
            out.write_text(rel(f"release_notes_{i}.{kind}"), notes)
    for i in range(4):
        out.write_text(rel(f"SHA256SUMS_{i}.txt"), _checksums(rng))
    for i in range(6):
        header, rows = _price_rows(rng)
        if i % 2:
            out.write_xlsx(rel(f"price_list_{i}.xlsx"), {"Prices": (header, rows)})
        else:
            out.write_delimited(rel(f"price_list_{i}.csv"), header, rows)
    for i in range(6):
        header, rows = _statistics_rows(rng)
        if i % 3 == 0:
            out.write_xlsx(rel(f"statistics_{i}.xlsx"), {"Stats": (header, rows)})
        elif i % 3 == 1:
            out.write_delimited(rel(f"statistics_{i}.csv"), header, rows)
        else:
            out.write_json_records(rel(f"statistics_{i}.json"), header, rows)
    for i, lang in enumerate(["cpp", "rs", "py"] * 3):
        out.write_text(rel(f"src_{i}.{lang}"), [_source_code(rng, lang)])
    for i in range(6):
        lines = _invoice(rng)
        if i % 2:
            out.write_pdf(rel(f"invoice_{i}.pdf"), lines, "Invoice")
        else:
            out.write_text(rel(f"invoice_{i}.txt"), lines)
    for i in range(4):
        paras = [_LOREM] * rng.randint(2, 6)
        (out.write_docx if i % 2 else out.write_text)(rel(f"lorem_{i}.{'docx' if i % 2 else 'txt'}"), paras)
    for i in range(2):
        out.write_text(rel(f"settings_{i}.env"), [_safe_config().rstrip("\n")])
    return written

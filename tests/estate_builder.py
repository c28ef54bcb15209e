"""Builds a fixture estate with planted values at known places, for end-to-end tests.

``build_estate(root)`` returns the planted raw values by name, so tests can
check each appears where planted (by hash) and nowhere in the outputs (raw).
"""

from __future__ import annotations

import io
import os
import random
import sqlite3
import zipfile
from email.message import EmailMessage

from bench.fakedata import card, iban
from bench.fakedocs import docx_bytes, pdf_bytes

PLANTED = {
    "email": "wilhelmina.testperson@fixture-mail.example",
    "email2": "olaf.fixture@estate-test.example",
    "phone": "+44 7700 900461",
    "nino": "JZ 48 21 93 B",
    "nino2": "PR531276C",
    "password": "Fixture-Secret-4417",
}


def _rng_values() -> dict:
    rng = random.Random(42)
    return {"iban": iban(rng), "card": card(rng)}


def _write(root: str, rel: str, data: bytes | str) -> None:
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data.encode() if isinstance(data, str) else data)


def build_estate(root: str) -> dict:
    """Write the good files (planted PII + negatives); return planted values."""
    values = dict(PLANTED, **_rng_values())
    _write(root, "notes/contact.txt",
           f"Please contact Wilhelmina Testperson at {values['email']} or on {values['phone']}.\n"
           f"Her National Insurance number is {values['nino']}.\n")
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("deep/record.txt", f"NI number: {values['nino2']}\n")
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("member.txt", f"Forwarded by {values['email2']}\n")
        zf.writestr("inner.zip", inner.getvalue())
    _write(root, "archive/bundle.zip", outer.getvalue())
    _write(root, "hr/contract.docx", docx_bytes(
        ["Employment contract.", "Bank details are in the table below."],
        [["Field", "Value"], ["Salary account IBAN", values["iban"]]]))
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws.append(["Name", "Email", "Team"])
    for i in range(20):
        ws.append([f"Person{chr(65 + i)} Example", f"staff{i}@fixture-corp.example", "Ops"])
    ws.append(["Wilhelmina Testperson", values["email"], "HR"])
    buf = io.BytesIO()
    wb.save(buf)
    _write(root, "hr/staff.xlsx", buf.getvalue())
    _write(root, "finance/refund.pdf", pdf_bytes(["Refund authorisation", f"Card on file: {values['card']}"]))
    msg = EmailMessage()
    msg["From"] = "Help Desk <helpdesk@fixture-corp.example>"
    msg["To"] = "records@fixture-corp.example"
    msg["Subject"] = "Evidence"
    msg.set_content("See the attachment.\n")
    msg.add_attachment(f"NI number {values['nino']}\n".encode(), maintype="text", subtype="plain",
                       filename="evidence.txt")
    _write(root, "mail/evidence.eml", msg.as_bytes())
    _write(root, "config/app.env", f"LOG_LEVEL=info\nDB_PASSWORD={values['password']}\n")
    db = os.path.join(root, "crm", "crm.sqlite")
    os.makedirs(os.path.dirname(db), exist_ok=True)
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE customers (name TEXT, email TEXT)")
    con.executemany("INSERT INTO customers VALUES (?, ?)",
                    [(f"Customer {i}", f"customer{i}@fixture-crm.example") for i in range(30)]
                    + [("Olaf Fixture", values["email2"])])
    con.commit()
    con.close()
    # hard negatives: nothing in these may be reported
    _write(root, "negatives/code.py", 'VERSION = "4.12.3.1024"\n\ndef add(a, b):\n    return a + b  # 2024-01-01\n')
    _write(root, "negatives/release.txt",
           "Release 4.12.3.1024, build 20261101\nsha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n"
           "Order reference 1234567890123456 shipped; price 1,299.00; 12.5% of 3,400 units\n")
    return values


def build_bad_inputs(root: str) -> dict[str, str]:
    """Write hostile files; return {relative path: expected status}."""
    expected = {}
    good_pdf = pdf_bytes(["Some text for a page"])
    _write(root, "bad/truncated.pdf", good_pdf[: len(good_pdf) // 2])
    expected["bad/truncated.pdf"] = "error"
    _write(root, "bad/corrupt.xlsx", b"PK\x03\x04" + os.urandom(2000))
    expected["bad/corrupt.xlsx"] = "error"
    # an encrypted member: zipfile cannot encrypt, so set the encryption flag bit by hand
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("secret.txt", "ciphertext would be here")
    data = bytearray(buf.getvalue())
    data[6] |= 0x01  # local header general purpose flag
    central = data.rfind(b"PK\x01\x02")
    data[central + 8] |= 0x01  # central directory flag
    _write(root, "bad/encrypted.zip", bytes(data))
    expected["bad/encrypted.zip"] = "scanned"  # the archive is read; its member is the error
    # a zip bomb: one member expanding to 1 GiB of zeros, built by streaming
    bomb = os.path.join(root, "bad", "bomb.zip")
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("letters.txt", "w", force_zip64=True) as member:
            chunk = b"A" * (1 << 20)
            for _ in range(1024):
                member.write(chunk)
    expected["bad/bomb.zip"] = "scanned"
    os.mkfifo(os.path.join(root, "bad", "pipe"))
    expected["bad/pipe"] = "skipped"
    os.symlink("loop-b", os.path.join(root, "bad", "loop-a"))
    os.symlink("loop-a", os.path.join(root, "bad", "loop-b"))
    expected["bad/loop-a"] = "skipped"
    return expected

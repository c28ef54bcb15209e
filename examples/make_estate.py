"""Build examples/estate: a small synthetic client estate for the quick start.

Every value is generated (Faker, fixed seed) and fake; identifiers carry valid
check digits so they look real to the scanner. Run again to regenerate:
``python examples/make_estate.py`` (needs the test extras: faker, fpdf2,
openpyxl, python-docx).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import shutil
import sys
import sqlite3
import zipfile
from email.message import EmailMessage

from faker import Faker

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from bench.fakedata import card, iban, luhn_complete, nino, uk_mobile  # noqa: E402
from bench.fakedocs import docx_bytes, pdf_bytes  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "estate")


def make_people(fake: Faker, rng: random.Random, n: int) -> list[dict]:
    people = []
    for _ in range(n):
        first, last = fake.first_name(), fake.last_name()
        people.append({
            "first_name": first, "last_name": last,
            "email": f"{first}.{last}@example.co.uk".lower(),
            "phone": uk_mobile(rng),
            "ni_number": nino(rng),
            "date_of_birth": fake.date_of_birth(minimum_age=20, maximum_age=65).isoformat(),
            "address": f"{rng.randint(1, 200)} {fake.street_name()}, {fake.city()} {fake.postcode()}",
            "iban": iban(rng),
            "card": card(rng).replace(" ", ""),
        })
    return people


def write(path: str, data: bytes | str) -> None:
    full = os.path.join(OUT, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)


def main() -> None:
    fake = Faker("en_GB")
    Faker.seed(7)
    rng = random.Random(7)
    shutil.rmtree(OUT, ignore_errors=True)
    people = make_people(fake, rng, 25)
    jane = people[0]

    # HR: a CSV export, a payroll workbook, a contract, a sickness note
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=["first_name", "last_name", "email", "phone", "ni_number",
                                             "date_of_birth", "address"])
    writer.writeheader()
    for p in people:
        writer.writerow({k: p[k] for k in writer.fieldnames})
    write("hr/employees.csv", buf.getvalue())

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Payroll 2026"
    ws.append(["Employee", "IBAN", "Monthly salary (GBP)"])
    for p in people:
        ws.append([f"{p['first_name']} {p['last_name']}", p["iban"], rng.randint(1800, 6500)])
    xbuf = io.BytesIO()
    wb.save(xbuf)
    write("hr/payroll.xlsx", xbuf.getvalue())

    write("hr/contracts/contract-jane.docx", docx_bytes(
        [f"Employment contract between Acme Widgets Ltd and {jane['first_name']} {jane['last_name']}.",
         f"The employee lives at {jane['address']} and can be reached on {jane['phone']}.",
         f"National Insurance number: {jane['ni_number']}. Date of birth: {jane['date_of_birth']}."],
        table=[["Field", "Value"], ["Employee", f"{jane['first_name']} {jane['last_name']}"],
               ["Personal e-mail", jane["email"]], ["Salary account IBAN", jane["iban"]]]))
    sick = people[3]
    write("hr/notes/absence-2026.txt",
          f"Absence note for {sick['first_name']} {sick['last_name']}.\n"
          f"{sick['first_name']} was diagnosed with type 2 diabetes and is on sick leave until March.\n"
          f"She told HR she is a member of the Unite trade union.\n")

    # Finance: a PDF with a card and an account
    payer = people[5]
    write("finance/refund-0042.pdf", pdf_bytes([f"Refund authorisation for {payer['first_name']} {payer['last_name']}",
                 f"Card on file: {payer['card'][:4]} {payer['card'][4:8]} {payer['card'][8:12]} {payer['card'][12:]}",
                 f"Refund to IBAN {payer['iban']}", "Amount: GBP 120.00, reference INV-2026-00042"]))

    # Support: an e-mail with a zipped attachment
    msg = EmailMessage()
    cust = people[7]
    msg["From"] = f"{cust['first_name']} {cust['last_name']} <{cust['email']}>"
    msg["To"] = "support@acme-widgets.example"
    msg["Subject"] = "Ticket 1042: cannot log in"
    msg.set_content(f"Hello,\n\nI cannot log in since Monday. Please call me on {cust['phone']}.\n\n"
                    f"Kind regards,\n{cust['first_name']} {cust['last_name']}\n")
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("id-check.txt", f"Customer {cust['first_name']} {cust['last_name']}\n"
                                    f"NI number {cust['ni_number']}\n")
    msg.add_attachment(zbuf.getvalue(), maintype="application", subtype="zip", filename="evidence.zip")
    write("support/ticket-1042.eml", msg.as_bytes())

    # IT: config with secrets, an access log, an asset inventory
    write("it/app.env", "APP_ENV=production\nDATABASE_URL=postgres://app:Tr0ub4dor-Example-77@db.internal:5432/crm\n"
                        "SMTP_PASSWORD=Xample-Smtp-Secret-91\nLOG_LEVEL=info\n")
    log_lines = []
    for i in range(200):
        p = people[i % len(people)]
        log_lines.append(f"2026-11-0{1 + i % 9}T10:{i % 60:02d}:00Z 10.20.{i % 7}.{10 + i % 200} "
                         f"login ok user={p['email']} agent=Mozilla/5.0 build=4.12.3.1024")
    write("it/logs/access.log", "\n".join(log_lines) + "\n")
    assets = [{"hostname": f"LT-{100 + i}", "assigned_to": f"{p['first_name']} {p['last_name']}",
               "mac": ":".join(f"{rng.randint(0, 255):02X}" for _ in range(6)),
               "imei": luhn_complete("35" + "".join(rng.choice("0123456789") for _ in range(12)))}
              for i, p in enumerate(people[:10])]
    write("it/assets.json", json.dumps(assets, indent=2))

    # An old archive
    abuf = io.BytesIO()
    with zipfile.ZipFile(abuf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("leavers-2019.csv", "name,email,phone\n" + "".join(
            f"{p['first_name']} {p['last_name']},{p['email']},{p['phone']}\n" for p in people[10:20]))
    write("archive/2019-hr.zip", abuf.getvalue())

    # CRM: a SQLite database
    db_path = os.path.join(OUT, "crm", "customers.sqlite")
    os.makedirs(os.path.dirname(db_path), exist_ok=True)
    con = sqlite3.connect(db_path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, full_name TEXT, email TEXT, phone TEXT, "
                "postcode TEXT, notes TEXT)")
    con.execute("CREATE TABLE orders (order_no TEXT, customer_id INTEGER, amount REAL, sku TEXT)")
    for i, p in enumerate(people):
        con.execute("INSERT INTO customers VALUES (?,?,?,?,?,?)",
                    (i, f"{p['first_name']} {p['last_name']}", p["email"], p["phone"],
                     p["address"].rsplit(" ", 2)[-2] + " " + p["address"].rsplit(" ", 1)[-1],
                     f"Called on {fake.date_this_year().isoformat()} about a late delivery; customer was polite."))
        con.execute("INSERT INTO orders VALUES (?,?,?,?)",
                    (f"SO-{2026000 + i}", i, round(rng.uniform(5, 500), 2), f"SKU-{rng.randint(1000, 9999)}"))
    con.commit()
    con.close()

    # Negatives: code and release notes that must not produce identifiers
    write("src/billing.py", '"""Billing helpers."""\n\nVERSION = "4.12.3"\n\n\ndef total(lines):\n'
                            '    """Sum the order lines."""\n    return sum(l.qty * l.price for l in lines)\n')
    write("docs/release-notes.txt", "Release 4.12.3.1024 (build 20261101)\n"
                                    "- sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n"
                                    "- fixed order 1234567890123456 rounding; see ticket 2026-00042\n"
                                    "- uuid 123e4567-e89b-12d3-a456-426614174000 is the schema id\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

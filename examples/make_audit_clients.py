"""Build the two extra clients of examples/estate.toml: harbour-dental and northwind-travel.

Like examples/estate (make_estate.py), every value is generated (Faker, fixed seed)
and fake. Each client's data keeps its privacy policy in estate.toml except in one
place, so that ``piisweep audit --estate examples/estate.toml --out audits`` shows
one violation per client:

* harbour-dental: a receptionist's call-back note mentions a patient's treatment,
  outside clinical/ where the policy places health data (``placement``);
* northwind-travel: the web server's access log keeps visitors' IP addresses, a
  category the privacy notice does not declare (``undeclared_category``).

Run again to regenerate: ``python examples/make_audit_clients.py`` (needs faker).
"""

from __future__ import annotations

import csv
import io
import os
import random
import shutil
import sys
from email.message import EmailMessage

from faker import Faker

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, HERE)
from bench.fakedata import iban, uk_mobile  # noqa: E402
from make_estate import make_people  # noqa: E402


def write(root: str, path: str, text: str) -> None:
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def table(rows: list[dict], fields: list[str]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def harbour_dental(fake: Faker, rng: random.Random) -> None:
    root = os.path.join(HERE, "harbour-dental")
    shutil.rmtree(root, ignore_errors=True)
    patients = make_people(fake, rng, 20)
    write(root, "reception/appointments.csv",
          table([{**p, "appointment": f"2026-12-{10 + i % 15:02d} {9 + i % 8}:00"} for i, p in enumerate(patients)],
                ["first_name", "last_name", "email", "phone", "date_of_birth", "appointment"]))
    first, second = patients[2], patients[4]
    write(root, "clinical/treatment-notes.txt",
          f"Treatment notes, Dr Okafor.\n"
          f"Patient {first['first_name']} {first['last_name']} was seen for a check-up. She is diabetic and "
          f"takes insulin, so gum healing is slower.\n"
          f"Patient {second['first_name']} {second['last_name']} had an extraction. He has asthma; no aspirin.\n")
    late = patients[7]
    write(root, "reception/callback-notes.txt",
          f"Call back {late['first_name']} {late['last_name']} on {late['phone']} to move the appointment.\n"
          f"She told reception she is having chemotherapy and needs a morning slot.\n")
    write(root, "support/chats/chat-2026-11-04.txt",
          f"Web chat, 4 November 2026\nVisitor: Hello, can I book a hygienist visit?\n"
          f"Agent: Of course. Which e-mail address should we use?\nVisitor: {patients[11]['email']}\n"
          f"Agent: Booked for Thursday at 10:00. See you then.\n")
    suppliers = [{"supplier": fake.company(), "iban": iban(rng), "terms": "30 days"} for _ in range(5)]
    write(root, "billing/suppliers.csv", table(suppliers, ["supplier", "iban", "terms"]))


def northwind_travel(fake: Faker, rng: random.Random) -> None:
    root = os.path.join(HERE, "northwind-travel")
    shutil.rmtree(root, ignore_errors=True)
    travellers = make_people(fake, rng, 30)
    write(root, "bookings/bookings-2026.csv",
          table([{**t, "destination": fake.city(), "departure": f"2027-0{1 + i % 9}-{1 + i % 27:02d}"}
                 for i, t in enumerate(travellers)],
                ["first_name", "last_name", "email", "phone", "destination", "departure"]))
    lines = []
    for i in range(150):
        ip = f"{rng.choice([81, 86, 90, 92, 109, 151, 176, 212])}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        page = rng.choice(["/", "/offers", "/offers/lisbon", "/contact", "/about", "/offers/krakow"])
        lines.append(f'{ip} - - [0{1 + i % 9}/Nov/2026:1{i % 10}:{i % 60:02d}:07 +0000] "GET {page} HTTP/1.1" '
                     f'200 {rng.randint(900, 40000)} "-" "Mozilla/5.0"')
    write(root, "web/logs/access.log", "\n".join(lines) + "\n")
    msg = EmailMessage()
    asker = travellers[3]
    msg["From"] = f"{asker['first_name']} {asker['last_name']} <{asker['email']}>"
    msg["To"] = "enquiries@northwind-travel.example"
    msg["Subject"] = "Website enquiry: family trip to Lisbon"
    msg.set_content(f"Hello,\n\nWe are four and would like to go to Lisbon at Easter. "
                    f"Please call me on {uk_mobile(rng)}.\n\nThanks,\n{asker['first_name']} {asker['last_name']}\n")
    write(root, "enquiries/enquiry-0193.eml", msg.as_string())
    partners = [{"partner": fake.company(), "iban": iban(rng)} for _ in range(4)]
    write(root, "finance/partner-payouts.csv", table(partners, ["partner", "iban"]))


def main() -> None:
    fake = Faker("en_GB")
    Faker.seed(27)
    rng = random.Random(27)
    harbour_dental(fake, rng)
    northwind_travel(fake, rng)
    print(f"wrote {os.path.join(HERE, 'harbour-dental')} and {os.path.join(HERE, 'northwind-travel')}")


if __name__ == "__main__":
    main()

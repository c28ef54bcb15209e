"""The benchmark corpus: a seeded, mixed estate of files with planted personal data.

``python bench/corpus.py [--out bench/corpus] [--mb 220] [--logs-mb 110] [--seed 7]`` writes

- ``OUT/mixed/``: about ``--mb`` MB by bytes on disk of logs, CSV and XLSX exports,
  DOCX letters, PDF contracts, e-mails with attachments, prose notes and
  zip / tar.gz archives of those;
- ``OUT/logs-only/``: about ``--logs-mb`` MB of plain logs (identifier-only speed);
- ``OUT/labels.jsonl``: one JSON line per planted value, outside the scanned folders
  (the values are generated fakes; keeping them out of the targets keeps them out of the scan);
- ``OUT/corpus.json``: the parameters and what was written, so a run can reuse the corpus.

A label is ``{"target", "file", "member", "entity", "kind": "value", "value"}`` for a value
written into text, or ``{"kind": "column", "column", "sheet"}`` instead of ``value`` for a
column of a CSV / sheet (columns are classified from a sample, so recall there is per column).
Generation is cheap by construction: Faker fills small pools once, then files are
assembled from the pools with ``random`` (a few seconds per 100 MB).
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.message
import email.policy
import io
import json
import os
import random
import shutil
import tarfile
import time
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from faker import Faker

if __package__ in (None, ""):  # run as a script: import from the repository root, not from bench/
    import sys

    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from bench import fakedata  # noqa: E402

VERSION = 1
SHARES = {  # fraction of the mixed corpus' bytes on disk
    "logs": 0.40, "csv": 0.15, "xlsx": 0.10, "docx": 0.10, "pdf": 0.05, "eml": 0.05, "prose": 0.10, "archives": 0.05,
}
FOLDERS = {"logs": "logs", "csv": "exports", "xlsx": "sheets", "docx": "letters", "pdf": "contracts",
           "eml": "mail", "prose": "notes", "archives": "archives"}

_FILLER = [
    "The quarterly review covered the budget, the hiring plan and the office move.",
    "Please find attached the signed copy of the agreement for your records.",
    "We have updated our records and no further action is needed on your part.",
    "The committee agreed to revisit the proposal at the next scheduled meeting.",
    "Our support team resolved the ticket after replacing the faulty network switch.",
    "Invoices are payable within thirty days of the date shown on the statement.",
    "The warehouse will be closed over the bank holiday weekend for stock taking.",
    "Training sessions on the new expenses system start early next month.",
    "The landlord confirmed that the heating repairs were completed last week.",
    "All staff must complete the data protection refresher before the end of the quarter.",
    "The project is on schedule, although the supplier has raised its prices slightly.",
    "Minutes of the previous meeting were approved without amendment.",
    "The board thanked the volunteers for their work on the summer fundraiser.",
    "A copy of this letter has been sent to the finance department.",
    "We apologise for the delay and appreciate your patience while we investigated.",
    "The new opening hours apply from the first Monday of next month.",
    "Parking permits can be renewed online or at the reception desk.",
    "The audit found two minor issues, both of which have since been fixed.",
    "Customers reported faster delivery times after the depot reorganisation.",
    "Your account remains active and your tariff is unchanged.",
]
_PLANTED = [  # sentences carrying one planted value each: (template, entity)
    ("Dear {v},", "PERSON"),
    ("I spoke with {v} on the phone this morning about the renewal.", "PERSON"),
    ("The contract was signed by {v} on behalf of the company.", "PERSON"),
    ("Please contact {v} if you have any questions about the invoice.", "PERSON"),
    ("Our records show that {v} joined the team in the spring.", "PERSON"),
    ("You can reach the account manager at {v} during office hours.", "EMAIL_ADDRESS"),
    ("Replies should be sent to {v} rather than to this address.", "EMAIL_ADDRESS"),
    ("For urgent matters call {v} and ask for the duty manager.", "PHONE_NUMBER"),
    ("The customer asked to be called back on {v} after five o'clock.", "PHONE_NUMBER"),
    ("Payments should be made to IBAN {v} quoting the invoice number.", "IBAN_CODE"),
    ("The employee's National Insurance number is {v} according to payroll.", "UK_NINO"),
    ("The patient's NHS number {v} was confirmed at registration.", "UK_NHS"),
    ("The card ending in the digits shown, {v}, was charged twice.", "CREDIT_CARD"),
    ("The suspicious login came from {v} shortly after midnight.", "IP_ADDRESS"),
]
_LOGGERS = ["com.acme.auth.LoginService", "com.acme.billing.InvoiceJob", "app.api.orders", "app.worker.mailer",
            "org.hibernate.SQL", "app.api.customers", "com.acme.sync.CrmSync"]
_PATHS = ["/", "/login", "/api/v2/orders", "/static/app.js", "/account/profile", "/search?q=shoes", "/cart",
          "/api/v2/customers/export", "/favicon.ico", "/images/banner.jpg", "/checkout/confirm"]
_AGENTS = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
           "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
           "curl/8.5.0", "python-requests/2.31.0", "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"]
_TRACE = ("java.lang.IllegalStateException: connection pool exhausted\n"
          "\tat com.acme.db.Pool.acquire(Pool.java:212)\n\tat com.acme.db.Repository.find(Repository.java:88)\n"
          "\tat com.acme.api.CustomerController.get(CustomerController.java:41)\n"
          "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)\n")


@dataclass
class Pools:
    """Small Faker-made pools that every file draws from (Faker once, random afterwards)."""

    first: list[str]
    last: list[str]
    addresses: list[str]
    companies: list[str]
    domains: list[str]
    ips: list[str]
    ibans: list[str] = field(default_factory=list)
    ninos: list[str] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)


def make_pools(seed: int) -> Pools:
    """Names, addresses and identifiers to combine; a few thousand of each."""
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    first = sorted({fake.first_name() for _ in range(3000)})
    last = sorted({fake.last_name() for _ in range(3000)})
    pools = Pools(first, last, [fake.address().replace("\n", ", ") for _ in range(2000)],
                  [fake.company() for _ in range(300)],
                  ["example.com", "example.org", "example.net", "mail.example.co.uk", "corp.example.com"],
                  [fakedata.ipv4(rng) for _ in range(3000)])
    pools.ibans = [fakedata.iban(rng) for _ in range(3000)]
    pools.ninos = [fakedata.nino(rng) for _ in range(3000)]
    pools.cards = [fakedata.card(rng) for _ in range(3000)]
    return pools


class Labels:
    """Collects the planted values of each file, then writes labels.jsonl."""

    def __init__(self):
        self.rows: list[dict] = []

    def value(self, target: str, file: str, member: str, entity: str, value: str) -> None:
        self.rows.append({"target": target, "file": file, "member": member, "entity": entity, "kind": "value",
                          "value": value})

    def column(self, target: str, file: str, member: str, entity: str, column: str, sheet: str = "") -> None:
        self.rows.append({"target": target, "file": file, "member": member, "entity": entity, "kind": "column",
                          "column": column, "sheet": sheet})

    def write(self, path: str) -> int:
        """Write the distinct labels; return how many."""
        seen = set()
        with open(path, "w", encoding="utf-8") as fh:
            for row in self.rows:
                key = json.dumps(row, sort_keys=True)
                if key not in seen:  # the same value twice in one file is one label
                    seen.add(key)
                    fh.write(key + "\n")
        return len(seen)


class Planter:
    """Makes planted values and records them against the file being written."""

    def __init__(self, rng: random.Random, pools: Pools, labels: Labels | None):
        self.rng, self.pools, self.labels = rng, pools, labels
        self.where = ("", "", "")  # target, file, member

    def at(self, target: str, file: str, member: str = "") -> "Planter":
        self.where = (target, file, member)
        return self

    def make(self, entity: str) -> str:
        rng, p = self.rng, self.pools
        if entity == "PERSON":
            value = f"{rng.choice(p.first)} {rng.choice(p.last)}"
        elif entity == "EMAIL_ADDRESS":
            value = f"{rng.choice(p.first)}.{rng.choice(p.last)}{rng.randint(1, 9999)}@{rng.choice(p.domains)}".lower()
            value = value.replace("'", "").replace(" ", "")
        elif entity == "PHONE_NUMBER":
            value = fakedata.uk_landline(rng)
        elif entity == "IBAN_CODE":
            value = fakedata.iban(rng)
        elif entity == "UK_NINO":
            value = fakedata.nino(rng)
        elif entity == "UK_NHS":
            value = fakedata.nhs_number(rng)
        elif entity == "CREDIT_CARD":
            value = fakedata.card(rng)
        elif entity == "IP_ADDRESS":
            value = fakedata.ipv4(rng)
        else:
            raise ValueError(f"no generator for {entity}")
        return value

    def plant(self, entity: str) -> str:
        """A new value of ``entity``, recorded as planted in the current file."""
        value = self.make(entity)
        if self.labels is not None:
            self.labels.value(*self.where, entity, value)
        return value

    def prose(self, n_sentences: int, density: float = 0.25) -> str:
        """English paragraphs; about ``density`` of the sentences carry a planted value."""
        rng, out, para = self.rng, [], []
        for _ in range(n_sentences):
            if rng.random() < density:
                template, entity = rng.choice(_PLANTED)
                para.append(template.format(v=self.plant(entity)))
            else:
                para.append(rng.choice(_FILLER))
            if len(para) >= rng.randint(3, 7):
                out.append(" ".join(para))
                para = []
        if para:
            out.append(" ".join(para))
        return "\n\n".join(out) + "\n"


# ---------------------------------------------------------------- logs

def log_text(planter: Planter, size: int, start: dt.datetime) -> str:
    """Web access and application log lines (and stack traces) totalling about ``size`` bytes."""
    rng, p = planter.rng, planter.pools
    parts, total, ts = [], 0, start
    web = rng.random() < 0.5
    while total < size:
        ts += dt.timedelta(milliseconds=rng.randint(5, 900))
        planted = rng.random() < 0.04
        if web:
            ip = planter.plant("IP_ADDRESS") if planted else rng.choice(p.ips)
            user = planter.plant("EMAIL_ADDRESS") if planted and rng.random() < 0.5 else "-"
            line = (f'{ip} - {user} [{ts:%d/%b/%Y:%H:%M:%S} +0000] "GET {rng.choice(_PATHS)} HTTP/1.1" '
                    f'{rng.choice((200, 200, 200, 304, 404, 500))} {rng.randint(200, 90000)} "-" '
                    f'"{rng.choice(_AGENTS)}"\n')
        else:
            uid = rng.randint(10000, 999999)
            level = rng.choice(("INFO", "INFO", "INFO", "DEBUG", "WARN", "ERROR"))
            head = f"{ts:%Y-%m-%d %H:%M:%S},{ts.microsecond // 1000:03d} {level} [worker-{rng.randint(1, 16)}] " \
                   f"{rng.choice(_LOGGERS)} - "
            if planted:
                entity = rng.choice(("EMAIL_ADDRESS", "IP_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "IBAN_CODE"))
                line = head + f"user_id={uid} updated contact {entity.lower()}={planter.plant(entity)}\n"
            elif level == "ERROR" and rng.random() < 0.5:
                line = head + f"request failed for user_id={uid}\n" + _TRACE
            else:
                line = head + f"user_id={uid} session={rng.getrandbits(64):016x} from {rng.choice(p.ips)} " \
                              f"took {rng.randint(1, 2000)} ms\n"
        parts.append(line)
        total += len(line)
    return "".join(parts)


# ---------------------------------------------------------------- structured

_CRM = [("customer_id", None), ("full_name", "PERSON"), ("email", "EMAIL_ADDRESS"), ("phone", "PHONE_NUMBER"),
        ("address", None), ("company", None), ("created_at", None), ("notes", None)]
_HR = [("employee_id", None), ("employee_name", "PERSON"), ("work_email", "EMAIL_ADDRESS"),
       ("ni_number", "UK_NINO"), ("iban", "IBAN_CODE"), ("salary", None), ("department", None)]


def _crm_row(planter: Planter, i: int) -> list[str]:
    rng, p = planter.rng, planter.pools
    name = f"{rng.choice(p.first)} {rng.choice(p.last)}"
    return [f"C{i:07d}", name, planter.make("EMAIL_ADDRESS"), planter.make("PHONE_NUMBER"), rng.choice(p.addresses),
            rng.choice(p.companies), f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            rng.choice(_FILLER) if rng.random() < 0.3 else ""]


def _hr_row(planter: Planter, i: int) -> list[str]:
    rng, p = planter.rng, planter.pools
    return [f"E{i:06d}", f"{rng.choice(p.first)} {rng.choice(p.last)}", planter.make("EMAIL_ADDRESS"),
            rng.choice(p.ninos), rng.choice(p.ibans), str(rng.randint(18, 140) * 1000),
            rng.choice(("Finance", "Sales", "IT", "Operations", "Legal", "Marketing"))]


def _csv_cell(value: str) -> str:
    return f'"{value}"' if ("," in value or '"' in value) else value


def csv_bytes(planter: Planter, size: int) -> tuple[bytes, list[tuple[str, str]]]:
    """A CRM or HR export of about ``size`` bytes; returns it and its (column, entity) labels."""
    spec, row = (_CRM, _crm_row) if planter.rng.random() < 0.6 else (_HR, _hr_row)
    lines, total, i = [",".join(h for h, _ in spec) + "\n"], 0, 0
    while total < size:
        line = ",".join(_csv_cell(c.replace('"', "'")) for c in row(planter, i)) + "\n"
        lines.append(line)
        total += len(line)
        i += 1
    return "".join(lines).encode("utf-8"), [(h, e) for h, e in spec if e]


def _col(i: int) -> str:
    return chr(65 + i)


def xlsx_bytes(planter: Planter, size: int) -> tuple[bytes, list[tuple[str, str, str]]]:
    """A two-sheet workbook (customers, payroll) written as minimal OOXML with inline strings.

    Written by hand rather than with a workbook library because it is ~10x faster and the
    corpus must be cheap to make; the result opens in Excel, LibreOffice and calamine.
    """
    sheets, labels = [], []
    for name, spec, row in (("Customers", _CRM[:6], _crm_row), ("Payroll", _HR, _hr_row)):
        header = "".join(f'<c r="{_col(j)}1" t="inlineStr"><is><t>{h}</t></is></c>' for j, (h, _) in enumerate(spec))
        rows = [f'<row r="1">{header}</row>']
        budget, total, r = size * 6 // 2, 0, 2  # XML compresses about 6:1
        while total < budget:
            cells = row(planter, r)[:len(spec)]
            xml = "".join(f'<c r="{_col(j)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
                          for j, v in enumerate(cells))
            line = f'<row r="{r}">{xml}</row>'
            rows.append(line)
            total += len(line)
            r += 1
        sheets.append((name, "".join(rows)))
        labels.extend((name, h, e) for h, e in spec if e)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
                      'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(len(sheets))) + '</Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook {ns} {rel_ns}><sheets>'
            + "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, (n, _) in enumerate(sheets))
            + '</sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                      f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(sheets)))
            + '</Relationships>'))
        for i, (_, data) in enumerate(sheets):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml",
                       f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {ns}><sheetData>'
                       f'{data}</sheetData></worksheet>')
    return buf.getvalue(), labels


# ---------------------------------------------------------------- documents

def noise_jpeg(rng: random.Random, nbytes: int) -> bytes:
    """An incompressible JPEG of roughly ``nbytes`` (a scanned letterhead or photo stand-in)."""
    from PIL import Image

    side = max(16, int((nbytes / 1.6) ** 0.5))
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=80)
    return buf.getvalue()


def letter_paragraphs(planter: Planter, n: int) -> list[str]:
    """A letter: addressee block with planted identifiers, then prose."""
    rng, p = planter.rng, planter.pools
    name = planter.plant("PERSON")
    head = [f"{rng.choice(p.companies)}", f"{rng.choice(p.addresses)}", f"Date: 2024-{rng.randint(1, 12):02d}-"
            f"{rng.randint(1, 28):02d}", f"Dear {name},"]
    body = planter.prose(n, density=0.3).split("\n\n")
    tail = [f"National Insurance number: {planter.plant('UK_NINO')}",
            f"Bank account (IBAN): {planter.plant('IBAN_CODE')}",
            f"Email: {planter.plant('EMAIL_ADDRESS')}  Telephone: {planter.plant('PHONE_NUMBER')}",
            "Yours sincerely,", planter.plant("PERSON")]
    return head + body + tail


def docx_bytes(planter: Planter, image: bytes) -> bytes:
    """A Word letter with a letterhead image (most real documents' bytes are media)."""
    import docx
    from docx.shared import Inches

    document = docx.Document()
    document.add_picture(io.BytesIO(image), width=Inches(2))
    document.add_heading("Letter", level=1)
    for para in letter_paragraphs(planter, planter.rng.randint(15, 60)):
        document.add_paragraph(para)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def pdf_bytes(planter: Planter, image: bytes) -> bytes:
    """A contract as a text PDF with an embedded image."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(True, 15)
    pdf.add_page()
    pdf.image(io.BytesIO(image), x=10, y=10, w=40)
    pdf.set_y(60)
    pdf.set_font("Helvetica", size=10)
    for para in letter_paragraphs(planter, planter.rng.randint(20, 60)):
        pdf.multi_cell(0, 5, para.encode("latin-1", "replace").decode("latin-1"))
        pdf.ln(2)
    return bytes(pdf.output())


def eml_bytes(planter: Planter, attachments: list[tuple[str, bytes, list[tuple[str, str]]]]) -> bytes:
    """An e-mail with a prose body and the given attachments (whose planted values are re-labelled here)."""
    rng, p = planter.rng, planter.pools
    msg = email.message.EmailMessage(policy=email.policy.SMTP)
    sender_name = planter.plant("PERSON")
    msg["From"] = f"{sender_name} <{planter.plant('EMAIL_ADDRESS')}>"
    msg["To"] = f"accounts@{rng.choice(p.domains)}"
    msg["Subject"] = rng.choice(("Invoice query", "Contract renewal", "Updated details", "Meeting notes"))
    msg["Date"] = "Mon, 04 Mar 2024 10:15:00 +0000"
    body = planter.prose(rng.randint(8, 30), density=0.3)
    msg.set_content(body + f"\nKind regards,\n{sender_name}\nTel: {planter.plant('PHONE_NUMBER')}\n")
    for name, data, values in attachments:
        for entity, value in values:
            planter.labels.value(*planter.where, entity, value)
        maintype, subtype = {"pdf": ("application", "pdf"), "docx": (
            "application", "vnd.openxmlformats-officedocument.wordprocessingml.document")}[name.rsplit(".", 1)[1]]
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


# ---------------------------------------------------------------- the corpus

class Writer:
    """Writes files of one category until its byte budget is used."""

    def __init__(self, root: str, target: str):
        self.root, self.target = root, target
        self.bytes: dict[str, int] = {}
        self.files: dict[str, int] = {}

    def write(self, category: str, rel: str, data: bytes) -> None:
        path = os.path.join(self.root, self.target, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(data)
        self.bytes[category] = self.bytes.get(category, 0) + len(data)
        self.files[category] = self.files.get(category, 0) + 1


def _captured(planter: Planter, make) -> tuple[object, list[tuple[str, str]]]:
    """Run ``make`` and return its result with the values it planted (for re-use as an attachment)."""
    before = len(planter.labels.rows)
    result = make()
    planted = [(r["entity"], r["value"]) for r in planter.labels.rows[before:]]
    del planter.labels.rows[before:]
    return result, planted


def generate(out: str, mb: float = 220, logs_mb: float = 110, seed: int = 7) -> dict:
    """Write the corpus under ``out`` (replacing an earlier one) and return its description."""
    started = time.monotonic()
    for sub in ("mixed", "logs-only"):
        shutil.rmtree(os.path.join(out, sub), ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    rng = random.Random(seed)
    pools = make_pools(seed)
    labels = Labels()
    planter = Planter(rng, pools, labels)
    mixed = Writer(out, "mixed")
    budget = {c: int(share * mb * 1e6) for c, share in SHARES.items()}
    t0 = dt.datetime(2024, 3, 1)

    def left(category: str) -> int:
        return budget[category] - mixed.bytes.get(category, 0)

    i = 0
    while left("logs") > 0:
        i += 1
        rel = f"logs/{'srv' + str(i % 7)}/app-{i:04d}.log"
        size = min(left("logs"), rng.randint(300_000, 3_000_000))
        mixed.write("logs", rel, log_text(planter.at("mixed", rel), size, t0).encode())
    i = 0
    while left("csv") > 0:
        i += 1
        rel = f"exports/export-{i:04d}.csv"
        data, cols = csv_bytes(planter.at("mixed", rel), min(left("csv"), rng.randint(100_000, 4_000_000)))
        for header, entity in cols:
            labels.column("mixed", rel, "", entity, header)
        mixed.write("csv", rel, data)
    i = 0
    while left("xlsx") > 0:
        i += 1
        rel = f"sheets/workbook-{i:04d}.xlsx"
        data, cols = xlsx_bytes(planter.at("mixed", rel), min(left("xlsx"), rng.randint(100_000, 2_500_000)))
        for sheet, header, entity in cols:
            labels.column("mixed", rel, "", entity, header, sheet)
        mixed.write("xlsx", rel, data)
    images = [noise_jpeg(rng, n) for n in (30_000, 80_000, 150_000, 250_000)]
    docs: list[tuple[str, bytes, list[tuple[str, str]]]] = []  # made once more for attachments
    i = 0
    while left("docx") > 0:
        i += 1
        rel = f"letters/letter-{i:04d}.docx"
        data = docx_bytes(planter.at("mixed", rel), rng.choice(images))
        mixed.write("docx", rel, data)
    i = 0
    while left("pdf") > 0:
        i += 1
        rel = f"contracts/contract-{i:04d}.pdf"
        data = pdf_bytes(planter.at("mixed", rel), rng.choice(images))
        mixed.write("pdf", rel, data)
    for j in range(6):  # attachment stock: their values are labelled in each e-mail that carries them
        kind = "pdf" if j % 2 else "docx"
        maker = pdf_bytes if kind == "pdf" else docx_bytes
        data, planted = _captured(planter.at("", ""), lambda: maker(planter, images[j % 2]))
        docs.append((f"attachment-{j}.{kind}", data, planted))
    i = 0
    while left("eml") > 0:
        i += 1
        rel = f"mail/{i % 13:02d}/message-{i:05d}.eml"
        planter.at("mixed", rel)
        data = eml_bytes(planter, rng.sample(docs, rng.randint(0, 2)))
        mixed.write("eml", rel, data)
    i = 0
    while left("prose") > 0:
        i += 1
        rel = f"notes/note-{i:04d}.txt"
        text = planter.at("mixed", rel).prose(rng.randint(40, 2500), density=0.12)
        mixed.write("prose", rel, text.encode())
    i = 0
    while left("archives") > 0:
        i += 1
        if i % 2:
            rel = f"archives/bundle-{i:04d}.zip"
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for k in range(rng.randint(2, 6)):
                    kind = rng.choice(("txt", "log", "csv", "docx"))
                    member = f"docs/item-{k}.{kind}"
                    planter.at("mixed", rel, member)
                    if kind == "txt":
                        z.writestr(member, planter.prose(rng.randint(20, 200), density=0.12))
                    elif kind == "log":
                        z.writestr(member, log_text(planter, rng.randint(50_000, 400_000), t0))
                    elif kind == "csv":
                        data, cols = csv_bytes(planter, rng.randint(50_000, 400_000))
                        for header, entity in cols:
                            labels.column("mixed", rel, member, entity, header)
                        z.writestr(member, data)
                    else:
                        z.writestr(member, docx_bytes(planter, images[0]))
        else:
            rel = f"archives/rotated-{i:04d}.tar.gz"
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w:gz") as tar:
                for k in range(rng.randint(1, 3)):
                    member = f"var/log/app.log.{k + 1}"
                    data = log_text(planter.at("mixed", rel, member), rng.randint(100_000, 800_000), t0).encode()
                    info = tarfile.TarInfo(member)
                    info.size, info.mtime = len(data), 1709251200
                    tar.addfile(info, io.BytesIO(data))
        mixed.write("archives", rel, buf.getvalue())
    logs = Writer(out, "logs-only")
    quiet = Planter(rng, pools, None)  # logs-only measures speed: values are planted, not labelled
    i = 0
    while logs.bytes.get("logs", 0) < logs_mb * 1e6:
        i += 1
        size = min(int(logs_mb * 1e6) - logs.bytes.get("logs", 0) + 1, rng.randint(1_000_000, 8_000_000))
        logs.write("logs", f"host{i % 5}/service-{i:04d}.log", log_text(quiet, size, t0).encode())
    n_labels = labels.write(os.path.join(out, "labels.jsonl"))
    description = {
        "version": VERSION, "seed": seed, "mb": mb, "logs_mb": logs_mb,
        "mixed": {"bytes": mixed.bytes, "files": mixed.files, "total_bytes": sum(mixed.bytes.values()),
                  "total_files": sum(mixed.files.values())},
        "logs_only": {"total_bytes": sum(logs.bytes.values()), "total_files": sum(logs.files.values())},
        "labels": n_labels, "seconds": round(time.monotonic() - started, 1),
    }
    with open(os.path.join(out, "corpus.json"), "w", encoding="utf-8") as fh:
        json.dump(description, fh, indent=2)
    return description


def load_or_generate(out: str, mb: float, logs_mb: float, seed: int) -> dict:
    """Reuse the corpus under ``out`` when it was made with the same parameters, else (re)make it."""
    try:
        with open(os.path.join(out, "corpus.json"), encoding="utf-8") as fh:
            description = json.load(fh)
        if (description.get("version"), description.get("seed"), description.get("mb"),
                description.get("logs_mb")) == (VERSION, seed, mb, logs_mb):
            return description
    except (OSError, ValueError):
        pass
    return generate(out, mb, logs_mb, seed)


def load_labels(out: str) -> list[dict]:
    """The planted values of a corpus."""
    with open(os.path.join(out, "labels.jsonl"), encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "corpus"))
    parser.add_argument("--mb", type=float, default=220)
    parser.add_argument("--logs-mb", type=float, default=110)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    description = generate(args.out, args.mb, args.logs_mb, args.seed)
    print(json.dumps(description, indent=2))


if __name__ == "__main__":
    main()

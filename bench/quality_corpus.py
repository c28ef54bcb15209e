"""The labelled corpus of the quality benchmark: an MSP client's files, with ground truth.

:func:`build_corpus` writes a few hundred documents an MSP finds on a client's
file server — HR contracts and letters, payslips, support e-mails, CRM
exports, access logs, asset inventories, config files, letters, archives — in
every format the scanner reads, for people of several locales, plus hard
negatives (:mod:`bench.quality_negatives`) that contain no personal data but
look like it. Every planted value is recorded as a :class:`Label` with the
exact text written; ``labels.json`` beside the ``files/`` folder holds them.
All values are generated (Faker, check digits computed): none is real.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import asdict


from bench import fakedata
from bench import quality_docs as out
from bench.quality_negatives import write_negatives
from bench.quality_people import DOB_LABELS, LOCALES, NATIONAL_ID, Label, LabelledDoc, Person, make_person, seeded_fakers

# file-level only: a passage has no single exact span to hash
SPECIAL_PASSAGES = {
    "SPECIAL_CATEGORY_HEALTH": [
        "was diagnosed with type 2 diabetes", "has been signed off with depression",
        "is undergoing chemotherapy for breast cancer", "has epilepsy and must not work alone at height",
        "is recovering from a heart attack", "is on medication for bipolar disorder",
    ],
    "SPECIAL_CATEGORY_TRADE_UNION": [
        "is a member of Unite the Union", "is the UNISON workplace representative",
        "joined the GMB union last year", "is a paid-up member of the RMT",
    ],
    "SPECIAL_CATEGORY_RELIGION": [
        "is a practising Muslim and asks for a prayer room", "observes the Sabbath as an Orthodox Jew",
        "is a practising Catholic and attends Mass on holy days", "is a devout Sikh and wears a turban",
    ],
    "CRIMINAL_OFFENCE": [
        "has an unspent conviction for fraud", "was cautioned by police for common assault",
        "disclosed a conviction for drink driving on the DBS check", "is currently on bail charged with theft",
    ],
}


class CorpusWriter:
    """Writes the documents of one corpus and collects their labels."""

    def __init__(self, root: str, seed: int):
        self.root = root
        self.rng = random.Random(seed)
        self.fakers = seeded_fakers(LOCALES, seed * 100)
        self.labels: list[Label] = []
        self.files: list[str] = []
        self.counter = 0

    # -- helpers -----------------------------------------------------------------------------------------

    def doc(self, folder: str, stem: str, ext: str) -> LabelledDoc:
        """A new document with a unique numbered name."""
        self.counter += 1
        return LabelledDoc(f"{folder}/{stem}_{self.counter:04d}.{ext}")

    def path(self, doc: LabelledDoc) -> str:
        """Where a document is written on disk."""
        return os.path.join(self.root, doc.rel)

    def done(self, doc: LabelledDoc) -> None:
        """Record a written document and its labels."""
        self.labels.extend(doc.labels)
        self.files.append(doc.rel)

    def person(self, locale: str, domain: str) -> Person:
        """A new person of ``locale`` (half of them with an e-mail at ``domain``)."""
        return make_person(self.fakers[locale], self.rng, LOCALES[locale], domain)

    def company(self, locale: str) -> tuple[str, str]:
        """A client company's name and e-mail domain (not personal data: not labelled)."""
        fake = self.fakers[locale]
        name = fake.company()
        return name, fake.domain_name()

    def special(self, doc: LabelledDoc, p: Person) -> str:
        """A clause "<name> <special-category or criminal passage>" about ``p``."""
        entity = self.rng.choice(list(SPECIAL_PASSAGES))
        phrase = doc.put(entity, self.rng.choice(SPECIAL_PASSAGES[entity]))
        return f"{doc.name(p)} {phrase}"

    def national_line(self, doc: LabelledDoc, p: Person) -> str:
        """A "label: national identifier" line, empty for countries without one."""
        if not p.national:
            return ""
        return f"{NATIONAL_ID[p.country][1]}: {doc.national(p)}"

    # -- prose documents -----------------------------------------------------------------------------------

    def hr_contract(self, locale: str) -> None:
        """An employment contract (docx, odt or pdf)."""
        company, domain = self.company(locale)
        p, manager = self.person(locale, domain), self.person(locale, domain)
        ext = self.rng.choice(["docx", "docx", "odt", "pdf"])
        doc = self.doc("hr/contracts", "contract", ext)
        r = self.rng
        paras = [
            f"This contract of employment is made between {company} and {doc.name(p)} "
            f"of {doc.address(p)}.",
            f"{DOB_LABELS[p.country]}: {doc.dob(p, r)}",
            self.national_line(doc, p),
            f"Your line manager will be {doc.name(manager)}. Your start date is "
            f"{r.randint(1, 28)}/{r.randint(1, 12)}/{r.randint(2019, 2024)} and your annual salary is "
            f"{r.randint(24, 95)},{r.randint(0, 999):03d}.",
            f"Salary is paid monthly into the account {doc.put('IBAN_CODE', p.iban)}." if p.iban else
            "Salary is paid monthly by direct deposit.",
            f"Contact details on file: {doc.put('EMAIL_ADDRESS', p.email)}, telephone "
            f"{doc.put('PHONE_NUMBER', p.phone)}.",
            "The probation period is six months. Either party may end this contract with one month's notice.",
        ]
        if r.random() < 0.3:
            paras.append(f"Note for the file: {self.special(doc, p)}.")
        paras = [x for x in paras if x]
        table = None
        if ext == "docx":
            table = (["Field", "Value"], [["Employee", doc.name(p)], ["Work e-mail", doc.put("EMAIL_ADDRESS",
                                                                                            manager.email)]])
        title = "Contract of employment"
        self._render_prose(doc, ext, paras, title, table)

    def hr_letter(self, locale: str) -> None:
        """An HR letter: absence, grievance (both with a special-category passage) or reference."""
        company, domain = self.company(locale)
        p, hr = self.person(locale, domain), self.person(locale, domain)
        ext = self.rng.choice(["docx", "txt", "pdf", "html"])
        doc = self.doc("hr/letters", "letter", ext)
        r = self.rng
        kind = r.choice(["absence", "grievance", "reference"])
        paras = [doc.name(p, titled=True), doc.address(p, "\n"), f"Dear {doc.name(p)},"]
        if kind == "absence":
            paras.append(f"Following our meeting, I confirm that your absence is recorded: "
                         f"your GP's note says that {self.special(doc, p)}.")
        elif kind == "grievance":
            paras.append(f"Your grievance meeting is booked for next Tuesday. You may bring a companion. "
                         f"We understand that {self.special(doc, p)}.")
        else:
            paras.append(f"I am happy to confirm that {doc.name(p)} (date of birth {doc.dob(p, r)}) worked for "
                         f"{company} from {r.randint(2010, 2018)} to {r.randint(2019, 2024)}.")
        paras.append(f"If you have questions please call me on {doc.put('PHONE_NUMBER', hr.phone)} or write to "
                     f"{doc.put('EMAIL_ADDRESS', hr.email)}.")
        paras.append(f"Yours sincerely,\n{doc.name(hr)}\nHR Business Partner, {company}")
        self._render_prose(doc, ext, paras, "", None)

    def payslip(self, locale: str) -> None:
        """A payslip, mostly PDF."""
        company, domain = self.company(locale)
        p = self.person(locale, domain)
        r = self.rng
        doc = self.doc("payroll/payslips", "payslip", r.choice(["pdf", "pdf", "docx"]))
        gross = r.randint(1800, 7500)
        lines = [
            f"Employer: {company}",
            f"Employee: {doc.name(p)}    Employee no. {r.randint(1000, 99999):05d}",
            f"Address: {doc.address(p)}",
            self.national_line(doc, p) or f"Tax ID on file: see HR record {r.randint(100, 999)}",
            f"Pay period: {r.choice(['January', 'March', 'June', 'October'])} {r.randint(2021, 2024)}    "
            f"Tax code: {r.randint(1000, 1300)}L",
            f"Gross pay: {gross}.00    Tax: {gross * 0.2:.2f}    National insurance: {gross * 0.08:.2f}    "
            f"Net pay: {gross * 0.72:.2f}",
            f"Paid to: {doc.put('IBAN_CODE', p.iban)}" if p.iban else "Paid by cheque",
            f"Year to date gross: {gross * r.randint(2, 11)}.00",
        ]
        if p.nhs and r.random() < 0.5:
            lines.append(f"Occupational health NHS number: {doc.put('UK_NHS', p.nhs)}")
        self._render_prose(doc, doc.rel.rsplit(".", 1)[1], lines, "Payslip", None)

    def letter(self, locale: str) -> None:
        """A customer's letter or complaint, saved as text by a support team."""
        company, domain = self.company(locale)
        p = self.person(locale, "mail." + domain)
        r = self.rng
        doc = self.doc("correspondence", "letter", r.choice(["txt", "txt", "md"]))
        paras = [f"{doc.name(p)}\n{doc.address(p, chr(10))}\n{doc.put('PHONE_NUMBER', p.phone)}\n"
                 f"{doc.put('EMAIL_ADDRESS', p.email)}",
                 f"Dear {company} customer services,",
                 f"I am writing about my account. My {DOB_LABELS[p.country].lower()} is {doc.dob(p, r)} in case "
                 f"you need to verify my identity."]
        if p.national and r.random() < 0.5:
            paras.append(f"You also asked for my {NATIONAL_ID[p.country][1]}, which is {doc.national(p)}.")
        if r.random() < 0.4:
            paras.append(f"Please refund the payment taken from my card {doc.put('CREDIT_CARD', p.card)}.")
        if r.random() < 0.4:
            partner = self.person(locale, domain)
            paras.append(f"Please explain the delay. As you know, my partner {self.special(doc, partner)}.")
        paras.append(f"Regards,\n{doc.name(p)}")
        self._render_prose(doc, doc.rel.rsplit(".", 1)[1], paras, "", None)

    def ticket(self, locale: str) -> None:
        """A support ticket e-mail with identifiers a user pasted in."""
        company, domain = self.company(locale)
        p, agent = self.person(locale, domain), self.person(locale, "helpdesk." + domain)
        r = self.rng
        doc = self.doc("support/tickets", "ticket", "eml")
        body = [f"Hi {doc.name(agent)},",
                f"Since this morning I cannot reach the VPN from home (my IP is {doc.put('IP_ADDRESS', p.ip)}). "
                f"The laptop's MAC address is "
                f"{doc.put('MAC_ADDRESS', fakedata.mac_address(r, r.choice(['colon', 'dash'])))}."]
        if r.random() < 0.5:
            password = _password(r)
            body.append(f"I reset it myself, the temporary password is {doc.put('PASSWORD', password)} if you "
                        "need to log in.")
        if r.random() < 0.3:
            body.append(f"For the renewal you can charge card {doc.put('CREDIT_CARD', p.card)}.")
        if r.random() < 0.2:
            body.append(f"Please keep this between us: {self.special(doc, p)}.")
        body.append(f"You can call me on {doc.put('PHONE_NUMBER', p.phone)}.\n\nThanks,\n{doc.name(p)}")
        headers = (f"From: {doc.name(p)} <{doc.put('EMAIL_ADDRESS', p.email)}>\n"
                   f"To: Service Desk <{doc.put('EMAIL_ADDRESS', 'servicedesk@' + domain)}>\n"
                   f"Subject: VPN not working - ticket {r.randint(10000, 99999)}\n"
                   f"Date: Mon, {r.randint(1, 28)} Oct 2024 09:{r.randint(10, 59)}:00 +0000\n"
                   f"Message-ID: <{r.randint(10**8, 10**9)}@{domain}>\n"
                   "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
                   "Content-Transfer-Encoding: 8bit\n\n")
        out.write_text(self.path(doc), [headers + "\n\n".join(body)])
        self.done(doc)

    def team_slides(self, locale: str) -> None:
        """A "meet the team" deck with names and direct lines."""
        company, domain = self.company(locale)
        doc = self.doc("presentations", "team", "pptx")
        slides = [("Meet the team", [f"Welcome to {company}"])]
        for _ in range(3):
            p = self.person(locale, domain)
            slides.append((doc.name(p), [f"E-mail: {doc.put('EMAIL_ADDRESS', p.email)}",
                                         f"Direct line: {doc.put('PHONE_NUMBER', p.phone)}"]))
        out.write_pptx(self.path(doc), slides)
        self.done(doc)

    def _render_prose(self, doc: LabelledDoc, ext: str, paras: list[str], title: str, table) -> None:
        path = self.path(doc)
        if ext == "docx":
            out.write_docx(path, paras, title, table)
        elif ext == "pdf":
            out.write_pdf(path, paras, title)
        elif ext == "odt":
            out.write_odt(path, paras, title)
        elif ext == "html":
            out.write_html(path, paras, title, table)
        else:
            out.write_text(path, ([title] if title else []) + paras)
        self.done(doc)

    # -- tables ----------------------------------------------------------------------------------------------

    def customer_table(self, locale: str, doc: LabelledDoc, rows: int) -> tuple[list, list]:
        """A CRM export: names, contacts, addresses, birth dates, payment details."""
        _, domain = self.company(locale)
        r = self.rng
        country = LOCALES[locale]
        header = ["customer_id", "full_name", "email", "phone", "street_address", "city_postcode",
                  "date_of_birth", "plan", "monthly_fee", "signup_date"]
        pay = "iban" if country not in ("US", "CA") else "card_number"
        header.append(pay)
        body = []
        for i in range(rows):
            p = self.person(locale, domain)
            body.append([f"C{r.randint(10000, 99999)}", doc.name(p), doc.put("EMAIL_ADDRESS", p.email),
                         doc.put("PHONE_NUMBER", p.phone), doc.put("STREET_ADDRESS", p.street), p.locality,
                         doc.put("DATE_OF_BIRTH", p.dob.isoformat()), r.choice(["Basic", "Pro", "Enterprise"]),
                         f"{r.randint(9, 499)}.{r.choice(['00', '50', '99'])}",
                         f"20{r.randint(15, 24)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}",
                         doc.put("IBAN_CODE", p.iban) if pay == "iban" else doc.put("CREDIT_CARD", p.card)])
        return header, body

    def employee_table(self, locale: str, doc: LabelledDoc, rows: int) -> tuple[list, list]:
        """An HR export with national identifiers."""
        _, domain = self.company(locale)
        r = self.rng
        country = LOCALES[locale]
        id_header = {"UK_NINO": "ni_number", "US_SSN": "ssn", "FR_NIR": "nir", "NL_BSN": "bsn", "CA_SIN": "sin",
                     "BE_NATIONAL_NUMBER": "national_number", "DE_TAX_ID": "steuer_id", "IE_PPSN": "ppsn"}
        header = ["employee_no", "first_name", "last_name", "work_email", "mobile", "department", "dob"]
        if country in NATIONAL_ID:
            header.append(id_header[NATIONAL_ID[country][0]])
        if country == "GB":
            header.append("nhs_number")
        body = []
        for _ in range(rows):
            p = self.person(locale, domain)
            row = [f"E{r.randint(1000, 9999)}", doc.put("PERSON", p.first), doc.put("PERSON", p.last),
                   doc.put("EMAIL_ADDRESS", p.email), doc.put("PHONE_NUMBER", p.phone),
                   r.choice(["Finance", "Sales", "IT", "Operations", "Legal"]), doc.put("DATE_OF_BIRTH", p.dob_text(r))]
            if p.national:
                row.append(doc.national(p))
            if country == "GB":
                row.append(doc.put("UK_NHS", p.nhs))
            body.append(row)
        return header, body

    def asset_table(self, locale: str, doc: LabelledDoc, rows: int) -> tuple[list, list]:
        """An asset inventory: devices, their owners and network identifiers."""
        _, domain = self.company(locale)
        r = self.rng
        header = ["hostname", "owner", "owner_email", "mac_address", "imei", "ip_address", "serial", "os_version"]
        body = []
        for i in range(rows):
            p = self.person(locale, domain)
            body.append([f"{r.choice(['LT', 'DT', 'PH'])}-{r.randint(100, 999)}", doc.name(p),
                         doc.put("EMAIL_ADDRESS", p.email),
                         doc.put("MAC_ADDRESS", fakedata.mac_address(r, r.choice(["colon", "dash", "cisco"]))),
                         doc.put("DEVICE_ID", fakedata.imei(r, grouped=r.random() < 0.3)),
                         doc.put("IP_ADDRESS", fakedata.private_ipv4(r)),
                         f"SN{r.randint(10**7, 10**8)}", r.choice(["Windows 11 23H2", "macOS 14.4", "iOS 17.2"])])
        return header, body

    def table_file(self, locale: str) -> None:
        """One customer, employee or asset table in one of ten formats."""
        r = self.rng
        kind = r.choice(["customers", "employees", "employees", "assets"])
        make = {"customers": self.customer_table, "employees": self.employee_table, "assets": self.asset_table}[kind]
        ext = r.choice(["csv", "csv", "tsv", "xlsx", "xls", "json", "xml", "sqlite", "html", "docx"])
        doc = self.doc(f"exports/{kind}", kind, {"sqlite": "db"}.get(ext, ext))
        header, rows = make(locale, doc, r.randint(8, 30))
        path = self.path(doc)
        if ext in ("csv", "tsv"):
            out.write_delimited(path, header, rows, "," if ext == "csv" else "\t")
        elif ext == "xlsx":
            out.write_xlsx(path, {kind.title(): (header, rows), "Notes": (["note"], [["exported from CRM"]])})
        elif ext == "xls":
            out.write_xls(path, {kind.title(): (header, rows)})
        elif ext == "json":
            out.write_json_records(path, header, rows)
        elif ext == "xml":
            out.write_xml_records(path, kind, kind[:-1], header, rows)
        elif ext == "sqlite":
            out.write_sqlite(path, {kind: (header, rows)})
        elif ext == "html":
            out.write_html(path, ["Exported from the CRM."], kind.title(), (header, rows))
        else:
            out.write_docx(path, [f"{kind.title()} list, exported for the audit."], kind.title(), (header, rows))
        self.done(doc)

    def archive(self, locale: str) -> None:
        """A zip or tar.gz holding a CSV export and a note: findings belong to the archive file."""
        r = self.rng
        ext = r.choice(["zip", "tar.gz"])
        doc = self.doc("archives", "backup", ext)
        header, rows = self.customer_table(locale, doc, r.randint(5, 12))
        p = self.person(locale, "example.org")
        note = (f"Backup taken by {doc.name(p)} ({doc.put('EMAIL_ADDRESS', p.email)}). "
                f"Call {doc.put('PHONE_NUMBER', p.phone)} before restoring.")
        members = {"export/customers.csv": out.table_csv(header, rows), "README.txt": note}
        (out.write_zip if ext == "zip" else out.write_targz)(self.path(doc), members)
        self.done(doc)

    # -- machine text -----------------------------------------------------------------------------------------

    def access_log(self, locale: str) -> None:
        """A web access log or SSO auth log: IP addresses and user e-mails."""
        _, domain = self.company(locale)
        r = self.rng
        doc = self.doc("logs", r.choice(["access", "auth"]), "log")
        lines = []
        users = [self.person(locale, domain) for _ in range(4)]
        for i in range(r.randint(30, 80)):
            u = r.choice(users)
            ip = doc.put("IP_ADDRESS", u.ip if r.random() < 0.5 else fakedata.ipv4(r))
            stamp = (f"{r.randint(1, 28):02d}/Oct/2024:{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:"
                     f"{r.randint(0, 59):02d} +0000")
            if "auth" in doc.rel:
                lines.append(f"2024-10-{r.randint(1, 28):02d}T{r.randint(0, 23):02d}:{r.randint(0, 59):02d}:00Z "
                             f"sso[{r.randint(100, 9999)}]: login {r.choice(['succeeded', 'failed'])} "
                             f"user={doc.put('EMAIL_ADDRESS', u.email)} src={ip} mfa={r.choice(['totp', 'push'])}")
            else:
                path = r.choice(["/index.html", "/api/v2/orders?page=2", "/login", "/static/app.9f3c2e.js"])
                lines.append(f'{ip} - - [{stamp}] "GET {path} HTTP/1.1" {r.choice([200, 200, 302, 404])} '
                             f'{r.randint(200, 90000)} "-" "Mozilla/5.0 (Windows NT 10.0; Win64; x64) '
                             f'Chrome/{r.randint(110, 125)}.0.{r.randint(1000, 6999)}.{r.randint(10, 199)}"')
        out.write_text(self.path(doc), ["\n".join(lines)])
        self.done(doc)

    def config(self, locale: str) -> None:
        """Config files with credentials, connection strings and server addresses."""
        _, domain = self.company(locale)
        r = self.rng
        ext = r.choice(["env", "ini", "yaml", "json", "conf"])
        doc = self.doc("config", "app", ext)
        db_host = doc.put("IP_ADDRESS", fakedata.private_ipv4(r))
        pw1, pw2 = doc.put("PASSWORD", _password(r)), doc.put("PASSWORD", _password(r))
        admin = doc.put("EMAIL_ADDRESS", f"it-admin@{domain}")
        url = f"postgresql://app_user:{pw2}@db01.{domain}:5432/crm"
        if ext == "env":
            text = (f"APP_ENV=production\nDB_HOST={db_host}\nDB_USER=crm\nDB_PASSWORD={pw1}\nDATABASE_URL={url}\n"
                    f"ADMIN_EMAIL={admin}\nLOG_LEVEL=info\nMAX_UPLOAD_MB=25\n")
        elif ext in ("ini", "conf"):
            text = (f"[database]\nhost = {db_host}\nport = 5432\nuser = crm\npassword = {pw1}\n\n[reporting]\n"
                    f"dsn = {url}\nnotify = {admin}\ntimeout = 30\n")
        elif ext == "yaml":
            text = (f"database:\n  host: {db_host}\n  username: crm\n  password: {pw1}\n  url: {url}\n"
                    f"alerts:\n  email: {admin}\n  threshold: 0.75\n")
        else:
            out.write_json_doc(self.path(doc), {"database": {"host": db_host, "user": "crm", "password": pw1,
                                                             "url": url}, "admin": admin, "retries": 3})
            self.done(doc)
            return
        out.write_text(self.path(doc), [text.rstrip("\n")])
        self.done(doc)


def _password(rng: random.Random) -> str:
    """A password safe in .env, ini, YAML and URLs (starts with a letter, no quoting needed)."""
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return rng.choice("abcdefghkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ") + \
        "".join(rng.choice(alphabet) for _ in range(rng.randint(9, 15))) + rng.choice("!*-_") + str(rng.randint(0, 9))


# (generator method, documents per locale)
PLAN = [("hr_contract", 3), ("hr_letter", 3), ("payslip", 3), ("letter", 4), ("ticket", 5), ("team_slides", 1),
        ("table_file", 6), ("archive", 1), ("access_log", 2), ("config", 3)]


def build_corpus(corpus_dir: str, seed: int = 7) -> dict:
    """Write ``corpus_dir/files/…`` and ``corpus_dir/labels.json``; return the labels document.

    The labels document holds ``files`` (every file written), ``negatives``
    (hard negatives: no personal data) and ``labels`` (file, entity, value,
    alternates), paths relative to ``files/``.
    """
    root = os.path.join(corpus_dir, "files")
    writer = CorpusWriter(root, seed)
    for locale in LOCALES:
        for method, count in PLAN:
            for _ in range(count):
                getattr(writer, method)(locale)
    negatives = write_negatives(root, random.Random(seed + 1))
    labels = {"seed": seed, "files": writer.files + negatives, "negatives": negatives,
              "labels": [asdict(label) for label in writer.labels]}
    with open(os.path.join(corpus_dir, "labels.json"), "w", encoding="utf-8") as fh:
        json.dump(labels, fh, ensure_ascii=False, indent=1)
    return labels


def load_labels(corpus_dir: str) -> tuple[list[Label], list[str], list[str]]:
    """(labels, files, negatives) of a corpus written by :func:`build_corpus`."""
    with open(os.path.join(corpus_dir, "labels.json"), encoding="utf-8") as fh:
        doc = json.load(fh)
    labels = [Label(d["file"], d["entity"], d["value"], tuple(d["alternates"])) for d in doc["labels"]]
    return labels, doc["files"], doc["negatives"]

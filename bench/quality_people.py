"""Fake people for the quality corpus, and the labelled document they are planted in.

A :class:`Person` carries everything one data subject may have in an MSP
client's files, generated per locale with valid check digits. A
:class:`LabelledDoc` records each planted value with the exact text written,
so the benchmark knows what a perfect scanner would report.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from faker import Faker

from bench import fakedata

# locale -> ISO country whose identifiers and phone layouts its people have
LOCALES = {"en_GB": "GB", "en_US": "US", "fr_FR": "FR", "nl_NL": "NL", "de_DE": "DE", "fr_CA": "CA",
           "nl_BE": "BE", "en_IE": "IE"}

# country -> (entity type, the label a form prints before it)
NATIONAL_ID = {
    "GB": ("UK_NINO", "National Insurance number"),
    "US": ("US_SSN", "Social Security number"),
    "FR": ("FR_NIR", "Numéro de sécurité sociale"),
    "NL": ("NL_BSN", "BSN"),
    "CA": ("CA_SIN", "Social Insurance Number"),
    "BE": ("BE_NATIONAL_NUMBER", "Rijksregisternummer"),
    "DE": ("DE_TAX_ID", "Steuer-ID"),
    "IE": ("IE_PPSN", "PPS number"),
}
DOB_LABELS = {"GB": "Date of birth", "US": "DOB", "FR": "Date de naissance", "NL": "Geboortedatum",
              "DE": "Geburtsdatum", "CA": "Date of birth", "BE": "Date of birth", "IE": "Date of birth"}
_DATE_FORMATS = {"US": "%m/%d/%Y", "DE": "%d.%m.%Y", "NL": "%d-%m-%Y"}


@dataclass(frozen=True)
class Label:
    """One planted value: ``file`` relative to the corpus root, the exact text, accepted variants."""

    file: str
    entity: str
    value: str
    alternates: tuple[str, ...] = ()


@dataclass
class Person:
    """One fake data subject of a given country."""

    country: str
    first: str
    last: str
    email: str
    phone: str
    street: str
    locality: str
    dob: date
    national: tuple[str, str] | None  # (entity type, value)
    nhs: str | None
    iban: str | None
    card: str
    ip: str
    title: str

    @property
    def name(self) -> str:
        """First and last name, as most documents print it."""
        return f"{self.first} {self.last}"

    def dob_text(self, rng: random.Random) -> str:
        """The birth date as this country writes it (sometimes ISO or spelt out)."""
        style = rng.random()
        if style < 0.15:
            return self.dob.isoformat()
        if style < 0.3:
            return f"{self.dob.day} {self.dob.strftime('%B')} {self.dob.year}"
        return self.dob.strftime(_DATE_FORMATS.get(self.country, "%d/%m/%Y"))


def seeded_fakers(locales: list[str], seed: int) -> dict[str, Faker]:
    """One Faker per locale, each seeded from ``seed`` and its position: a corpus is the same
    on every run, and adding a locale at the end leaves the others' people unchanged."""
    fakers = {}
    for i, locale in enumerate(locales):
        fake = Faker(locale)
        fake.seed_instance(seed + i)
        fakers[locale] = fake
    return fakers


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", folded.lower())


def _locality(fake: Faker, country: str) -> str:
    postcode, city = fake.postcode(), fake.city()
    if country == "NL" and re.fullmatch(r"\d{4}[A-Z]{2}", postcode):
        postcode = f"{postcode[:4]} {postcode[4:]}"
    if country in ("CA", "IE") and " " not in postcode and len(postcode) >= 6:
        postcode = f"{postcode[:3]} {postcode[3:]}"
    if country == "US":
        return f"{city}, {fake.state_abbr()} {postcode}"
    if country == "CA":
        return f"{city}, QC {postcode}"
    if country in ("GB", "IE"):
        return f"{city} {postcode}"
    return f"{postcode} {city}"


def make_person(fake: Faker, rng: random.Random, country: str, domain: str) -> Person:
    """A person of ``country`` with identifiers that pass their checks."""
    first, last = fake.first_name(), fake.last_name()
    street = fake.street_address()
    if not any(ch.isdigit() for ch in street):
        street = f"{rng.randint(1, 180)}, {street}" if country == "FR" else f"{street} {rng.randint(1, 180)}"
    dob = date(rng.randint(1950, 2003), rng.randint(1, 12), rng.randint(1, 28))
    national = None
    if country in NATIONAL_ID:
        entity = NATIONAL_ID[country][0]
        value = {
            "UK_NINO": lambda: fakedata.nino(rng, spaced=rng.random() < 0.6),
            "US_SSN": lambda: fakedata.us_ssn(rng),
            "FR_NIR": lambda: fakedata.fr_nir(rng, rng.choice([1, 2]), dob.year, dob.month),
            "NL_BSN": lambda: fakedata.nl_bsn(rng),
            "CA_SIN": lambda: fakedata.ca_sin(rng),
            "BE_NATIONAL_NUMBER": lambda: fakedata.be_national_number(rng, dob.year, dob.month, dob.day),
            "DE_TAX_ID": lambda: fakedata.de_tax_id(rng),
            "IE_PPSN": lambda: fakedata.ie_ppsn(rng),
        }[entity]()
        national = (entity, value)
    iban_country = {"US": None, "CA": None}.get(country, country)
    if country == "DE" and rng.random() < 0.2:
        iban_country = "ES"  # a Spanish account held in Germany: IBANs cross borders
    email_user = rng.choice([f"{_ascii(first)}.{_ascii(last)}", f"{_ascii(first)[:1]}{_ascii(last)}",
                             f"{_ascii(first)}{rng.randint(1, 99)}"])
    email_domain = domain if rng.random() < 0.5 else fake.free_email_domain()
    return Person(
        country=country, first=first, last=last, email=f"{email_user}@{email_domain}",
        phone=fakedata.phone(rng, country), street=street, locality=_locality(fake, country), dob=dob,
        national=national, nhs=fakedata.nhs_number(rng) if country == "GB" else None,
        iban=fakedata.iban_for(rng, iban_country) if iban_country else None,
        card=fakedata.card_number(rng, rng.choice(["visa", "visa", "mastercard", "amex"])),
        ip=fakedata.ipv4(rng) if rng.random() < 0.8 else fakedata.ipv6(rng, compressed=rng.random() < 0.7),
        title=rng.choice(["Mr", "Ms", "Mrs", "Dr"]),
    )


@dataclass
class LabelledDoc:
    """A document being written: each ``put`` returns the text to write and records its label."""

    rel: str
    labels: list[Label] = field(default_factory=list)

    def put(self, entity: str, value: str, *alternates: str) -> str:
        """Label ``value`` as ``entity`` in this document and return it for writing."""
        self.labels.append(Label(self.rel, entity, value, tuple(alternates)))
        return value

    def name(self, p: Person, titled: bool = False) -> str:
        """The person's name (with a title, the bare name also counts as found)."""
        if titled:
            return self.put("PERSON", f"{p.title} {p.name}", p.name)
        return self.put("PERSON", p.name)

    def address(self, p: Person, sep: str = ", ") -> str:
        """The postal address; finding the street line alone also counts as found."""
        return self.put("STREET_ADDRESS", f"{p.street}{sep}{p.locality}", p.street)

    def national(self, p: Person) -> str:
        """The person's national identifier."""
        return self.put(*p.national)

    def dob(self, p: Person, rng: random.Random) -> str:
        """The person's date of birth, in one of the local layouts."""
        return self.put("DATE_OF_BIRTH", p.dob_text(rng))

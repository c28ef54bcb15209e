"""The multilingual conversational names corpus of the quality benchmark.

Chat transcripts, helpdesk tickets and e-mails written in English by and
about people from many countries (Faker's hu_HU, pl_PL, fi_FI, sv_SE, no_NO,
da_DK, ka_GE and hy_AM romanised, es_ES, pt_PT, it_IT, de_DE, nl_NL, nl_BE,
fr_FR, tr_TR, ja_JP romanised, en_IE, en_GB), in the forms people actually
write names: a full name, a first name alone ("between him and Mateusz's
kid"), a surname alone ("her maiden name is Okafor", "says Tsereteli."), a
title and a surname ("Mr. May"), names that are also words ("April Jones",
"Theresa May"), particles ("Van den Bossche", "de la Cruz"). The same files
hold what a name detector must leave alone: towns, products, weekdays and
months, lines in German and Turkish (capitalised nouns, greetings), lorem
ipsum. Only PERSON is labelled and scored. All people are generated.
"""

from __future__ import annotations

import json
import os
import random
import re
from dataclasses import asdict, dataclass

from faker import Faker

from bench.quality_people import Label, LabelledDoc, seeded_fakers

LOCALES = ["hu_HU", "pl_PL", "fi_FI", "sv_SE", "no_NO", "da_DK", "ka_GE", "hy_AM", "es_ES", "pt_PT", "it_IT",
           "de_DE", "nl_NL", "nl_BE", "fr_FR", "tr_TR", "ja_JP", "en_IE", "en_GB"]

# Names that are also words (months, flowers, virtues, trades, places): the hard cases of the issue
# ("Theresa May", "April Jones", "Mr. May", Rose, Hill). Real first names and surnames, not from Faker.
WORDLIKE_FIRST = ["April", "May", "June", "Rose", "Grace", "Hope", "Dawn", "Joy", "Faith", "Summer", "Will",
                  "Mark", "Bill", "Ray", "Daisy", "Holly", "Iris", "Ruby", "Victor", "Theresa"]
WORDLIKE_LAST = ["May", "Hill", "King", "Rose", "Page", "Wood", "Fox", "Moon", "Bird", "Baker", "Cook", "Mason",
                 "Young", "Little", "Long", "Brown", "Green", "Street", "Gay", "March"]

# Romanisation of the Georgian (national system) and Armenian (BGN/PCGN-like) alphabets: people
# writing in English spell these names in Latin letters.
_GEORGIAN = dict(zip("აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ",
                     ["a", "b", "g", "d", "e", "v", "z", "t", "i", "k", "l", "m", "n", "o", "p", "zh", "r", "s", "t",
                      "u", "p", "k", "gh", "q", "sh", "ch", "ts", "dz", "ts", "ch", "kh", "j", "h"]))
_ARMENIAN = dict(zip("աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ",
                     ["a", "b", "g", "d", "e", "z", "e", "y", "t", "zh", "i", "l", "kh", "ts", "k", "h", "dz", "gh",
                      "ch", "m", "y", "n", "sh", "o", "ch", "p", "j", "r", "s", "v", "t", "r", "ts", "v", "p", "k",
                      "o", "f"]))
_ARMENIAN.update({"ու": "u", "և": "ev"})


def romanise(name: str) -> str:
    """Latin spelling of a Georgian or Armenian name (others pass unchanged), capitalised."""
    lowered = name.lower().replace("ու", "u")
    latin = "".join(_GEORGIAN.get(ch) or _ARMENIAN.get(ch) or ch for ch in lowered)
    if latin == lowered:
        return name
    return "-".join(part[:1].upper() + part[1:] for part in latin.split("-"))


@dataclass(frozen=True)
class Someone:
    """A generated person: first name and surname as written in English text."""

    first: str
    last: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"


def make_someone(fake: Faker, locale: str, rng: random.Random) -> Someone:
    """A person of ``locale`` (one in eight of the English ones has a name that is also a word)."""
    if locale == "ja_JP":
        return Someone(fake.first_romanized_name(), fake.last_romanized_name())
    if locale.startswith("en_") and rng.random() < 0.35:
        first = rng.choice(WORDLIKE_FIRST) if rng.random() < 0.6 else fake.first_name()
        last = rng.choice(WORDLIKE_LAST) if first not in WORDLIKE_FIRST or rng.random() < 0.3 else fake.last_name()
        return Someone(first, last)
    return Someone(romanise(fake.first_name()), romanise(fake.last_name()))


PRODUCTS = ["Teams", "Outlook", "SharePoint", "Excel", "OneDrive", "Zoom", "Jira", "Slack", "Windows", "Chrome",
            "Citrix", "Sage", "Xero", "Salesforce", "Dropbox"]
MONTHS = ["January", "March", "April", "May", "June", "August", "October", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
# lines in the customers' own languages: capitalised nouns, greetings and sentence openers, no names
FOREIGN_LINES = [
    "Die Rechnung ist noch offen, bitte prüfen Sie das Konto.",
    "Der Drucker im Büro funktioniert seit Montag nicht mehr.",
    "Vielen Dank für die schnelle Hilfe, Grüße aus dem Lager!",
    "Bitte schicken Sie mir die Unterlagen bis Freitag.",
    "Merhaba, yarın toplantı var mı?",
    "Teşekkürler, iyi günler dilerim.",
    "Lütfen faturayı tekrar gönderin, Sistem hata veriyor.",
    "Hyvää huomenta, Tulostin ei toimi.",
    "Dziękuję bardzo, Wszystko działa.",
    "Bedankt voor de snelle reactie, Groeten uit het Magazijn.",
    "Gracias por la ayuda, Saludos desde la Oficina.",
    "Obrigado pela ajuda, Bom fim de semana.",
]
LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. Quisque Vitae Lorem nec Erat Tincidunt "
         "facilisis. Nam Dignissim, Felis at Varius Blandit, Magna Nulla Porta Mauris, vel Tempor Justo "
         "Risus id Lectus.")

# Sentences with slots: {full} {first} {last} (a person), {full2} {first2} {last2} {last3} (others),
# {town} {product} {month} {day} (not people). Each slot of a person is labelled as written.
CHAT = [
    "hey, did {first} send the logs yet?",
    "between him and {first}'s kid it was chaos lol",
    "she named him {first}, cute right",
    "ok I'll ping {first} tomorrow about the {product} licence",
    "{first} said the VPN is down again",
    "can you cc {full} on that?",
    "\"we need it by {day}\", says {last}.",
    "her maiden name is {last}, the form still has the old one",
    "our 3 founders: {last}, {last2} and {last3}",
    "hi, my name is {first} and I can't log in to {product}",
    "talked to Mr. {last} about the invoice, he's fine with it",
    "Mrs {last} called again re the {town} office",
    "thanks {first}!",
    "{first} and {first2} are off on {day}",
    "ask {full} from accounts, she knows",
    "is {first} still on the team?",
    "lunch with {first} at 1?",
    "I think {last} handles payroll now",
    "meeting moved, {full} can't make it",
    "sorry, {first} is out sick today",
    "welcome aboard {first}!!",
    "did anyone hear back from {last}?",
    "{full2} wants the {product} report by {month}",
    "we're moving the {town} team to {product} in {month}",
    "the {day} standup is cancelled, {product} is down",
    "{first2} left the keys with {first}",
    "Dr {last} signed the form yesterday",
    "I'm covering for {first} until {month}",
]
TICKET = [
    "Caller {full} cannot open {product} since the update on {day}.",
    "Per {last}, the laptop was handed to {first2} last week.",
    "Assigned to {first}. Waiting on {full2} to approve the purchase.",
    "{full} reports that the printer on floor 2 in {town} is jammed again.",
    "User is {full}, the new starter in {town}; account created, {product} licence pending.",
    "Spoke to Ms {last} by phone, she will send a screenshot.",
    "Customer says her colleague {first} had the same problem in {month}.",
    "Password reset for {full2} done, told {first} to check {product}.",
]
EMAIL_OPENERS = ["Hi {first},", "Dear {full},", "Hello {first},", "Dear Ms {last},", "Dear Mr {last},", "Hey {first},"]
EMAIL_BODY = [
    "Thanks for the quick reply. I've copied {full2}, who looks after our accounts.",
    "{first2} from the {town} office will bring the laptop on {day}.",
    "As discussed, {last2} will sign off the order once {product} is back up.",
    "I spoke with {full2} this morning and she agreed to move the call to {month}.",
    "Could you ask {first2} whether the {product} migration is still planned for {month}?",
]
EMAIL_CLOSERS = ["Best,\n{full}", "Thanks,\n{first}", "Kind regards,\n{full}", "Cheers, {first}", "Regards,\n{full}"]


_TITLED = re.compile(r"\b(Mr\.?|Mrs|Ms|Dr) \{(last|last2)\}")


class ChatCorpus:
    """Writes the conversational corpus and collects its PERSON labels."""

    def __init__(self, root: str, seed: int):
        self.root = root
        self.rng = random.Random(seed)
        self.fakers = seeded_fakers(LOCALES, seed * 1000)
        self.town_faker = Faker(["en_GB", "de_DE", "fr_FR", "pl_PL", "es_ES", "it_IT", "nl_NL", "sv_SE"])
        self.town_faker.seed_instance(seed)
        self.labels: list[Label] = []
        self.files: list[str] = []

    def _people(self, locale: str, n: int) -> list[Someone]:
        return [make_someone(self.fakers[locale], locale, self.rng) for _ in range(n)]

    def _fill(self, doc: LabelledDoc, template: str, people: list[Someone]) -> str:
        """The template with its slots filled; each person slot is labelled in ``doc``."""
        p, q, r = people[0], people[1], people[2]
        values = {
            "full": p.full, "first": p.first, "last": p.last, "full2": q.full, "first2": q.first, "last2": q.last,
            "last3": r.last, "town": self.town_faker.city(), "product": self.rng.choice(PRODUCTS),
            "month": self.rng.choice(MONTHS), "day": self.rng.choice(DAYS),
        }
        titled = _TITLED.search(template)
        for slot in ("full", "first", "last", "full2", "first2", "last2", "last3"):
            if "{" + slot + "}" not in template:
                continue
            if titled and titled.group(2) == slot:  # "Mr. May": the title with the name, or the name alone
                doc.put("PERSON", f"{titled.group(1)} {values[slot]}", values[slot])
            else:
                doc.put("PERSON", values[slot])
        return template.format(**values)

    def chat(self, locale: str) -> None:
        """A chat transcript: speakers' display names and informal lines."""
        doc = LabelledDoc(f"chat/{locale}_{len(self.files):04d}.txt")
        speakers = self._people(locale, 2)
        lines = []
        for k in range(self.rng.randint(6, 12)):
            speaker = speakers[k % 2]
            if self.rng.random() < 0.12:
                text = self.rng.choice(FOREIGN_LINES)
            else:
                text = self._fill(doc, self.rng.choice(CHAT), self._people(locale, 3))
            lines.append(f"[{9 + k // 4:02d}:{(k * 7) % 60:02d}] {doc.put('PERSON', speaker.full)}: {text}")
        self._write(doc, lines)

    def ticket(self, locale: str) -> None:
        """A helpdesk ticket: notes by agents about callers and colleagues."""
        doc = LabelledDoc(f"tickets/{locale}_{len(self.files):04d}.txt")
        lines = [f"Ticket {self.rng.randint(1000, 99999)} - {self.rng.choice(PRODUCTS)} issue", ""]
        for _ in range(self.rng.randint(3, 6)):
            lines.append(self._fill(doc, self.rng.choice(TICKET), self._people(locale, 3)))
        if self.rng.random() < 0.3:
            lines.append(self.rng.choice(FOREIGN_LINES))
        if self.rng.random() < 0.15:
            lines.append(LOREM)
        self._write(doc, lines)

    def email(self, locale: str) -> None:
        """A short e-mail between an MSP and a client."""
        doc = LabelledDoc(f"mail/{locale}_{len(self.files):04d}.txt")
        writer, reader = self._people(locale, 1)[0], self._people(locale, 1)[0]
        others = self._people(locale, 3)
        paras = [self._fill(doc, self.rng.choice(EMAIL_OPENERS), [reader, others[0], others[1]])]
        for template in self.rng.sample(EMAIL_BODY, self.rng.randint(1, 3)):
            paras.append(self._fill(doc, template, [reader, others[0], others[1]]))
        if self.rng.random() < 0.2:
            paras.append(self.rng.choice(FOREIGN_LINES))
        paras.append(self._fill(doc, self.rng.choice(EMAIL_CLOSERS), [writer, others[1], others[2]]))
        self._write(doc, paras, "\n\n")

    def _write(self, doc: LabelledDoc, lines: list[str], sep: str = "\n") -> None:
        path = os.path.join(self.root, "files", doc.rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(sep.join(lines) + "\n")
        self.labels.extend(doc.labels)
        self.files.append(doc.rel)


def build_chat_corpus(root: str, seed: int, per_locale: int = 3) -> None:
    """Write ``per_locale`` chats, tickets and e-mails per locale under ``root/files`` and the labels."""
    corpus = ChatCorpus(root, seed)
    for locale in LOCALES:
        for _ in range(per_locale):
            corpus.chat(locale)
            corpus.ticket(locale)
            corpus.email(locale)
    with open(os.path.join(root, "labels.json"), "w", encoding="utf-8") as fh:
        json.dump({"labels": [asdict(label) for label in corpus.labels], "files": corpus.files, "negatives": []},
                  fh, ensure_ascii=False, indent=0)


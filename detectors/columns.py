"""Structured data: classify a column as a whole from its header and a sample.

A column of 50,000 e-mail addresses is one finding with count 50,000, not
50,000 findings; cells never go one by one through NER. The header names what
a column probably holds (strong context), the sample values confirm it: a
column becomes entity E when enough of its values match E's recognisers on
their own (most of the cell), fewer being needed when the header agrees.
Columns of free text (long values, notes) are handed back for full detection instead.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from detectors.patterns import PatternStage
from detectors.shapes import date_like, name_like, address_like

# header words -> entity type the column probably holds; the first that matches wins. Headers
# are matched lower-cased, camelCase split with "_" ("dateOfBirth" -> "date_of_birth").
HEADER_HINTS: list[tuple[re.Pattern, str]] = [(re.compile(p, re.I), e) for p, e in [
    (r"e-?mail|courriel|correo|sähköposti|e-?post", "EMAIL_ADDRESS"),
    (r"phone|mobile|\btel\b|telephone|fax|cell|gsm|telefoon|t[ée]l[ée]phone|tel[ée]fono|telefon|puhelin|"
     r"\bhandy\b|cellulare|m[óo]vil|\bmobil\b", "PHONE_NUMBER"),
    (r"\bdob\b|birth|born|geboorte|naissance|geburt|nacimiento|nascita|urodzenia|f[öø]dsel|syntym|sz[üu]let|"
     r"do[gğ]um", "DATE_OF_BIRTH"),
    (r"(?:^|[ _-])(?:post[ _-]?code|postal[ _-]?code|zip[ _-]?code|zip|plz|postleitzahl|code[ _-]?postal|cp|cap|"
     r"c[óo]digo[ _-]?postal|postnummer|postnr|postinumero|kod[ _-]?pocztowy|irsz[áa]m|posta[ _-]?kodu)(?:$|[ _-])",
     "POSTAL_CODE"),
    (r"address|street|addr\b|adresse|\badres\b|straat|stra(?:ss|ß)e|anschrift|line_?1|line_?2|direcci[óo]n|"
     r"indirizzo|morada|ulica|gatuadress|osoite|\bc[íi]m\b", "STREET_ADDRESS"),
    (r"^(?:(?:first|last|sur|given|family|full|middle|maiden|fore|christian|display|contact|customer|"
     r"employee|patient|person|client|staff|member|user|account_?holder|holder)[ _-]?)?names?$|surname|forename|"
     r"^(?:employee|customer|patient|contact|staff|client|member|person|owner|assigned_?to|assignee|requester|"
     r"reporter|recipient|sender|author|manager|supervisor|tenant|guardian|beneficiary|next_?of_?kin)$|"
     r"^(?:naam|voornaam|achternaam|nom|pr[ée]nom|nom_de_famille|vorname|nachname|familienname|nombre|apellidos?|"
     r"cognome|nome|imi[eę]|nazwisko|fornavn|etternavn|efternamn|f[öo]rnamn|etunimi|sukunimi|vezet[ée]kn[ée]v|"
     r"keresztn[ée]v|soyad[ıi]?|ad[ıi])$", "PERSON"),
    (r"\bni_?(?:no|number|num)\b|nino|national.?insurance", "UK_NINO"),
    (r"\bnhs", "UK_NHS"),
    (r"iban", "IBAN_CODE"),
    (r"card|\bpan\b|\bcc_?num", "CREDIT_CARD"),
    (r"\bssn\b|social.?security", "US_SSN"),
    (r"\bsin\b|social.?insurance", "CA_SIN"),
    (r"\bbsn\b", "NL_BSN"),
    (r"\bnir\b|s[ée]curit[ée].?sociale", "FR_NIR"),
    (r"rijksregister|national.?number|numero.?national", "BE_NATIONAL_NUMBER"),
    (r"steuer.?id|steuer.?identifikation|identifikationsnummer|\bidnr\b", "DE_TAX_ID"),
    (r"\bdni\b", "ES_DNI"),
    (r"\bnie\b", "ES_NIE"),
    (r"codice.?fiscale|\bcod.?fisc|fiscal.?code", "IT_FISCAL_CODE"),
    (r"pesel", "PL_PESEL"),
    (r"\bhetu\b|henkil[öo]tunnus", "FI_HETU"),
    (r"\bcpr", "DK_CPR"),
    (r"f[øo]dselsnummer|\bfnr\b", "NO_FODSELSNUMMER"),
    (r"\bppsn?\b", "IE_PPSN"),
    (r"sozialversicherung|\bsvnr\b|versicherungsnummer", "AT_SSN"),
    (r"driv(?:ing|er).?licen[cs]e|\bdvla\b", "UK_DRIVING_LICENCE"),
    (r"\bip\b|ip_?addr|client_?ip|remote_?addr|src_?ip", "IP_ADDRESS"),
    (r"\bmac\b|mac_?addr|hw_?addr", "MAC_ADDRESS"),
    (r"imei|device|handset|advertising_?id|\bidfa\b|\bgaid\b", "DEVICE_ID"),
    (r"passw|passwd|\bpwd\b|secret|api_?key|token|credential", "PASSWORD"),
    # split bank details: the sort code in one column, the account number in the next
    (r"sort.?code|account.?(?:no|nr|number|num)\b|\bacc(?:oun)?t.?(?:no|nr|number|num)\b|bank.?account|"
     r"konto.?n(?:umme)?r|rekening.?nummer|num[ée]ro.?de.?compte|n[úu]mero.?de.?cuenta|numero.?di.?conto",
     "UK_BANK_ACCOUNT"),
]]
# columns of notes people wrote: every sampled row goes through full detection
FREE_TEXT_HEADER = re.compile(
    r"notes?|comments?|description|remarks?|memo|details|message|observations?|bemerkung|notiz|kommentar|"
    r"opmerking|commentaire|remarques?|observaciones|notas?|comentarios?|osservazioni|uwagi|anteckning|"
    r"merknad|huomautu|megjegyz|a[çc][ıi]klama|notlar", re.I)

_SORT_CODE_OR_ACCOUNT = re.compile(r"^(?:\d{2}[- ]?\d{2}[- ]?\d{2}|\d{7,8})$")
_POSTAL_CODE = re.compile(
    r"^(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|\d{5}(?:-\d{4})?|\d{4} ?[A-Z]{2}|\d{4}|\d{2}-\d{3}|\d{4}-\d{3}|"
    r"\d{3} ?\d{2}|[A-Z]\d{2} ?[A-Z\d]{4}|[A-Z]\d[A-Z] ?\d[A-Z]\d|(?:[A-Z]{1,2}-)?\d{4,5})$", re.I)

# entity types decided by value shape when the header says so (no recogniser fires on a bare value)
_SHAPE_CHECKS = {
    "PERSON": name_like,
    "DATE_OF_BIRTH": date_like,
    "STREET_ADDRESS": address_like,
    "PASSWORD": lambda v: 4 <= len(v) <= 200 and " " not in v.strip(),
    "UK_BANK_ACCOUNT": lambda v: bool(_SORT_CODE_OR_ACCOUNT.match(v.strip())),
    "POSTAL_CODE": lambda v: bool(_POSTAL_CODE.match(v.strip())),
}

FREE_TEXT_MIN_AVG = 40  # average characters with spaces: treat as prose
MIN_FRACTION_WITH_HEADER = 0.3
MIN_FRACTION_WITHOUT_HEADER = 0.8


@dataclass
class ColumnResult:
    """One entity type found in a column, with the matching sample values' spans."""

    entity_type: str
    fraction: float
    matches: int
    score: float
    detector: str
    examples: list[str] = field(default_factory=list)  # matched raw values; stay in the worker


def readable(header: str) -> str:
    """A column header as words ("sortCode", "sort_code" -> "sort code"): the form recognisers'
    context words are written in."""
    return re.sub(r"[_\-.]+", " ", re.sub(r"([a-z])([A-Z])", r"\1 \2", header.strip())).strip()


def header_hint(header: str) -> str | None:
    """The entity type a column header suggests, if any."""
    normalised = re.sub(r"([a-z])([A-Z])", r"\1_\2", header.strip()).lower()
    for pattern, entity in HEADER_HINTS:
        if pattern.search(normalised):
            return entity
    return None


def is_free_text(values: list[str], header: str = "") -> bool:
    """Values people wrote are prose: they go through full detection, not classification. Long
    values with spaces are; so are, in a column whose header names no entity type, a notes
    column's (however short, and however few of its rows mention a person: "Daughter Ingrid
    Solberg also registered") and sentences of four words or more in half the rows."""
    if not values:
        return False
    sample = values[:200]
    spaced = sum(1 for v in sample if " " in v.strip())
    avg = sum(len(v) for v in sample) / len(sample)
    if avg >= FREE_TEXT_MIN_AVG and spaced >= 0.5 * len(sample):
        return True
    if header_hint(header) is not None:  # "street_address": four words are an address, not notes
        return False
    if FREE_TEXT_HEADER.search(header) and spaced:
        return True
    return sum(1 for v in sample if len(v.split()) >= 4) * 2 >= len(sample)


def classify(header: str, values: list[str], patterns: PatternStage) -> list[ColumnResult]:
    """Entity types of a column from its header and sample values."""
    values = [v.strip() for v in values if v and v.strip()]
    if not values:
        return []
    hint = header_hint(header)
    distinct = list(dict.fromkeys(values))  # a value's entities do not depend on how often it occurs
    entities_of = dict(zip(distinct, sample_entities(distinct, patterns, header)))
    shape = _SHAPE_CHECKS.get(hint)
    if shape is not None:
        for value, entities in entities_of.items():
            if hint not in entities and shape(value):
                entities.add(hint)
    matched: dict[str, list[str]] = {}
    for value in values:
        for entity in entities_of[value]:
            matched.setdefault(entity, []).append(value)
    results = []
    for entity, hits in matched.items():
        fraction = len(hits) / len(values)
        needed = MIN_FRACTION_WITH_HEADER if entity == hint else MIN_FRACTION_WITHOUT_HEADER
        if fraction >= needed:
            score = min(1.0, 0.5 + fraction / 2 + (0.15 if entity == hint else 0.0))
            detector = "column:header+values" if entity == hint else "column:values"
            results.append(ColumnResult(entity, fraction, len(hits), round(score, 3), detector, hits))
    # a column holds one kind of value: the one its header names, else the best supported one
    # (a column of French NIRs also parses as phone numbers)
    named = [r for r in results if r.entity_type == hint]
    return named or sorted(results, key=lambda r: (-r.fraction, -r.score))[:1]


def sample_entities(values: list[str], patterns: PatternStage, header: str = "") -> list[set[str]]:
    """Per value, the entity types whose spans cover most of it: one analysis for the whole sample.

    The values are joined as ``header: value`` lines (the header as words:
    "sort code"), so the header stays the context word a recogniser such as NHS
    or date of birth needs, and the pattern stage's fixed cost (a Hyperscan
    scan, the rule loop) is paid once per column instead of once per value. A span counts for the value it lies
    in; a span that runs past its value's end (a phone number continuing on
    the next line, say) could have hidden a match, so the values it touches
    are analysed again alone, as :func:`value_entities` does.

    Without a header nothing separates one value from the next (a street on
    one line and its town on the next read as one address, and a rejected
    attempt across the line break can hide the next value's match), so
    nameless columns are analysed value by value.
    """
    if not header:
        return [value_entities(value, patterns) for value in values]
    prefix = f"{readable(header)}: "
    line_starts, value_ends = [], []
    pos = 0
    for value in values:
        line_starts.append(pos)
        value_ends.append(pos + len(prefix) + len(value))
        pos = value_ends[-1] + 1
    text = "".join(f"{prefix}{value}\n" for value in values)
    found: list[set[str]] = [set() for _ in values]
    again: set[int] = set()
    for span in patterns.analyze(text):
        line = bisect.bisect_right(line_starts, span.start) - 1
        if span.end > value_ends[line]:
            again.update(range(line, bisect.bisect_right(line_starts, span.end - 1)))
        elif span.start >= line_starts[line] + len(prefix) and _covers(span.value, values[line]):
            found[line].add(span.entity_type)
    for line in again:
        found[line] = value_entities(values[line], patterns, header)
    return found


def value_entities(value: str, patterns: PatternStage, header: str = "") -> set[str]:
    """Entity types whose spans cover most of one value analysed alone as ``header: value``.

    Only spans inside the value count; one that starts in the header does not.
    """
    prefix = f"{readable(header)}: " if header else ""
    return {span.entity_type for span in patterns.analyze(prefix + value)
            if span.start >= len(prefix) and _covers(span.value, value)}


def _covers(matched: str, value: str) -> bool:
    """A span is the value's entity when it holds 60% of the value's non-space characters."""
    return len(matched.replace(" ", "")) >= 0.6 * len(value.replace(" ", ""))

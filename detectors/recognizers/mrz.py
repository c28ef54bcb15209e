"""Machine-readable zones (ICAO Doc 9303) of passports (TD3) and identity cards (TD1, TD2).

An MRZ is two lines of 44 characters (TD3 passports), two of 36 (TD2) or three
of 30 (TD1 cards) of A-Z, 0-9 and the filler "<". Its document number, date of
birth, expiry date and the whole zone carry check digits (weights 7-3-1, "<"
counts 0, A-Z count 10-35), so a zone whose check digits all hold is a real
one, not a run of capitals: the document number becomes a PASSPORT (type "P")
or ID_CARD (types "I", "A", "C") finding, and the zone also gives the holder's
name (PERSON) and date of birth (DATE_OF_BIRTH, YYMMDD). Visas ("V") are not
reported.

OCR of a zone often reads "<" as "«" or splits a line with spaces; both are
tolerated, and spans point at the characters of the original text.

One class per entity type, as the engine runs one entity per recogniser; they
share the parser. The pre-filter wakes them only near "<<" next to MRZ
characters (a zone always has one: the name separator or the filler).
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from presidio_analyzer import EntityRecognizer, RecognizerResult

_VALUES = {**{str(d): d for d in range(10)}, "<": 0, **{chr(65 + i): 10 + i for i in range(26)}}
_WEIGHTS = (7, 3, 1)
_LINE = re.compile(r"[A-Z0-9<«][A-Z0-9<« ]{26,60}[A-Z0-9<«]")
_LENGTHS = {44: 2, 36: 2, 30: 3}  # line length -> lines in the zone (TD3, TD2, TD1)
_KINDS = {"P": "PASSPORT", "I": "ID_CARD", "A": "ID_CARD", "C": "ID_CARD"}


def check_digit(field: str) -> str:
    """The ICAO 9303 check digit of ``field`` (weights 7, 3, 1 repeated, modulo 10)."""
    return str(sum(_VALUES[c] * _WEIGHTS[i % 3] for i, c in enumerate(field)) % 10)


def _holds(field: str, digit: str) -> bool:
    # an empty optional field may carry "<" as its check digit
    return digit == check_digit(field) or (digit == "<" and set(field) <= {"<"})


class Zone(NamedTuple):
    """What a valid zone gives, as (start, end) offsets into the text it was found in."""

    entity: str  # PASSPORT or ID_CARD
    number: tuple[int, int]
    name: tuple[int, int] | None
    birth: tuple[int, int]


class _Line(NamedTuple):
    cleaned: str  # without OCR's spaces, "«" read as "<"
    positions: list[int]  # offset in the text of each character of ``cleaned``
    start: int
    end: int


def find_zones(text: str) -> Iterator[Zone]:
    """Every zone in ``text`` whose check digits hold."""
    lines = []
    for m in _LINE.finditer(text):
        positions = [m.start() + i for i, c in enumerate(m.group()) if c != " "]
        lines.append(_Line("".join(text[p] for p in positions).replace("«", "<"), positions, m.start(), m.end()))
    for i, first in enumerate(lines):
        zone = lines[i:i + _LENGTHS.get(len(first.cleaned), 0)]
        if not zone or len(zone) < _LENGTHS[len(first.cleaned)]:
            continue
        if any(len(b.cleaned) != len(first.cleaned) or text[a.end:b.start].strip(" \t\r") != "\n"
               for a, b in zip(zone, zone[1:])):
            continue  # the lines of a zone are consecutive lines of one length
        parsed = _parse([line.cleaned for line in zone])
        if parsed is None:
            continue
        entity, number, name, birth = parsed
        if number[0] == number[1]:
            continue  # a zone without a document number identifies nobody
        offsets = [p for line in zone for p in line.positions]
        yield Zone(entity, _span(offsets, number), _span(offsets, name) if name else None, _span(offsets, birth))


def _span(offsets: list[int], field: tuple[int, int]) -> tuple[int, int]:
    """Text offsets of a field given as (start, end) in the zone's joined, cleaned lines."""
    return offsets[field[0]], offsets[field[1] - 1] + 1


def _parse(lines: list[str]) -> tuple[str, tuple[int, int], tuple[int, int] | None, tuple[int, int]] | None:
    """(entity, number, name, birth) as positions in the joined lines, or None when invalid."""
    entity = _KINDS.get(lines[0][0])
    if entity is None or not lines[0][1].isalpha() and lines[0][1] != "<":
        return None
    if len(lines) == 3:
        return _td1(lines, entity)
    width = len(lines[0])
    one, two = lines
    if not (_holds(two[0:9], two[9]) and _holds(two[13:19], two[19]) and _holds(two[21:27], two[27])):
        return None
    if width == 44 and not _holds(two[28:42], two[42]):
        return None
    composite = two[0:10] + two[13:20] + two[21:width - 1]
    if not _holds(composite, two[width - 1]) or not two[13:19].isdigit():
        return None
    number = (width, width + len(two[0:9].rstrip("<")))
    return entity, number, _name(one, 5, 0), (width + 13, width + 19)


def _td1(lines: list[str], entity: str):
    one, two, three = lines
    number_end = 14
    if one[14] == "<":  # a number longer than 9 characters continues in the optional data
        extra = one[15:30].split("<", 1)[0]
        if len(extra) < 2 or not _holds(one[5:14] + extra[:-1], extra[-1]):
            return None
        number_end = 15 + len(extra) - 1
    elif not _holds(one[5:14], one[14]):
        return None
    if not (_holds(two[0:6], two[6]) and _holds(two[8:14], two[14]) and two[0:6].isdigit()):
        return None
    if not _holds(one[5:30] + two[0:7] + two[8:15] + two[18:29], two[29]):
        return None
    number = (5, number_end if one[14] == "<" else 5 + len(one[5:14].rstrip("<")))
    return entity, number, _name(three, 0, 60), (30, 36)


def _name(line: str, start: int, base: int) -> tuple[int, int] | None:
    """The name field (SURNAME<<GIVEN<NAMES) without its trailing filler."""
    field = line[start:].rstrip("<")
    if "<<" not in field and not field.isalpha():
        return None
    return (base + start, base + start + len(field)) if field else None


class _MrzRecognizer(EntityRecognizer):
    """Shared by the four recognisers: find valid zones, report one field of each."""

    ENTITY = ""
    ANCHORS = [r"[A-Z0-9<]{10}<<", r"<<[A-Z0-9<]{10}"]
    ANCHORS_CASELESS = False
    MAX_MATCH = 200  # a zone is at most 3 x 30 or 2 x 44 characters plus line breaks and OCR spaces

    def __init__(self):
        super().__init__(supported_entities=[self.ENTITY], name=type(self).__name__, supported_language="en")

    def load(self) -> None:
        """Nothing to load: the zone grammar is code."""

    def analyze(self, text, entities, nlp_artifacts=None):
        """One result per valid zone that has this recogniser's field."""
        results = []
        for zone in find_zones(text):
            span = self.field(zone)
            if span is not None:
                results.append(RecognizerResult(self.ENTITY, span[0], span[1], 1.0))
        return results

    def field(self, zone: Zone) -> tuple[int, int] | None:
        raise NotImplementedError


class MrzPassportRecognizer(_MrzRecognizer):
    """The document number of a passport's machine-readable zone."""

    ENTITY = "PASSPORT"

    def field(self, zone):
        return zone.number if zone.entity == self.ENTITY else None


class MrzIdCardRecognizer(_MrzRecognizer):
    """The document number of an identity card's machine-readable zone."""

    ENTITY = "ID_CARD"

    def field(self, zone):
        return zone.number if zone.entity == self.ENTITY else None


class MrzNameRecognizer(_MrzRecognizer):
    """The holder's name in a machine-readable zone (SURNAME<<GIVEN<NAMES)."""

    ENTITY = "PERSON"

    def field(self, zone):
        return zone.name


class MrzBirthDateRecognizer(_MrzRecognizer):
    """The holder's date of birth in a machine-readable zone (YYMMDD)."""

    ENTITY = "DATE_OF_BIRTH"

    def field(self, zone):
        return zone.birth

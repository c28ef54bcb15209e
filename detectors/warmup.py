"""Build what the detectors build lazily, once, before scan workers are forked.

Recognisers defer work to their first match: the public-suffix trie behind
e-mail validation, libphonenumber's metadata per region, the address
patterns for text without French or Dutch/German words. Every worker forked
from the fork server would otherwise build each of them again on its first
item (tens of milliseconds per worker, on every scan); built in the server,
they are shared.
"""

from __future__ import annotations

from detectors.config import DetectorConfig
from detectors.engine import Detector
from detectors.masking import mask
from detectors.normalise import normalise

# Fictitious values in the forms the recognisers know (documentation ranges, drama numbers,
# published test values), in English-only, French, German and Spanish/Italian ASCII text: each
# kind of text takes its own path through the address patterns.
SAMPLES = [
    "Contact Jane at jane.doe@example.co.uk or 020 7946 0958 from 203.0.113.9, fe80::1. She lives at "
    "12 High Street, London SW1A 1AA. Card 4111 1111 1111 1111, IBAN GB82 WEST 1234 5698 7654 32, "
    "NI number QQ 12 34 56 C, NHS 943 476 5919, SSN 078-05-1120, MAC 00:1B:44:11:3A:B7, born 01/02/1980, "
    "password=correct-horse, call +1 (212) 555-0199.",
    "Ecrire a jean.dupont@example.fr, 5 rue de la Paix 75002 Paris, tel. 01 99 00 12 34.",
    "Schreiben Sie an Hauptstrasse 5, 10115 Berlin, Tel. +49 30 901820, max@example.de.",
    "Escribir a Calle Mayor 12, 28013 Madrid o Via Roma 12, 00184 Roma, tel. +34 91 123 45 67.",
]
COLUMNS = [("email", ["a@example.com", "b@example.org"]), ("phone", ["020 7946 0000", "020 7946 0001"]),
           ("ip", ["203.0.113.1", "203.0.113.2"])]


def warm_up() -> None:
    """Run the pattern stage, column classification and value normalisation once over
    fictitious samples, so this process holds what they build on first use."""
    detector = Detector(DetectorConfig(ner=False))  # spaCy has nothing left to build after its load
    for text in SAMPLES:
        for span in detector.analyze_text(text):
            mask(span.entity_type, span.value)
            normalise(span.entity_type, span.value)
            span.score  # noqa: B018 - reading it looks the context words up
    for header, values in COLUMNS:
        detector.classify_column(header, values)

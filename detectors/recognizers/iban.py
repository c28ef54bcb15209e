"""IBAN: country code, two check digits, the national part; mod 97 over it all equals 1.

Written unspaced or in groups of four (spaces or dashes); the country's registered length is
checked too, so a partial or run-on match never passes.
"""

from presidio_analyzer import RecognizerResult

from detectors.recognizers.common import LogicPattern, LogicRecognizer
from detectors.validators import iban_ok

_IBAN = r"[A-Z]{2}\d{2}(?:([ -]?)[A-Z0-9]{4})(?:\1[A-Z0-9]{4}){1,6}(?:\1[A-Z0-9]{1,3})?"


class IbanRecognizer(LogicRecognizer):
    """Finds IBANs of every registered country whose check digits agree."""

    ENTITY = "IBAN_CODE"
    FLAGS = 0  # IBANs are written in capitals; lower-case runs are hashes and identifiers
    PATTERNS = [LogicPattern("iban", rf"(?<![A-Za-z0-9]){_IBAN}(?![A-Za-z0-9])", 0.8)]
    CONTEXT = ["iban", "bank", "account", "rekeningnummer", "compte", "konto"]
    ANCHORS = [r"[A-Z]{2}\d{2}[ -]?[A-Z0-9]{4}[ -]?[A-Z0-9]{4}"]
    ANCHORS_CASELESS = False
    MAX_MATCH = 45

    def score_match(self, match, score, text):
        """Unused: :meth:`analyze` validates, trimming a trailing group that belongs to the next word."""
        return score

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """The longest prefix of each candidate (whole groups) that is a valid IBAN."""
        results = []
        for match in self._compiled[0][1].finditer(text):
            value = match.group()
            separator = match.group(1)
            while not iban_ok(value) and separator and separator in value[4:]:
                value = value[:value.rindex(separator)]
            if iban_ok(value):
                results.append(RecognizerResult(self.ENTITY, match.start(), match.start() + len(value), 0.8))
        return results

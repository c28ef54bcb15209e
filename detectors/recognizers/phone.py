"""Phone numbers in GB, IE, US, CA, FR, BE, NL and DE formats, national and international.

Shapes, not bare digit runs: an international prefix (+44, 0044), a national
trunk 0 with the usual groupings, or North American 3-3-4 with separators.
International numbers must also have a possible length for their country
(libphonenumber). Dates, order and invoice numbers, and version strings are
excluded by shape and by the word before the match.
"""

import re

import phonenumbers

from detectors.recognizers.common import WEAK, LogicPattern, LogicRecognizer, keyword_anchor

_SEP = r"(?:[ .\-]|/ ?)?"
_EXT = r"(?:\s?(?:x|ext\.?|extension|poste|toestel|durchwahl)\s?\d{1,6})?"
_INTL = rf"(?:\+|00)[1-9]\d{{0,2}}(?:[ .\-]?\(0\))?[ .\-]?\(?\d{{1,5}}\)?(?:{_SEP}\d{{2,8}}){{1,5}}"
_NATIONAL = rf"\(?0\d{{1,5}}\)?(?:{_SEP}\d{{2,8}}){{1,4}}"
_NANP = r"(?:1[ .\-])?(?:\(\d{3}\)\s?\d{3}[ .\-]\d{4}|\d{3}([.\-])\d{3}\1\d{4}|\d{3} \d{3} \d{4})"
_DATE_START = re.compile(r"^\(?\d{1,4}[./\-]\d{1,2}[./\-]\d{1,4}(?!\d)")
_BOUNDARY = r"(?:^|[^\w\-./:+])"  # as the patterns' look-behinds: not inside a word or a hex hash
_EXTENSION = re.compile(r"\s?(?:x|ext|extension|poste|toestel|durchwahl)", re.I)
_NON_DIGIT = re.compile(r"\D")
# "Tel No:", "Phone no.", "Mobile nr", "Telephone #": a number word after a phone word labels a phone number
_PHONE_NUMBER_LABEL = re.compile(r"(?:^|[^a-z])(?:tel|phone|telephone|mobile|mob|cell|fax|gsm|telefon|telefoon|"
                                 r"handy|t[ée]l[ée]phone|portable)\.?[ \t]*(?:no|nr|number|num|n°|#)\.?[ \t]*[:.]?[ \t]*$",
                                 re.I)


class PhoneRecognizer(LogicRecognizer):
    """Finds phone numbers of the supported countries."""

    ENTITY = "PHONE_NUMBER"
    PATTERNS = [
        # not inside identifiers such as req-00437181 or build_0044...
        LogicPattern("international", rf"(?<![\w+\-])(?:{_INTL}){_EXT}(?![\w.\-]*\d)", 0.6),
        # not the tail of a longer run of digit groups (a 16-digit reference "1556 0694 0501 4069")
        LogicPattern("national", rf"(?<![\w.\-/:+])(?<!\d )(?<!\d\d ){_NATIONAL}{_EXT}(?![\w]|[.\-/]\d)", 0.5),
        LogicPattern("north american", rf"(?<![\w.\-/:+]){_NANP}{_EXT}(?![\w]|[.\-/]\d)", 0.5),
        LogicPattern("bare north american", r"(?<![\w.\-/:+])1?[2-9]\d{9}(?![\w]|[.\-/]\d)", WEAK),
    ]
    CONTEXT = ["phone", "tel", "telephone", "mobile", "cell", "fax", "call", "gsm", "téléphone", "portable",
               "telefoon", "mobiel", "telefon", "handy", "contact", "ring", "whatsapp"]
    ANCHORS = [
        r"(?:\+|\b00)[1-9]\d{0,2}[ .\-]?\(?\d",
        rf"{_BOUNDARY}\(?0\d{{1,5}}\)?[ .\-/]?\d{{2,8}}[ .\-/]?\d{{2,8}}",
        rf"{_BOUNDARY}0\d{{8,11}}",
        rf"{_BOUNDARY}(?:\(\d{{3}}\)\s?|\d{{3}}[ .\-])\d{{3}}[ .\-]\d{{4}}",
        r"1[ .\-]\d{3}[ .\-]\d{3}[ .\-]\d{4}",
        # bare ten digits are a phone number only under a phone label
        keyword_anchor([r"\bphone", r"\btel\b", "telephone", r"\bmobile", r"\bcell\b", r"\bfax\b"]),
    ]
    MAX_MATCH = 40
    NOT_AFTER = ["order", "orders", "invoice", "facture", "factuur", "rechnung", "ref", "réf", "reference", "po",
                 "ticket", "case", "tracking", "serial", "sku", "part", "build", "version", "v", "id", "no",
                 "nr", "n°", "#", "iban", "account", "acct", "bsn", "nhs", "ssn", "sin", "isbn", "commande",
                 "bestelling", "bestellung", "kvk", "siret", "siren", "vat", "btw", "tva"]
    NOT_AFTER_REACH = 20

    def follows_not_after(self, text: str, start: int) -> bool:
        """As for any recogniser ("order no. 0161 …" is an order number), except after a phone
        word and its number word ("Tel No: 0161 …")."""
        if not super().follows_not_after(text, start):
            return False
        return _PHONE_NUMBER_LABEL.search(text, max(0, start - self.NOT_AFTER_REACH), start) is None

    def score_match(self, match, score, text):
        """Digit counts per shape; international numbers checked with libphonenumber."""
        value = match.group()
        core = _EXTENSION.split(value, 1)[0]
        if _DATE_START.match(core):
            return None
        digits = _NON_DIGIT.sub("", core.replace("(0)", ""))
        if core.startswith(("+", "00")):
            try:
                number = phonenumbers.parse("+" + digits[2:] if core.startswith("00") else "+" + digits)
            except phonenumbers.NumberParseException:
                return None
            return score if phonenumbers.is_possible_number(number) else None
        if core.lstrip("(").startswith("0"):
            return score if 9 <= len(digits) <= 12 else None
        return score if len(digits) in (10, 11) else None

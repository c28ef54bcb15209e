"""Postal addresses: UK, US/CA, FR, BE, NL, DE, ES, IT, PT, PL and Nordic shapes, on one line or several.

An address is a street line (house number + street name + street-type word,
or the continental "Kerkstraat 12" / "12, rue de la Paix" / "Via Roma 12" /
"ul. Długa 5" / "Storgatan 12" orders, or a "Flat 3" line above a street)
optionally followed by up to three locality lines or comma-separated parts
ending in a postcode (UK, US ZIP, CA, IE Eircode, 4-5 digit continental codes,
PL "00-590", PT "1100-053", SE "111 22"). The span covers the whole address.
Street-type words are the USPS standard suffixes plus UK and continental
ones, so generated and real addresses are treated alike.
"""

import bisect
import re

from detectors.recognizers.common import LogicPattern, LogicRecognizer

_EN_SUFFIX = (
    "Street|St|Road|Rd|Avenue|Ave|Av|Lane|Ln|Drive|Dr|Close|Way|Court|Ct|Place|Pl|Boulevard|Blvd|Crescent|Cres|"
    "Terrace|Terr|Gardens|Gdns|Grove|Gr|Square|Sq|Hill|Park|Row|Mews|Walk|Parkway|Pkwy|Parkways|Circle|Cir|"
    "Circles|Trail|Trl|Highway|Hwy|Alley|Aly|Annex|Arcade|Bayou|Beach|Bend|Bluff|Bluffs|Bottom|Branch|Bridge|"
    "Brook|Brooks|Burg|Burgs|Bypass|Camp|Canyon|Cape|Causeway|Center|Centers|Centre|Cliff|Cliffs|Club|Common|"
    "Commons|Corner|Corners|Course|Courts|Cove|Coves|Creek|Crest|Crossing|Crossroad|Curve|Dale|Dam|Divide|"
    "Drives|Estate|Estates|Expressway|Extension|Extensions|Fall|Falls|Ferry|Field|Fields|Flat|Flats|Ford|Fords|"
    "Forest|Forge|Forges|Fork|Forks|Fort|Freeway|Garden|Gateway|Glen|Glens|Green|Greens|Harbor|Harbors|"
    "Harbour|Haven|Heights|Hills|Hollow|Inlet|Island|Islands|Isle|Junction|Junctions|Key|Keys|Knoll|Knolls|"
    "Lake|Lakes|Land|Landing|Light|Lights|Loaf|Lock|Locks|Lodge|Loop|Mall|Manor|Manors|Meadow|Meadows|Mill|"
    "Mills|Mission|Motorway|Mount|Mountain|Mountains|Neck|Orchard|Oval|Overpass|Parks|Pass|Passage|Path|Pike|"
    "Pine|Pines|Plain|Plains|Plaza|Point|Points|Port|Ports|Prairie|Radial|Ramp|Ranch|Rapid|Rapids|Rest|Ridge|"
    "Ridges|River|Roads|Route|Rue|Run|Shoal|Shoals|Shore|Shores|Skyway|Spring|Springs|Spur|Spurs|Squares|"
    "Station|Stravenue|Stream|Streets|Summit|Throughway|Trace|Track|Trafficway|Tunnel|Turnpike|Underpass|"
    "Union|Unions|Valley|Valleys|Via|Viaduct|View|Views|Village|Villages|Ville|Vista|Walks|Wall|Ways|Well|"
    "Wells|Wharf|Yard|Yards|Rise|Vale|Chase|Croft|Fold|Gate|Gardens|Hey|Wynd|Quay|Parade|Precinct|Esplanade|"
    "Embankment|Broadway|Approach|Side|End|Brow|Nook|Paddock|Ridgeway|Circus"
)
_NL_DE_SUFFIX = (
    "straat|boulevard|laan|weg|plein|gracht|kade|singel|dijk|steeg|hof|park|markt|dreef|pad|wal|baan|lei|"
    "straße|strasse|str\\.|gasse|allee|platz|ring|damm|ufer|pfad|chaussee|stieg|zeile"
)
_FR_TYPE = ("rue|avenue|av\\.|boulevard|bd|chemin|impasse|allée|allee|place|quai|route|cours|passage|square|"
            "voie|rond-point|faubourg|chaussée|chaussee|sentier|résidence|residence|cité|cite|promenade|"
            "rempart|drève|dreve|clos|hameau|lieu-dit|montée|parvis|esplanade")
# street types written before the name, capitalised, in Spain, Italy, Portugal and Poland ("Calle Mayor 12",
# "Via Roma 12", "Rua Augusta 100", "ul. Marszałkowska 10"); "Via" is capitalised: "via email 2" is no street
_SOUTH_TYPE = (r"Calle|C/|Avda\.|Avenida|Paseo|Plaza|Camino|Carrer|Carretera|Ronda|Travesía|Via|Viale|Piazza|Piazzale|"
               r"Corso|Largo|Vicolo|Strada|Rua|Rúa|Travessa|Praça|Estrada|[Uu]l\.|[Uu]lica|[Aa]l\.|[Aa]leja|[Pp]l\.|"
               r"[Pp]lac|[Oo]s\.|[Oo]siedle")
_SOUTH_NAME_WORD = r"(?:[A-ZÀ-ÞĀ-Ž][\w'’\-.]*|de|del|della|dei|degli|delle|di|da|la|las|los|el|do|dos|das)"
# street names that end in a Nordic street word ("Storgatan", "Vesterbrogade", "Mannerheimintie"), or
# that word after a name in the genitive ("Karl Johans gate"; "Departure gate 12" is no street)
_NORDIC_SUFFIX = "gatan|gata|gaten|vägen|gade|vej|vejen|veien|vegen|stræde|torv|torget|plads|katu|tie|kuja|polku"
_NORDIC_WORD = "gate|gata|gatan|vej|vei|veg|gade|allé"
_UNIT = r"(?:Flat|Apartment|Apt\.?|Studio|Unit|Suite|Ste\.?|Room|Floor|Bâtiment|Bat\.?|Appartement|Bus|Boîte)"
_CAP = r"[A-ZÀ-Þ][\w'’\-]*"
_WORD = r"[\w'’][\w'’\-]*"
_NUM = r"\d{1,5}[A-Za-z]?(?:[-/]\d{1,4}[A-Za-z]?)?"
_SEP = r"(?:\s*,\s*|[ \t]*\r?\n[ \t]*)"
_POSTCODE = (r"(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]\d{2} ?[A-Z\d]{4}"
             r"|\d{2}-\d{3}(?!\d)|\d{4}-\d{3}(?!\d)|\d{3} \d{2}(?!\d)"
             r"|(?:[A-Z]{2}-)?\d{4,5}(?: ?[A-Z]{2}(?![\w]))?(?:-\d{4})?)")
# a town's name, not the greeting or label of the next line ("Dear Maureen", "Tel 0161 …")
_CITY = (rf"(?!(?:Dear|Hi|Hello|Attn|Attention|Re|Subject|Tel|Phone|Email|Mobile|Fax)\b)(?:'s-)?{_CAP}(?:[ \-]{_CAP}|[ \-](?:der|den|des|de|la|les|le|sur|en|aan|van|am|an|im|bei|upon|on|vorm|vor|ob|unter|op|ter|in)(?![\w'’])){{0,4}}")
_SAME_LINE_POSTCODE = (r"[ \t]+(?:[A-Z]\d{2} ?[A-Z\d]{4}|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}|[A-Z]\d[A-Z] ?\d[A-Z]\d)(?!\w)"
                       rf"(?:[ \t]+{_CITY})?")
_LOCALITY = (rf"(?:{_SAME_LINE_POSTCODE}|(?:{_SEP}{_CITY}){{0,2}}{_SEP}"
             rf"(?:{_CITY},? )?(?:(?:[A-Z]{{2}}|[A-Z][a-z]+) )?{_POSTCODE}(?:(?:[ \t]+|{_SEP}){_CITY})?)")
_ABBREV_DOT = r"(?:(?:(?<=St)|(?<=Rd)|(?<=Ave)|(?<=Av)|(?<=Ln)|(?<=Dr)|(?<=Ct)|(?<=Pl)|(?<=Blvd)|(?<=Sq)|(?<=Pkwy)|(?<=Hwy))\.)?"
_UNIT_TAIL = rf"(?:,?[ \t]+{_UNIT}[ \t]?#?\w+)?"

_DIRECTION = r"(?:[ \t]+(?:N|S|E|W|NE|NW|SE|SW)\b)?"
_EN_STREET = (rf"(?:{_UNIT}[ \t]+\w+{_SEP})?{_NUM},?[ \t]+(?:{_CAP}[ \t]+){{1,4}}(?i:{_EN_SUFFIX})s?\b{_ABBREV_DOT}"
              rf"{_DIRECTION}{_UNIT_TAIL}")
_UNIT_STREET = rf"{_UNIT}[ \t]+\w+{_SEP}(?:{_CAP}[ \t]+){{1,4}}(?i:{_EN_SUFFIX})s?\b{_ABBREV_DOT}"
_FR_STREET = (rf"{_NUM}(?:[ \t]?(?i:bis|ter))?,?[ \t]+(?i:{_FR_TYPE})[ \t]+"
              rf"(?:{_WORD}[ \t]+){{0,5}}{_WORD}")
# the two forms that put the number after the street: "rue de la Paix 12", "Kerkstraat 12"
_FR_BEFORE_NUMBER = rf"(?i:{_FR_TYPE})[ \t]+(?:{_WORD}[ \t]+){{0,5}}"
_NL_DE_BEFORE_NUMBER = rf"(?:{_CAP}[ \t\-])*[\w'’\-]*(?i:{_NL_DE_SUFFIX})"
_SOUTH_BEFORE_NUMBER = rf"(?:{_SOUTH_TYPE})[ \t]+(?:{_SOUTH_NAME_WORD}[ \t]+){{0,5}}{_SOUTH_NAME_WORD},?"
_NORDIC_BEFORE_NUMBER = (rf"(?:{_CAP}[ \t])*[A-ZÀ-ÞÆØÅ][\w'’\-]*(?:{_NORDIC_SUFFIX})"
                         rf"|(?:{_CAP}[ \t]){{0,2}}[A-ZÀ-ÞÆØÅ][\w'’\-]*s[ \t](?:{_NORDIC_WORD})")
_NUMBER_AFTER = rf"[ \t]?{_NUM}(?:[ \t]*(?:bus|boîte|bte)[ \t]*\w+)?"
_MILITARY = r"(?:(?:USNS|USS|USNV|USCGC)[ \t]+\w+|(?:PSC|Unit)[ \t]+\d{4},?[ \t]+Box[ \t]+\d{4})"
_MILITARY_TAIL = rf"{_SEP}(?:APO|FPO|DPO)[ \t]+A[AEP][ \t]+\d{{5}}"

_LEFT = r"(?<![\w\-/.])"


# What any French form needs ("12 rue …", "rue … 12", "rue …, 75001 Paris"), what the
# Dutch/German form needs ("…straat 12"), and what the Spanish, Italian, Portuguese, Polish and
# Nordic forms need ("Via …", "ul. …", "…gatan 12"): where a text lacks one, the patterns are run
# without the forms that need it. Those forms cost most of the time (a word is tried against
# every suffix at every split), and most candidate windows are English addresses or none at all.
# All are searched in lower-cased text: a case-insensitive alternation is several times slower.
_FR_WORD = re.compile(rf"(?:{_FR_TYPE})[ \t]")
_NL_DE_NUMBERED = re.compile(rf"(?:{_NL_DE_SUFFIX})[ \t]?\d")
_OTHER_WORD = re.compile(rf"(?:{_SOUTH_TYPE.lower()})[ \t]|(?:{_NORDIC_SUFFIX}|{_NORDIC_WORD})[ \t]?\d")


def _forms_present(text: str) -> tuple[bool, bool, bool]:
    """Whether ``text`` may hold a French form, a Dutch/German one, and a Spanish, Italian,
    Portuguese, Polish or Nordic one. Lower-casing agrees with the patterns' case-insensitive
    parts on ASCII text only (re also folds "ſ" to "s"), so other text is given every form."""
    if not text.isascii():
        return True, True, True
    lowered = text.lower()
    return (_FR_WORD.search(lowered) is not None, _NL_DE_NUMBERED.search(lowered) is not None,
            _OTHER_WORD.search(lowered) is not None)


def _patterns(french: bool, nl_de: bool, other: bool) -> list[tuple[str, str, float]]:
    """(name, regex, score) of the recogniser's patterns, with or without the French, the
    Dutch/German and the other continental forms."""
    before_number = [b for b, keep in ((_FR_BEFORE_NUMBER, french), (_NL_DE_BEFORE_NUMBER, nl_de),
                                       (_SOUTH_BEFORE_NUMBER, other), (_NORDIC_BEFORE_NUMBER, other)) if keep]
    forms = [_UNIT_STREET, _EN_STREET] + ([_FR_STREET] if french else []) + \
        ([rf"(?:{'|'.join(before_number)}){_NUMBER_AFTER}"] if before_number else [])
    street = rf"{_LEFT}(?:{'|'.join(forms)})"
    patterns = [("street + locality", rf"{street}{_LOCALITY}", 0.75)]
    if french:
        patterns.append(("unnumbered street + locality",
                         rf"{_LEFT}(?i:{_FR_TYPE})[ \t]+(?:{_WORD}[ \t]+){{0,5}}{_WORD}{_LOCALITY}", 0.7))
    return patterns + [("street line", street, 0.55), ("military", rf"{_MILITARY}{_MILITARY_TAIL}", 0.7)]


class StreetAddressRecognizer(LogicRecognizer):
    """Finds postal addresses, with their locality lines when present."""

    ENTITY = "STREET_ADDRESS"
    FLAGS = 0  # capitalisation separates "12 Oak Road" from "in 2 ways"
    PATTERNS = [LogicPattern(*spec) for spec in _patterns(french=True, nl_de=True, other=True)]
    CONTEXT = ["address", "addr", "street", "lives at", "residing at", "resides at", "home", "adresse",
               "adres", "anschrift", "domicile", "woonadres", "postcode", "zip", "ship to", "deliver to", "dirección",
               "direccion", "indirizzo", "morada", "adres zamieszkania", "adress", "osoite"]
    ANCHORS = [
        # single spaces only: with [ \t]+ between words Hyperscan finds the pattern too large
        rf"\d[a-z]?,? (?:[a-z'\-]+ ){{1,4}}(?:{_EN_SUFFIX})s?\b",
        rf"{_UNIT}[ \t]+\w+\s*[,\n]",
        rf"\d{{1,5}}[a-z]?(?:[ \t]?(?:bis|ter))?,?[ \t]+(?:{_FR_TYPE})[ \t]",
        # a street type starts a word, as the patterns require ("bd" inside a hash is not one)
        rf"\b(?:{_FR_TYPE})[ \t]+[a-zà-ÿ'\-]+(?:[ \t]+[a-zà-ÿ'\-]+){{0,5}}[ \t]?\d",
        rf"\b(?:{_FR_TYPE})[ \t]+[a-zà-ÿ'\-]+(?:[ \t]+[a-zà-ÿ'\-]+){{0,5}}\s*\n[ \t]*\d{{4,5}}",
        rf"(?:{_NL_DE_SUFFIX})[ \t]?\d",
        rf"(?:{_SOUTH_TYPE.lower()})[ \t]+(?:[^\s\d,]+,?[ \t]+){{0,6}}\d",
        rf"(?:{_NORDIC_SUFFIX}|{_NORDIC_WORD})[ \t]?\d",
        r"(?:APO|FPO|DPO)[ \t]+A[AEP][ \t]+\d{5}",
    ]
    MAX_MATCH = 160

    def __init__(self):
        super().__init__()
        self._variants: dict[tuple[bool, bool, bool], list] = {}

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """Full addresses first; a bare street line only where no full address covers it."""
        results = self.analyze_with(text, self.patterns_for(text))
        results.sort(key=lambda r: (-r.score, -(r.end - r.start)))
        kept = []
        # the kept spans never overlap, so in order of start they are in order of end too: a new
        # span overlaps one of them only if it overlaps its neighbours in that order (a column
        # of addresses analysed as one text has hundreds)
        starts, ends = [], []
        for result in results:
            at = bisect.bisect_right(starts, result.start)
            if (at and ends[at - 1] > result.start) or (at < len(starts) and starts[at] < result.end):
                continue
            starts.insert(at, result.start)
            ends.insert(at, result.end)
            kept.append(result)
        return kept

    def patterns_for(self, text: str):
        """The compiled patterns to run on ``text``: without the forms whose words it lacks."""
        key = _forms_present(text)
        if key == (True, True, True):
            return self.compiled_patterns
        if key not in self._variants:  # compiled on first use: a process may never need one
            self._variants[key] = [(score, re.compile(regex, self.FLAGS), None)
                                   for _, regex, score in _patterns(*key)]
        return self._variants[key]

"""What the words around a capitalised word say about it: a name announced, a place, a firm.

People announce names ("my name is Dan", "Mr. May", "her maiden name is Okafor",
"says Tsereteli.", "our founders: Mkrtchyan, Vasquez and Lindahl") and
places or organisations ("in Valencia", "the Burgos office", "Lake Rebecca",
"Dear Welch, Peters and Green customer services"). The NER stage's gate and
its judge (:mod:`detectors.name_judge`) read these, in any piece of prose.
"""

from __future__ import annotations

import re

from detectors.names import TOKEN, is_word

# What announces a name right after it, as the last one, two or three words before it (lower-case,
# punctuation dropped): "my name is Dan", "named Kaito", "her maiden name is Okafor", "says
# Tsereteli.", "Mr. May", "Dear Benjamin", "thanks István!", "her colleague Marina", "cc Anna".
_INTRODUCERS = {
    "named", "says", "said", "asks", "asked", "writes", "wrote", "replied", "dear", "hi", "hey", "hello", "thanks",
    "cheers", "welcome", "congrats", "sincerely", "regards", "best", "cc", "ask", "ping", "tell", "remind", "aka",
    "née", "nee", "colleague", "caller", "customer", "client", "patient", "tenant", "applicant", "employee",
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "herr", "frau", "mme", "mlle", "sr", "sra", "sig", "dhr",
    "mevr", "pan", "pani",
    "name is", "name's", "call me", "maiden name", "thank you", "signed by", "assigned to", "covering for",
    "welcome aboard", "welcome back", "maiden name is", "maiden name was",
}
_INTRODUCERS |= {f"{owner} {person}" for owner in ("my", "his", "her", "our", "your", "their")
                 for person in ("colleague", "wife", "husband", "son", "daughter", "partner", "boss", "friend",
                                "brother", "sister", "mum", "mom", "dad", "mother", "father", "cousin", "nephew",
                                "niece", "uncle", "aunt")}
# What announces a name right before it: "Tsereteli says", "Anna will", "Mateusz's kid".
_FOLLOWERS = {"says", "said", "asked", "asks", "wrote", "writes", "replied", "thinks", "wants", "needs", "agreed",
              "called", "mentioned", "told", "sent", "left", "signed", "confirmed", "handles", "reports", "will",
              "is out", "is off", "is on"}
_OWNED = {"kid", "kids", "son", "daughter", "wife", "husband", "partner", "mum", "mom", "dad", "mother", "father",
          "brother", "sister", "boss", "manager", "colleague", "friend", "family", "parents", "children", "baby",
          "desk", "laptop", "account", "email", "phone"}
# A list of people after a word for them: "our 3 founders: Mkrtchyan, Vasquez and Lindahl".
_PEOPLE = {"founders", "owners", "partners", "directors", "members", "attendees", "participants", "guests",
           "speakers", "present", "children", "kids", "signatories", "trustees", "colleagues"}
_PUNCTUATION = " \t\n,:;.!?\"'()"
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
# the word each announcement ends with, and the word each announcement after a name begins with:
# nearly every capitalised word has neither next to it, which two set lookups tell
_ANNOUNCING_LAST = {words.split()[-1] for words in _INTRODUCERS} | _PEOPLE | {"are", "were", "include"}
_FOLLOWING_FIRST = {words.split()[0] for words in _FOLLOWERS}


# words that, before a lone capitalised word, make it a place ("in Valencia", "near Leeds")
PLACE_BEFORE = re.compile(r"\b(?:in|at|near|via|into|across|around|outside|inside)[ \t]+(?:the[ \t]+)?$", re.I)
# words that, after a capitalised word, make it a place or an organisation ("the Burgos office")
ORG_NOUN_AFTER = re.compile(r"[ \t]+(?:office|offices|team|branch|site|store|shop|warehouse|plant|campus|depot|"
                            r"hq|headquarters|region|area|council|county|district|airport|station|hospital|"
                            r"customer services?|support|sales|accounts)\b", re.I)
# what joins the items of a list ("Lowe, Rice and Hall", "Hendrickx, Beckers en Nijs"): ending a
# text (before an item), or at a position (after one)
LIST_BEFORE = re.compile(r"(?:,[ \t]*|[ \t]+(?:and|&|en|und|et|og|och|y|e|i|ve)[ \t]+)$")
LIST_AFTER = re.compile(r"(?:,[ \t]*|[ \t]+(?:and|&|en|und|et|og|och|y|e|i|ve)[ \t]+)")
# words that open the name of a place ("Lake Rebecca", "East Sophie", "Port Talbot")
PLACE_PREFIX = frozenset({"north", "south", "east", "west", "lake", "port", "mount", "saint", "sainte", "st",
                          "san", "santa", "new", "fort", "upper", "lower", "bad", "le", "la"})


def _words_before(text: str, at: int) -> list[str]:
    """The last three words before offset ``at``, lower-case."""
    return [w.lower() for w in _WORD.findall(text, max(0, at - 40), at)[-3:]]


def announces(text: str, at: int) -> bool:
    """Whether the words just before offset ``at`` announce a name or a list of people there:
    only blanks and punctuation between them and ``at``."""
    gap = len(text[max(0, at - 12):at]) - len(text[max(0, at - 12):at].rstrip(_PUNCTUATION))
    if at - gap > 0 and text[at - gap - 1].isdigit():
        return False
    words = _words_before(text, at - gap)
    if not words or words[-1] not in _ANNOUNCING_LAST:
        return False
    if words[-1] in _PEOPLE or words[-1] in ("are", "were", "include") and len(words) > 1 and words[-2] in _PEOPLE:
        return True
    return any(" ".join(words[-n:]) in _INTRODUCERS for n in (1, 2, 3) if len(words) >= n)


def followed(text: str, end: int) -> bool:
    """Whether the words just after offset ``end`` (the end of a capitalised word) announce it as a
    name: "Tsereteli says", "Anna is off", "Mateusz's kid"."""
    after = text[end:end + 30]
    if after[:2] in ("'s", "’s"):
        rest = after[2:].split(None, 1)
        return bool(rest) and after[2:3] in " \t" and rest[0].strip(_PUNCTUATION).lower() in _OWNED
    if after[:1] not in (" ", "\t"):
        return False
    first = _WORD.search(after)
    if first is None or first.group().lower() not in _FOLLOWING_FIRST:
        return False
    second = _WORD.search(after, first.end())
    words = [first.group().lower()] + ([second.group().lower()] if second is not None else [])
    return words[0] in _FOLLOWERS or " ".join(words) in _FOLLOWERS


def introduced(text: str, at: int) -> bool:
    """Whether the words before offset ``at`` announce a name there ("my name is", "Mr.", "says",
    "founders:"), or the words after the word at ``at`` do ("says", "'s kid"); a later item of a
    list whose first item is announced is announced too ("Mkrtchyan, Vasquez and Lindahl")."""
    if announces(text, at):
        return True
    match = TOKEN.match(text, at)
    if match is not None and followed(text, match.end()):
        return True
    gap = LIST_BEFORE.search(text, max(0, at - 8), at)
    if gap is not None:
        previous = None
        for previous in TOKEN.finditer(text, max(0, at - 40), gap.start()):
            pass
        if previous is not None and previous.end() == gap.start() and is_word(previous.group()):
            return introduced(text, previous.start()) and not followed(text, previous.end())
    return False

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

# What announces a name right after it: "my name is Dan", "named Kaito", "her maiden name is Okafor",
# "says Tsereteli.", "Mr. May", "Dear Benjamin", "thanks István!", "her colleague Marina".
INTRODUCED = re.compile(
    r"(?:\bmy name is|\bname is|\bname's|\bnamed|\bcall me|\bmaiden name(?: is| was)?|\bn[ée]e|\baka|"
    r"\bsays|\bsaid|\basks|\basked|\bwrites|\bwrote|\breplied|\bdear|\bhi|\bhey|\bhello|\bthanks|\bthank you|"
    r"\bcheers|\bwelcome(?: aboard| back)?|\bcongrats|\bsincerely|\bregards|\bbest|\bcc|\bask|\bping|\btell|"
    r"\bremind|\b(?:my|his|her|our|your|their)[ \t]+(?:colleague|wife|husband|son|daughter|partner|boss|friend|"
    r"brother|sister|mum|mom|dad|mother|father|cousin|nephew|niece|uncle|aunt)|\bcolleague|\bcaller|\bcustomer|"
    r"\bclient|\bpatient|\btenant|\bapplicant|\bemployee|\bsigned by|\bassigned to|\bcovering for|"
    r"\b(?:mr|mrs|ms|miss|mx|dr|prof|sir|herr|frau|mme|mlle|sr|sra|sig|dhr|mevr|pan|pani)\.?)"
    r"[ \t]*[,:]?[ \t\n]*$", re.I)
# What announces a name right before it: "Tsereteli says", "Mateusz's kid", "Anna will".
FOLLOWED = re.compile(
    r"(?:['’]s[ \t]+(?:kid|kids|son|daughter|wife|husband|partner|mum|mom|dad|mother|father|brother|"
    r"sister|boss|manager|colleague|friend|family|parents|children|baby|desk|laptop|account|email|phone)|"
    r"[ \t]+(?:says|said|asked|asks|wrote|writes|replied|thinks|wants|needs|agreed|called|mentioned|"
    r"told|sent|left|signed|confirmed|handles|reports|is out|is off|is on leave|will)\b)", re.I)
# A list of people after a word for them: "our 3 founders: Mkrtchyan, Vasquez and Lindahl".
PEOPLE_LIST = re.compile(
    r"\b(?:founders|owners|partners|directors|members|attendees|participants|guests|speakers|present|"
    r"children|kids|signatories|trustees|colleagues)\b\W{0,3}(?:are|were|include|:)?[ \t]*:?[ \t]*$", re.I)
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


def introduced(text: str, at: int) -> bool:
    """Whether the words before offset ``at`` announce a name there ("my name is", "Mr.", "says",
    "founders:"), or the words after the word at ``at`` do ("says", "'s kid")."""
    before = text[max(0, at - 40):at]
    if INTRODUCED.search(before) or PEOPLE_LIST.search(before):
        return True
    match = TOKEN.match(text, at)
    if match is not None and FOLLOWED.match(text, match.end()):
        return True
    gap = LIST_BEFORE.search(before)  # a later item of a list of people: "Mkrtchyan, Vasquez and Lindahl"
    if gap is not None:
        previous = None
        for previous in TOKEN.finditer(text, max(0, at - 40), gap.start()):
            pass
        if previous is not None and previous.end() == gap.start() and is_word(previous.group()):
            return introduced(text, previous.start()) and not FOLLOWED.match(text, previous.end())
    return False

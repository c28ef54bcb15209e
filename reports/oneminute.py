"""The one-minute summary: three to five plain sentences written from the numbers.

A DPO reads these before anything else, so each sentence says where the most
harmful data sits (by folder), how risky the worst place is and how complete
the scan was, and links to the section that has the detail. Sentences are
chosen in order of harm (special category, criminal offence, credentials,
risk, financial data, changes) and the coverage sentence always closes them.
"""

from __future__ import annotations

from html import escape

from contract.categories import CREDENTIAL, CRIMINAL, FINANCIAL, SPECIAL
from reports import risk
from reports.markup import metric, n

MAX_SENTENCES = 5

# How a sentence names an entity type; others are written in lower case with spaces.
NAMES = {"CREDIT_CARD": "card numbers", "IBAN_CODE": "IBANs", "UK_BANK_ACCOUNT": "UK bank account numbers",
         "US_BANK_NUMBER": "US bank account numbers", "PASSWORD": "passwords",
         "CRIMINAL_OFFENCE": "criminal offences"}

# The section each category's sentence links to.
LINKS = {SPECIAL: "sensitive", CRIMINAL: "sensitive", CREDENTIAL: "sensitive", FINANCIAL: "datamap"}


def type_name(entity_type: str) -> str:
    """An entity type as words: ``SPECIAL_CATEGORY_HEALTH`` → health, ``CREDIT_CARD`` → card numbers."""
    if entity_type in NAMES:
        return NAMES[entity_type]
    return entity_type.removeprefix("SPECIAL_CATEGORY_").lower().replace("_", " ")


def one_minute(d) -> str:
    """The summary's sentences as HTML paragraphs (``d`` is a :class:`reports.sections.ReportData`)."""
    s = d.summary
    if s["locations"]:
        by_category = {cat: _category(d, cat) for cat in LINKS}
        found = [by_category[SPECIAL], by_category[CRIMINAL], by_category[CREDENTIAL], _risk(d),
                 by_category[FINANCIAL], _changes(d)]
    else:
        read = f"in the {plural(s['scanned'], 'items')} read" if s["scanned"] else "(no item was read)"
        found = [("nothing", f"No personal data was found {read}.")]
    chosen = [x for x in found if x][:MAX_SENTENCES - 1] + [_coverage(s)]
    return '<div class="oneminute">' + "".join(
        f'<p data-sentence="{name}">{text}</p>' for name, text in chosen) + "</div>"


def _subject(category: str, types: list[tuple[str, int]]) -> str:
    """What a category sentence is about: "Special-category health data", "Credentials (passwords)"…"""
    detail = (type_name(types[0][0]) if len(types) == 1
              else ", ".join(f"{type_name(et)} in {n(k)}" for et, k in types))
    if category == SPECIAL:
        return f"Special-category {detail} data" if len(types) == 1 else f"Special-category data ({detail})"
    if category == CRIMINAL:
        return "Criminal-offence data" + (f" ({detail})" if len(types) > 1 else "")
    if category == CREDENTIAL:
        return f"Credentials ({detail})"
    return f"{category.capitalize()} data ({detail})"


def _category(d, category: str) -> tuple[str, str] | None:
    folders = d.inv.folder_types((category,))   # the roll-up the grouped table shows
    if not folders:
        return None
    files = sum(entry["total"]["files"] for entry in folders.values())
    types: dict[str, int] = {}
    for entry in folders.values():
        for t in entry["types"]:
            types[t["entity_type"]] = types.get(t["entity_type"], 0) + t["files"]
    verb = "lie in clear" if category == CREDENTIAL else "sits"
    ranked = sorted(folders.items(), key=lambda kv: (-kv[1]["total"]["files"], kv[0]))
    top = ranked[:2]
    slug = category.replace(" ", "_")
    count = metric(f"sentence_{slug}_files", files, plural(files, _word(d, ranked)))
    if len(ranked) <= 2:
        place = f", all in {' and '.join(_folder(d, key) for key, _ in top)}"
    else:
        in_top = sum(entry["total"]["files"] for _, entry in top)
        where = " and ".join(f'{_folder(d, key)} ({n(entry["total"]["files"])})' for key, entry in top)
        folders_shown = metric(f"sentence_{slug}_folders", len(ranked), plural(len(ranked), "folders"))
        place = f" in {folders_shown}, {'most of them' if 2 * in_top > files else 'the most'} in {where}"
    subject = _subject(category, sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))
    return category, f'{subject} {verb} in <a href="#{LINKS[category]}">{count}</a>{place}.'


def plural(count: int, noun: str) -> str:
    """"1 file", "2 files": ``noun`` is given in the plural."""
    return f"{n(count)} {noun[:-1] if count == 1 else noun}"


def _word(d, ranked) -> str:
    nodes = [d.tree.folder_of(*key) for key, _ in ranked]
    return "tables" if nodes and all(node is not None and node.direct.item_word == "tables" for node in nodes) else "files"


def _folder(d, key) -> str:
    node = d.tree.folder_of(*key)
    return d.folder_name(node) if node is not None else "an unknown folder"


def _risk(d) -> tuple[str, str]:
    levels = d.summary["locations_by_level"]
    worst = d.inv.locations(limit=1)[0]
    name = f'<a href="#risk" class="mono">{escape(worst["path"] or worst["uri"])}</a>'
    score = f"{worst['score']:.1f}, {risk.level(worst['score'])}"
    high = levels.get("critical", 0) + levels.get("high", 0)
    if high:
        return "risk", (f"{metric('sentence_high_risk', high, n(high))} location{'s are' if high > 1 else ' is'} at "
                        f"high or critical risk; the worst is {name} (score {score}).")
    return "risk", f"No location is at high or critical risk; the worst is {name} (score {score})."


def _changes(d) -> tuple[str, str] | None:
    if d.diff is None:
        return None
    diff = d.diff
    return "changes", (f'Since the previous scan, <a href="#changes">{n(diff["added"])} personal-data values '
                       f"appeared and {n(diff['removed'])} disappeared</a>.")


def _coverage(s: dict) -> tuple[str, str]:
    if not s["items"]:
        return "coverage", "No items were visited."
    return "coverage", (f"{n(s['scanned'])} of {n(s['items'])} items visited "
                        f"{'was' if s['scanned'] == 1 else 'were'} read ({s['pct_scanned']:g}%); "
                        f'<a href="#coverage">{n(s["skipped"])} skipped and {n(s["errors"])} failed</a>.')

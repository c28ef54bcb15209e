"""A client's privacy promises, as the estate file states them and the audit checks them.

The estate file (scanner.config) builds these; the policy check (reports.policy)
reads them against an inventory. Both sides share only this plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from wcmatch import glob as wcglob

# The kinds of violation, in the order reports list them.
UNDECLARED_CATEGORY = "undeclared_category"
NEVER_STORED = "never_stored"
RETENTION = "retention"
PLACEMENT = "placement"
VIOLATION_KINDS = (NEVER_STORED, PLACEMENT, RETENTION, UNDECLARED_CATEGORY)


@dataclass(frozen=True)
class Selector:
    """Which personal data a rule is about: findings of these categories or entity types
    (either matches; both empty means all personal data)."""

    categories: tuple[str, ...] = ()
    entity_types: tuple[str, ...] = ()

    def selects(self, category: str, entity_type: str) -> bool:
        """Whether a finding of ``entity_type`` (in ``category``) is one this rule is about."""
        if not self.categories and not self.entity_types:
            return True
        return category in self.categories or entity_type in self.entity_types


@dataclass(frozen=True)
class RetentionRule:
    """Personal data in items under ``paths`` (all items when empty) is kept no longer than
    ``max_age`` (as written, e.g. "13 months"): item mtime against the audit's start."""

    max_age: str
    amount: int
    unit: str  # days, weeks, months or years
    paths: tuple[str, ...] = ()
    selector: Selector = Selector()


@dataclass(frozen=True)
class PlacementRule:
    """The selected personal data may live only in items under ``paths`` (nowhere when empty)."""

    paths: tuple[str, ...]
    selector: Selector


@dataclass(frozen=True)
class Policy:
    """Everything a client's privacy notice promises that a scan can check; every part optional.

    ``declared_categories`` is None when the notice's categories are not given (nothing is
    then undeclared), and a tuple (possibly empty) when they are.
    """

    declared_categories: tuple[str, ...] | None = None
    never_stored: tuple[str, ...] = ()
    retention: tuple[RetentionRule, ...] = ()
    placement: tuple[PlacementRule, ...] = ()


# How policy globs match, wherever they are checked or used: ``**`` spans folders, and
# hidden files and folders match like any other (wcmatch's glob syntax).
GLOB_FLAGS = wcglob.GLOBSTAR | wcglob.DOTGLOB


def glob_problem(pattern) -> str | None:
    """Why ``pattern`` is not a usable policy glob (relative to a target root), or None."""
    if not isinstance(pattern, str) or not pattern.strip():
        return "an empty glob"
    if pattern.startswith("/") or re.match(r"^[A-Za-z]:", pattern):
        return f"glob {pattern!r} is absolute: paths are relative to the target root, e.g. \"HR/**\""
    if "\\" in pattern:
        return f"glob {pattern!r} has a backslash: separate folders with /"
    if ".." in pattern.split("/"):
        return f"glob {pattern!r} climbs out of the target root with .."
    if pattern.count("[") > pattern.count("]"):
        return f"glob {pattern!r} has an unclosed ["
    try:
        wcglob.translate(pattern, flags=GLOB_FLAGS)
    except Exception as exc:  # noqa: BLE001 - wcmatch's own word for what is wrong goes into the message
        return f"bad glob {pattern!r}: {exc}"
    return None


def path_matcher(patterns: tuple[str, ...], ignore_case: bool = False):
    """A matcher whose ``match(path)`` says whether a path relative to a target root matches
    one of ``patterns`` (case-insensitively on SMB shares, whose names are)."""
    return wcglob.compile(list(patterns), flags=GLOB_FLAGS | (wcglob.IGNORECASE if ignore_case else 0))

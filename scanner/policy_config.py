"""A client's ``[client.policy]`` table of the estate file, checked and turned into a Policy.

```toml
  [client.policy]
  declared_categories = ["identity", "contact", "financial"]   # the notice's categories
  never_stored = ["CREDIT_CARD"]                                # entity types never kept

  [[client.policy.retention]]
  paths = ["Support/**"]         # globs relative to the target root; optional
  max_age = "13 months"           # days, weeks, months, years
  categories = ["contact"]        # optional selectors on any rule: categories, entity_types

  [[client.policy.placement]]
  categories = ["special category"]
  paths = ["HR/**"]               # the only places this data may live ([] = nowhere)
```

Every mistake is returned with its line, so that the estate file reports them all in one go.
"""

from __future__ import annotations

import difflib
import re
from typing import Callable

from contract.categories import CATEGORY, SENSITIVITY
from contract.policy import PlacementRule, Policy, RetentionRule, Selector, glob_problem

_POLICY_KEYS = {"declared_categories", "never_stored", "retention", "placement"}
_RETENTION_KEYS = {"paths", "max_age", "categories", "entity_types"}
_PLACEMENT_KEYS = {"paths", "categories", "entity_types"}
_DURATION = re.compile(r"^\s*(\d+)\s*(day|week|month|year)s?\s*$", re.I)

# line_of(key, table, index): the line of ``key`` in the index-th [[client.policy.<table>]]
# of this client (table "" = [client.policy] itself)
LineOf = Callable[[str, str, int], int]


def parse_duration(text) -> tuple[int, str]:
    """("13 months") -> (13, "months"); ValueError for anything else."""
    match = _DURATION.match(text) if isinstance(text, str) else None
    if not match or int(match.group(1)) < 1:
        raise ValueError(f"bad duration {text!r}: write a whole number of days, weeks, months or years, "
                         "e.g. \"13 months\"")
    return int(match.group(1)), match.group(2).lower() + "s"


def parse_policy(spec, client: str, line_of: LineOf) -> tuple[Policy | None, list[str]]:
    """The client's Policy (None when the table is absent) and every mistake in it."""
    if spec is None:
        return None, []
    errors: list[str] = []
    if not isinstance(spec, dict):
        return None, [f"line {line_of('policy', '', 0)}: policy of client {client!r} must be a table "
                      "([client.policy])"]
    for key in spec:
        if key not in _POLICY_KEYS:
            errors.append(f"line {line_of(key, '', 0)}: unknown policy setting {key!r} in client {client!r}")
    where = f"the policy of client {client!r}"
    declared = None
    if "declared_categories" in spec:
        declared = _names(spec["declared_categories"], "declared_categories", _category_problem,
                          line_of("declared_categories", "", 0), where, errors)
    never = _names(spec.get("never_stored", []), "never_stored", _entity_problem,
                   line_of("never_stored", "", 0), where, errors)
    retention = [_retention(rule, i, client, line_of, errors) for i, rule in enumerate(_tables(spec, "retention",
                                                                                             client, line_of, errors))]
    placement = [_placement(rule, i, client, line_of, errors) for i, rule in enumerate(_tables(spec, "placement",
                                                                                             client, line_of, errors))]
    policy = Policy(declared, never, tuple(r for r in retention if r), tuple(p for p in placement if p))
    return policy, errors


def _tables(spec: dict, name: str, client: str, line_of: LineOf, errors: list[str]) -> list[dict]:
    value = spec.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        errors.append(f"line {line_of(name, '', 0)}: policy {name} of client {client!r} must be "
                      f"[[client.policy.{name}]] tables")
        return []
    return value


def _retention(rule: dict, index: int, client: str, line_of: LineOf, errors: list[str]) -> RetentionRule | None:
    where = f"retention rule {index + 1} of client {client!r}"
    _unknown_keys(rule, _RETENTION_KEYS, "retention", index, where, line_of, errors)
    selector = _selector(rule, "retention", index, where, line_of, errors)
    paths = _paths(rule.get("paths", []), line_of("paths", "retention", index), where, errors)
    if "max_age" not in rule:
        errors.append(f"line {line_of('max_age', 'retention', index)}: {where} has no max_age")
        return None
    try:
        amount, unit = parse_duration(rule["max_age"])
    except ValueError as exc:
        errors.append(f"line {line_of('max_age', 'retention', index)}: {exc} in {where}")
        return None
    return RetentionRule(rule["max_age"].strip(), amount, unit, paths, selector)


def _placement(rule: dict, index: int, client: str, line_of: LineOf, errors: list[str]) -> PlacementRule | None:
    where = f"placement rule {index + 1} of client {client!r}"
    _unknown_keys(rule, _PLACEMENT_KEYS, "placement", index, where, line_of, errors)
    selector = _selector(rule, "placement", index, where, line_of, errors)
    if not selector.categories and not selector.entity_types:
        errors.append(f"line {line_of('paths', 'placement', index)}: {where} names no categories or "
                      "entity_types: say which data it places")
    if "paths" not in rule:
        errors.append(f"line {line_of('categories', 'placement', index)}: {where} has no paths "
                      "(the only places the data may live; [] for nowhere)")
        return None
    return PlacementRule(_paths(rule["paths"], line_of("paths", "placement", index), where, errors), selector)


def _unknown_keys(rule: dict, allowed: set[str], table: str, index: int, where: str, line_of: LineOf,
                  errors: list[str]) -> None:
    for key in rule:
        if key not in allowed:
            errors.append(f"line {line_of(key, table, index)}: unknown setting {key!r} in {where}")


def _selector(rule: dict, table: str, index: int, where: str, line_of: LineOf, errors: list[str]) -> Selector:
    categories = _names(rule.get("categories", []), "categories", _category_problem,
                        line_of("categories", table, index), where, errors)
    entity_types = _names(rule.get("entity_types", []), "entity_types", _entity_problem,
                          line_of("entity_types", table, index), where, errors)
    return Selector(categories, entity_types)


def _paths(value, line: int, where: str, errors: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list):
        errors.append(f"line {line}: paths in {where} must be a list of globs")
        return ()
    good = []
    for pattern in value:
        problem = glob_problem(pattern)
        if problem:
            errors.append(f"line {line}: {problem} in {where}")
        else:
            good.append(pattern)
    return tuple(good)


def _names(value, key: str, problem_of, line: int, where: str, errors: list[str]) -> tuple[str, ...]:
    """A list of category or entity type names, each checked by ``problem_of``."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        errors.append(f"line {line}: {key} in {where} must be a list of names")
        return ()
    for name in value:
        problem = problem_of(name)
        if problem:
            errors.append(f"line {line}: {problem} in {key} of {where}")
    return tuple(name for name in value if not problem_of(name))


def _category_problem(name: str) -> str | None:
    if name in SENSITIVITY:
        return None
    return f"unknown category {name!r} (categories: {', '.join(SENSITIVITY)})"


def _entity_problem(name: str) -> str | None:
    if name in CATEGORY:
        return None
    close = difflib.get_close_matches(name.upper(), list(CATEGORY), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown entity type {name!r}{hint}"

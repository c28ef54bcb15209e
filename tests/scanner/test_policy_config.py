"""A client's [client.policy] and keep in the estate file: parsed, and every mistake reported with its line."""

from __future__ import annotations

import pytest

from contract.categories import CATEGORY
from contract.policy import PlacementRule, Policy, RetentionRule, Selector
from scanner.config import DEFAULT_KEEP, EstateError, load_estate
from tests.scanner.test_config import write_estate

VALID = """
    keep = 6

    [[client]]
    name = "acme-dental"
    keep = 3

      [[client.target]]
      url = "/srv/acme"

      [client.policy]
      declared_categories = ["identity", "contact", "financial", "online identifier", "credential"]
      never_stored = ["CREDIT_CARD"]

      [[client.policy.retention]]
      paths = ["Support/**"]
      max_age = "13 months"

      [[client.policy.retention]]
      max_age = "30 days"
      entity_types = ["IP_ADDRESS"]
      categories = ["online identifier"]

      [[client.policy.placement]]
      categories = ["special category"]
      paths = ["HR/**", "Clinical/**"]

    [[client]]
    name = "globex"

      [[client.target]]
      url = "/srv/globex"
"""


def test_a_policy_and_keep_are_parsed(tmp_path):
    acme, globex = load_estate(write_estate(tmp_path, VALID))
    assert acme.policy == Policy(
        declared_categories=("identity", "contact", "financial", "online identifier", "credential"),
        never_stored=("CREDIT_CARD",),
        retention=(RetentionRule("13 months", 13, "months", ("Support/**",)),
                   RetentionRule("30 days", 30, "days", (), Selector(("online identifier",), ("IP_ADDRESS",)))),
        placement=(PlacementRule(("HR/**", "Clinical/**"), Selector(("special category",))),))
    assert (acme.keep, globex.keep) == (3, 6)  # per client, else the estate's
    assert globex.policy is None


def test_every_part_is_optional(tmp_path):
    [client] = load_estate(write_estate(tmp_path, """
        [[client]]
        name = "acme"
          [[client.target]]
          url = "/srv"
          [client.policy]
    """))
    assert client.policy == Policy() and client.policy.declared_categories is None
    assert client.keep == DEFAULT_KEEP


BAD = """
    keep = 0

    [[client]]
    name = "acme"
    keep = "twelve"

      [[client.target]]
      url = "/srv"

      [client.policy]
      declared_categories = ["identity", "contacts"]
      never_stored = ["CREDIT_CARDS", "NO_SUCH_THING"]
      promises = 3

      [[client.policy.retention]]
      paths = ["/srv/Support/**", "Support/../HR/**", "Support\\\\**", "Logs/[abc", ""]
      max_age = "13 fortnights"
      colour = "red"

      [[client.policy.retention]]
      categories = "contact"

      [[client.policy.placement]]
      paths = ["HR/**"]

      [[client.policy.placement]]
      categories = ["special category"]
"""


def test_every_policy_mistake_is_reported_with_its_line_in_one_error(tmp_path):
    with pytest.raises(EstateError) as err:
        load_estate(write_estate(tmp_path, BAD))
    message = str(err.value)
    expected = [
        "line 1: keep must be a whole number of audits, at least 1 (got 0)",
        "line 5: keep must be a whole number of audits, at least 1 (got 'twelve')",
        "line 11: unknown category 'contacts'",
        "line 12: unknown entity type 'CREDIT_CARDS' (did you mean CREDIT_CARD?)",
        "line 12: unknown entity type 'NO_SUCH_THING'",
        "line 13: unknown policy setting 'promises' in client 'acme'",
        "line 16: glob '/srv/Support/**' is absolute",
        "line 16: glob 'Support/../HR/**' climbs out of the target root",
        "line 16: glob 'Support\\\\**' has a backslash",
        "line 16: glob 'Logs/[abc' has an unclosed [",
        "line 16: an empty glob",
        "line 17: bad duration '13 fortnights'",
        "line 18: unknown setting 'colour' in retention rule 1 of client 'acme'",
        "line 20: retention rule 2 of client 'acme' has no max_age",  # the rule's own line: the key is missing
        "line 21: categories in retention rule 2 of client 'acme' must be a list of names",
        "line 24: placement rule 1 of client 'acme' names no categories or entity_types",
        "line 27: placement rule 2 of client 'acme' has no paths",
    ]
    for line in expected:
        assert line in message, (line, message)
    assert f"{len(expected)} mistake(s)" in message
    numbers = [int(line.split(":")[0][len("  line "):]) for line in message.splitlines()[1:]]
    assert numbers == sorted(numbers), "mistakes are listed in file order"


@pytest.mark.parametrize("max_age, expected", [
    ("1 day", (1, "days")), ("2 weeks", (2, "weeks")), ("13 Months", (13, "months")), (" 7 years ", (7, "years")),
])
def test_durations(tmp_path, max_age, expected):
    [client] = load_estate(write_estate(tmp_path, f"""
        [[client]]
        name = "acme"
          [[client.target]]
          url = "/srv"
          [[client.policy.retention]]
          max_age = "{max_age}"
    """))
    assert (client.policy.retention[0].amount, client.policy.retention[0].unit) == expected


@pytest.mark.parametrize("max_age", ["0 days", "13", "1.5 years", "a year", "-2 months"])
def test_bad_durations(tmp_path, max_age):
    with pytest.raises(EstateError, match="line 6: bad duration"):
        load_estate(write_estate(tmp_path, f"""
            [[client]]
            name = "acme"
              [[client.target]]
              url = "/srv"
              [[client.policy.retention]]
              max_age = "{max_age}"
        """))


def test_every_entity_type_a_recogniser_reports_can_be_named_in_a_policy():
    from detectors.registry import load_recognizers

    reported = {entity for r in load_recognizers() for entity in r.supported_entities}
    assert reported and reported <= set(CATEGORY), sorted(reported - set(CATEGORY))

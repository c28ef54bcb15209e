"""Secrets: the value only, in config, .env, INI/YAML/JSON lines, XML and connection strings."""

import pytest

from tests.detectors.conftest import found

CASES = [
    ("DB_PASSWORD=s3cr3tP@ss", ["s3cr3tP@ss"]),
    ("password: \"hunter2!\"", ["hunter2!"]),
    ("[db]\npassword = Tr0ub4dor&3\nhost = x", ["Tr0ub4dor&3"]),
    ("api_key: sk_live_abc123def456", ["sk_live_abc123def456"]),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG", ["wJalrXUtnFEMI/K7MDENG"]),
    ("postgres://app:Xy9zW!q@db.internal:5432/app", ["Xy9zW!q"]),
    ("<password>abc123!</password>", ["abc123!"]),
    ("password:", []),
    ("password = ${DB_PASS}", []),
    ("def login(user, password=None):", []),
    ("password: str", []),
    ("if password == expected:", []),
    ("max_tokens=100", []),
    ("secretName: my-secret", []),
    ("password = os.environ['PW']", []),
    ("password: <your password here>", []),
    ("Please reset your password.", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_password(detector, text, expected):
    assert [v for e, v in found(detector, text, {"PASSWORD"})] == expected

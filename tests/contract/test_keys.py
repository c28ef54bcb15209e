"""The estate key and keyed hashes: env key, key file created 0600, equal values hash equal."""

from __future__ import annotations

import os
import stat

import pytest

from detectors.normalise import normalise
from contract.keys import KeyFileError, default_key_file, key_id, load_key, value_hash


@pytest.fixture
def no_env_key(monkeypatch, tmp_path):
    monkeypatch.delenv("PIISWEEP_KEY", raising=False)
    monkeypatch.delenv("PIISWEEP_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path


def test_env_key_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("PIISWEEP_KEY", "an-estate-key-from-the-environment")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert load_key() == b"an-estate-key-from-the-environment"
    assert not (tmp_path / "piisweep").exists()  # no key file is created when the env gives one


def test_key_file_created_0600_and_reused(no_env_key):
    path = no_env_key / "config" / "piisweep" / "estate.key"
    assert default_key_file() == str(path)
    first = load_key()
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(first) >= 32
    assert load_key() == first
    assert load_key(str(path)) == first


def test_explicit_key_file_wins_over_env(no_env_key, monkeypatch):
    monkeypatch.setenv("PIISWEEP_KEY", "env-key-should-not-be-used")
    path = no_env_key / "estate" / "acme.key"
    key = load_key(str(path))
    assert key != b"env-key-should-not-be-used"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_bytes().strip() == key


def test_key_file_env_override(no_env_key, monkeypatch):
    path = no_env_key / "elsewhere.key"
    monkeypatch.setenv("PIISWEEP_KEY_FILE", str(path))
    assert load_key() == path.read_bytes().strip()


def test_two_new_key_files_differ(no_env_key):
    assert load_key(str(no_env_key / "a.key")) != load_key(str(no_env_key / "b.key"))


def test_short_key_file_refused(no_env_key):
    path = no_env_key / "short.key"
    path.write_bytes(b"tiny\n")
    with pytest.raises(KeyFileError, match="too short"):
        load_key(str(path))


def test_unreadable_key_location_is_a_key_file_error(no_env_key):
    blocker = no_env_key / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(KeyFileError):
        load_key(str(blocker / "estate.key"))


def test_same_value_same_hash_different_key_different_hash():
    a, b = b"estate-key-aaaaaaaaaaaaaaaa", b"estate-key-bbbbbbbbbbbbbbbb"
    assert value_hash(a, "jane@example.com") == value_hash(a, "jane@example.com")
    assert value_hash(a, "jane@example.com") != value_hash(a, "john@example.com")
    assert value_hash(a, "jane@example.com") != value_hash(b, "jane@example.com")
    assert len(value_hash(a, "x")) == 64 and int(value_hash(a, "x"), 16) >= 0
    assert key_id(a) != key_id(b) and len(key_id(a)) == 12


def test_hash_is_hmac_sha256_of_the_normalised_value():
    import hashlib
    import hmac

    key = b"estate-key-aaaaaaaaaaaaaaaa"
    assert value_hash(key, "jane@example.com") == hmac.new(key, b"jane@example.com", hashlib.sha256).hexdigest()


def test_hashing_many_keys_and_values_gives_the_standard_hmac():
    import hashlib
    import hmac

    for key in (b"k" * 16, b"x" * 64, b"longer than a block " * 8):  # a key over 64 bytes is hashed first
        for value in ("81.2.69.160", "", "Zoë Ångström", "x" * 300):
            assert value_hash(key, value) == hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


@pytest.mark.parametrize("entity, a, b", [
    ("EMAIL_ADDRESS", "Jane@Example.COM", "jane@example.com"),
    ("PHONE_NUMBER", "07700 900123", "+44 7700 900123"),
    ("PHONE_NUMBER", "+44 (0)7700-900123", "07700900123"),
    ("IBAN_CODE", "GB82 WEST 1234 5698 7654 32", "gb82west12345698765432"),
    ("PERSON", "ERIKSSON<<ANNA<MARIA<<<<<<<<<<", "Anna  Maria Eriksson"),  # as a passport's zone writes it
    ("PASSPORT", "L898902C3<", "l898902c3"),
    ("CREDIT_CARD", "4242-4242-4242-4242", "4242 4242 4242 4242"),
    ("UK_NINO", "ab 12 34 56 c", "AB123456C"),
    ("MAC_ADDRESS", "00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e"),
    ("PERSON", "Jane  Doe", "jane doe"),
])
def test_normalisation_makes_variants_hash_equal(entity, a, b):
    key = b"estate-key-aaaaaaaaaaaaaaaa"
    assert value_hash(key, normalise(entity, a)) == value_hash(key, normalise(entity, b))


@pytest.mark.parametrize("entity, a, b", [
    ("EMAIL_ADDRESS", "jane@example.com", "jane@example.org"),
    ("PHONE_NUMBER", "07700 900123", "07700 900124"),
    ("CREDIT_CARD", "4242 4242 4242 4242", "4000 0566 5566 5556"),
])
def test_normalisation_keeps_different_values_apart(entity, a, b):
    key = b"estate-key-aaaaaaaaaaaaaaaa"
    assert value_hash(key, normalise(entity, a)) != value_hash(key, normalise(entity, b))


def test_uk_national_numbers_take_the_shortcut_to_what_libphonenumber_gives():
    import random

    import phonenumbers

    from detectors.normalise import normalise_phone

    rng = random.Random(3)
    groupings = [(11,), (5, 6), (5, 3, 3), (3, 4, 4), (4, 3, 4), (2, 4, 5)]
    for _ in range(3000):
        digits = "0" + str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(9))
        cuts, parts, at = rng.choice(groupings), [], 0
        for size in cuts:
            parts.append(digits[at:at + size])
            at += size
        value = " ".join(parts)
        expected = phonenumbers.format_number(phonenumbers.parse(value, "GB"), phonenumbers.PhoneNumberFormat.E164)
        assert normalise_phone(value) == expected, value
    # what the shortcut leaves to libphonenumber: international, other lengths, other digits
    assert normalise_phone("+44 1632 960123") == "+441632960123"
    assert normalise_phone("01632 96012") == "+44163296012"
    assert normalise_phone("00 44 1632 960 123") == "+441632960123"

"""The per-estate secret key and the keyed hash of values.

``value_hash`` = HMAC-SHA256(key, normalised value). One key per estate makes
the same value hash the same across scans and hosts (scan diffs, data-subject
lookups) while a leaked inventory cannot be reversed by hashing guesses
without the key. The key comes from ``PIISWEEP_KEY`` (a string, used as
UTF-8 bytes) or from a key file: ``PIISWEEP_KEY_FILE`` if set, else
``$XDG_CONFIG_HOME/piisweep/estate.key`` (``~/.config/piisweep/estate.key``),
created with 32 random bytes (64 hex characters) and mode 0600 on first use.
Either must hold at least MIN_KEY_BYTES bytes: a short key can be guessed, and
with it every hashed value by hashing candidates.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

MIN_KEY_BYTES = 16  # 32 recommended: what a new key file holds

class KeyFileError(Exception):
    """The estate key cannot be read or created."""


def default_key_file() -> str:
    """Where the key file lives when no override is given."""
    override = os.environ.get("PIISWEEP_KEY_FILE")
    if override:
        return override
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "piisweep", "estate.key")


def load_key(key_file: str | None = None) -> bytes:
    """Return the estate key, creating the key file (0600) the first time."""
    env = os.environ.get("PIISWEEP_KEY")
    if env and not key_file:
        key = env.encode("utf-8")
        if len(key) < MIN_KEY_BYTES:
            raise KeyFileError(f"PIISWEEP_KEY is too short ({len(key)} bytes): use at least {MIN_KEY_BYTES} "
                               f"bytes of random key material, 32 recommended")
        return key
    path = key_file or default_key_file()
    try:
        with open(path, "rb") as fh:
            key = fh.read().strip()
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path) or ".", mode=0o700, exist_ok=True)
        key = secrets.token_hex(32).encode("ascii")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process created it first: use theirs
            return load_key(path)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key + b"\n")
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc.strerror}") from None
    if len(key) < MIN_KEY_BYTES:
        raise KeyFileError(f"key file {path} is too short (need at least {MIN_KEY_BYTES} bytes, 32 recommended)")
    return key


def key_id(key: bytes) -> str:
    """A short public fingerprint of the key, so the manifest tells which key hashed it."""
    return hmac.new(key, b"piisweep key id", hashlib.sha256).hexdigest()[:12]


_PREPARED: dict[bytes, "hmac.HMAC"] = {}


def value_hash(key: bytes, normalised: str) -> str:
    """HMAC-SHA256 of a normalised value, hex encoded.

    The keyed inner and outer states are made once per key and copied for each value, which
    halves the cost of hashing the short values a scan hashes millions of."""
    prepared = _PREPARED.get(key)
    if prepared is None:
        prepared = _PREPARED[key] = hmac.new(key, digestmod=hashlib.sha256)
    mac = prepared.copy()
    mac.update(normalised.encode("utf-8"))
    return mac.hexdigest()

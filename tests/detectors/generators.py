"""Valid identifiers computed from their check-digit rules, so tests never rely on hand-typed examples only."""

from __future__ import annotations

import random

_rng = random.Random(20240501)


def luhn_complete(prefix: str) -> str:
    """``prefix`` + the Luhn check digit."""
    total = 0
    for i, ch in enumerate(reversed(prefix)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return prefix + str((10 - total % 10) % 10)


def digits(n: int) -> str:
    return "".join(str(_rng.randint(0, 9)) for _ in range(n))


def nhs() -> str:
    while True:
        body = digits(9)
        check = 11 - sum(int(d) * w for d, w in zip(body, range(10, 1, -1))) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return body + str(check)


def bsn() -> str:
    while True:
        body = str(_rng.randint(1, 9)) + digits(7)
        total = sum(int(d) * w for d, w in zip(body, (9, 8, 7, 6, 5, 4, 3, 2)))
        check = total % 11
        if check < 10:
            return body + str(check)


def be_national_number(year=85, month=7, day=30) -> str:
    body = f"{year:02d}{month:02d}{day:02d}{_rng.randint(1, 997):03d}"
    return body + f"{97 - int(body) % 97:02d}"


def fr_nir() -> str:
    body = f"{_rng.choice('12')}{_rng.randint(40, 99):02d}{_rng.randint(1, 12):02d}{_rng.randint(1, 95):02d}{digits(6)}"
    return body + f"{97 - int(body) % 97:02d}"


def kr_rrn() -> str:
    body = f"{_rng.randint(50, 99):02d}{_rng.randint(1, 12):02d}{_rng.randint(1, 28):02d}{_rng.choice('12')}{digits(5)}"
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    return body + str((11 - sum(int(d) * w for d, w in zip(body, weights)) % 11) % 10)


def iban(country: str, bban: str) -> str:
    rearranged = bban + country + "00"
    check = 98 - int("".join(str(int(c, 36)) for c in rearranged)) % 97
    return f"{country}{check:02d}{bban}"


def card(prefix: str, length: int) -> str:
    return luhn_complete(prefix + digits(length - len(prefix) - 1))


def imei() -> str:
    return luhn_complete("35" + digits(12))


def sin() -> str:
    return luhn_complete(str(_rng.choice([1, 2, 4, 5, 6, 7])) + digits(7))


def corrupt(value: str) -> str:
    """The same identifier with its last digit changed: the checksum fails."""
    last = value[-1]
    return value[:-1] + str((int(last) + 1) % 10)

"""Fake but well-formed personal identifiers for fixtures, examples and benchmarks.

Check digits are computed, so the values pass the scanner's validators the way
real ones would; every value is generated, none belongs to anyone.
"""

from __future__ import annotations

import random


def luhn_complete(digits: str) -> str:
    """Append the Luhn check digit (cards, IMEI, Canadian SIN)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            d -= 9 if d > 9 else 0
        total += d
    return digits + str((10 - total % 10) % 10)


def iban(rng: random.Random, country: str = "GB", bban: str | None = None) -> str:
    """An IBAN with a valid mod-97 check, grouped in fours."""
    bban = bban or "WEST" + "".join(rng.choice("0123456789") for _ in range(14))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    value = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4))


def nino(rng: random.Random, spaced: bool = True) -> str:
    """A UK NI number with valid prefix letters."""
    first, second = rng.choice("ABCEHJKLMNOPRSTWXYZ"), rng.choice("ABCEHJKLMNPRSTWXYZ")
    while first + second in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}:
        second = rng.choice("ABCEHJKLMNPRSTWXYZ")
    d = "".join(rng.choice("0123456789") for _ in range(6))
    if spaced:
        return f"{first}{second} {d[:2]} {d[2:4]} {d[4:]} {rng.choice('ABCD')}"
    return f"{first}{second}{d}{rng.choice('ABCD')}"


def card(rng: random.Random, prefix: str = "4539") -> str:
    """A 16-digit card number passing Luhn, grouped in fours."""
    number = luhn_complete(prefix + "".join(rng.choice("0123456789") for _ in range(15 - len(prefix))))
    return " ".join(number[i:i + 4] for i in range(0, 16, 4))


def uk_mobile(rng: random.Random) -> str:
    """A UK mobile number from Ofcom's drama range (07700 900xxx)."""
    return f"07700 900{rng.randint(0, 999):03d}"

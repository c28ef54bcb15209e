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


def kr_foreigner() -> str:
    """A Korean foreigner registration number (century digit 5-8), check = (13 - sum mod 11) mod 10."""
    body = f"{_rng.randint(50, 99):02d}{_rng.randint(1, 12):02d}{_rng.randint(1, 28):02d}{_rng.choice('56')}{digits(5)}"
    weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
    return body + str((13 - sum(int(d) * w for d, w in zip(body, weights)) % 11) % 10)


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


# -- EU national numbers: a random body, completed by the check python-stdnum computes or accepts --------------

def _completed(body: str, alphabet: str, is_valid) -> str:
    """``body`` + the one character of ``alphabet`` that makes it valid."""
    for ch in alphabet:
        if is_valid(body + ch):
            return body + ch
    raise ValueError(f"no check character completes {body}")


def _valid(make, is_valid) -> str:
    """A value ``make()`` draws that ``is_valid`` accepts (for numbers whose body must satisfy rules too)."""
    while True:
        value = make()
        if is_valid(value):
            return value


def de_tax_id() -> str:
    from stdnum.de import idnr
    from stdnum.iso7064 import mod_11_10

    def make():
        body = list(str(_rng.randint(1, 9)) + digits(9))
        body[_rng.randrange(1, 10)] = body[_rng.randrange(0, 10)]  # one digit twice
        body = "".join(body)
        return body + mod_11_10.calc_check_digit(body)
    return _valid(make, idnr.is_valid)


def es_dni() -> str:
    from stdnum.es import dni
    body = digits(8)
    return body + dni.calc_check_digit(body)


def es_nie() -> str:
    from stdnum.es import nie
    return _completed(_rng.choice("XYZ") + digits(7), "ABCDEFGHJKLMNPQRSTVWXYZ", nie.is_valid)


def it_fiscal_code() -> str:
    from stdnum.it import codicefiscale
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    body = ("".join(_rng.choice(letters) for _ in range(6)) + f"{_rng.randint(40, 99)}" + _rng.choice("ABCDEHLMPRST")
            + f"{_rng.randint(1, 28):02d}" + _rng.choice("ADFGHL") + f"{_rng.randint(1, 999):03d}")
    return body + codicefiscale.calc_check_digit(body)


def pl_pesel() -> str:
    from stdnum.pl import pesel
    body = f"{_rng.randint(40, 99)}{_rng.randint(1, 12):02d}{_rng.randint(1, 28):02d}" + digits(4)
    return body + pesel.calc_check_digit(body)


def se_personnummer() -> str:
    from stdnum import luhn
    body = f"{_rng.randint(40, 99)}{_rng.randint(1, 12):02d}{_rng.randint(1, 28):02d}" + digits(3)
    return f"{body[:6]}-{body[6:]}{luhn.calc_check_digit(body)}"


def fi_hetu() -> str:
    from stdnum.fi import hetu
    body = f"{_rng.randint(1, 28):02d}{_rng.randint(1, 12):02d}{_rng.randint(40, 99)}-{_rng.randint(2, 899):03d}"
    return _completed(body, "0123456789ABCDEFHJKLMNPRSTUVWXY", hetu.is_valid)


def dk_cpr() -> str:
    from stdnum.dk import cpr
    return _valid(lambda: f"{_rng.randint(1, 28):02d}{_rng.randint(1, 12):02d}{_rng.randint(40, 99)}-"
                          f"{_rng.randint(0, 3)}{digits(3)}", cpr.is_valid)


def no_fodselsnummer() -> str:
    from stdnum.no import fodselsnummer

    def make():
        body = f"{_rng.randint(1, 28):02d}{_rng.randint(1, 12):02d}{_rng.randint(40, 99)}{_rng.randint(0, 499):03d}"
        first = fodselsnummer.calc_check_digit1(body)
        return body + first + fodselsnummer.calc_check_digit2(body + first)
    return _valid(make, fodselsnummer.is_valid)


def ie_ppsn() -> str:
    from stdnum.ie import pps
    return _completed(digits(7), "ABCDEFGHIJKLMNOPQRSTUVW", pps.is_valid)


def pt_nif() -> str:
    from stdnum.pt import nif
    body = _rng.choice("12") + digits(7)
    return body + nif.calc_check_digit(body)


def at_ssn() -> str:
    from stdnum.at import vnr
    return _valid(lambda: f"{_rng.randint(100, 999)}" + digits(1) +
                  f"{_rng.randint(1, 28):02d}{_rng.randint(1, 12):02d}{_rng.randint(40, 99)}", vnr.is_valid)

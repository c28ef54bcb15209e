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


# Ofcom's drama ranges for geographic numbers: valid to phone-number libraries, never assigned.
_DRAMA_LANDLINES = ("020 7946 0", "0113 496 0", "0114 496 0", "0115 496 0", "0116 496 0", "0117 496 0",
                    "0118 496 0", "0121 496 0", "0131 496 0", "0141 496 0", "0151 496 0", "0161 496 0",
                    "0191 498 0")


def uk_landline(rng: random.Random) -> str:
    """A UK geographic number from an Ofcom drama range (valid shape, never assigned)."""
    return f"{rng.choice(_DRAMA_LANDLINES)}{rng.randint(0, 999):03d}"


def nhs_number(rng: random.Random) -> str:
    """A 10-digit NHS number with a valid mod-11 check digit, spaced 3-3-4."""
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check == 11:
            check = 0
        if check != 10:
            value = "".join(map(str, digits)) + str(check)
            return f"{value[:3]} {value[3:6]} {value[6:]}"


def ipv4(rng: random.Random) -> str:
    """A public-looking IPv4 address (first octet 11-223, never a loopback or private range)."""
    first = rng.choice([o for o in range(11, 224) if o not in (127, 169, 172, 192)])
    return f"{first}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


_DIGITS = "0123456789"
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(_DIGITS) for _ in range(n))


def luhn_valid(digits: str) -> bool:
    """Whether a digit string passes the Luhn check (to build values that must fail it)."""
    return luhn_complete(digits[:-1]) == digits


def card_number(rng: random.Random, brand: str = "visa") -> str:
    """A Luhn-valid card number of a brand, grouped the way that brand prints it."""
    if brand == "amex":
        number = luhn_complete(rng.choice(["34", "37"]) + _digits(rng, 12))
        return f"{number[:4]} {number[4:10]} {number[10:]}"
    prefix = {"visa": "4", "mastercard": rng.choice(["51", "52", "53", "54", "55"])}[brand]
    number = luhn_complete(prefix + _digits(rng, 15 - len(prefix)))
    return " ".join(number[i:i + 4] for i in range(0, 16, 4))


def luhn_failing_reference(rng: random.Random) -> str:
    """Sixteen digits in card grouping that fail Luhn: an order or invoice reference."""
    while True:
        number = _digits(rng, 16)
        if not luhn_valid(number):
            return " ".join(number[i:i + 4] for i in range(0, 16, 4))


# Basic bank account number shape per country: L = letter, D = digit.
_BBAN = {"GB": "LLLLDDDDDDDDDDDDDD", "IE": "LLLLDDDDDDDDDDDDDD", "NL": "LLLLDDDDDDDDDD",
         "DE": "D" * 18, "FR": "D" * 23, "ES": "D" * 20, "BE": "D" * 12}


def iban_for(rng: random.Random, country: str) -> str:
    """A mod-97-valid IBAN of ``country`` (GB, IE, NL, DE, FR, ES, BE) with a plausible BBAN."""
    bban = "".join(rng.choice(_LETTERS) if c == "L" else rng.choice(_DIGITS) for c in _BBAN[country])
    if country == "BE":  # Belgian account numbers carry their own mod-97 check
        check = int(bban[:10]) % 97 or 97
        bban = bban[:10] + f"{check:02d}"
    return iban(rng, country, bban)


def us_ssn(rng: random.Random) -> str:
    """A US SSN with a valid area, group and serial (no 000, 666, 9xx, 00, 0000)."""
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def ca_sin(rng: random.Random) -> str:
    """A Canadian SIN (Luhn-valid, first digit not 0 or 8), as 3-3-3."""
    number = luhn_complete(rng.choice("1234567") + _digits(rng, 7))
    return f"{number[:3]} {number[3:6]} {number[6:]}"


def nl_bsn(rng: random.Random) -> str:
    """A Dutch BSN passing the 11-test, nine digits."""
    while True:
        body = rng.choice("123456") + _digits(rng, 7)
        total = sum(int(d) * (9 - i) for i, d in enumerate(body))
        check = total % 11
        if check < 10:
            return body + str(check)


def fr_nir(rng: random.Random, sex: int, year: int, month: int) -> str:
    """A French NIR (sex, birth year and month, department, commune, order) with its mod-97 key."""
    dept = f"{rng.choice([d for d in range(1, 96) if d != 20]):02d}"
    body = f"{sex}{year % 100:02d}{month:02d}{dept}{rng.randint(1, 999):03d}{rng.randint(1, 999):03d}"
    key = 97 - int(body) % 97
    return f"{body[0]} {body[1:3]} {body[3:5]} {body[5:7]} {body[7:10]} {body[10:13]} {key:02d}"


def be_national_number(rng: random.Random, year: int, month: int, day: int) -> str:
    """A Belgian national register number (birth date, serial, mod-97 check), as YY.MM.DD-SSS.CC."""
    serial = rng.randint(1, 997)
    body = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
    check = 97 - int(("2" if year >= 2000 else "") + body) % 97
    return f"{body[:2]}.{body[2:4]}.{body[4:6]}-{body[6:]}.{check:02d}"


def de_tax_id(rng: random.Random) -> str:
    """A German Steuer-ID (IdNr) that python-stdnum accepts: one digit repeated, a mod-11,10 check."""
    from stdnum.de import idnr
    from stdnum.iso7064 import mod_11_10

    while True:
        body = list(rng.choice("123456789") + _digits(rng, 9))
        body[rng.randrange(1, 10)] = body[rng.randrange(0, 10)]
        value = "".join(body) + mod_11_10.calc_check_digit("".join(body))
        if idnr.is_valid(value):
            return f"{value[:2]} {value[2:5]} {value[5:8]} {value[8:]}" if rng.random() < 0.5 else value


def ie_ppsn(rng: random.Random) -> str:
    """An Irish PPS number: seven digits and the check letter python-stdnum computes."""
    from stdnum.ie import pps

    body = _digits(rng, 7)
    return next(body + letter for letter in "ABCDEFGHIJKLMNOPQRSTUVW" if pps.is_valid(body + letter))


def imei(rng: random.Random, grouped: bool = False) -> str:
    """A Luhn-valid 15-digit IMEI (TAC, serial, check digit)."""
    number = luhn_complete(rng.choice(["35", "86", "01", "99"]) + _digits(rng, 12))
    return f"{number[:2]}-{number[2:8]}-{number[8:14]}-{number[14]}" if grouped else number


def mac_address(rng: random.Random, style: str = "colon") -> str:
    """A MAC address written the Unix (colon), Windows (dash) or Cisco (dotted) way."""
    octets = [rng.randint(0, 255) for _ in range(6)]
    octets[0] &= 0xFE  # unicast
    if style == "dash":
        return "-".join(f"{o:02X}" for o in octets)
    if style == "cisco":
        hexed = "".join(f"{o:02x}" for o in octets)
        return ".".join(hexed[i:i + 4] for i in range(0, 12, 4))
    return ":".join(f"{o:02x}" for o in octets)


def private_ipv4(rng: random.Random) -> str:
    """An IPv4 address from RFC 1918 space (servers and laptops inside a client's network)."""
    return rng.choice([f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                       f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                       f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"])


def ipv6(rng: random.Random, compressed: bool = True) -> str:
    """An IPv6 address in the documentation or unique-local range, full or with ``::``."""
    groups = [rng.choice(["2001", "fd12", "2a02"]), f"{rng.randint(0, 0xffff):x}"] + \
        [f"{rng.randint(0, 0xffff):x}" for _ in range(6)]
    if compressed:
        return ":".join(groups[:3]) + "::" + ":".join(groups[6:])
    return ":".join(groups)


# National and international layouts per country; X = a random digit.
_PHONE_TEMPLATES = {
    "GB": ["020 7946 0XXX", "07700 900XXX", "+44 7700 900XXX", "+44 20 7946 0XXX", "0161 496 0XXX"],
    "US": ["(212) 555-01XX", "415-555-01XX", "+1 312 555 01XX", "(617) 555-01XX"],
    "FR": ["01 XX XX XX XX", "06 XX XX XX XX", "+33 6 XX XX XX XX", "+33 1 XX XX XX XX"],
    "NL": ["020 XXX XXXX", "06-XXXXXXXX", "+31 6 XXXXXXXX", "+31 20 XXX XXXX"],
    "DE": ["030 XXXXXXXX", "+49 30 XXXXXXXX", "0151 XXXXXXXX", "+49 89 XXXXXXX"],
    "BE": ["+32 470 XX XX XX", "0470 XX XX XX", "+32 2 XXX XX XX", "02 XXX XX XX"],
    "IE": ["+353 1 XXX XXXX", "087 XXX XXXX", "+353 87 XXX XXXX", "01 XXX XXXX"],
    "CA": ["(514) XXX-XXXX", "+1 416 XXX XXXX", "438-XXX-XXXX"],
}


def phone(rng: random.Random, country: str) -> str:
    """A phone number in one of ``country``'s usual layouts, valid for libphonenumber."""
    import phonenumbers

    region = country
    for _ in range(200):
        text = "".join(rng.choice(_DIGITS) if c == "X" else c for c in rng.choice(_PHONE_TEMPLATES[country]))
        if phonenumbers.is_valid_number(phonenumbers.parse(text, region)):
            return text
    raise RuntimeError(f"no valid phone number layout for {country}")

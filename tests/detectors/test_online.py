"""IP (v4/v6, not versions), MAC (not fingerprints), device IDs (IMEI Luhn; UUIDs only with context)."""

import pytest

from tests.detectors import generators as g
from tests.detectors.conftest import found

IMEI = g.imei()

CASES = [
    ("client 192.168.1.20 connected", [("IP_ADDRESS", "192.168.1.20")]),
    ("from 2001:db8:85a3::8a2e:370:7334 ok", [("IP_ADDRESS", "2001:db8:85a3::8a2e:370:7334")]),
    ("fe80:0000:0000:0000:0202:b3ff:fe1e:8329", [("IP_ADDRESS", "fe80:0000:0000:0000:0202:b3ff:fe1e:8329")]),
    ("version 4.12.3.1024", []),
    ("Release v1.2.3.4 notes", []),
    ("OID 1.3.6.1.4.1.311", []),
    ("std::vector<int> a; Foo::bar();", []),
    ("999.1.1.1", []),
    ("::ffff:256.0.0.1", []),  # a malformed IPv4-mapped address: no fragment of it is an address
    ("mapped ::ffff:10.0.0.1 ok", [("IP_ADDRESS", "::ffff:10.0.0.1")]),
    ("MAC 00:1A:2B:3C:4D:5E", [("MAC_ADDRESS", "00:1A:2B:3C:4D:5E")]),
    ("hw 00-1a-2b-3c-4d-5e", [("MAC_ADDRESS", "00-1a-2b-3c-4d-5e")]),
    ("broadcast FF:FF:FF:FF:FF:FF", []),  # the broadcast address is no adapter's
    ("16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48", []),  # key fingerprint
    (f"IMEI {IMEI}", [("DEVICE_ID", IMEI)]),
    (f"IMEI {g.corrupt(IMEI)}", []),
    (f"ref {IMEI}", []),
    ("advertising id: 38400000-8cf0-11bd-b23e-10b96e40000d",
     [("DEVICE_ID", "38400000-8cf0-11bd-b23e-10b96e40000d")]),
    ("request 38400000-8cf0-11bd-b23e-10b96e40000d done", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_online(detector, text, expected):
    assert found(detector, text, {"IP_ADDRESS", "MAC_ADDRESS", "DEVICE_ID"}) == expected

"""Text full of numbers that are not personal data must yield no identifier findings at all."""

from tests.detectors import generators as g
from tests.detectors.conftest import found


def _luhn_failing_16() -> list[str]:
    return [g.corrupt(g.card("4", 16)) for _ in range(5)] + [g.corrupt(g.card("5", 16)) for _ in range(5)]


HARD_NEGATIVES = """
Release notes — version 4.12.3.1024 (build 20231012.4471)
 * Upgraded OpenSSL to 3.0.11; kernel 5.15.0-88-generic; Chrome 118.0.5993.70; Android 13.0.0.1
 * Windows NT 10.0.19045.3570 support, firmware v2.1.0.17, API 1.2.840.113549 (OID)
 * Fixed #4521, #4533 and PR 10234. Commit 3f2c1a9b7e8d4c6f0a1b2c3d4e5f60718293a4b5 (git SHA), short 3f2c1a9.
SHA256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
MD5 (setup.exe) = d41d8cd98f00b204e9800998ecf8427e
ssh key fingerprint 16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48
Price list 2024
  Item            SKU         Qty    Unit price     Total
  Widget A        100234567   12     19.99          239.88
  Widget B        200345678   3      1,299.00       3,897.00
  Gadget Pro      300456789   1      12 499.00      12 499.00
Statistics (Table 4): population 1 234 567; 2019: 45.6%; 2020: 47.1%; growth 0.0123; n = 123456789
Region   2021        2022        2023
North    1023456789  1034567890  1045678901
South    2034567890  2045678901  2056789012
Order numbers: ORD-2023-000123, order #100234, Order No. 0201234567, invoice INV-55512345, PO 4500012345
Tracking: 1Z999AA10123456784, ref 123-456-789
Dates: 2023-10-12, 12/10/2023, 12.10.2023, 2023-10-12T14:22:01Z, Oct 12 2023 14:22:01
Timestamps 1697112121 1697112121123 20231012142201
UUIDs: request_id=38400000-8cf0-11bd-b23e-10b96e40000d trace 550e8400-e29b-41d4-a716-446655440000
Card-like references (Luhn fails): {luhn}
Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore
magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo.
def parse(data: bytes, offset: int = 0x7fff) -> int:
    std::vector<int> v; Foo::bar(); a = b[0:12:2]
    password = os.environ["DB_PASSWORD"]
    token = get_token()
    if (x == 0xdeadbeef) return 0;
    matrix = [[0.123, 4.567], [8.901, 2.345]]
    version = "10.2.1.5"
Coordinates 51.5074, -0.1278; ratio 3:2:1; time 12:34:56
""".format(luhn=" ".join(_luhn_failing_16()))


def test_hard_negatives_have_no_findings(detector):
    assert found(detector, HARD_NEGATIVES) == []


def test_hard_negatives_line_by_line(detector):
    """Lines alone (as column cells or short log records) give no findings either."""
    for line in HARD_NEGATIVES.splitlines():
        assert found(detector, line) == [], line

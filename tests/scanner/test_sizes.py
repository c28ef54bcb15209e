"""Human sizes on the command line and in estate files."""

from __future__ import annotations

import pytest

from scanner.sizes import human, parse_size


@pytest.mark.parametrize("text, expected", [
    ("0", 0),
    ("100", 100),
    (4096, 4096),
    ("12b", 12),
    ("512k", 512 * 1024),
    ("512KB", 512 * 1024),
    ("2KiB", 2048),
    ("10MB", 10 * 1024 ** 2),
    ("10mib", 10 * 1024 ** 2),
    ("1.5G", int(1.5 * 1024 ** 3)),
    ("2 GB", 2 * 1024 ** 3),
    ("  7 kb ", 7 * 1024),
    ("1T", 1024 ** 4),
    ("3tb", 3 * 1024 ** 4),
])
def test_parse_size(text, expected):
    assert parse_size(text) == expected


@pytest.mark.parametrize("text", ["", "lots", "-1MB", "10XB", "1.2.3M", "MB", "1e6", "10 M B", None])
def test_parse_size_errors(text):
    with pytest.raises(ValueError) as err:
        parse_size(text)
    assert "not a size" in str(err.value) and "10MB" in str(err.value)


@pytest.mark.parametrize("n, expected", [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KB"),
                                         (10 * 1024 ** 2, "10.0 MB"), (5 * 1024 ** 5, "5120.0 TB")])
def test_human(n, expected):
    assert human(n) == expected

"""The public-suffix check answers from tldextract's bundled list, offline."""

from __future__ import annotations

import pytest

from detectors.public_suffix import has_public_suffix
from tests.detectors.conftest import fresh_python


@pytest.mark.parametrize("domain, expected", [
    ("example.co.uk", True), ("mail.example.com", True), ("EXAMPLE.ORG", True), ("jane.xn--p1ai", True),
    ("host.city.kawasaki.jp", True), ("corp.local", False), ("acme.internal", False), ("localhost", False),
    ("example.invalid", False), ("", False),
])
def test_known_suffixes_and_private_names(domain, expected):
    assert has_public_suffix(domain) is expected


def test_the_list_is_read_without_network_or_writing_a_cache(tmp_path):
    proc = fresh_python(f"""
        import os, socket
        os.environ["HOME"] = os.environ["XDG_CACHE_HOME"] = {str(tmp_path)!r}
        def refuse(*args, **kwargs):
            raise AssertionError("network used")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from detectors.public_suffix import has_public_suffix
        assert has_public_suffix("mail.example.co.uk")
        assert not os.listdir({str(tmp_path)!r}), os.listdir({str(tmp_path)!r})
    """)
    assert proc.returncode == 0, proc.stderr

"""The dispatcher's handlers: imported on their format's first item, their libraries checked up front."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scanner.extract import check_handlers, dispatch

REPO = __file__.rsplit("/tests/", 1)[0]


@pytest.mark.parametrize("fmt", sorted(dispatch.FORMATS))
def test_every_format_has_a_handler(fmt):
    assert callable(dispatch.handler(fmt))


def test_a_format_not_scanned_has_none():
    assert dispatch.handler("exe") is None


def test_a_missing_library_is_named_at_start_up(monkeypatch):
    monkeypatch.setattr(dispatch, "LIBRARIES", dispatch.LIBRARIES + ("piisweep_absent_library",))
    with pytest.raises(ImportError, match="piisweep_absent_library is not installed"):
        check_handlers()


def test_the_installed_libraries_pass_the_check():
    check_handlers()


def test_plain_text_loads_no_other_handler(tmp_path):
    """A scan of logs imports neither PDFium, nor lxml, nor the e-mail package."""
    log = tmp_path / "app.log"
    log.write_text("2026-01-01 00:00:00 INFO login from 203.0.113.9\n" * 100)
    script = (
        "import sys\n"
        "from scanner.extract import check_handlers, extract\n"
        "from contract.models import Item\n"
        f"path = {str(log)!r}\n"
        "check_handlers()\n"
        "with open(path, 'rb') as fh:\n"
        "    blocks = list(extract(fh, Item(uri='file://' + path, path='app.log', size=None)))\n"
        "assert blocks, 'no text extracted'\n"
        "loaded = sorted(m for m in ('pypdfium2', 'lxml', 'python_calamine', 'email.parser') if m in sys.modules)\n"
        "print(','.join(loaded))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""

"""Byte-compiled checkouts, so that a benchmark times the scanner, not Python compiling it."""

from __future__ import annotations

import os
import subprocess
import sys

PACKAGES = ("piisweep", "contract", "scanner", "detectors", "agents", "reports")
THIS_CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def byte_compile(checkout: str = THIS_CHECKOUT, python: str = sys.executable) -> None:
    """Byte-compile ``checkout``'s packages with ``python``, as ``pip install`` does for an
    installed package. An editable checkout never gets its .pyc files written where
    PYTHONDONTWRITEBYTECODE is set (as on some machines): each of a scan's processes would
    compile every module from source (~0.06 s on a one-file scan, more on the side with more
    modules), and the benchmark would time that instead of the scanner."""
    packages = [p for p in PACKAGES if os.path.isdir(os.path.join(checkout, p))]
    subprocess.run([python, "-m", "compileall", "-q", *packages], cwd=checkout, check=True,
                   stdout=subprocess.DEVNULL)

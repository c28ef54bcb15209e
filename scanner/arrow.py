"""pyarrow for the scan's own process, loaded without numpy.

pyarrow imports numpy whenever it is installed (spaCy brings it), to convert numpy
arrays, which piisweep never hands it. Loading numpy takes 0.05–0.1 s, a tenth of
an unchanged rescan, whose work is all Arrow's. pyarrow runs without it as it does
where numpy is not installed (its own ``np = None`` path): numpy is hidden only
while pyarrow's modules load, and anything importing numpy later (spaCy, in an
inline scan; pyarrow's compute kernels, loaded only to filter a partial carry-over) gets it
as usual. Where either is already loaded nothing changes.
"""

from __future__ import annotations

import sys


def _load_without_numpy() -> None:
    if "pyarrow" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # import numpy now raises ImportError: pyarrow's "no numpy" path
    try:
        import pyarrow.parquet  # noqa: F401 - and pyarrow itself
    finally:
        del sys.modules["numpy"]


_load_without_numpy()

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

__all__ = ["pa", "pq"]

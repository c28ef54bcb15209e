"""Detection: a one-pass pre-filter, Presidio recognisers in candidate windows, NER on prose."""

from detectors import offline as _offline

_offline.install()

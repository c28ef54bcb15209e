"""The ``piisweep`` command line, above every other package: scan, report, datamap, dsar, diff."""

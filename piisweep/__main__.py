"""``python -m piisweep``: the same command as the ``piisweep`` console script."""

from piisweep.cli import run

run()

"""Builds the optional C loops of dense text (detectors/_speedups.c); the project's metadata is in
pyproject.toml. Without a C compiler the build is skipped and detectors/hotloops.py runs the same
loops in Python."""

from setuptools import Extension, setup

setup(ext_modules=[Extension("detectors._speedups", ["detectors/_speedups.c"], optional=True,
                             extra_compile_args=["-O2"])])

"""Billing helpers."""

VERSION = "4.12.3"


def total(lines):
    """Sum the order lines."""
    return sum(l.qty * l.price for l in lines)

"""The shared contract of piisweep's packages: what flows between them and what a scan writes.

Targets and credential references, items and blocks, item and finding records, the
inventory's Parquet schemas, entity categories and the keyed value hash. Every other
package imports from here; this package imports none of them.
"""

"""Event logs: reading them, and discovery, evidence and conformance on DuckDB.

Nothing here is imported by ``import procmap``; the CLI commands ``discover``
and ``conform`` import it when they run, so DuckDB and PyArrow load only then.
"""

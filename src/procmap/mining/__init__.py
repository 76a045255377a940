"""Event logs: reading them, and discovery, evidence, conformance and weighing a map on DuckDB.

Nothing here is imported by ``import procmap``; the CLI commands ``discover``,
``conform`` and ``analyze --log`` import it when they run, so DuckDB and PyArrow
load only then.
"""

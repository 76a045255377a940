"""`procmap serve` refuses a database it cannot use with a clear message and exit 2."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from procmap.cli.main import app
from tests.web.conftest import free_port

runner = CliRunner()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--database", "postgresql://nobody@127.0.0.1:{port}/none"], "the database cannot be opened"),
        (["--database", "mysql://someone@host/db"], "stores its data in PostgreSQL"),
        (["--data", "/proc/1/no-such-folder"], "the database cannot be opened"),
    ],
)
def test_a_database_procmap_cannot_use_is_exit_2(args: list[str], message: str) -> None:
    args = [a.format(port=free_port()) for a in args]
    result = runner.invoke(app, ["serve", *args, "--port", str(free_port())])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert "internal error" not in result.output and "Traceback" not in result.output

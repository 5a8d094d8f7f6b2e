"""Every command has help with an example (sqlite-utils' habit)."""

from __future__ import annotations

import typer.main
from typer.testing import CliRunner

from usmca_monitor.cli import app


def test_every_command_documents_an_example() -> None:
    group = typer.main.get_command(app)
    names = sorted(group.commands)  # type: ignore[attr-defined]
    assert {"build", "serve", "update", "query", "sources", "indicators", "snapshot", "import"} <= set(names)
    runner = CliRunner()
    for name in names:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example: usmca " + name in result.output, f"`usmca {name} --help` shows no example"

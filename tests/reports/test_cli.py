"""The report commands as the lead mounts them, run through click."""

import json

import click
from click.testing import CliRunner

from piisweep.report_commands import COMMANDS
from tests.reports.fixtures import JANE, KEY


@click.group()
def cli():
    """Stand-in for piisweep.cli's group: mounts the commands the same way."""


for command in COMMANDS:
    cli.add_command(command)


def run(*args, env=None):
    result = CliRunner().invoke(cli, list(args), env={"PIISWEEP_KEY": KEY.decode(), **(env or {})})
    return result


def test_report_command(estate, tmp_path):
    a, b, _ = estate
    out = tmp_path / "r.html"
    result = run("report", b, "--previous", a, "--retention-years", "3", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "5 locations" in result.output and out.stat().st_size > 10_000


def test_datamap_command(estate, tmp_path):
    a, _, _ = estate
    out = tmp_path / "m.json"
    result = run("datamap", a, "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len(json.loads(out.read_text())) == 5


def test_dsar_command_json_and_table(estate):
    _, _, root = estate
    result = run("dsar", root, "--email", JANE["email"], "--iban", JANE["iban"], "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert {r["uri"] for r in found} == {"file:///srv/data/hr/contacts.txt", "smb://filer/share/finance/payroll.xlsx",
                                         "postgresql://db1/crm/public.customers"}
    table = run("dsar", root, "--email", JANE["email"])  # not a terminal: a header, then one row per line
    lines = table.output.splitlines()
    assert table.exit_code == 0 and lines[0].split("\t")[:2] == ["scan", "location"]
    assert len(lines) == 1 + len([r for r in found if r["query"] == "email"])
    assert JANE["email"].lower() not in table.output.lower()
    on_terminal = run("dsar", root, "--email", JANE["email"], env={"TTY_COMPATIBLE": "1"})
    assert on_terminal.exit_code == 0 and "matching locations" in on_terminal.output
    assert run("dsar", root).exit_code != 0


def test_diff_command(estate):
    a, b, _ = estate
    as_json = run("diff", a, b, "--json")
    assert as_json.exit_code == 0, as_json.output
    d = json.loads(as_json.output)
    assert (d["findings"]["added"], d["findings"]["removed"]) == (2, 3)
    text = run("diff", a, b, env={"COLUMNS": "200"})
    assert text.exit_code == 0 and "file:///srv/data/hr/new-starters.txt" in text.output and "removed" in text.output


def test_not_an_inventory(tmp_path):
    result = run("diff", str(tmp_path), str(tmp_path))
    assert result.exit_code != 0 and "not a scan inventory" in result.output

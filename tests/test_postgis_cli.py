"""The shared store from the command line: db init, user add/list/disable/areas, and the commands
that take ``--store`` (ingest, status, hotspots) given a postgresql:// URL."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import psycopg
import pytest

from apk_geo import cli
from apk_geo.config import Config

pytest_plugins = ["pgtest"]
pytestmark = pytest.mark.postgis

PASSWORD = "správné-heslo-99"


def as_url(conninfo: str, **changes: str) -> str:
    parts = {**psycopg.conninfo.conninfo_to_dict(conninfo), **changes}
    return (
        f"postgresql://{parts['user']}:{parts['password']}@{parts['host']}:{parts['port']}/"
        f"{parts['dbname']}"
    )


@pytest.fixture(scope="module")
def fresh(pg_server):  # type: ignore[no-untyped-def]
    """A database of the session, not yet initialised, and the session's role prefix."""
    return pg_server.database("cli", init=False), pg_server.prefix


def run(args: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> tuple:
    import sys

    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = cli.main(args)
    finally:
        sys.stdin = old
    out = capsys.readouterr()
    return code, out.out, out.err


def test_init_user_management_and_the_store_commands(
    fresh: tuple[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    demo_config: Config,
    pg_server,  # type: ignore[no-untyped-def]
) -> None:
    url, prefix = fresh
    owner = as_url(url)
    gate_file = tmp_path / "gate.url"
    admin = f"{prefix}_spravce"
    init = ["db", "init", "--url", owner, "--role-prefix", prefix, "--gate-file", str(gate_file)]
    code, out, err = run(
        [*init, "--admin", admin, "--password-stdin", "--reset-gate"], capsys, PASSWORD + "\n"
    )
    assert code == 0, err
    assert "migrations applied  store, security" in out and f"admin               {admin}" in out
    assert stat.S_IMODE(gate_file.stat().st_mode) == 0o600
    gate_url = gate_file.read_text(encoding="utf-8").strip()
    with psycopg.connect(gate_url) as gate:  # the gate's new password works
        assert gate.execute("SELECT apk.signin_wait('x', 'y')").fetchone() == (0.0,)
    pg_server.gate_password = psycopg.conninfo.conninfo_to_dict(gate_url)["password"]
    gate_file.unlink()
    code, out, _ = run(init, capsys)
    assert code == 0 and "žádné (úložiště je aktuální)" in out and "beze změny" in out
    assert not gate_file.exists()

    admin_url = as_url(url, user=admin, password=PASSWORD)
    mentor = f"{prefix}_jana"
    code, out, err = run(
        ["user", "add", mentor, "--role", "mentor", "--url", admin_url, "--password-stdin"],
        capsys,
        PASSWORD + "\n",
    )
    assert code == 0 and f"Uživatel {mentor} přidán (mentor)." in out, err
    code, _, err = run(
        ["user", "add", f"{prefix}_x", "--role", "analyst", "--url", admin_url, "--password-stdin"],
        capsys,
        "krátké\n",
    )
    assert code == 2 and "use at least 10" in err
    code, _, err = run(
        ["user", "list", "--url", as_url(url, user=mentor, password=PASSWORD)], capsys
    )
    assert code == 2 and "permission denied for table users" in err
    assert run(["user", "areas", mentor, "--set", "Poruba,Jih", "--url", admin_url], capsys)[0] == 0
    code, out, _ = run(["user", "list", "--url", admin_url, "--json"], capsys)
    users = {u["username"]: u for u in json.loads(out)["users"]}
    assert users[mentor]["role"] == "mentor" and users[mentor]["areas"] == ["Poruba", "Jih"]
    assert users[admin]["role"] == "admin" and users[mentor]["disabled"] is False
    run(["user", "areas", mentor, "--clear", "--url", admin_url], capsys)

    mentor_url = as_url(url, user=mentor, password=PASSWORD)
    export = tmp_path / "e.csv"
    export.write_bytes(
        "Číslo záznamu;Datum;Čas;Kategorie;Adresa;lat;lon\r\n"
        "1;3.11.2026;21:40;alkohol;;49,8290;18,1700\r\n"
        "2;4.11.2026;21:40;alkohol;;49,8291;18,1701\r\n".encode("cp1250")
    )
    config = tmp_path / "apk.toml"
    config.write_text(
        f'[layers]\nsvl = "{demo_config.layers.svl}"\nhostels = "{demo_config.layers.hostels}"\n',
        encoding="utf-8",
    )
    code, out, err = run(
        ["--config", str(config), "ingest", str(export), "--store", mentor_url], capsys
    )
    assert code == 0, err
    assert PASSWORD not in out + err and f" do postgresql://{mentor}@" in out  # Czech default
    code, out, _ = run(["status", "--store", mentor_url, "--check", "--json"], capsys)
    status = json.loads(out)
    assert code == 0 and status["incidents"] == 2 and status["reconciled"] is True
    assert PASSWORD not in out

    assert (
        run(["user", "disable", mentor, "--url", admin_url, "--reason", "odchod"], capsys)[0] == 0
    )
    code, _, err = run(["status", "--store", mentor_url], capsys)
    assert code == 2 and "is not permitted to log in" in err

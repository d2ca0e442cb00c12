import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from apk_geo import cli
from apk_geo._cli import dashboard


def test_every_listed_command_is_available() -> None:
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert sorted(sub.choices) == sorted(cli.COMMANDS)


def test_version_flag_prints_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert "apk-geo 0.1.0" in capsys.readouterr().out


def test_console_script_runs_as_a_module() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "apk_geo.cli", "--help"], capture_output=True, text=True, check=True
    )
    assert "ingest" in out.stdout and "hotspots" in out.stdout


def test_apk_geo_errors_end_as_one_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("nonsense = = 1", encoding="utf-8")
    code = cli.main(["--config", str(bad), "status", "--store", str(tmp_path / "x.gpkg")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("apk-geo status: chyba:")
    assert "Traceback" not in err


def test_dashboard_command_listens_on_loopback_and_passes_an_absolute_store(tmp_path: Path) -> None:
    args = argparse.Namespace(store="var/x.gpkg", address="127.0.0.1", port=8599, config=None)
    cmd = dashboard.command(args)
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--server.enableStaticServing") + 1] == "true"
    store = Path(cmd[cmd.index("--store") + 1])
    assert store.is_absolute() and store.name == "x.gpkg"
    entry = Path(cmd[4])  # the installed pages package's entry script, not the checkout's shim
    assert entry.name == "main.py" and entry.parent.name == "app_pages" and entry.is_file()


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from apk_geo.demo import build_demo_store

    path = tmp_path_factory.mktemp("cli") / "demo.gpkg"
    build_demo_store(path, seed=7, n_incidents=3000, months=12)
    return path


@pytest.mark.slow
def test_rates_command_compares_zones_against_elsewhere(
    small_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    assert cli.main(["rates", "--store", str(small_store), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    zones = {r["name"]: r for r in out["rates"] if r["kind"] == "zone"}
    assert set(zones) == {"inside_svl", "hostel_buffer", "elsewhere"}
    assert zones["elsewhere"]["rate_ratio"] == 1
    # the demo generator concentrates incidents in SVL: the ratio must show it, with its interval
    assert zones["inside_svl"]["rr_ci_low"] > 1
    # zones may overlap (an incident in an SVL and a hostel buffer counts in both), never miss one
    total = sum(r["incidents"] for r in out["rates"] if r["kind"] == "zone")
    assert total >= out["params"]["n_points_counted"] > 0


@pytest.mark.slow
def test_nearrepeat_command_writes_one_row_per_category(small_store: Path, tmp_path: Path) -> None:
    import pandas as pd

    out = tmp_path / "knox.csv"
    code = cli.main(
        [
            "nearrepeat",
            "--store",
            str(small_store),
            "--by",
            "category",
            "--permutations",
            "19",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    table = pd.read_csv(out, sep=";", decimal=",", encoding="utf-8-sig")  # Czech Excel CSV
    assert table["Kategorie"].is_unique and len(table) >= 5
    assert ((table["p-hodnota"] > 0) & (table["p-hodnota"] <= 1)).all()

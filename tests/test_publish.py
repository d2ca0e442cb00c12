"""Packs published for presenters: ``apk-geo report --publish`` on a PostGIS store, read back as
a presenter (who may read no incident), and the audit rows of packs and routes.

Runs against the session's own database (:mod:`pgtest`); the store holds the dashboard tests'
hand-made incidents (June 2024 is the latest complete month), with a secret note, assistant
code and address on every row that no published pack may carry.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import psycopg
import pytest

from apk_geo import cli
from apk_geo.db import list_packs, read_pack
from apk_geo.db.packs import may_publish

pytest_plugins = ["pgtest"]
pytestmark = pytest.mark.postgis

SECRETS = ("TAJNÁ POZNÁMKA", "A-777", "Adresa 1")


def as_url(conninfo: str) -> str:
    """Return a conninfo as a ``postgresql://user:password@host:port/db`` URL."""
    p = psycopg.conninfo.conninfo_to_dict(conninfo)
    return f"postgresql://{p['user']}:{p['password']}@{p['host']}:{p['port']}/{p['dbname']}"


@pytest.fixture(scope="module")
def team(pg_server: Any) -> dict[str, str]:
    """A store with the hand-made incidents; a mentor, a presenter and an analyst (URLs)."""
    from test_dashboard_apptest import build_test_store

    owner = pg_server.database("publish")
    build_test_store(owner)  # type: ignore[arg-type]
    users = {
        r: as_url(pg_server.user(owner, f"p{r}", r)) for r in ("mentor", "presenter", "analyst")
    }
    return {"owner": owner, **users}


def ids(html: str) -> str:
    return re.sub(r"_[0-9a-f]{32}", "_ID", html)


def user_of(url: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(url)["user"])


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def audit_rows(owner: str, action: str, who: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(owner) as conn:
        return conn.execute(
            "SELECT subject, details, reason FROM apk.audit WHERE action = %s AND who = %s "
            "ORDER BY audit_id",
            [action, who],
        ).fetchall()


@pytest.mark.slow
def test_a_published_pack_is_what_a_presenter_reads_and_all_of_it(
    team: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mentor, presenter = team["mentor"], team["presenter"]
    password = psycopg.conninfo.conninfo_to_dict(mentor)["password"]
    args = ["report", "--store", mentor, "--area", "Poruba", "--month", "2024-06", "--publish",
            "--out", str(tmp_path), "--format", "html", "--reason", "MDT Poruba",
            "--no-progress"]  # fmt: skip
    code, out, err = run(args, capsys)
    assert code == 0, err
    assert password not in out + err
    assert f"from postgresql://{user_of(mentor)}@" in out and "published (pack " in out
    code, out, err = run([*args, "--json"], capsys)  # published again: the same pack, replaced
    summary = json.loads(out)
    assert summary["store"].startswith(f"postgresql://{user_of(mentor)}@")
    [row] = summary["packs"]
    assert row["area"] == "Poruba" and isinstance(row["published"], int)

    packs = list_packs(presenter)
    assert packs[["area", "month", "tier", "lang"]].values.tolist() == [
        ["Poruba", "2024-06", "presenter", "cs"]
    ]
    assert bool(packs["has_html"].iloc[0]) and bool(packs["has_pdf"].iloc[0])
    assert packs["created_by"].iloc[0] == user_of(mentor)
    pack = read_pack(presenter, int(packs["pack_id"].iloc[0]))
    assert pack is not None and pack.pack_id == row["published"]
    assert pack.html is not None and "Poruba" in pack.html
    assert pack.pdf is not None and pack.pdf.startswith(b"%PDF")
    file_html = (tmp_path / Path(row["files"]["html"]).name).read_text(encoding="utf-8")
    # what was published is what the mentor wrote (folium names its elements at random)
    assert ids(pack.html) == ids(file_html)
    for secret in SECRETS:
        assert secret not in pack.html
    assert pack.data == {"summary": {"incidents": row["incidents"], "few": row["few"]}}

    # the presenter's role reads no incident, whatever the app does
    with psycopg.connect(presenter) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute("SELECT * FROM apk.incidents").fetchall()

    # two runs: each wrote the files and published, each leaving its own audit row
    rows = audit_rows(team["owner"], "pack", user_of(mentor))
    assert [s for s, _, _ in rows] == ["Poruba 2024-06"] * 4
    assert all(r == "MDT Poruba" for _, _, r in rows)
    assert sum("files" in d for _, d, _ in rows) == 2
    assert (
        sum(d.get("pdf") is True and d.get("pack_id") == row["published"] for _, d, _ in rows) == 2
    )


def test_an_internal_pack_is_read_by_mentors_only_never_by_analysts_or_presenters(
    team: dict[str, str],
) -> None:
    from apk_geo.db import publish_pack

    publish_pack(
        team["mentor"], area="Jih", month="2024-05", html="<p>vnitřní</p>", tier="internal"
    )
    publish_pack(team["mentor"], area="Jih", month="2024-05", html="<p>souhrn</p>")
    for role, tiers in (("mentor", {"internal", "presenter"}), ("analyst", {"presenter"}),
                        ("presenter", {"presenter"})):  # fmt: skip
        packs = list_packs(team[role], area="Jih")
        assert set(packs["tier"]) == tiers, role
    [internal] = list_packs(team["mentor"], area="Jih").query("tier == 'internal'")["pack_id"]
    assert read_pack(team["analyst"], int(internal)) is None  # not even by its id
    assert read_pack(team["mentor"], int(internal)) is not None


def test_who_may_publish_is_decided_by_the_database(team: dict[str, str]) -> None:
    assert may_publish(team["mentor"]) and may_publish(team["owner"])
    assert not may_publish(team["presenter"]) and not may_publish(team["analyst"])


@pytest.mark.parametrize("role", ["presenter", "analyst"])
def test_a_presenter_or_analyst_cannot_publish(
    team: dict[str, str], role: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        ["report", "--store", team[role], "--area", "Poruba", "--month", "2024-06", "--publish"],
        capsys,
    )
    assert code == 2 and "nesmí zveřejňovat balíčky" in err
    assert psycopg.conninfo.conninfo_to_dict(team[role])["password"] not in err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--store", "x.gpkg", "--publish"], "--publish potřebuje databázové úložiště"),
        (["--tier", "internal", "--publish"], "balíčky pro prezentující (presenter)"),
        ([], "chybí --out SLOŽKA"),
    ],
    ids=["file-store", "internal-tier", "nowhere"],
)
def test_publish_options_are_checked_first(
    team: dict[str, str], extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["report", "--store", team["mentor"], "--area", "Poruba", *extra], capsys)
    assert code == 2 and message in err


@pytest.mark.slow
def test_a_route_from_a_database_store_names_it_and_is_audited(
    team: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mentor = team["mentor"]
    password = psycopg.conninfo.conninfo_to_dict(mentor)["password"]
    out = tmp_path / "r.json"
    code, stdout, err = run(
        ["route", "--store", mentor, "--date", "2024-07-02", "--start-time", "08:00",
         "--shift-minutes", "120", "--start", "49.835,18.25", "--out", str(out),
         "--reason", "směna úterý"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert password not in stdout + err
    assert f"úložiště                postgresql://{user_of(mentor)}@" in stdout  # Czech labels
    [(subject, details, reason)] = audit_rows(team["owner"], "route", user_of(mentor))
    assert subject == "2024-07-02 08:00" and reason == "směna úterý"
    assert details["teams"] == 1 and details["files"] == {"out": str(out)}
    assert details["stops"] == len(json.loads(out.read_text(encoding="utf-8"))["stops"]) >= 1


def test_a_route_from_a_point_file_writes_no_audit_row(
    team: dict[str, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    monkeypatch.setenv("APK_GEO_STORE", team["presenter"])  # set, but not the source
    cand = tmp_path / "c.geojson"
    gpd.GeoDataFrame(
        {"priority": [2.0, 1.0]}, geometry=[Point(18.26, 49.835), Point(18.27, 49.836)],
        crs="EPSG:4326",
    ).to_file(cand, driver="GeoJSON")  # fmt: skip
    code, stdout, err = run(
        ["route", "--candidates", str(cand), "--shift-start", "2026-11-24T08:00",
         "--shift-minutes", "60", "--start", "49.835,18.25", "--out", str(tmp_path / "r.json")],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    assert "store" not in stdout
    assert audit_rows(team["owner"], "route", user_of(team["presenter"])) == []

"""``ingest_file(..., lang=)``, ``apk-geo ingest --lang``: the language of reasons and messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from apk_geo import cli
from apk_geo.config import Config
from apk_geo.errors import InputFileError
from apk_geo.ingest import ingest_file
from apk_geo.store import open_store

HEADER = "Číslo záznamu;Datum;Čas;Kategorie;Adresa;Výsledek;Asistent;Poznámka;lat;lon"
GOOD = "1;3.11.2026;21:40;alkohol;;vyřešeno;A07;;49,8290;18,1700"
BAD_CATEGORY = "2;3.11.2026;21:40;létající talíř;;vyřešeno;A07;;49,8290;18,1700"


def export(path: Path, *lines: str, tail: bytes = b"") -> Path:
    path.write_bytes("\r\n".join([HEADER, *lines, ""]).encode("utf-8") + tail)
    return path


@pytest.mark.parametrize(
    ("lang", "reason"),
    [
        ("cs", "Kategorie: hodnota „létající talíř“, očekává se kód nebo název kategorie"),
        ("en", "Kategorie: got 'létající talíř', expected a category code or label"),
    ],
    ids=["czech", "english"],
)
def test_the_quarantine_reason_is_in_the_imports_language(
    tmp_path: Path, demo_config: Config, lang: str, reason: str
) -> None:
    store = open_store(tmp_path / "apk.gpkg")
    src = export(tmp_path / "e.csv", GOOD, BAD_CATEGORY)
    counts = ingest_file(src, store=store, config=demo_config, lang=lang)
    assert (counts.accepted, counts.quarantined) == (1, 1)
    q = store.quarantine()
    assert q["reason"].str.startswith(reason).tolist() == [True], q["reason"].tolist()
    assert q["field"].tolist() == ["category"]  # the stored field stays canonical


def test_an_unreadable_files_message_is_in_the_imports_language(
    tmp_path: Path, demo_config: Config
) -> None:
    mixed = export(tmp_path / "mixed.csv", GOOD, tail="2;Šárka\r\n".encode("cp1250"))
    store = open_store(tmp_path / "apk.gpkg")
    with pytest.raises(InputFileError, match="soubor míchá kódování"):
        ingest_file(mixed, store=store, config=demo_config)
    with pytest.raises(InputFileError, match="the file mixes encodings"):
        ingest_file(mixed, store=store, config=demo_config, lang="en")
    assert not store.exists()


def test_cli_ingest_lang(
    tmp_path: Path, demo_config: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    config_file = tmp_path / "apk.toml"
    config_file.write_text(
        f'[layers]\nsvl = "{demo_config.layers.svl}"\nhostels = "{demo_config.layers.hostels}"\n',
        encoding="utf-8",
    )
    mixed = export(tmp_path / "mixed.csv", GOOD, tail="2;Šárka\r\n".encode("cp1250"))
    base = ["--config", str(config_file), "ingest", str(mixed), "--store", str(tmp_path / "a.gpkg")]
    assert cli.main(base) == 2
    assert "soubor míchá kódování" in capsys.readouterr().err
    assert cli.main([*base, "--lang", "en"]) == 2
    assert "the file mixes encodings" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.main([*base, "--lang", "de"])
    assert "neplatná hodnota 'de'" in capsys.readouterr().err

    store = tmp_path / "b.gpkg"
    src = export(tmp_path / "e.csv", GOOD, BAD_CATEGORY)
    args = ["--config", str(config_file), "ingest", str(src), "--store", str(store)]
    assert cli.main([*args, "--lang", "en", "--json"]) == 0
    capsys.readouterr()
    reason = open_store(store).quarantine()["reason"].iloc[0]
    assert reason.startswith("Kategorie: got"), reason

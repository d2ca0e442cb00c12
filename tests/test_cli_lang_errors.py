"""The command line's errors and the store's messages in the user's language (issue 14).

The language is known before parsing: ``--lang`` if the command line has it, else
``$APK_GEO_LANG``, else Czech. Every error is one line that names the file or option; the Czech
line holds no English words (the user's own paths, options and commands aside).
"""

from __future__ import annotations

import argparse
import pickle
import re
from pathlib import Path

import pandas as pd
import pytest

from apk_geo import cli
from apk_geo._cli import demo as demo_cmd
from apk_geo._cli import status as status_cmd
from apk_geo.errors import StoreError
from apk_geo.store import open_store
from apk_geo.store._messages import Message, localize
from apk_geo.store.counts import reconcile

#: English words none of the Czech lines may hold ("demo", "data" are Czech words too).
ENGLISH = {
    "error", "no", "store", "here", "create", "one", "with", "or", "file", "the", "following",
    "arguments", "are", "required", "unrecognized", "invalid", "choice", "choose", "from",
    "see", "unexpected", "run", "for", "traceback", "interrupted", "stored",
    "unchanged", "not", "text", "cannot", "decode", "byte", "is", "it", "right", "incidents",
    "but", "accepted", "versions", "kept", "by", "imports", "read", "quarantine", "rows",
    "quarantined", "less", "removed", "retention", "synthetic", "updated", "stale",
    "duplicates", "expected", "number", "of", "seconds", "got",
}  # fmt: skip


def english_words(line: str, *own: str) -> set[str]:
    """Return the English words of ``line`` outside commands in backticks, options and ``own``."""
    for text in own:
        line = line.replace(text, " ")
    line = re.sub(r"`[^`]*`", " ", line)
    line = re.sub(r"--[a-z-]+|apk-geo( [a-z-]+)?", " ", line)
    return {w for w in re.findall(r"[^\W\d_]+", line) if w.lower() in ENGLISH}


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cli.ENV_LANG, raising=False)
    monkeypatch.delenv("APK_GEO_STORE", raising=False)


# -- how the language is known -------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "env", "expected"),
    [
        (["status"], {}, "cs"),
        (["status"], {"APK_GEO_LANG": "en"}, "en"),
        (["status"], {"APK_GEO_LANG": "EN_gb"}, "en"),
        (["status"], {"APK_GEO_LANG": "de"}, "cs"),
        (["status", "--lang", "en"], {}, "en"),
        (["status", "--lang=en"], {}, "en"),
        (["status", "--lang", "cs"], {"APK_GEO_LANG": "en"}, "cs"),  # the option wins
        (["status", "--lang"], {"APK_GEO_LANG": "en"}, "cs"),  # given but empty: not English
        (["ingest", "--", "--lang", "en"], {}, "cs"),  # after `--` it is a file name
    ],
)
def test_the_language_comes_from_the_option_then_the_environment(
    words: list[str], env: dict[str, str], expected: str
) -> None:
    assert cli.language_of(words, env) == expected


def test_the_environment_also_sets_a_commands_lang_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def fake(args: argparse.Namespace) -> int:
        seen.append(args.lang)
        return 0

    monkeypatch.setattr(status_cmd, "run", fake)
    store = str(tmp_path / "x.gpkg")
    assert cli.main(["status", "--store", store]) == 0
    monkeypatch.setenv(cli.ENV_LANG, "en")
    assert cli.main(["status", "--store", store]) == 0
    assert cli.main(["status", "--store", store, "--lang", "cs"]) == 0
    assert seen == ["cs", "en", "cs"]


# -- the store's "no store here" -----------------------------------------------------------


def test_a_missing_store_is_one_czech_line_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(tmp_path / "none.gpkg")
    assert cli.main(["status", "--store", path]) == 2
    line = one_error_line(capsys)
    assert line == (
        f"apk-geo status: chyba: {path}: tady není žádné úložiště; vytvořte ho příkazem "
        f"`apk-geo ingest SOUBOR --store {path}` nebo `apk-geo demo`"
    )
    assert english_words(line, path) == set()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_missing_store_in_english(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    path = str(tmp_path / "none.gpkg")
    args = ["status", "--store", path]
    if how == "option":
        args.append("--lang=en")
    else:
        monkeypatch.setenv(cli.ENV_LANG, "en")
    assert cli.main(args) == 2
    assert one_error_line(capsys) == (
        f"apk-geo status: error: {path}: no store here; create one with "
        f"`apk-geo ingest FILE --store {path}` or `apk-geo demo`"
    )


def test_the_store_error_stays_english_text_for_python_callers(tmp_path: Path) -> None:
    path = tmp_path / "none.gpkg"
    with pytest.raises(StoreError, match="no store here; create one with") as caught:
        open_store(path).summary()
    message = caught.value.args[0]
    assert isinstance(message, Message) and message.key == "msg.store_missing"
    assert str(path) in message.text("cs") and "úložiště" in message.text("cs")
    # it crosses a process boundary as its plain English text
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value) and type(copy.args[0]) is str


# -- usage errors (argparse) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "cs", "en"),
    [
        (
            ["status"],
            "apk-geo status: chyba: chybí povinné argumenty: --store (viz apk-geo status --help)",
            "apk-geo status: error: the following arguments are required: --store "
            "(see apk-geo status --help)",
        ),
        (
            ["status", "--store", "x.gpkg", "--colour"],
            "apk-geo: chyba: neznámé argumenty: --colour (viz apk-geo --help)",
            "apk-geo: error: unrecognized arguments: --colour (see apk-geo --help)",
        ),
        (
            ["ingest", "f.csv", "--store", "x.gpkg", "--lock-timeout", "-1"],
            "apk-geo ingest: chyba: argument --lock-timeout: očekáván počet sekund >= 0, "
            "zadáno '-1' (viz apk-geo ingest --help)",
            "apk-geo ingest: error: argument --lock-timeout: expected a number of seconds >= 0, "
            "got '-1' (see apk-geo ingest --help)",
        ),
        (
            ["ingest", "f.csv", "--store", "x.gpkg", "--encoding", "rot13"],
            "apk-geo ingest: chyba: argument --encoding: 'rot13' není kódování textu; použijte "
            "např. utf-8, utf-8-sig nebo cp1250 (viz apk-geo ingest --help)",
            "apk-geo ingest: error: argument --encoding: 'rot13' is not a text encoding; use e.g. "
            "utf-8, utf-8-sig or cp1250 (see apk-geo ingest --help)",
        ),
        (
            ["status", "--store"],
            "apk-geo status: chyba: argument --store: chybí hodnota (viz apk-geo status --help)",
            "apk-geo status: error: argument --store: expected one argument "
            "(see apk-geo status --help)",
        ),
    ],
)
def test_usage_errors_in_both_languages(
    args: list[str],
    cs: str,
    en: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for lang, expected in (("cs", cs), ("en", en)):
        monkeypatch.setenv(cli.ENV_LANG, lang)
        with pytest.raises(SystemExit) as stop:
            cli.main(args)
        assert stop.value.code == 2
        line = one_error_line(capsys)
        assert line == expected
        if lang == "cs":
            assert english_words(line, "x.gpkg", "f.csv", "rot13", "utf") == set()


def test_a_bad_lang_value_is_refused_in_czech(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["status", "--store", "x.gpkg", "--lang", "de"])
    line = one_error_line(capsys)
    # Python 3.12.8+ lists the choices without quotes
    assert re.fullmatch(
        r"apk-geo status: chyba: argument --lang: neplatná hodnota 'de' "
        r"\(možnosti: '?cs'?, '?en'?\) \(viz apk-geo status --help\)",
        line,
    ), line


# -- unexpected errors, Ctrl-C, a file that is not text ------------------------------------


def _raising(exc: BaseException) -> object:
    def run(args: argparse.Namespace) -> int:
        raise exc

    return run


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "cs",
            "apk-geo status: neočekávaná chyba: RuntimeError: boom druhý řádek "
            "(podrobnosti vypíše spuštění s --debug)",
        ),
        (
            "en",
            "apk-geo status: unexpected error: RuntimeError: boom druhý řádek "
            "(run with --debug for the traceback)",
        ),
    ],
)
def test_an_unexpected_error_in_both_languages(
    lang: str,
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(status_cmd, "run", _raising(RuntimeError("boom\ndruhý řádek")))
    code = cli.main(["status", "--store", str(tmp_path / "x.gpkg"), "--lang", lang])
    assert code == cli.EXIT_BUG
    line = one_error_line(capsys)
    assert line == expected
    if lang == "cs":
        assert english_words(line, "RuntimeError", "boom") == set()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", "apk-geo status: přerušeno; uložená data se nezměnila"),
        ("en", "apk-geo status: interrupted; stored data is unchanged"),
    ],
)
def test_ctrl_c_in_both_languages(
    lang: str,
    expected: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(status_cmd, "run", _raising(KeyboardInterrupt()))
    code = cli.main(["status", "--store", str(tmp_path / "x.gpkg"), "--lang", lang])
    assert code == cli.EXIT_INTERRUPTED
    assert one_error_line(capsys) == expected


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("cs", ["chyba:", "není textový soubor", "nedokáže přečíst bajt 3", "správný soubor?"]),
        ("en", ["error:", "not a text file", "cannot decode byte 3", "right file?"]),
    ],
)
def test_a_binary_file_is_named_in_both_languages(
    lang: str,
    words: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    binary = tmp_path / "b.gpkg"
    binary.write_bytes(bytes(range(256)) * 4)
    bad = UnicodeDecodeError("utf-8", b"abc\xff", 3, 4, "invalid start byte")
    monkeypatch.setattr(status_cmd, "run", _raising(bad))
    assert cli.main(["status", "--store", str(binary), "--lang", lang]) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"apk-geo status: {words[0]} --store {binary}: ")
    for word in words[1:]:
        assert word in line, line


# -- reconcile() problems -----------------------------------------------------------------


def _log(**counts: int) -> pd.DataFrame:
    row = {
        "import_id": "imp-1",
        "file": "export.csv",
        "imported_at": "2026-11-24T14:05:00+01:00",
        "read": 10,
        "accepted": 6,
        "updated": 1,
        "stale": 0,
        "duplicates": 1,
        "quarantined": 2,
        "versions_kept": 1,
    } | counts
    return pd.DataFrame([row])


def test_reconcile_problems_are_english_strings_with_a_czech_text() -> None:
    books = reconcile(_log(read=11), incidents=5, versions=0, quarantine=3)
    assert not books.ok
    assert books.problems == (
        "imports ['imp-1']: read != accepted + updated + stale + duplicates + quarantined",
        "5 incidents stored but 6 accepted",
        "0 versions stored but 1 kept by the imports",
        "3 quarantine rows but 2 quarantined",
    )
    czech = [localize(p, "cs") for p in books.problems]
    assert czech == [
        "importy ['imp-1']: načteno ≠ přijato + aktualizováno + starší + duplicity + v karanténě",
        "uložených událostí 5, ale přijatých 6",
        "uložených verzí 0, ale importy jich uchovaly 1",
        "řádků v karanténě 3, ale importy jich do karantény poslaly 2",
    ]
    for line in czech:
        assert english_words(line, "imp") == set(), line


def test_reconcile_problems_with_retention_and_grouped_numbers() -> None:
    log = _log(read=20_000, accepted=19_996, updated=0, duplicates=0, quarantined=4)
    books = reconcile(
        log, incidents=12_345, versions=3, quarantine=0, removed_incidents=7, removed_versions=2
    )
    assert books.problems == (
        "12,345 incidents stored but 19,996 accepted less 7 removed by retention",
        "3 versions stored but 1 kept by the imports less 2 removed by retention",
    )
    assert [localize(p, "cs") for p in books.problems] == [
        "uložených událostí 12\u00a0345, ale přijatých 19\u00a0996, po odečtení 7 smazaných po "
        "uplynutí lhůty uchování",
        "uložených verzí 3, ale importy jich uchovaly 1, po odečtení 2 smazaných po uplynutí "
        "lhůty uchování",
    ]


def test_a_balanced_log_has_no_problems() -> None:
    books = reconcile(_log(), incidents=6, versions=1, quarantine=2)
    assert books.ok and books.problems == ()


# -- the demo command's summary ------------------------------------------------------------

_SUMMARY = {
    "store": "d.gpkg",
    "incidents": 1234,
    "synthetic": True,
    "metadata": {"synthetic": "true"},
    "seed": 42,
    "imports": {
        "apk_export_2026.csv": {"read": 1300, "accepted": 1234, "quarantined": 66},
    },
    "last_imports": [],
}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "cs",
            [
                "Demo úložiště d.gpkg (syntetická data):",
                "  události        1\u00a0234",
                "  syntetická data  ano",
                "  semínko náhody  42",
                "  importy:",
                "    apk_export_2026.csv: načteno 1\u00a0300, přijato 1\u00a0234, v karanténě 66",
            ],
        ),
        (
            "en",
            [
                "Demo store d.gpkg (synthetic data):",
                "  incidents  1,234",
                "  synthetic  yes",
                "  seed       42",
                "  imports:",
                "    apk_export_2026.csv: read 1,300, accepted 1,234, quarantined 66",
            ],
        ),
    ],
)
def test_the_demo_summary_in_both_languages(
    lang: str, expected: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    demo_cmd._print_summary(dict(_SUMMARY), lang=lang)
    lines = capsys.readouterr().out.splitlines()
    assert [ln.split() for ln in lines] == [ln.split() for ln in expected]
    if lang == "cs":
        for line in lines:
            assert english_words(line, "d.gpkg", "apk_export_2026.csv") == set(), line


@pytest.mark.slow
def test_the_demo_command_prints_czech_by_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "d.gpkg"
    args = ["demo", "--store", str(store), "--incidents", "300", "--months", "2"]
    assert cli.main([*args, "--end", "2026-07-01"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Demo úložiště {store} (syntetická data):")
    assert "  importy:" in out and "načteno " in out and "přijato " in out
    assert "imports:" not in out and "read " not in out


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", "apk-geo status: chyba: uložených verzí 0, ale importy jich uchovaly 1"),
        ("en", "apk-geo status: error: 0 versions stored but 1 kept by the imports"),
    ],
)
def test_an_error_line_of_a_command_shows_a_store_message_in_its_language(
    lang: str, expected: str
) -> None:
    from apk_geo._cli._common import error_line

    books = reconcile(_log(), incidents=6, versions=0, quarantine=2)
    assert error_line("status", books.problems[0], lang) == expected

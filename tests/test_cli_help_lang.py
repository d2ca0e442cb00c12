"""``apk-geo --help`` speaks the run's language: Czech by default, English on request (issue 14).

Every help text, description and heading comes from :mod:`apk_geo._strings_cli` (keys
``cli.help.``); argparse's own words (``usage:``, ``options``, ``show this help message and
exit``) are the parser's, in the same language. The language is ``--lang`` (anywhere on the
command line), else ``$APK_GEO_LANG``, else Czech. ``apk-geo --help`` loads neither Babel nor
pandas. The last English messages of the store, the demo and the migration are catalogue
messages too.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from apk_geo import cli
from apk_geo._cli._help import PREFIX, HelpFormatter, help_text
from apk_geo._strings_cli import STRINGS as CLI_STRINGS
from apk_geo.store import _messages

#: The help texts (the module may hold the command line's other strings too).
STRINGS = {key: texts for key, texts in CLI_STRINGS.items() if key.startswith(PREFIX)}

#: argparse's English words, none of which a Czech help may show.
ARGPARSE_ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "optional arguments",
    "show this help message and exit",
    "show program's version number and exit",
)


@pytest.fixture(autouse=True)
def _plain_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(cli.ENV_LANG, raising=False)
    monkeypatch.delenv("APK_GEO_STORE", raising=False)
    monkeypatch.setenv("COLUMNS", "2000")  # one line per help text: texts compare whole


def _parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Yield every parser under ``parser`` (itself first) with its command path."""
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, (*path, name))


def _texts_of(parser: argparse.ArgumentParser) -> list[str]:
    """Return every key a parser's help shows: its actions, its commands, description, titles."""
    keys = [a.help for a in parser._actions if a.help is not argparse.SUPPRESS]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            keys += [choice.help for choice in action._choices_actions]
    titles = [g.title for g in parser._action_groups if g._group_actions]  # empty: not shown
    keys += [parser.description, parser.epilog, *titles]
    return [k for k in keys if k is not None]


ALL = list(_parsers(cli.build_parser(None)))
COMMAND_PATHS = [path for path, _ in ALL]


def _help(words: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        cli.main(words)
    assert exc.value.code == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def _flat(text: str) -> str:
    return " ".join(text.split())


# -- the catalogue --------------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(STRINGS))
def test_every_help_text_is_there_in_both_languages(key: str) -> None:
    cs, en = STRINGS[key]
    assert cs.strip() and en.strip()
    assert "{" not in cs + en  # plain text: nothing for str.format to fill


def test_the_czech_help_is_czech_with_diacritics() -> None:
    czech = " ".join(cs for cs, _ in STRINGS.values())
    assert set("áčďéěíňóřšťúůýž") <= set(czech.lower())
    same = sorted(k for k, (cs, en) in STRINGS.items() if cs == en)
    assert same == ["cli.help.dashboard.port"]  # "port (8501)" is Czech as well


def test_every_action_of_every_parser_has_its_help_from_the_catalogue() -> None:
    missing = [
        (path, key) for path, parser in ALL for key in _texts_of(parser) if key not in STRINGS
    ]
    assert missing == []
    no_help = [
        (path, action.dest)
        for path, parser in ALL
        for action in parser._actions
        if action.help is None
    ]
    assert no_help == []
    # every command and action has a description under its usage line
    described = {path for path, parser in ALL if parser.description}
    assert {p for p in COMMAND_PATHS if len(p) == 1} <= described


def test_every_help_key_is_shown_somewhere() -> None:
    shown = {key for _, parser in ALL for key in _texts_of(parser)}
    shown |= {f"{PREFIX}usage"}  # the usage prefix is the formatter's
    assert set(STRINGS) - shown == set()


def test_a_non_key_stays_as_it_is_and_a_wrong_key_is_an_error() -> None:
    assert help_text("50 % of it", "cs") == "50 % of it"
    with pytest.raises(KeyError, match=r"cli\.help\.nope"):
        help_text("cli.help.nope", "cs")


def test_a_percent_sign_of_a_help_text_is_printed_as_one() -> None:
    parser = argparse.ArgumentParser(prog="x", formatter_class=HelpFormatter)
    parser.add_argument("--share", help="share of the area (5 % by default)")
    assert "(5 % by default)" in parser.format_help()


# -- the printed help -----------------------------------------------------------------------


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "apk-geo")
def test_czech_help_of_every_command_has_no_english_heading_or_line(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    out = _help([*path, "--help"], capsys)
    prog = " ".join(("apk-geo", *path))
    assert out.startswith(f"použití: {prog} ")
    assert "volby:" in out
    for english in ARGPARSE_ENGLISH:
        assert english not in out
    parser = dict(ALL)[path]
    flat = _flat(out)
    for key in _texts_of(parser):
        cs, en = STRINGS[key]
        assert _flat(cs) in flat, key
        if en != cs:
            assert _flat(en) not in flat, key


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda p: " ".join(p) or "apk-geo")
def test_english_help_of_every_command_with_lang_en(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    out = _help([*path, "--help", "--lang", "en"], capsys)
    assert out.startswith(f"usage: {' '.join(('apk-geo', *path))} ")
    assert "options:" in out and "show this help message and exit" in out
    assert "použití" not in out and "volby:" not in out
    flat = _flat(out)
    for key in _texts_of(dict(ALL)[path]):
        assert _flat(STRINGS[key][1]) in flat, key


def test_english_help_says_what_it_said_before(capsys: pytest.CaptureFixture[str]) -> None:
    out = _flat(_help(["status", "--help", "--lang", "en"], capsys))
    assert "--check also check that the store accounts for every record read (exit 2 if not)" in out
    assert "--store STORE incident store: a .gpkg file, or a PostGIS database" in out
    top = _flat(_help(["--lang", "en", "--help"], capsys))
    assert "--version show program's version number and exit" in top
    assert "demo build a store with synthetic demo data" in top
    assert "hotspots hot-spot analysis (Gi*, KDE, clusters, forecast, change, emerging)" in top


def test_the_top_level_help_lists_every_command_in_czech(
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = _help(["--help"], capsys)
    lines = {line.split()[0]: _flat(line) for line in out.splitlines() if line.startswith("    ")}
    assert set(lines) == set(cli.COMMANDS)
    assert lines["status"] == "status shrne obsah úložiště"
    assert "platí --lang, jinak $APK_GEO_LANG, jinak cs" in _flat(out)


def test_every_lang_option_says_its_default() -> None:
    langs = [
        STRINGS[str(action.help)][0]
        for _, parser in ALL
        for action in parser._actions
        if "--lang" in action.option_strings
    ]
    assert len(langs) == 12  # apk-geo itself and every command that has --lang
    assert all("$APK_GEO_LANG, jinak cs" in text for text in langs)


def test_apk_geo_lang_en_is_honoured_and_the_option_wins(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(cli.ENV_LANG, "en")
    assert _help(["ingest", "--help"], capsys).startswith("usage: apk-geo ingest ")
    assert _help(["--help"], capsys).startswith("usage: apk-geo ")
    assert _help(["ingest", "--help", "--lang", "cs"], capsys).startswith("použití: ")


def test_the_global_lang_sets_the_commands_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.gpkg"
    assert cli.main(["--lang", "en", "status", "--store", str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"apk-geo status: error: {missing}: no store here")
    assert cli.main(["status", "--store", str(missing)]) == 2
    assert capsys.readouterr().err.startswith(f"apk-geo status: chyba: {missing}: tady není")


def test_a_wrapped_help_keeps_its_examples_as_they_are(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = _help(["report", "--help"], capsys)
    example = "    apk-geo report --store var/demo.gpkg --area Poruba --month 2026-10 --out packs"
    assert example in out.splitlines()
    prose = [line for line in out.splitlines() if not line.startswith("    apk-geo")]
    assert max(len(line) for line in prose) <= 80


@pytest.mark.parametrize("lang", ["cs", "en"])
def test_every_help_prints_on_a_narrow_terminal(
    lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    for path in COMMAND_PATHS:
        out = _help([*path, "--help", "--lang", lang], capsys)
        heading = "volby:" if lang == "cs" else "options:"
        assert heading in out.splitlines(), path


# -- start-up cost ----------------------------------------------------------------------------


@pytest.mark.parametrize("words", [["--help"], ["--version"], ["--lang", "en", "--help"]])
def test_help_and_version_load_neither_babel_nor_pandas(words: list[str]) -> None:
    code = (
        "import json, sys\n"
        "from apk_geo.cli import main\n"
        f"try:\n    main({words!r})\nexcept SystemExit as exc:\n    code = exc.code\n"
        "heavy = ('babel', 'pandas', 'geopandas', 'numpy', 'apk_geo.i18n', 'apk_geo.fmt')\n"
        "print(json.dumps([code, sorted(m for m in sys.modules if m in heavy)]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    code_, loaded = json.loads(run.stdout.splitlines()[-1])
    assert code_ == 0 and loaded == []


# -- the last English messages (point 2) ------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "cs", "en"),
    [
        (
            _messages.no_database_store("db.example/apk", server='relation "apk.x" does not exist'),
            'db.example/apk: v této databázi není úložiště apk-geo (relation "apk.x" does not '
            "exist); vytvořte ho příkazem `apk-geo db init --url …`",
            'db.example/apk: no apk-geo store in this database (relation "apk.x" does not exist); '
            "create one with `apk-geo db init --url …`",
        ),
        (
            _messages.no_store_for_demo("db.example/apk"),
            "db.example/apk: tady není žádné úložiště; vytvořte ho příkazem "
            "`apk-geo db init --url …`",
            "db.example/apk: no store here; create it with `apk-geo db init --url …`",
        ),
        (
            _messages.demo_store_exists("var/demo.gpkg"),
            "var/demo.gpkg už existuje; zvolte jinou cestu, nebo ho nahraďte novým demo "
            "úložištěm volbou --force (overwrite=True)",
            "var/demo.gpkg already exists; choose another path or pass --force (overwrite=True) "
            "to replace it with a fresh demo store",
        ),
        (
            _messages.demo_force_shared("db.example/apk"),
            "db.example/apk: --force se u sdílené databáze odmítá; použijte novou, prázdnou "
            "(apk-geo db init na nové databázi)",
            "db.example/apk: --force is refused for a shared database; use a new, empty one "
            "(apk-geo db init on a new database)",
        ),
        (
            _messages.demo_not_empty("db.example/apk"),
            "db.example/apk: úložiště už obsahuje importy; demo se zapisuje jen do prázdného "
            "úložiště",
            "db.example/apk: the store holds imports already; the demo goes into an empty store",
        ),
        (
            _messages.migrate_no_store("old.gpkg"),
            "old.gpkg: tady není žádné úložiště; není co přenést",
            "old.gpkg: no store here; nothing to migrate",
        ),
        (
            _messages.lock_wait("a.gpkg", lock="a.gpkg.lock", holder_pid="4242", timeout_s=0.5),
            "a.gpkg: čekám na zámek pro zápis a.gpkg.lock, drží ho jiný import (proces 4242); "
            "čekám nejvýš 0,5 s",
            "a.gpkg: waiting for the write lock a.gpkg.lock, held by another import (process "
            "4242); waiting up to 0.5 s",
        ),
        (
            _messages.lock_wait("db.example/apk", lock=None, holder_pid=None, timeout_s=None),
            "db.example/apk: čekám na zámek pro zápis, drží ho jiný import; čekám bez omezení",
            "db.example/apk: waiting for the write lock, held by another import; waiting for ever",
        ),
        (
            _messages.lock_timeout("a.gpkg", lock="a.gpkg.lock", holder_pid=None, timeout_s=60.0),
            "a.gpkg: zámek pro zápis a.gpkg.lock drží jiný import i po 60 s; zkuste to znovu, až "
            "skončí, nebo čekejte déle (lock_timeout_s, apk-geo ingest --lock-timeout)",
            "a.gpkg: another import still holds the write lock a.gpkg.lock after 60 s; try again "
            "when it has finished, or wait longer (lock_timeout_s, apk-geo ingest --lock-timeout)",
        ),
        (
            _messages.lock_timeout(
                "db.example/apk", lock=None, holder_pid="77", timeout_s=0.3, server=True
            ),
            "db.example/apk: zámek pro zápis drží jiný import (proces serveru 77) i po 0,3 s; "
            "zkuste to znovu, až skončí, nebo čekejte déle (lock_timeout_s, apk-geo ingest "
            "--lock-timeout)",
            "db.example/apk: another import still holds the write lock (server process 77) after "
            "0.3 s; try again when it has finished, or wait longer (lock_timeout_s, apk-geo "
            "ingest --lock-timeout)",
        ),
    ],
    ids=[
        "pg-no-store",
        "demo-no-db-store",
        "demo-exists",
        "demo-force-shared",
        "demo-not-empty",
        "migrate-no-store",
        "lock-wait",
        "lock-wait-db-for-ever",
        "lock-timeout",
        "lock-timeout-db-server",
    ],
)
def test_the_last_english_messages_speak_both_languages(
    message: _messages.Message, cs: str, en: str
) -> None:
    assert message.text("cs") == cs
    assert message.text("en") == en == str(message)  # logs and match= read English as before


def test_the_demo_refuses_an_existing_store_in_the_users_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from apk_geo.testing import make_store

    path = tmp_path / "s.gpkg"
    make_store(path, [{"id": "1"}])
    assert cli.main(["demo", "--store", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"apk-geo demo: chyba: {path} už existuje; zvolte jinou cestu, nebo ho nahraďte novým "
        "demo úložištěm volbou --force (overwrite=True)\n"
    )
    assert cli.main(["demo", "--store", str(path), "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith(f"apk-geo demo: error: {path} already exists; ")


def test_migrate_of_a_missing_geopackage_says_so_in_czech(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "old.gpkg"
    url = "postgresql://nobody@127.0.0.1:1/none"
    assert cli.main(["db", "migrate", "--from", str(missing), "--url", url]) == 2
    err = capsys.readouterr().err
    assert err == f"apk-geo db: chyba: {missing}: tady není žádné úložiště; není co přenést\n"


@pytest.mark.parametrize(
    ("words", "cs_step", "en_step"),
    [
        (["status", "--store"], "shrnout úložiště", "summarise the store"),
        (["user", "list", "--url"], "vypsat uživatele", "list users"),
        (
            ["db", "retention", "--url"],
            "číst nastavení doby uchování",
            "read the retention settings",
        ),
    ],
)
def test_an_unreachable_database_says_what_failed_in_the_runs_language(
    words: list[str], cs_step: str, en_step: str, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "postgresql://nobody@127.0.0.1:1/none"  # nothing listens on port 1
    command = words[0]
    assert cli.main([*words, url]) == 2
    cs = capsys.readouterr().err
    assert cs.startswith(f"apk-geo {command}: chyba: {url}: nelze se připojit ({cs_step}): "), cs
    assert cli.main(["--lang", "en", *words, url]) == 2
    en = capsys.readouterr().err
    assert en.startswith(f"apk-geo {command}: error: {url}: cannot connect to {en_step}: "), en
    # one line each; the rest is the server's own words (libpq's, not translated here)
    assert cs.count("\n") == en.count("\n") == 1
    assert cs.split(f"({cs_step}): ")[1] == en.split(f"to {en_step}: ")[1]


def test_a_waiting_import_says_so_in_the_runs_language(capsys: pytest.CaptureFixture[str]) -> None:
    from apk_geo._cli._common import stderr_note

    wait = _messages.lock_wait("a.gpkg", lock="a.gpkg.lock", holder_pid=None, timeout_s=2.5)
    stderr_note("ingest")(wait)
    stderr_note("ingest", "en")(wait)
    stderr_note("ingest")("plain text stays")
    assert capsys.readouterr().err.splitlines() == [
        "apk-geo ingest: a.gpkg: čekám na zámek pro zápis a.gpkg.lock, drží ho jiný import; "
        "čekám nejvýš 2,5 s",
        "apk-geo ingest: a.gpkg: waiting for the write lock a.gpkg.lock, held by another import; "
        "waiting up to 2.5 s",
        "apk-geo ingest: plain text stays",
    ]


# -- the command line's own last messages ------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("cs", "apk-geo user: chyba: není terminál, kde se zeptat na heslo; použijte "),
        ("en", "apk-geo user: error: no terminal for the password prompt; pass "),
    ],
)
def test_a_password_without_a_terminal_is_refused_in_the_runs_language(
    lang: str, expected: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    url = "postgresql://nobody@127.0.0.1:1/none"  # never reached: the password comes first
    words = ["--lang", lang, "user", "add", "eva", "--role", "admin", "--url", url]
    assert cli.main(words) == 2
    assert capsys.readouterr().err == expected + "--password-stdin\n"


def test_the_password_prompts_are_czech(monkeypatch: pytest.MonkeyPatch) -> None:
    import getpass

    from apk_geo._cli._common import read_password
    from apk_geo.errors import ParameterError

    prompts: list[str] = []
    answers = iter(["tajné-1", "tajné-2"])

    def fake_getpass(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(getpass, "getpass", fake_getpass)
    monkeypatch.setattr(sys, "stdin", Terminal())
    with pytest.raises(ParameterError) as caught:
        read_password(from_stdin=False, user="eva", lang="cs")
    assert prompts == ["Heslo uživatele eva: ", "Heslo uživatele eva (znovu): "]
    assert _messages.localize(caught.value.args[0], "cs") == (
        "zadaná hesla se liší; nic se nezměnilo"
    )
    assert str(caught.value) == "the two passwords differ; nothing was changed"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "cs",
            "apk-geo dashboard: varování: chybějí 3 soubory map pro prohlížeč v /v; mapy "
            "zůstanou prázdné, dokud se nespustí `apk-geo assets install`",
        ),
        (
            "en",
            "apk-geo dashboard: warning: 3 front-end files missing in /v; maps stay blank until "
            "`apk-geo assets install` is run",
        ),
    ],
)
def test_the_dashboard_warns_of_missing_map_files_in_the_runs_language(
    lang: str, expected: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from apk_geo import assets
    from apk_geo._cli import dashboard

    monkeypatch.setattr(assets, "missing_files", lambda: ["a.js", "b.js", "c.css"])
    monkeypatch.setattr(assets, "vendor_dir", lambda: Path("/v"))
    dashboard._warn_if_assets_missing(lang)
    assert capsys.readouterr().err.splitlines() == [expected]


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        ("a", "cs", "očekávány podíly jako 0.01,0.05,0.1, zadáno 'a' (viz apk-geo evaluate"),
        ("a", "en", "expected shares such as 0.01,0.05,0.1; got 'a' (see apk-geo evaluate"),
        ("2", "cs", "očekávány podíly z intervalu (0, 1], např. 0.05, zadáno '2' (viz "),
        ("2", "en", "expected shares in (0, 1] such as 0.05; got '2' (see "),
    ],
)
def test_a_bad_coverage_is_a_usage_error_in_the_runs_language(
    value: str, lang: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    words = ["evaluate", "--store", "x.gpkg", "--split-date", "2026-01-01", "--coverages", value]
    if lang == "en":
        words = ["--lang", "en", *words]
    with pytest.raises(SystemExit) as exc:
        cli.main(words)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    word = "chyba" if lang == "cs" else "error"
    assert err.startswith(f"apk-geo evaluate: {word}: argument --coverages: {expected}")

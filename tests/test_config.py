from pathlib import Path

import pytest

from apk_geo.config import DEFAULT_MDT_AREAS, Config, load_config
from apk_geo.errors import ConfigError


def test_default_mdt_areas_cover_the_23_districts_in_seven_areas() -> None:
    assert len(DEFAULT_MDT_AREAS) == 23
    assert len(Config().mdt_area_names) == 7


def test_config_is_frozen() -> None:
    cfg = Config()
    with pytest.raises(AttributeError):
        cfg.hostel_buffer_m = 100.0  # type: ignore[misc]


def test_invalid_buffer_is_refused() -> None:
    with pytest.raises(ConfigError, match="hostel_buffer_m"):
        Config(hostel_buffer_m=0)


def test_load_config_from_toml(tmp_path: Path) -> None:
    (tmp_path / "svl.geojson").write_text("{}", encoding="utf-8")
    f = tmp_path / "apk.toml"
    f.write_text(
        'hostel_buffer_m = 300\ncity_name = "Ostrava"\n'
        '[layers]\nsvl = "svl.geojson"\nsvl_synthetic = false\n'
        '[mdt_areas]\n"Poruba" = "Západ"\n'
        '[[extra_categories]]\ncode = "graffiti"\ncs = "sprejerství"\nen = "graffiti"\n',
        encoding="utf-8",
    )
    cfg = load_config(f)
    assert cfg.hostel_buffer_m == 300
    assert cfg.layers.svl == (tmp_path / "svl.geojson").resolve()
    assert cfg.layers.svl_synthetic is False
    assert dict(cfg.mdt_areas) == {"Poruba": "Západ"}
    assert cfg.extra_categories[0].code == "graffiti"


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("colour = 1\n", "unknown key 'colour'"),
        ("[layers]\nroads = 'x'\n", "unknown layer 'roads'"),
        ("not toml = = 1", "cannot read configuration"),
    ],
)
def test_load_config_refuses_bad_files(tmp_path: Path, text: str, match: str) -> None:
    f = tmp_path / "bad.toml"
    f.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=match):
        load_config(f)


def test_load_config_none_gives_defaults() -> None:
    assert load_config(None) == Config()

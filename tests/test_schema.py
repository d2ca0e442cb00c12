import pytest

from apk_geo import schema


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Číslo záznamu", "cislo zaznamu"),
        ("  POZNÁMKA\t ", "poznamka"),
        ("Výsledek", "vysledek"),
        (None, ""),
        ("ŘÍJEN  2026", "rijen 2026"),
    ],
)
def test_fold_strips_case_diacritics_and_spaces(text: object, folded: str) -> None:
    assert schema.fold(text) == folded


def test_category_lookup_accepts_codes_czech_and_english_labels() -> None:
    lookup = schema.build_lookup(schema.CATEGORIES)
    assert lookup[schema.fold("nalezené injekční stříkačky")] == "syringes"
    assert lookup[schema.fold("NALEZENE INJEKCNI STRIKACKY")] == "syringes"
    assert lookup[schema.fold("záškoláctví")] == "truancy"
    assert lookup[schema.fold("dogs off the lead")] == "dogs"
    assert lookup["neighbour_dispute"] == "neighbour_dispute"


def test_every_category_and_outcome_has_both_labels_and_unique_code() -> None:
    for codes in (schema.CATEGORIES, schema.OUTCOMES):
        assert len({c.code for c in codes}) == len(codes)
        for c in codes:
            assert c.cs and c.en and c.cs != c.code


def test_aliases_never_map_one_label_to_two_codes() -> None:
    for codes in (schema.CATEGORIES, schema.OUTCOMES):
        seen: dict[str, str] = {}
        for c in codes:
            for key in {schema.fold(k) for k in (c.code, c.cs, c.en, *c.aliases)}:
                assert seen.setdefault(key, c.code) == c.code, key


@pytest.mark.parametrize(
    ("typed", "kind", "code"),
    [
        ("volně pobíhající pes", "category", "dogs"),
        ("Pes bez vodítka", "category", "dogs"),
        ("předáno hlídce", "outcome", "patrol_called"),
        ("přivolána MP", "outcome", "patrol_called"),
        ("předáno", "outcome", "referred"),  # handed to services: not the patrol
    ],
)
def test_what_assistants_type_maps_to_its_code(typed: str, kind: str, code: str) -> None:
    codes = schema.CATEGORIES if kind == "category" else schema.OUTCOMES
    assert schema.build_lookup(codes)[schema.fold(typed)] == code


def test_extra_categories_extend_the_builtin_ones() -> None:
    extra = schema.Code("graffiti", "sprejerství", "graffiti", ("graffiti",))
    codes = schema.all_categories([extra])
    assert codes[-1] is extra
    assert schema.label_of("graffiti", extra=[extra]) == "sprejerství"
    assert schema.label_of("graffiti", lang="en", extra=[extra]) == "graffiti"


def test_label_of_outcome_in_both_languages() -> None:
    assert schema.label_of("patrol_called", kind="outcome") == "přivolána hlídka MP"
    assert schema.label_of("patrol_called", kind="outcome", lang="en") == "patrol called"
    assert schema.label_of("unknown_code") == "unknown_code"


def test_header_aliases_are_folded() -> None:
    for aliases in schema.HEADER_ALIASES.values():
        for a in aliases:
            assert schema.fold(a) == a

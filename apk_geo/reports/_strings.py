"""Pack strings not yet in :mod:`apk_geo.i18n` (``_PENDING_STRINGS``) and :func:`text_of`.

PENDING: the coordinator moves these keys into ``apk_geo/i18n.py`` (this helper does not own
it); :func:`text_of` then reads them from the catalogue and this dict can go.
"""

from __future__ import annotations

from typing import Final

from apk_geo.i18n import STRINGS, normalize_lang, t

__all__ = ["text_of"]

#: Keys waiting to be added to :data:`apk_geo.i18n.STRINGS` (Czech, English).
_PENDING_STRINGS: Final[dict[str, tuple[str, str]]] = {
    "pack.privacy_rules": (
        "Počty pod {k} jsou uvedeny jako „<{k}“. Malé řádky jsou sloučeny do řádku „{pooled}“ "
        "(vždy aspoň dva řádky) a co by šlo z ostatních údajů dopočítat, je skryto („–“) nebo "
        "vynecháno. Tabulka hotspotů uvádí jen čtverce s aspoň {k} událostmi a mapa neoznačuje "
        "čtverce, v jejichž okolí bylo 1 až {k1} událostí. Podklady prověřil útočník, který řeší "
        "soustavu všech uvedených čísel: žádný skrytý počet nelze zúžit pod interval „<{k}“.",
        "Counts below {k} are shown as “<{k}”. Small rows are merged into one row “{pooled}” "
        "(always at least two rows), and whatever the other figures would give away is hidden "
        "(“–”) or left out. The hotspot table lists only squares with at least {k} incidents, "
        "and the map marks no square with 1 to {k1} incidents in its neighbourhood. The pack "
        "was checked by an attacker that solves the system of every figure shown: no hidden "
        "count can be narrowed below the interval “<{k}”.",
    ),
    "pack.geocoding_share": (
        "{pct} záznamů měsíce (celé město) umístěno na mapu; záznamy bez polohy nemají území "
        "a v podkladech chybí.",
        "{pct} of the month's records (whole city) placed on the map; records without a "
        "location have no area and are not in this pack.",
    ),
    "pack.emerging_skipped_presenter": (
        "vývoj nelze určit: v okně {n} měsíců je na to v území málo dat",
        "trend not available: too little data in the area over the {n}-month window",
    ),
    "pack.few_heading": ("Málo událostí", "Too few incidents"),
    "pack.few": (
        "Tento měsíc bylo v území méně než {k} událostí. Aby nešlo poznat jednotlivé události, "
        "podklady ukazují jen souhrnné počty – bez tabulek, hotspotů a míst.",
        "Fewer than {k} incidents in the area this month. To keep single incidents "
        "unrecognisable, the pack shows the totals only – no tables, hot spots or places.",
    ),
    "pack.withheld": (
        "Neuvádí se: z ostatních údajů by šlo dopočítat malé počty.",
        "Not shown: the other figures would give small counts away.",
    ),
}


def text_of(key: str, lang: str = "cs", **fields: object) -> str:
    """Return ``key`` from the catalogue, or from :data:`_PENDING_STRINGS` until it is there.

    Examples
    --------
    >>> text_of("pack.few_heading", "en")
    'Too few incidents'
    """
    if key in STRINGS or key not in _PENDING_STRINGS:
        return t(key, lang, **fields)
    cs, en = _PENDING_STRINGS[key]
    return (en if normalize_lang(lang) == "en" else cs).format(**fields)

"""Benchmark of apk_geo.geocode on a synthetic gazetteer (~50k address points).

Builds a RÚIAN-format CSV (cp1250) with synthetic streets and parts of town, loads it, then
geocodes ``--n`` addresses typed in the usual forms (``Ulice 12/5``, ``Ulice 5``, ``Ulice 5,
Ostrava-Část``, ``č.p. 1234, Část``, abbreviations, no diacritics) and ``--n-fuzzy`` addresses
with misspelt street names. Prints rows/s for each and the peak memory (MB).

Run: ``.venv/bin/python benchmarks/geocode.py [--n 1000000] [--n-fuzzy 100000] [--seed 0]``
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from apk_geo.geocode import build_index, geocode, load_ruian_csv

HEADER = (
    "Kód ADM;Kód obce;Název obce;Kód MOMC;Název MOMC;Kód MOP;Název MOP;Kód části obce;"
    "Název části obce;Kód ulice;Název ulice;Typ SO;Číslo domovní;Číslo orientační;"
    "Znak čísla orientačního;PSČ;Souřadnice Y;Souřadnice X;Platí Od"
)
SYLLABLES = (
    "bře",
    "zo",
    "vá",
    "ko",
    "pec",
    "ná",
    "draž",
    "ní",
    "lu",
    "čí",
    "ho",
    "rá",
    "sla",
    "vo",
    "míst",
    "ská",
    "ber",
    "ně",
    "jí",
    "kov",
    "du",
    "bí",
    "ště",
    "ra",
)


def _street_names(rng: np.random.Generator, n: int) -> list[str]:
    names: set[str] = set()
    folded: set[str] = set()
    while len(names) < n:
        k = int(rng.integers(2, 5))
        word = "".join(rng.choice(SYLLABLES, size=k))
        prefix = rng.choice(["", "", "", "Na ", "U ", "Nám. ", "Hlavní tř. "])
        name = f"{prefix}{word.capitalize()}".replace("Nám. ", "náměstí ").replace(
            "Hlavní tř. ", "třída "
        )
        if _fold(name).lower() not in folded:  # real street names differ after folding too
            folded.add(_fold(name).lower())
            names.add(name)
    return sorted(names)


def build_gazetteer(path: Path, *, n_points: int, seed: int) -> pd.DataFrame:
    """Write a synthetic RÚIAN CSV with about ``n_points`` address points; return its rows."""
    rng = np.random.default_rng(seed)
    n_streets = max(n_points // 33, 10)
    streets = _street_names(rng, n_streets)
    parts = [f"Část {''.join(rng.choice(SYLLABLES, size=3)).capitalize()}" for _ in range(24)]
    per_street = rng.integers(1, 66, size=n_streets)
    rows = []
    cp_next = dict.fromkeys(range(len(parts)), 1)
    adm = 10_000_000
    for s, name in enumerate(streets):
        part = s % len(parts)
        x0, y0 = rng.uniform(465_000, 483_000), rng.uniform(1_094_000, 1_112_000)
        for k in range(int(per_street[s])):
            cp = cp_next[part]
            cp_next[part] += 1
            letter = "a" if rng.random() < 0.03 else ""
            adm += 1
            rows.append(
                (
                    adm,
                    554821,
                    "Ostrava",
                    545911,
                    "Moravská Ostrava a Přívoz",
                    "",
                    "",
                    400000 + part,
                    parts[part],
                    500000 + s,
                    name,
                    "č.p.",
                    cp,
                    k + 1,
                    letter,
                    70200,
                    round(x0 + 4.0 * k, 2),
                    round(y0 + 3.0 * k, 2),
                    "2020-01-01T00:00:00",
                )
            )
    frame = pd.DataFrame(rows)
    text = HEADER + "\r\n" + frame.to_csv(sep=";", header=False, index=False, lineterminator="\r\n")
    path.write_bytes(text.encode("cp1250"))
    return frame


def _fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def exact_inputs(gaz: pd.DataFrame, *, n: int, seed: int) -> pd.DataFrame:
    """``n`` addresses sampled from the gazetteer in the forms people type (with true ADM)."""
    rng = np.random.default_rng(seed)
    pick = gaz.iloc[rng.integers(0, len(gaz), size=n)]
    street = pick[10].to_numpy(object)
    cp = pick[12].to_numpy()
    co = pick[13].to_numpy()
    letter = pick[14].to_numpy(object)
    part = pick[8].to_numpy(object)
    form = rng.integers(0, 6, size=n)
    # Build the distinct strings once per (row, form): the inputs repeat like real exports.
    out = np.empty(n, dtype=object)
    for f in range(6):
        sel = np.flatnonzero(form == f)
        if f == 0:
            out[sel] = [
                f"{s} {a}/{b}{le}"
                for s, a, b, le in zip(street[sel], cp[sel], co[sel], letter[sel], strict=True)
            ]
        elif f == 1:
            out[sel] = [
                f"{s} {b}{le}" for s, b, le in zip(street[sel], co[sel], letter[sel], strict=True)
            ]
        elif f == 2:
            out[sel] = [
                f"{s} {b}{le}, Ostrava-{p}"
                for s, b, le, p in zip(street[sel], co[sel], letter[sel], part[sel], strict=True)
            ]
        elif f == 3:
            out[sel] = [f"č.p. {a}, {p}" for a, p in zip(cp[sel], part[sel], strict=True)]
        elif f == 4:
            out[sel] = [
                f"{_fold(s).lower()} {b}{le}"
                for s, b, le in zip(street[sel], co[sel], letter[sel], strict=True)
            ]
        else:
            out[sel] = [
                f"ul. {s.replace('třída', 'tř.').replace('náměstí', 'nám.')} {a}/{b}{le}"
                for s, a, b, le in zip(street[sel], cp[sel], co[sel], letter[sel], strict=True)
            ]
    return pd.DataFrame({"address": pd.Series(out, dtype="str"), "true_adm": pick[0].to_numpy()})


def fuzzy_inputs(gaz: pd.DataFrame, *, n: int, seed: int) -> pd.DataFrame:
    """``n`` addresses with a misspelt street name (three typo variants per street)."""
    rng = np.random.default_rng(seed + 1)
    pick = gaz.iloc[rng.integers(0, len(gaz), size=n)]
    variant = rng.integers(0, 3, size=n)
    out = []
    for s, b, v in zip(pick[10].to_numpy(object), pick[13].to_numpy(), variant, strict=True):
        i = 1 + (len(s) - 2) * v // 3
        typo = s[:i] + s[i + 1 :] if v != 1 else s[:i] + s[i + 1] + s[i] + s[i + 2 :]
        out.append(f"{typo} {b}")
    return pd.DataFrame({"address": pd.Series(out, dtype="str"), "true_adm": pick[0].to_numpy()})


def _time(label: str, df: pd.DataFrame, index: object) -> pd.DataFrame:
    addresses = df["address"]
    start, cpu = time.perf_counter(), time.process_time()
    out = geocode(df, index)  # type: ignore[arg-type]
    took, took_cpu = time.perf_counter() - start, time.process_time() - cpu
    counts: dict[str, object] = {str(k): int(v) for k, v in out["match"].value_counts().items()}
    placed = out["ruian_adm"].notna()
    right = int((out.loc[placed, "ruian_adm"] == out.loc[placed, "true_adm"]).sum())
    counts["right_address"] = f"{right / max(int(placed.sum()), 1):.2%} of {int(placed.sum()):,d}"
    print(
        f"{label:<7} {len(df):>9,d} rows ({addresses.nunique():,d} distinct) in {took:6.2f} s"
        f" = {len(df) / took:>10,.0f} rows/s (CPU {took_cpu:.2f} s = "
        f"{len(df) / took_cpu:,.0f} rows/s)   {counts}"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="exact-address inputs")
    parser.add_argument("--n-fuzzy", type=int, default=100_000, help="misspelt inputs")
    parser.add_argument("--points", type=int, default=50_000, help="gazetteer size")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "20240101_OB_554821_ADR.csv"
        gaz_rows = build_gazetteer(path, n_points=args.points, seed=args.seed)
        start = time.perf_counter()
        gaz = load_ruian_csv(path)
        t_load = time.perf_counter() - start
        start = time.perf_counter()
        index = build_index(gaz)
        t_index = time.perf_counter() - start
    print(
        f"gazetteer: {len(gaz):,d} points, load {t_load:.2f} s, index {t_index:.2f} s ({index!r})"
    )
    _time("exact", exact_inputs(gaz_rows, n=args.n, seed=args.seed), index)
    n_unique = min(args.n, 200_000)
    distinct = exact_inputs(gaz_rows, n=n_unique * 3, seed=args.seed + 7).drop_duplicates("address")
    _time("unique", distinct.iloc[:n_unique].reset_index(drop=True), index)
    _time("fuzzy", fuzzy_inputs(gaz_rows, n=args.n_fuzzy, seed=args.seed), index)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

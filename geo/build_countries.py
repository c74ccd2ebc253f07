"""Regenerate geo/countries.geojson: Natural Earth admin-0 country outlines (public domain).

Source: the npm package world-atlas@2.0.2 (Natural Earth 1:50m, as TopoJSON), converted with
GDAL's TopoJSON driver through pyogrio. Run: npm pack world-atlas@2.0.2 && tar xzf ... then
    python geo/build_countries.py package/countries-50m.json
"""

import json
import sys
from pathlib import Path

import geopandas as gpd


def main(topojson: str) -> None:
    frame = gpd.read_file(topojson, layer="countries", engine="pyogrio").set_crs("EPSG:4326")
    frame = frame.rename(columns={"id": "iso_n3"})
    frame["geometry"] = frame.geometry.simplify(0.05, preserve_topology=True)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty].sort_values("name")
    data = json.loads(frame[["iso_n3", "name", "geometry"]].to_json(drop_id=True))
    for feature in data["features"]:
        feature["geometry"]["coordinates"] = _round(feature["geometry"]["coordinates"])
    data["source"] = "Natural Earth 1:50m admin-0 countries (public domain) via world-atlas@2.0.2"
    out = Path(__file__).with_name("countries.geojson")
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{out}: {len(frame)} countries, {out.stat().st_size // 1024} KiB")


def _round(value):
    if isinstance(value, float):
        return round(value, 3)
    return [_round(v) for v in value]


if __name__ == "__main__":
    main(sys.argv[1])

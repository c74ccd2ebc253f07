"""Regenerate geo/countries.geojson: Natural Earth admin-0 country outlines (public domain).

Source: the npm package world-atlas@2.0.2 (Natural Earth 1:50m, as TopoJSON), converted with
GDAL's TopoJSON driver through pyogrio. Run: npm pack world-atlas@2.0.2 && tar xzf ... then
    python geo/build_countries.py package/countries-50m.json

The TopoJSON's outlines are spherical: Russia, Fiji and Antarctica run across the antimeridian,
and a flat map joins their points at -180 and +180 with lines across the whole world (stripes
on the offline basemap). Every such ring is split at ±180 here, so no segment of the file
spans more than 180 degrees of longitude. Given the GeoJSON already made, the script only
splits (nothing else changes):
    python geo/build_countries.py geo/countries.geojson
"""

import json
import sys
from itertools import pairwise
from pathlib import Path

import shapely
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Polygon, box, mapping

SOURCE = "Natural Earth 1:50m admin-0 countries (public domain) via world-atlas@2.0.2"


def main(source: str) -> None:
    data = json.loads(Path(source).read_text(encoding="utf-8"))
    if data.get("type") == "Topology":
        data = from_topojson(source)
    for feature in data["features"]:
        if crosses_antimeridian(feature["geometry"]):
            feature["geometry"] = split_antimeridian(feature["geometry"])
    out = Path(__file__).with_name("countries.geojson")
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{out}: {len(data['features'])} countries, {out.stat().st_size // 1024} KiB")


def from_topojson(topojson: str) -> dict:
    import geopandas as gpd

    frame = gpd.read_file(topojson, layer="countries", engine="pyogrio").set_crs("EPSG:4326")
    frame = frame.rename(columns={"id": "iso_n3"})
    frame["geometry"] = frame.geometry.simplify(0.05, preserve_topology=True)
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty].sort_values("name")
    data = json.loads(frame[["iso_n3", "name", "geometry"]].to_json(drop_id=True))
    for feature in data["features"]:
        feature["geometry"]["coordinates"] = _round(feature["geometry"]["coordinates"])
    data["source"] = SOURCE
    return data


def rings(geometry: dict):
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else []
    if geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    for polygon in polygons:
        yield from polygon


def crosses_antimeridian(geometry: dict) -> bool:
    """A segment longer than 180 degrees of longitude: on the sphere, the short way round."""
    return any(abs(b[0] - a[0]) > 180 for ring in rings(geometry) for a, b in pairwise(ring))


def split_antimeridian(geometry: dict) -> dict:
    """The polygons of `geometry` cut at ±180 into pieces that each stay on one side.

    Each ring is first made continuous (longitudes past 180 allowed); a ring that goes once
    round a pole (Antarctica) is closed along that pole. The continuous polygons are cut by
    the world [-180, 180] and its copies either side, and the copies moved back.
    """
    polygons = [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    pieces = []
    for polygon in polygons:
        exterior, *holes = (_unwrap(ring) for ring in polygon)
        if Polygon(exterior).area == 0:
            # GDAL reads a ring round a pole as the hole of a flat ring along the pole: the
            # hole is the outline.
            pieces.extend(Polygon(hole) for hole in holes)
            continue
        west = min(x for x, _ in exterior)
        holes = [_shift_near(hole, west) for hole in holes]
        pieces.append(Polygon(exterior, holes))
    parts = []
    for piece in pieces:
        piece = piece if piece.is_valid else shapely.make_valid(piece)
        for copy in (-1, 0, 1):
            world = box(-180 + 360 * copy, -90, 180 + 360 * copy, 90)
            cut = translate(piece.intersection(world), xoff=-360 * copy)
            parts.extend(p for p in getattr(cut, "geoms", [cut]) if p.geom_type == "Polygon")
    # The closing line along a pole is one segment 360 degrees long: add points on it.
    parts = [shapely.segmentize(p, 90) for p in parts if p.area > 0]
    result = mapping(MultiPolygon(parts) if len(parts) > 1 else parts[0])
    return {"type": result["type"], "coordinates": _round(result["coordinates"])}


def _unwrap(ring: list) -> list[tuple[float, float]]:
    """The ring with no jump of more than 180 degrees (multiples of 360 added), closed."""
    out = [tuple(ring[0])]
    offset = 0.0
    for (x0, _), (x1, y1) in pairwise(ring):
        if x1 - x0 > 180:
            offset -= 360
        elif x1 - x0 < -180:
            offset += 360
        out.append((x1 + offset, y1))
    if out[-1][0] != out[0][0]:  # once round a pole: close the ring along it
        pole = -90.0 if sum(y for _, y in out) < 0 else 90.0
        out += [(out[-1][0], pole), (out[0][0], pole), out[0]]
    return out


def _shift_near(ring: list[tuple[float, float]], west: float) -> list[tuple[float, float]]:
    """A hole moved by a multiple of 360 degrees to lie over its outline."""
    shift = 360 * round((west - min(x for x, _ in ring)) / 360)
    return [(x + shift, y) for x, y in ring]


def _round(value):
    if isinstance(value, float | int) and not isinstance(value, bool):
        return round(float(value), 3)
    return [_round(v) for v in value]


if __name__ == "__main__":
    main(sys.argv[1])

"""How events look, shared by the map, the timeline and the filters: colours, codes, names.

Constants only, so any module may import it without pulling in the map.
"""

from __future__ import annotations

import numpy as np

from .model import EVENT_TYPES

TYPE_COLOURS: dict[str, str] = {
    "Battles": "#d62728",
    "Explosions/Remote violence": "#ff7f0e",
    "Violence against civilians": "#9467bd",
    "Protests": "#2ca02c",
    "Riots": "#e377c2",
    "Strategic developments": "#1f77b4",
}
OTHER_COLOUR = "#7f7f7f"
# Type codes in the map's arrays: the ACLED types in order, then "Other" for anything else.
TYPE_NAMES: tuple[str, ...] = (*EVENT_TYPES, "Other")
OTHER_CODE = len(EVENT_TYPES)
COLOURS: tuple[str, ...] = (*TYPE_COLOURS.values(), OTHER_COLOUR)

EVENTS_LAYER, CLUSTERS_LAYER, HEATMAP_LAYER = "Events", "Clusters", "Heatmap"
CANDIDATES_LAYER = "Unreviewed (extracted)"


def marker_radii(fatalities: np.ndarray) -> np.ndarray:
    """Marker radius in px: 6 with none reported, growing with the square root of fatalities,
    at most 22. `fatalities` is float with NaN for not reported."""
    counts = np.nan_to_num(np.asarray(fatalities, dtype="float64"), nan=0.0)
    return np.minimum(22.0, 6.0 + 3.0 * np.sqrt(np.maximum(counts, 0.0))).round(1)

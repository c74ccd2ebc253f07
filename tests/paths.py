"""Where the tests find the repository's data (imported by name: keep this module name unique)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
GEO = ROOT / "geo"

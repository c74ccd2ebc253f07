"""Leaflet and its plugins, served by the app itself: no CDN, no internet at run time.

The files are third-party code, so they are not committed. `python -m eventmap.assets` fetches
them at set-up time from the npm registry (`npm pack`) at the exact versions declared in
ASSETS, checks each file against the sha256 recorded here, and lays them out under
static/vendor/<package>@<version>/<path-inside-package>, which Streamlit serves at
/app/static/... (see .streamlit/config.toml, `enableStaticServing`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from eventmap.errors import EventmapError
from eventmap.settings import PROJECT_ROOT

VENDOR_DIR = PROJECT_ROOT / "static" / "vendor"
URL_PREFIX = "/app/static/vendor"

_EXACT_VERSION = re.compile(r"\d+\.\d+\.\d+")
_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Asset:
    """One file of one npm package at one exact version, pinned by its sha256."""

    name: str
    package: str
    version: str
    path: str  # inside the package, e.g. "dist/leaflet.js"
    sha256: str

    def __post_init__(self) -> None:
        # A range or tag ("^1.9", "latest") would make the checksum meaningless.
        if not _EXACT_VERSION.fullmatch(self.version):
            raise ValueError(f"asset {self.name}: version {self.version!r} is not exact")
        if not _SHA256.fullmatch(self.sha256):
            raise ValueError(f"asset {self.name}: {self.sha256!r} is not a lowercase sha256")
        parts = PurePosixPath(self.path).parts
        if not parts or parts[0] == "/" or ".." in parts:
            raise ValueError(f"asset {self.name}: unsafe path {self.path!r}")

    @property
    def spec(self) -> str:
        """`package@version`, as given to npm and used as the folder name."""
        return f"{self.package}@{self.version}"

    @property
    def relpath(self) -> str:
        """Where the file lives below the vendor folder (and the URL prefix)."""
        return f"{self.spec}/{self.path}"


def _manifest(*assets: Asset) -> dict[str, Asset]:
    return {a.name: a for a in assets}


_LEAFLET = ("leaflet", "1.9.4")

ASSETS: dict[str, Asset] = _manifest(
    Asset(
        "leaflet_js",
        *_LEAFLET,
        "dist/leaflet.js",
        "db49d009c841f5ca34a888c96511ae936fd9f5533e90d8b2c4d57596f4e5641a",
    ),
    Asset(
        "leaflet_css",
        *_LEAFLET,
        "dist/leaflet.css",
        "a7837102824184820dfa198d1ebcd109ff6d0ff9a2672a074b9a1b4d147d04c6",
    ),
    # leaflet.css refers to these as images/..., relative to itself: keep the dist/ layout.
    Asset(
        "leaflet_layers_png",
        *_LEAFLET,
        "dist/images/layers.png",
        "1dbbe9d028e292f36fcba8f8b3a28d5e8932754fc2215b9ac69e4cdecf5107c6",
    ),
    Asset(
        "leaflet_layers_2x_png",
        *_LEAFLET,
        "dist/images/layers-2x.png",
        "066daca850d8ffbef007af00b06eac0015728dee279c51f3cb6c716df7c42edf",
    ),
    Asset(
        "leaflet_marker_icon_png",
        *_LEAFLET,
        "dist/images/marker-icon.png",
        "574c3a5cca85f4114085b6841596d62f00d7c892c7b03f28cbfa301deb1dc437",
    ),
    Asset(
        "leaflet_marker_icon_2x_png",
        *_LEAFLET,
        "dist/images/marker-icon-2x.png",
        "00179c4c1ee830d3a108412ae0d294f55776cfeb085c60129a39aa6fc4ae2528",
    ),
    Asset(
        "leaflet_marker_shadow_png",
        *_LEAFLET,
        "dist/images/marker-shadow.png",
        "264f5c640339f042dd729062cfc04c17f8ea0f29882b538e3848ed8f10edb4da",
    ),
    Asset(
        "leaflet_heat_js",
        "leaflet.heat",
        "0.2.0",
        "dist/leaflet-heat.js",
        "eb952aae5806a1102729f291bab887dde783ace859819a354827a776e73e486a",
    ),
)


def asset_url(name: str) -> str:
    """The absolute URL the browser loads the asset from, e.g. for folium's default_js."""
    try:
        asset = ASSETS[name]
    except KeyError:
        raise KeyError(f"unknown asset {name!r}; known: {', '.join(ASSETS)}") from None
    return f"{URL_PREFIX}/{asset.relpath}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def missing_assets(dest: Path = VENDOR_DIR, *, assets: Mapping[str, Asset] = ASSETS) -> list[str]:
    """Names of the assets absent under `dest` or whose checksum is wrong."""
    missing = []
    for name, asset in assets.items():
        file = Path(dest) / asset.relpath
        if not file.is_file() or _sha256(file.read_bytes()) != asset.sha256:
            missing.append(name)
    return missing


def _npm_pack(spec: str, workdir: Path, npm: str) -> Path:
    """Download `spec`'s tarball into `workdir` with npm (which checks the registry's integrity)."""
    exe = shutil.which(npm)
    if exe is None:
        raise EventmapError(
            f"cannot fetch {spec}: '{npm}' is not on PATH; install Node.js/npm, "
            "then run `python -m eventmap.assets`"
        )
    cmd = [exe, "pack", spec, "--ignore-scripts", "--loglevel=error"]
    try:
        done = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EventmapError(f"cannot fetch {spec}: `{' '.join(cmd)}` failed ({exc})") from None
    tarballs = sorted(workdir.glob("*.tgz"))
    if done.returncode != 0 or len(tarballs) != 1:
        detail = (done.stderr or done.stdout).strip()[-2000:]
        raise EventmapError(
            f"cannot fetch {spec}: `npm pack {spec}` exited {done.returncode}: {detail}"
        )
    return tarballs[0]


def _read_files(tarball: Path, paths: Iterable[str]) -> dict[str, bytes]:
    """The bytes of `paths` (inside the package) from an npm tarball, after checking it is safe.

    Every member must sit below `package/` with no absolute part or `..`, and each wanted
    file must be a regular file: links and devices are refused, nothing is written to disk.
    """
    with tarfile.open(tarball, "r:gz") as tar:
        members = {}
        for member in tar.getmembers():
            name = PurePosixPath(member.name)
            parts = name.parts
            if not parts or name.is_absolute() or ".." in parts or ":" in parts[0]:
                raise EventmapError(f"{tarball.name}: unsafe member {member.name!r}")
            if parts[0] != "package":
                raise EventmapError(f"{tarball.name}: member {member.name!r} is not in package/")
            members[PurePosixPath(*parts[1:]).as_posix()] = member
        out = {}
        for path in paths:
            member = members.get(path)
            if member is None or not member.isfile():
                raise EventmapError(f"{tarball.name}: no regular file package/{path}")
            handle = tar.extractfile(member)
            assert handle is not None  # isfile() was checked
            out[path] = handle.read()
        return out


def _write_atomic(target: Path, data: bytes) -> None:
    """Write beside `target`, then rename: a reader never sees a partial file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def fetch_assets(
    dest: Path = VENDOR_DIR, *, npm: str = "npm", assets: Mapping[str, Asset] = ASSETS
) -> list[Path]:
    """Fetch and verify every missing or damaged asset; return the files written.

    Idempotent: packages whose files are all present and correct are not touched, and npm
    is not run at all when nothing is missing. Every downloaded file is verified before any
    is written, so a checksum mismatch raises EventmapError and leaves `dest` as it was.
    """
    dest = Path(dest)
    wanted = missing_assets(dest, assets=assets)
    by_spec: dict[str, list[Asset]] = {}
    for name in wanted:
        by_spec.setdefault(assets[name].spec, []).append(assets[name])

    verified: list[tuple[Path, bytes]] = []
    with tempfile.TemporaryDirectory(prefix="eventmap-npm-") as tmp:
        for i, (spec, group) in enumerate(by_spec.items()):
            workdir = Path(tmp) / str(i)
            workdir.mkdir()
            files = _read_files(_npm_pack(spec, workdir, npm), [a.path for a in group])
            for asset in group:
                actual = _sha256(files[asset.path])
                if actual != asset.sha256:
                    raise EventmapError(
                        f"{asset.relpath}: checksum mismatch for asset {asset.name}: "
                        f"expected sha256 {asset.sha256}, got {actual}"
                    )
                verified.append((dest / asset.relpath, files[asset.path]))

    for target, data in verified:
        _write_atomic(target, data)
    return [target for target, _ in verified]


def main() -> None:
    """`python -m eventmap.assets`: fetch what is missing, one line per package."""
    try:
        written = set(fetch_assets())
    except EventmapError as exc:
        sys.exit(f"error: {exc}")
    specs = dict.fromkeys(a.spec for a in ASSETS.values())
    for spec in specs:
        files = [a for a in ASSETS.values() if a.spec == spec]
        fresh = sum(VENDOR_DIR / a.relpath in written for a in files)
        state = f"fetched {fresh} of {len(files)} files" if fresh else "up to date"
        print(f"{spec}: {state} in {VENDOR_DIR / spec}")


if __name__ == "__main__":
    main()

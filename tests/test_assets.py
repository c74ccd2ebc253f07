"""The vendored Leaflet assets: pinned, fetched with real npm, verified, idempotent, atomic."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import os
import re
import shutil
import tarfile

import pytest

from eventmap.assets import ASSETS, URL_PREFIX, _read_files, asset_url, fetch_assets, missing_assets
from eventmap.errors import EventmapError

# Without npm a developer's run skips these; CI must have npm, so there they fail instead.
needs_npm = pytest.mark.skipif(
    shutil.which("npm") is None and os.environ.get("CI") != "true",
    reason="npm is not on PATH (needed to fetch the Leaflet assets); in CI (CI=true) this fails",
)


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    """One real fetch of every asset, shared; tests that damage it work on a copy."""
    dest = tmp_path_factory.mktemp("vendor")
    written = fetch_assets(dest)
    return dest, written


def test_manifest_urls_are_local_and_pinned():
    assert len({a.relpath for a in ASSETS.values()}) == len(ASSETS)
    for name, asset in ASSETS.items():
        url = asset_url(name)
        assert url.startswith("/app/static/vendor/")
        assert re.fullmatch(r"\d+\.\d+\.\d+", asset.version), name
        assert url == f"{URL_PREFIX}/{asset.package}@{asset.version}/{asset.path}"
    with pytest.raises(KeyError, match="unknown asset"):
        asset_url("jquery")


def test_leaflet_css_images_sit_beside_it():
    css = ASSETS["leaflet_css"]
    for name in ("leaflet_layers_png", "leaflet_marker_icon_png", "leaflet_marker_shadow_png"):
        assert ASSETS[name].relpath.startswith(css.relpath.rsplit("/", 1)[0] + "/images/")


@needs_npm
def test_fetch_writes_every_file_with_its_checksum_and_is_idempotent(fetched):
    dest, written = fetched
    assert sorted(written) == sorted(dest / a.relpath for a in ASSETS.values())
    for asset in ASSETS.values():
        data = (dest / asset.relpath).read_bytes()
        assert hashlib.sha256(data).hexdigest() == asset.sha256, asset.name
    assert missing_assets(dest) == []
    assert not [p for p in dest.rglob("*") if p.name.endswith(".tmp")]
    # Nothing is missing, so npm is not needed (nor run) a second time.
    assert fetch_assets(dest, npm="false-npm-that-does-not-exist") == []


@needs_npm
def test_tampered_file_is_detected_and_refetched(fetched, tmp_path):
    dest = tmp_path / "vendor"
    shutil.copytree(fetched[0], dest)
    asset = ASSETS["leaflet_heat_js"]
    (dest / asset.relpath).write_text("alert('tampered')")
    assert missing_assets(dest) == ["leaflet_heat_js"]

    assert fetch_assets(dest) == [dest / asset.relpath]
    assert missing_assets(dest) == []


@needs_npm
def test_wrong_checksum_raises_and_leaves_nothing(tmp_path):
    good = ASSETS["leaflet_heat_js"]
    bad = dataclasses.replace(good, sha256="0" * 64)
    manifest = {**ASSETS, bad.name: bad}  # the other packages are fine: still all-or-nothing
    with pytest.raises(EventmapError) as err:
        fetch_assets(tmp_path, assets=manifest)
    message = str(err.value)
    assert good.relpath in message
    assert "0" * 64 in message and good.sha256 in message
    assert list(tmp_path.iterdir()) == []


def test_unsafe_tarball_members_are_refused(tmp_path):
    for evil in ("../evil.js", "/etc/evil.js", "package/../../evil.js", "other/dist/x.js"):
        tarball = tmp_path / "evil.tgz"
        with tarfile.open(tarball, "w:gz") as tar:
            info = tarfile.TarInfo(evil)
            info.size = 1
            tar.addfile(info, io.BytesIO(b"x"))
        with pytest.raises(EventmapError, match="package/|unsafe"):
            _read_files(tarball, ["dist/x.js"])
    assert list(tmp_path.iterdir()) == [tarball]


def test_missing_npm_is_a_clear_error(tmp_path):
    with pytest.raises(EventmapError, match="not on PATH"):
        fetch_assets(tmp_path, npm="false-npm-that-does-not-exist")

"""Every setting is declared in one place and documented in the README."""

from paths import ROOT

from eventmap import settings


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in settings.SETTINGS if f"`{name}`" not in readme]
    assert not missing, f"README.md does not document: {missing}"


def test_blank_setting_falls_back_to_its_default(monkeypatch):
    monkeypatch.setenv("EVENTMAP_REGION", "  ")
    assert settings.get("EVENTMAP_REGION") == "IQ,SY,IR,KW"

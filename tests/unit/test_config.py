from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from sodd.config import ENV_NAMES, Settings, load_settings
from sodd.errors import ConfigError
from sodd.i18n import TEXTS
from tests.conftest import PROJECT_ROOT


def test_defaults() -> None:
    settings = load_settings({})
    assert settings == Settings()
    assert settings.port == 8501
    assert settings.data_dir == Path("data")


def test_overrides() -> None:
    settings = load_settings(
        {"SODD_PORT": "9000", "SODD_DATA_DIR": "/tmp/x", "SODD_LANGUAGE": "en"}
    )
    assert (settings.port, settings.data_dir, settings.language) == (9000, Path("/tmp/x"), "en")
    settings = load_settings({"SODD_DISCLOSURE_MIN": "3", "SODD_MAX_UPLOAD_MB": "5"})
    assert (settings.disclosure_min, settings.max_upload_mb) == (3, 5)


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"SODD_PORT": "abc"}, "SODD_PORT måste vara ett heltal"),
        ({"SODD_PORT": "70000"}, "SODD_PORT måste ligga mellan"),
        ({"SODD_LANGUAGE": "de"}, "SODD_LANGUAGE måste vara en av sv, en"),
        ({"SODD_LOCK_TIMEOUT": "-1"}, "SODD_LOCK_TIMEOUT måste vara minst"),
        ({"SODD_DISCLOSURE_MIN": "1"}, "SODD_DISCLOSURE_MIN måste ligga mellan"),
        ({"SODD_MAX_UPLOAD_MB": "0"}, "SODD_MAX_UPLOAD_MB måste ligga mellan"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], fragment: str) -> None:
    with pytest.raises(ConfigError, match=fragment):
        load_settings(env)


def test_every_setting_has_an_environment_name() -> None:
    assert set(ENV_NAMES) == {f.name for f in fields(Settings)}


def test_every_setting_is_documented_in_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in ENV_NAMES.values() if f"`{name}`" not in readme]
    assert not missing, f"README.md does not document {missing}"


def test_every_text_has_both_languages() -> None:
    for key, (swedish, english) in TEXTS.items():
        assert swedish.strip() and english.strip(), key
        assert swedish.count("{") == english.count("{"), key

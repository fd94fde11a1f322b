import pytest
from django.core.exceptions import ImproperlyConfigured

from triangle.env import env_bool, env_choice, env_int, env_list, env_str, env_url


def test_bool_accepts_common_spellings():
    assert env_bool("X", False, environ={"X": "yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "jein"])
def test_bool_rejects_garbage_loudly(raw):
    with pytest.raises(ImproperlyConfigured, match="X="):
        env_bool("X", False, environ={"X": raw})


def test_int_parses_and_rejects_non_numbers_and_too_small_values():
    assert env_int("PORT", 1, environ={"PORT": "8000"}) == 8000
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("PORT", 1, environ={"PORT": "80a"})
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("PORT", 1, environ={"PORT": "0"}, minimum=1)


def test_list_splits_on_commas_and_drops_blanks():
    assert env_list("H", [], environ={"H": "a.example, b.example,,"}) == ["a.example", "b.example"]


def test_choice_rejects_unknown_values():
    with pytest.raises(ImproperlyConfigured, match="not one of"):
        env_choice("LOG_LEVEL", "INFO", {"INFO", "DEBUG"}, environ={"LOG_LEVEL": "LOUD"})


def test_url_requires_a_known_scheme():
    assert env_url("DATABASE_URL", None, schemes={"postgres"}, environ={}) is None
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_url("DATABASE_URL", None, schemes={"postgres"}, environ={"DATABASE_URL": "mysql://x"})


def test_secret_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n")
    assert env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(secret)}) == "s3cr3t"
    with pytest.raises(ImproperlyConfigured, match="cannot be read"):
        env_str("SECRET_KEY", environ={"SECRET_KEY_FILE": str(tmp_path / "missing")})


def test_production_settings_refuse_to_start_without_secret_key(tmp_path):
    import subprocess
    import sys

    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "TRIANGLE_TESTING": "0",
        "DATA_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            "'triangle.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).parents[2]),
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_debug_value_stops_the_app(tmp_path):
    import subprocess
    import sys

    env = {"PATH": "/usr/bin:/bin", "DEBUG": "perhaps", "DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']="
            "'triangle.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=str(__import__("pathlib").Path(__file__).parents[2]),
    )
    assert result.returncode != 0
    assert "DEBUG='perhaps' is not a boolean" in result.stderr

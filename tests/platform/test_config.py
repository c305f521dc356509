import os
import subprocess
import sys

import pytest

from sequencer.config import ConfigError, load_settings


@pytest.mark.parametrize("url", ["not a url", "mysql://u@h/db", "postgresql+psycopg://h:notaport/db"])
def test_malformed_database_url_is_refused_naming_the_variable(url, tmp_path):
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        load_settings({"DATABASE_URL": url, "SEQUENCER_INSTANCE": str(tmp_path)})


@pytest.mark.parametrize("url", ["localhost:6379", "http://redis", "redis://:notaport", "unix://"])
def test_malformed_redis_url_is_refused_naming_the_variable(url, tmp_path):
    with pytest.raises(ConfigError, match="REDIS_URL"):
        load_settings({"REDIS_URL": url, "SEQUENCER_INSTANCE": str(tmp_path)})


def test_embedded_defaults(tmp_path):
    settings = load_settings({"SEQUENCER_INSTANCE": str(tmp_path)})
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'sequencer.db'}"
    assert settings["REDIS_URL"] is None
    assert settings["SECRET_KEY"] == (tmp_path / "secret_key").read_text()
    assert load_settings({"SEQUENCER_INSTANCE": str(tmp_path)})["SECRET_KEY"] == settings["SECRET_KEY"]


@pytest.mark.parametrize("var,value", [("DATABASE_URL", "nonsense://"), ("REDIS_URL", "localhost:6379")])
def test_cli_stops_with_one_line_naming_the_variable(var, value, tmp_path):
    env = {**os.environ, var: value, "SEQUENCER_INSTANCE": str(tmp_path)}
    res = subprocess.run([sys.executable, "-m", "sequencer", "db", "upgrade"], env=env,
                         capture_output=True, text=True, timeout=60)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and var in lines[0], res.stderr


def test_wsgi_stops_with_one_line_naming_the_variable(tmp_path):
    env = {**os.environ, "DATABASE_URL": "nonsense", "SEQUENCER_INSTANCE": str(tmp_path)}
    res = subprocess.run([sys.executable, "-c", "import wsgi"], env=env, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 1
    assert res.stderr.strip().splitlines() == [res.stderr.strip()] and "DATABASE_URL" in res.stderr


@pytest.mark.parametrize("var,value", [("LOGIN_RATE_LIMIT", "often"), ("LOGIN_ADDRESS_RATE_LIMIT", "0 per minute"),
                                       ("TRUSTED_PROXIES", "-1"), ("TRUSTED_PROXIES", "yes"), ("REMEMBER_DAYS", "0"),
                                       ("MAX_CONTENT_LENGTH_KB", "0"), ("UPLOAD_MAX_MB", "lots")])
def test_bad_security_settings_are_refused_naming_the_variable(var, value, tmp_path):
    with pytest.raises(ConfigError, match=var):
        load_settings({var: value, "SEQUENCER_INSTANCE": str(tmp_path)})


def test_security_defaults(tmp_path):
    settings = load_settings({"SEQUENCER_INSTANCE": str(tmp_path), "BASE_URL": "https://s.example.com"})
    assert settings["REMEMBER_COOKIE_SECURE"] and settings["SESSION_COOKIE_SECURE"]
    assert settings["REMEMBER_COOKIE_DURATION"].days == 14 and settings["TRUSTED_PROXIES"] == 0
    assert settings["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024 and settings["UPLOAD_MAX_BYTES"] == 64 * 1024 * 1024

import socket

from sequencer.app import create_app


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_checks_database_and_redis(client):
    res = client.get("/healthz")
    assert res.status_code == 200
    assert res.json == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_is_503_when_redis_is_down(app_config):
    app = create_app({**app_config, "REDIS_URL": f"redis://127.0.0.1:{_closed_port()}/0"})
    res = app.test_client().get("/healthz")
    assert res.status_code == 503
    assert res.json["status"] == "error" and res.json["database"] == "ok"
    assert res.json["redis"].startswith("error")


def test_healthz_is_503_when_the_database_is_down(app_config, tmp_path):
    bad = f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/none"
    app = create_app({**app_config, "DATABASE_URL": bad})
    res = app.test_client().get("/healthz")
    assert res.status_code == 503
    assert res.json["database"].startswith("error") and res.json["redis"] == "ok"

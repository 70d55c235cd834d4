from core import heartbeat


def test_health_reports_every_part(client_a):
    heartbeat.beat("test-worker")
    response = client_a.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body | {"worker_last_seen_seconds": None} == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "ok",
        "worker": "ok",
        "worker_last_seen_seconds": None,
        "schema": "alpha",
    }


def test_health_on_the_public_host(public_client):
    assert public_client.get("/health/").json()["schema"] == "public"


def test_health_is_503_when_the_broker_is_down(client_a, monkeypatch):
    def unreachable():
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(heartbeat, "broker_ping", unreachable)
    response = client_a.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"] == "error: ConnectionError"
    assert response.json()["status"] == "error"


def test_health_reports_a_stale_worker(client_a, monkeypatch):
    monkeypatch.setattr(heartbeat, "last_seen_age", lambda: 600.0)
    body = client_a.get("/health/").json()
    assert body["worker"] == "stale"
    assert body["status"] == "ok"  # a missing worker degrades, it does not take the site down

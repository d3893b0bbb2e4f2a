"""What caches and strangers may keep or read: no page of a signed-in user and no CSV export is stored
by a cache; the pipeline's figures and failing checks are for the auditor, the secretariat and a
configured scraper address (tests/integration/test_login_throttling.py, over real HTTP); a bare /healthz stays open to anyone."""

from __future__ import annotations

from tests.security.conftest import Site


def test_every_page_for_a_signed_in_user_is_kept_out_of_caches(site: Site):
    for url in ("/", "/centres", "/calendar", f"/plans/{site.store.today().year}", "/account/password"):
        response = site.get(url, role="member")
        assert response.status_code == 200, url
        assert response.headers.get("cache-control") == "no-store", url


def test_the_csv_exports_are_kept_out_of_caches(site: Site):
    for url in ("/activities.csv", "/participations.csv"):
        response = site.get(url, role="coordinator")
        assert response.status_code == 200 and response.headers.get("cache-control") == "no-store", url


def test_an_anonymous_page_may_be_cached_as_before(site: Site):
    assert "no-store" not in site.get("/calendar").headers.get("cache-control", "")


def test_metrics_are_refused_to_anonymous_visitors_and_other_roles(site: Site):
    for role in ("anonymous", "member", "coordinator", "chair"):
        assert site.get("/metrics", role=role).status_code == 403, role
    for role in ("auditor", "secretariat"):
        response = site.get("/metrics", role=role)
        assert response.status_code == 200 and "mrezha_events_stored_total" in response.text, role


def test_readyz_tells_anyone_whether_it_is_ready_and_only_operations_which_check_failed(site: Site):
    anonymous = site.get("/readyz")
    assert anonymous.status_code == 200 and anonymous.json() == {"status": "ready"}
    assert site.get("/readyz", role="coordinator").json() == {"status": "ready"}
    assert set(site.get("/readyz", role="auditor").json()["checks"]) == {"store", "read_models", "projections"}


def test_healthz_stays_open_to_everyone(site: Site):
    response = site.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}

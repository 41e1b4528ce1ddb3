"""/api/v1/schema/ and /api/v1/docs/."""

from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats


def test_the_schema_generates_valid_without_warnings(tmp_path):
    reset_generator_stats()
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "/api/v1/events/{uuid}/:" in (tmp_path / "schema.yml").read_text()


def test_the_schema_is_served(db, api_for):
    response = api_for(None).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/auth/token/", "/api/v1/events/{event_uuid}/music-plan/", "/api/v1/venues/"} <= set(paths)


def test_the_docs_load_their_assets_from_our_own_static_files(db, api_for):
    response = api_for(None).get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in html
    assert "cdn" not in html.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")

"""The API describes itself: OpenAPI schema at /api/schema, docs at /api/docs."""

from __future__ import annotations


def test_the_openapi_schema_is_served_at_api_schema(client):
    response = client.get("/api/schema")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/referrals", "/api/referrals/{reference}"} <= set(schema["paths"])
    assert set(schema["paths"]["/api/referrals"]) == {"get", "post"}
    assert schema["components"]["securitySchemes"]["PartnerBearer"]["scheme"] == "bearer"
    referral = schema["components"]["schemas"]["ReferralIn"]
    assert {"referrer_name", "children", "consent"} <= set(referral["required"])


def test_the_docs_are_served_at_api_docs_without_inline_script(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/schema" in html
    assert "/static/ninja/swagger-ui-bundle.js" in html
    # Our content security policy allows no inline script: only the JSON settings block.
    assert html.count("<script") == 3
    assert '<script type="application/json"' in html


def test_the_swagger_files_are_served(client, live_server):
    import urllib.request

    with urllib.request.urlopen(f"{live_server.url}/static/ninja/swagger-ui-init.js") as reply:
        assert reply.status == 200

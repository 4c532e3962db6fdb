import pytest

from salescope.accounts.services import user_create


@pytest.mark.django_db
def test_the_api_docs_page_uses_bundled_files_not_a_cdn(client):
    user_create(username="root", name="Root", role="admin", password="root12345")
    client.login(username="root", password="root12345")
    page = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower()

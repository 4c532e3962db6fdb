import pytest

from salescope.accounts.services import user_create


@pytest.mark.django_db(transaction=True)
def test_a_manager_logs_in_and_sees_the_contact_list(login, live_server):
    user_create(username="kolya", name="Коля", password="kolya12345")
    page = login("kolya", "kolya12345")
    assert "/login/" not in page.url
    assert "Коля" in page.content()

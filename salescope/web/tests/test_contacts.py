import pytest

from salescope.contacts.services import contact_create

from .conftest import T0, client_for


def _names(client, q):
    response = client.get("/contacts/", {"q": q})
    assert response.status_code == 200
    return [c.name for c in response.context["page"].object_list]


@pytest.mark.parametrize(
    "query",
    ["8 (916) 123-45-67", "+7 916 123 45 67", "89161234567", "9161234567", "+79161234567", "123-45-67"],
)
def test_phone_typed_in_any_format_finds_the_contact(dept, query):
    assert _names(client_for(dept.admin), query) == ["Иван Петров"]


@pytest.mark.parametrize(
    "query", ["Иван", "иван", "ПЕТРОВ", "петров", "ромашка", "ООО", "ivan@romashka", "ROMASHKA.RU", "Сидоров"]
)
def test_name_company_and_email_search(dept, query):
    expected = ["Мария Сидорова"] if query == "Сидоров" else ["Иван Петров"]
    assert _names(client_for(dept.admin), query) == expected


def test_no_match(dept):
    response = client_for(dept.admin).get("/contacts/", {"q": "Несуществующий"})
    assert list(response.context["page"].object_list) == []
    assert "По вашему запросу контактов не найдено." in response.content.decode()


def test_pagination_25_per_page(dept):
    for i in range(30):
        contact_create(name=f"Клиент {i:02d}", owner=dept.kolya, created_at=T0)
    client = client_for(dept.kolya)
    first = client.get("/contacts/")
    second = client.get("/contacts/", {"page": 2})
    assert first.context["page"].paginator.count == 31
    assert len(first.context["page"].object_list) == 25
    assert [c.name for c in second.context["page"].object_list] == [
        "Клиент 24",
        "Клиент 25",
        "Клиент 26",
        "Клиент 27",
        "Клиент 28",
        "Клиент 29",
    ]
    assert 'href="?page=2"' in first.content.decode()
    assert "31 контакт<" in first.content.decode() and "Страница 1 из 2" in first.content.decode()
    searched = client.get("/contacts/", {"q": "Клиент", "page": 2}).content.decode()
    assert "?q=%D0%9A%D0%BB%D0%B8%D0%B5%D0%BD%D1%82&amp;page=1" in searched


def test_htmx_search_returns_only_the_results_block(dept):
    client = client_for(dept.admin)
    response = client.get("/contacts/", {"q": "ромашка"}, headers={"HX-Request": "true", "HX-Target": "results"})
    html = response.content.decode()
    assert "<html" not in html and "Иван Петров" in html and "Олег" not in html
    full = client.get("/contacts/", {"q": "ромашка"}).content.decode()
    assert "<html" in full and 'id="results"' in full and "/static/django_htmx/htmx-2.min.js" in full

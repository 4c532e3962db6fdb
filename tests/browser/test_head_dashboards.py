"""The head's screens in a real browser: charts drawn, table sorted, a number clicked through to its records."""

import pytest
from django.core.cache import cache

from salescope.dashboards.tests.sample import make_department


@pytest.fixture
def department():
    cache.clear()
    return make_department()


@pytest.mark.django_db(transaction=True)
def test_head_sees_dashboard_with_charts_and_drills_into_revenue(login, live_server, department):
    page = login("head", "pw")
    yesterday = department.today.fromordinal(department.today.toordinal() - 1)
    page.goto(f"{live_server.url}/dashboards/?period=custom&from={yesterday}&to={department.today}")
    revenue = page.locator(".tile[data-key=revenue_won] a.metric")
    assert revenue.inner_text().startswith("4\u00a0500,00")
    assert "Сумма amount по deals_won" in revenue.get_attribute("title")
    page.wait_for_selector("#charts .js-plotly-plot svg.main-svg")
    assert page.locator("#charts .js-plotly-plot").count() == 2
    page.screenshot(path="/tmp/hdash_dashboard.png", full_page=True)
    revenue.click()
    page.wait_for_url("**/dashboards/records/revenue_won/**")
    assert page.locator(".records-count").inner_text() == "3 записи"
    rows = page.locator("table.records tbody tr")
    assert rows.count() == 3


@pytest.mark.django_db(transaction=True)
def test_head_sorts_the_comparison_table(login, live_server, department):
    page = login("head", "pw")
    page.goto(f"{live_server.url}/dashboards/managers/?period=today&sort=revenue_won")
    names = page.locator("table.comparison tbody th a")
    assert names.all_inner_texts() == ["Kolya", "Anna"]
    page.locator("th[data-column=revenue_won] a").click()  # toggles to ascending, swapped in by htmx
    page.wait_for_selector("table.comparison[data-dir=asc]")
    assert page.locator("table.comparison tbody th a").all_inner_texts() == ["Anna", "Kolya"]
    assert "dir=asc" in page.url
    assert page.locator("tr[data-user=kolya] td.strong[data-value='4000.00']").count() == 1
    page.screenshot(path="/tmp/hdash_managers.png", full_page=True)


@pytest.mark.django_db(transaction=True)
def test_manager_sees_only_their_own_numbers(login, live_server, department):
    page = login("anna", "pw")
    page.goto(f"{live_server.url}/dashboards/managers/?period=today")
    assert page.locator("table.comparison tbody th a").all_inner_texts() == ["Anna"]
    page.goto(f"{live_server.url}/dashboards/?period=today")
    assert page.locator(".tile[data-key=revenue_won] a.metric").inner_text().startswith("500,00")
    assert "Kolya" not in page.content()
    response = page.goto(f"{live_server.url}/dashboards/managers/kolya/?period=today")
    assert response.status == 404

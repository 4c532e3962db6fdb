from .conftest import client_for


def test_login_page_is_russian_by_default_and_english_after_switching(client):
    page = client.get("/login/").content.decode()
    assert '<html lang="ru">' in page and "Вход в Salescope" in page and "Пароль" in page
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response.status_code == 302 and response["Location"] == "/login/"
    page = client.get("/login/").content.decode()
    assert '<html lang="en">' in page and "Log in to Salescope" in page and "Password" in page
    client.post("/i18n/setlang/", {"language": "ru", "next": "/login/"})
    assert "Вход в Salescope" in client.get("/login/").content.decode()


def test_login_and_logout(dept, client):
    response = client.post("/login/", {"username": "kolya", "password": "secret123"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/", follow=True).redirect_chain[-1][0] == "/my-day/"  # a manager starts on My day
    bad = client_for(dept.kolya)
    bad.logout()
    failed = bad.post("/login/", {"username": "kolya", "password": "wrong"})
    assert failed.status_code == 200 and "Неверное имя пользователя или пароль" in failed.content.decode()
    assert client.post("/logout/").status_code == 302
    assert client.get("/contacts/").status_code == 302


def test_pages_speak_russian(dept):
    html = client_for(dept.kolya).get(f"/contacts/{dept.kolya_contact.pk}/").content.decode()
    for text in ("Контакты", "Сделки", "Хронология", "Сделка открыта", "Телефоны", "Выйти", "менеджер"):
        assert text in html


def test_russian_stays_the_default_for_a_browser_that_prefers_english(client):
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Вход в Salescope" in page

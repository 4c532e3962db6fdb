from django.test import RequestFactory

from salescope.core.http import safe_next_url


def test_next_url_is_followed_only_when_it_stays_on_this_site():
    factory = RequestFactory()
    assert safe_next_url(factory.post("/", {"next": "/contacts/"}), "/home/") == "/contacts/"
    assert safe_next_url(factory.post("/", {"next": "https://evil.example/"}), "/home/") == "/home/"
    referred = factory.post("/", {}, HTTP_REFERER="http://testserver/deals/")
    assert safe_next_url(referred, "/home/") == "/home/"
    assert safe_next_url(referred, "/home/", use_referer=True) == "http://testserver/deals/"

"""Russian is the default language of the interface, whatever the browser asks for.

A user switches language with the RU/EN buttons (the language cookie); the
browser's Accept-Language header is not consulted, so a department's screens
do not change language from one workstation to the next.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class DefaultLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)

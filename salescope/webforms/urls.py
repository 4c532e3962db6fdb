from django.urls import path

from . import views

app_name = "webforms"

urlpatterns = [
    path("lead/", views.lead_submit, name="lead"),
    path("snippet/", views.snippet_page, name="snippet"),
]

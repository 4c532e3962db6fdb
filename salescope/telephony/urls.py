from django.urls import path

from . import views

app_name = "telephony"

urlpatterns = [
    path("generic/", views.generic_hook, name="generic"),
    path("zadarma/", views.zadarma_hook, name="zadarma"),
    path("mango/<path:event>", views.mango_hook, name="mango"),
    path("recordings/<int:call_pk>/", views.recording, name="recording"),
]

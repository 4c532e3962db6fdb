from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("hooks/telegram/", views.telegram_webhook, name="telegram-webhook"),
    path("messaging/send/<str:contact_ref>/", views.message_send_view, name="send"),
]

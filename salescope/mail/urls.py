from django.urls import path

from . import views

app_name = "mail"

urlpatterns = [
    path("mail/send/<str:contact_ref>/", views.mail_send_view, name="send"),
]

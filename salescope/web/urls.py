from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="web/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("contacts/", views.contacts, name="contact_list"),
    path("contacts/<int:pk>/", views.contact, name="contact_detail"),
    path("deals/", views.deals, name="deal_list"),
    path("deals/<int:pk>/", views.deal, name="deal_detail"),
]

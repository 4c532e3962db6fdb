from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import manager, views

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
    path("my-day/", manager.my_day_page, name="my_day"),
    path("my-day/month/", manager.my_day_month, name="my_day_month"),
    path("tasks/<int:pk>/done/", manager.task_done, name="task_done"),
    path("board/", manager.board, name="board"),
    path("board/deals/<int:pk>/move/", manager.deal_move, name="deal_move"),
    path("contacts/<int:pk>/log/", manager.contact_log, name="contact_log"),
    path("contacts/<int:pk>/proposal/", manager.contact_proposal, name="contact_proposal"),
    path("contacts/<int:pk>/deal/", manager.contact_deal, name="contact_deal"),
    path("contacts/<int:pk>/callback/", manager.contact_callback, name="contact_callback"),
    path("activities/<int:pk>/attachment/", manager.activity_attachment, name="activity_attachment"),
    path("notifications/", include("salescope.notifications.urls")),
]

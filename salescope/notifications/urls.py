from django.urls import path

from . import views

urlpatterns = [
    path("", views.notifications, name="notification_list"),
    path("read/", views.mark_read, name="notifications_read"),
]

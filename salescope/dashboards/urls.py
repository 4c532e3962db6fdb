from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("charts/", views.dashboard_charts, name="charts"),
    path("plan/", views.dashboard_plan, name="plan"),
    path("managers/", views.managers, name="managers"),
    path("managers/<str:ref>/", views.manager, name="manager"),
    path("managers/<str:ref>/trends/", views.manager_trends, name="manager_trends"),
    path("funnel/", views.funnel, name="funnel"),
    path("records/<str:key>/", views.records, name="records"),
    path("digest/", views.digest, name="digest"),
    path("plotly.min.js", views.plotly_js, name="plotly_js"),
]

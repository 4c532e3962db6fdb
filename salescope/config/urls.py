from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("hooks/telephony/", include("salescope.telephony.urls")),
    path("api/", include("salescope.api.urls")),
    path("", include("salescope.messaging.urls")),
    path("", include("salescope.mail.urls")),
    path("forms/", include("salescope.webforms.urls")),
    path("dashboards/", include("salescope.dashboards.urls")),
    path("", include("salescope.web.urls")),
]

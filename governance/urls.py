"""URLs of governance; each view module declares its own full paths."""

from django.urls import include, path

urlpatterns = [
    path("", include("governance.views.governance_page")),
    path("", include("governance.views.bodies")),
    path("", include("governance.views.meetings")),
    path("", include("governance.views.convocations")),
    path("", include("governance.views.attendance")),
    path("", include("governance.views.proxies")),
    path("", include("governance.views.resolutions")),
    path("", include("governance.views.elections")),
    path("", include("governance.views.minutes")),
    path("", include("governance.views.decisions")),
    path("", include("governance.views.portal_sections")),
    path("", include("governance.views.library")),
]

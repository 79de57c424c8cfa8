"""URLs of the ACI contract; each view module declares its own full paths."""

from django.urls import include, path

urlpatterns = [
    path("", include("missions.views.contract")),
    path("", include("missions.views.lines")),
    path("", include("missions.views.annex")),
    path("", include("missions.views.actions")),
    path("", include("missions.views.financing")),
]

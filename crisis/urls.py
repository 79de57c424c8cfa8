"""URLs of the crisis mission; each view module declares its own full paths."""

from django.urls import include, path

urlpatterns = [
    path("", include("crisis.views.plan")),
    path("", include("crisis.views.activations")),
    path("", include("crisis.views.roster_tools")),
    path("", include("crisis.views.alerts")),
    path("", include("crisis.views.portal")),
]

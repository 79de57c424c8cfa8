"""URLs of the indicators and the dashboard; each view module declares its own full paths."""

from django.urls import include, path

urlpatterns = [
    path("", include("indicators.views.dashboard")),
    path("", include("indicators.views.indicators")),
    path("", include("indicators.views.imports")),
]

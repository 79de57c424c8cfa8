"""URLs of the mission registries; each view module declares its own full paths."""

from django.urls import include, path

urlpatterns = [
    path("", include("registries.views.home")),
    path("", include("registries.views.requests")),
    path("", include("registries.views.sas_import")),
    path("", include("registries.views.registers")),
    path("", include("registries.views.portal")),
    path("", include("registries.views.portal_slots")),
]

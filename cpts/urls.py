"""URL map of Maillage. French paths; each area's patterns live beside its views."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import include, path

admin.site.site_header = "Maillage — administration technique"


def _superuser_only(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


# The Django admin is a technical tool for superusers; the coordination team works in the app.
admin.site.has_permission = _superuser_only  # type: ignore[method-assign]

urlpatterns = [
    path("", include("cpts.views.home")),
    path("comptes/", include("allauth.urls")),
    path("invitations/", include("cpts.views.invitations")),
    path("utilisateurs/", include("cpts.views.users")),
    path("association/", include("cpts.views.association")),
    path("documents/", include("cpts.views.documents")),
    path("rapports/", include("reports.urls")),
    path("", include("members.urls")),
    path("", include("governance.urls")),
    path("", include("missions.urls")),
    path("", include("crisis.urls")),
    path("", include("registries.urls")),
    path("indemnisations/", include("claims.urls")),
    path("", include("indicators.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "cpts.views.errors.bad_request"
handler403 = "cpts.views.errors.permission_denied"
handler404 = "cpts.views.errors.page_not_found"
handler500 = "cpts.views.errors.server_error"

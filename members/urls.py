"""URLs of the member base; each view module declares its own full paths."""

from django.urls import include, path

urlpatterns = [
    path("", include("members.views.member_list")),
    path("", include("members.views.member_pages")),
    path("", include("members.views.imports")),
    path("", include("members.views.joining")),
    path("", include("members.views.fees")),
    path("", include("members.views.portal")),
]

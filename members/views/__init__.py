"""Views of the member base, one module per area (each exposes urlpatterns)."""

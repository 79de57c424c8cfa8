from reports.views import urlpatterns

__all__ = ["urlpatterns"]

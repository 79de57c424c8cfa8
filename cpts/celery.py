"""The Celery application. Without REDIS_URL, tasks run eagerly in-process (settings)."""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpts.settings")

app = Celery("maillage")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _activate_locale(**_kwargs: object) -> None:
    """Every task speaks French and thinks in Europe/Paris, like the web pages."""
    from django.utils import timezone, translation

    translation.activate("fr")
    timezone.activate("Europe/Paris")

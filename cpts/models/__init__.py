"""Models of the cross-cutting core: accounts and roles, association and territory, jobs."""

from cpts.models.accounts import Invitation, User
from cpts.models.association import Association, TerritoryCommune
from cpts.models.base import TimeStampedModel
from cpts.models.documents import GeneratedDocument
from cpts.models.territory import Commune

__all__ = [
    "Association",
    "Commune",
    "GeneratedDocument",
    "Invitation",
    "TerritoryCommune",
    "TimeStampedModel",
    "User",
]

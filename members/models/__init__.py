"""Models of the member base: professions and collèges, members and their practice sites,
adhesions with fees and payments, joining requests, and the emails sent to members."""

from members.models.adhesions import Adhesion, FeeRule, Payment
from members.models.email_preferences import (
    MANDATORY_CATEGORIES,
    EmailCategory,
    EmailOptOut,
)
from members.models.joining import MembershipRequest
from members.models.members import Member, MemberEmail, PracticeSite
from members.models.reference import College, Profession

__all__ = [
    "MANDATORY_CATEGORIES",
    "Adhesion",
    "College",
    "EmailCategory",
    "EmailOptOut",
    "FeeRule",
    "Member",
    "MemberEmail",
    "MembershipRequest",
    "Payment",
    "PracticeSite",
    "Profession",
]

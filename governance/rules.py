"""The statutory rules of governance as pure functions: quorum, majorities, proxy limits.

Nothing here touches the database, so each rule is tested on its own with its edge cases
(exactly at the quorum, ties, two-thirds rounding)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from governance.models.statutes import MajorityRule


@dataclass(frozen=True)
class Quorum:
    """Voting members present or represented against the statutes' share."""

    voting_members: int
    present: int
    represented: int
    percent: Decimal
    waived: bool = False  # second convocation: deliberates whatever the attendance

    @property
    def counted(self) -> int:
        return self.present + self.represented

    @property
    def required(self) -> int:
        return quorum_required(self.voting_members, self.percent)

    @property
    def reached(self) -> bool:
        return self.waived or self.counted >= self.required

    @property
    def missing(self) -> int:
        return 0 if self.reached else self.required - self.counted


def quorum_required(voting_members: int, percent: Decimal) -> int:
    """The smallest number of voting members that makes the quorum: the share rounded up
    (a quorum of 25 % of 10 members needs 3, not 2.5). Exact decimal arithmetic."""
    if voting_members <= 0 or percent <= 0:
        return 0
    exact = Decimal(voting_members) * percent / Decimal(100)
    return math.ceil(exact)


@dataclass(frozen=True)
class VoteCounts:
    votes_for: int
    votes_against: int
    abstentions: int

    @property
    def cast(self) -> int:
        """Suffrages exprimés: abstentions are not cast votes."""
        return self.votes_for + self.votes_against

    @property
    def total(self) -> int:
        return self.cast + self.abstentions


def vote_errors(counts: VoteCounts, voters: int) -> list[str]:
    """Why the counts cannot be right for ``voters`` voting members present or represented."""
    errors = []
    if min(counts.votes_for, counts.votes_against, counts.abstentions) < 0:
        errors.append(_("Les nombres de voix ne peuvent pas être négatifs."))
    if counts.total > voters:
        errors.append(
            _(
                "%(total)s voix (pour, contre et abstentions) pour seulement %(voters)s votants "
                "présents ou représentés."
            )
            % {"total": counts.total, "voters": voters}
        )
    return errors


def is_adopted(rule: str, counts: VoteCounts, voters: int) -> bool:
    """Whether a resolution passes.

    - simple: more votes for than against (a tie is rejected; abstentions do not count);
    - absolute: more votes for than half of the voting members present or represented
      (abstentions and silent voters count against);
    - two thirds: votes for at least two thirds of the votes cast, in integer arithmetic
      (for * 3 >= cast * 2) so that 2 for / 1 against passes and nothing depends on rounding.
    No votes cast never adopts anything.
    """
    if counts.votes_for <= 0:
        return False
    if rule == MajorityRule.SIMPLE:
        return counts.votes_for > counts.votes_against
    if rule == MajorityRule.ABSOLUTE:
        return counts.votes_for * 2 > voters
    if rule == MajorityRule.TWO_THIRDS:
        return counts.votes_for * 3 >= counts.cast * 2
    raise ValueError(f"Unknown majority rule: {rule!r}")


def votes_needed(rule: str, counts: VoteCounts, voters: int) -> int:
    """The smallest number of votes for that adopts, the other counts being what they are
    (shown next to the result)."""
    if rule == MajorityRule.SIMPLE:
        return max(counts.votes_against + 1, 1)
    if rule == MajorityRule.ABSOLUTE:
        return voters // 2 + 1
    if rule == MajorityRule.TWO_THIRDS:
        # smallest f with 3f >= 2(f + against) -> f >= 2 * against
        return max(2 * counts.votes_against, 1)
    raise ValueError(f"Unknown majority rule: {rule!r}")


def proxy_error(
    *,
    giver_can_vote: bool,
    holder_can_vote: bool,
    same_person: bool,
    holder_proxies: int,
    max_per_holder: int,
    giver_holds_proxies: bool = False,
    holder_gave_proxy: bool = False,
) -> str | None:
    """Why a proxy from giver to holder is refused, or None when it is allowed.
    ``holder_proxies`` is the number the holder already holds (without this one)."""
    if same_person:
        return _("On ne peut pas se donner procuration à soi-même.")
    if not giver_can_vote:
        return _(
            "Seul un membre votant (à jour de cotisation à la date de l'AG) peut donner "
            "procuration."
        )
    if not holder_can_vote:
        return _(
            "La procuration doit être donnée à un membre votant (à jour de cotisation à la "
            "date de l'AG)."
        )
    if holder_gave_proxy:
        return _("Ce membre a lui-même donné procuration : il ne peut pas en recevoir.")
    if giver_holds_proxies:
        return _(
            "Vous détenez des procurations d'autres membres : vous ne pouvez pas donner la vôtre."
        )
    if holder_proxies >= max_per_holder:
        return _(
            "Ce membre détient déjà %(count)s procuration(s), le maximum fixé par les statuts."
        ) % {"count": holder_proxies}
    return None

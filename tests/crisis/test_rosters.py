"""The roster rules as service tests: shift times, needs, professions, fullness, overlaps,
deadlines, swaps, and the hours selector the claims will read."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from crisis.models import Shift, SignUp
from crisis.selectors.rosters import member_shift_hours, roster_totals
from crisis.services.rosters import save_shift, sign_up, swap, withdraw
from members.models.members import MemberStatus
from tests.crisis.helpers import activation, member, need_of, paris, profession, shift, site

pytestmark = pytest.mark.django_db
NOW = paris(2026, 3, 1, 9)
START = paris(2026, 3, 10, 8)


@pytest.fixture
def where(association):
    return site(activation(started_on=datetime.date(2026, 2, 20)))


def test_a_shift_ending_before_it_starts_is_refused(where):
    with pytest.raises(ValidationError) as error:
        save_shift(
            None,
            where,
            starts_at=START,
            ends_at=START - datetime.timedelta(hours=1),
            changes_until=START - datetime.timedelta(days=1),
            notes="",
            needs=[(profession("infirmier"), 2)],
        )
    assert (
        "La fin du créneau (10/03/2026 07:00) doit venir après son début (10/03/2026 08:00)"
        in str(error.value.message_dict["ends_at"])
    )
    assert not where.shifts.exists()


def test_a_shift_equal_start_and_end_longer_than_a_day_or_late_deadline_is_refused(where):
    for ends_at, until, field in (
        (START, START - datetime.timedelta(hours=1), "ends_at"),
        (START + datetime.timedelta(hours=25), START - datetime.timedelta(hours=1), "ends_at"),
        (START + datetime.timedelta(hours=4), START + datetime.timedelta(hours=1), "changes_until"),
    ):
        with pytest.raises(ValidationError) as error:
            save_shift(
                None,
                where,
                starts_at=START,
                ends_at=ends_at,
                changes_until=until,
                notes="",
                needs=[(profession("infirmier"), 1)],
            )
        assert field in error.value.message_dict


def test_needs_are_required_and_name_each_profession_once(where):
    with pytest.raises(ValidationError, match="au moins une profession"):
        shift(where, START, needs=[])
    with pytest.raises(ValidationError, match="Besoin n° 2 : « Infirmier"):
        shift(where, START, needs=[("infirmier", 1), ("infirmier", 2)])
    assert not where.shifts.exists()


def test_a_shift_records_its_duration_and_needs(where):
    created = shift(where, START, hours=3.5)
    assert created.duration_minutes == 210
    assert sorted((n.label, n.count) for n in created.needs.all()) == [
        ("Accueil", 1),
        ("Infirmier(ère)", 2),
        ("Médecin généraliste", 1),
    ]


def test_sign_up_for_a_profession_the_shift_does_not_need_is_refused(where):
    created = shift(where, START)
    kine = member("masseur_kinesitherapeute")
    with pytest.raises(ValidationError) as error:
        sign_up(kine, need_of(created, "infirmier"), now=NOW)
    message = " ".join(error.value.messages)
    assert message == (
        "Cette place est réservée à la profession « Infirmier(ère) » ; votre profession "
        "(Masseur-kinésithérapeute) n'y correspond pas. Le créneau demande : 1 Accueil, "
        "2 Infirmier(ère), 1 Médecin généraliste."
    )
    assert not SignUp.objects.exists()
    # The reception is open to every profession.
    assert sign_up(kine, need_of(created, None), now=NOW).need.profession is None


def test_a_full_need_refuses_the_next_sign_up(where):
    created = shift(where, START)
    need = need_of(created, "infirmier")
    sign_up(member(), need, now=NOW)
    sign_up(member(), need, now=NOW)
    with pytest.raises(ValidationError, match="complet \\(2 sur 2\\)"):
        sign_up(member(), need, now=NOW)
    assert need.signups.count() == 2


def test_overlapping_shifts_of_the_same_person_are_refused(where):
    first = shift(where, START, hours=4)  # 08:00-12:00
    touching = shift(where, START + datetime.timedelta(hours=4), hours=4)  # 12:00-16:00
    overlapping = shift(
        site(where.activation, "Dépistage de Gignac"), START + datetime.timedelta(hours=3)
    )
    nurse = member()
    sign_up(nurse, need_of(first, "infirmier"), now=NOW)
    sign_up(nurse, need_of(touching, "infirmier"), now=NOW)  # back to back is allowed
    with pytest.raises(ValidationError) as error:
        sign_up(nurse, need_of(overlapping, "infirmier"), now=NOW)
    assert "chevauche" in error.value.messages[0]
    assert "Centre de vaccination de Lodève, 10/03/2026 08:00" in error.value.messages[0]
    with pytest.raises(ValidationError, match="déjà inscrit"):
        sign_up(nurse, need_of(first, None), now=NOW)
    assert SignUp.objects.filter(member=nurse).count() == 2


def test_deadline_closes_sign_up_and_withdrawal_but_not_the_coordination(where):
    created = shift(where, START, changes_until=paris(2026, 3, 9, 18))
    nurse = member()
    signup = sign_up(
        nurse, need_of(created, "infirmier"), now=paris(2026, 3, 9, 18)
    )  # the limit itself
    late = paris(2026, 3, 9, 18, 1)
    with pytest.raises(ValidationError, match="clos depuis le 09/03/2026 18:00"):
        withdraw(signup, now=late)
    with pytest.raises(ValidationError, match="clos"):
        sign_up(member(), need_of(created, "infirmier"), now=late)
    withdraw(signup, now=late, force=True)
    assert not SignUp.objects.exists()


def test_inactive_member_cannot_sign_up(where):
    created = shift(where, START)
    with pytest.raises(ValidationError, match="membre actif"):
        sign_up(member(status=MemberStatus.CANDIDATE), need_of(created, None), now=NOW)


def test_swap_moves_the_sign_up_or_changes_nothing(where):
    morning = shift(where, START)
    afternoon = shift(where, START + datetime.timedelta(hours=5))
    nurse = member()
    signup = sign_up(nurse, need_of(morning, "infirmier"), now=NOW)
    moved = swap(signup, need_of(afternoon, "infirmier"), now=NOW)
    assert moved.shift == afternoon and SignUp.objects.filter(member=nurse).count() == 1
    # A full target refuses the swap and keeps the sign-up where it was.
    sign_up(member(), need_of(morning, "infirmier"), now=NOW)
    sign_up(member(), need_of(morning, "infirmier"), now=NOW)
    with pytest.raises(ValidationError, match="complet"):
        swap(moved, need_of(morning, "infirmier"), now=NOW)
    assert SignUp.objects.get(member=nurse).shift == afternoon
    # Swapping within the same shift to a need of another profession is refused too.
    with pytest.raises(ValidationError, match="réservée"):
        swap(moved, need_of(afternoon, "medecin_generaliste"), now=NOW)


def test_shift_edit_keeps_signed_up_needs(where):
    created = shift(where, START)
    sign_up(member(), need_of(created, "infirmier"), now=NOW)
    sign_up(member(), need_of(created, "infirmier"), now=NOW)
    kwargs: dict[str, Any] = {
        "starts_at": START,
        "ends_at": START + datetime.timedelta(hours=4),
        "changes_until": START - datetime.timedelta(hours=12),
        "notes": "",
    }
    with pytest.raises(ValidationError, match="déjà 2 inscrit"):
        save_shift(created, where, needs=[(profession("infirmier"), 1)], **kwargs)
    with pytest.raises(ValidationError, match="ne peut être retiré"):
        save_shift(created, where, needs=[(profession("medecin_generaliste"), 1)], **kwargs)
    save_shift(created, where, needs=[(profession("infirmier"), 3), (None, 2)], **kwargs)
    assert sorted((n.label, n.count) for n in created.needs.all()) == [
        ("Accueil", 2),
        ("Infirmier(ère)", 3),
    ]


def test_moving_a_shift_onto_another_shift_of_a_volunteer_is_refused(where):
    first = shift(where, START)
    second = shift(where, START + datetime.timedelta(hours=6))
    nurse = member()
    sign_up(nurse, need_of(first, "infirmier"), now=NOW)
    sign_up(nurse, need_of(second, "infirmier"), now=NOW)
    with pytest.raises(ValidationError, match="chevaucherait"):
        save_shift(
            second,
            where,
            starts_at=START + datetime.timedelta(hours=2),
            ends_at=START + datetime.timedelta(hours=6),
            changes_until=START - datetime.timedelta(hours=1),
            notes="",
            needs=[(profession("infirmier"), 2)],
        )


def test_roster_totals_and_hours_for_claims(where):
    past = shift(where, paris(2026, 2, 21, 8), hours=3.5, changes_until=paris(2026, 2, 20, 8))
    future = shift(where, START)
    nurse = member()
    sign_up(nurse, need_of(past, "infirmier"), force=True)
    sign_up(nurse, need_of(future, "infirmier"), now=NOW)
    totals = roster_totals(where.activation)
    assert (totals.shifts, totals.filled, totals.needed, totals.taken, totals.volunteers) == (
        2,
        0,
        8,
        2,
        1,
    )
    assert totals.gaps == 6
    rows = member_shift_hours(nurse, now=paris(2026, 3, 1))
    assert [(row.shift_id, row.hours, row.profession) for row in rows] == [
        (past.pk, Decimal("3.50"), "Infirmier(ère)")
    ]
    assert (
        member_shift_hours(
            nurse, datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), now=paris(2026, 4, 1)
        )[0].shift_id
        == future.pk
    )


def test_sign_ups_and_withdrawals_are_audited(where):
    created = shift(where, START)
    signup = sign_up(member(), need_of(created, "infirmier"), now=NOW)
    withdraw(signup, now=NOW)
    actions = list(
        LogEntry.objects.filter(content_type__model="signup").values_list("action", flat=True)
    )
    assert actions == [LogEntry.Action.CREATE, LogEntry.Action.DELETE] or sorted(actions) == [
        LogEntry.Action.CREATE,
        LogEntry.Action.DELETE,
    ]


def test_a_shift_names_itself_in_paris_time(where):
    # 08:00 in Paris is 07:00 UTC in March: a claim's label must read the local time.
    created = Shift.objects.get(pk=shift(where, START).pk)
    assert str(created) == "Centre de vaccination de Lodève — 10/03/2026 08:00"


def test_a_closed_crisis_takes_no_shift_after_its_last_day(where):
    crisis = where.activation
    crisis.ended_on = datetime.date(2026, 3, 9)
    crisis.save()
    with pytest.raises(ValidationError) as error:
        shift(where, START)  # 10/03, the day after the end
    assert error.value.message_dict["starts_at"] == [
        "La crise « Épidémie de grippe » est close depuis le 09/03/2026 : un créneau ne peut "
        "commencer après (modifiez d'abord la date de fin de la crise)."
    ]
    assert shift(where, paris(2026, 3, 9, 20)).pk is not None  # its last day is still open


def test_a_crisis_cannot_end_before_its_planned_shifts(where):
    from crisis.services.activations import save_activation

    crisis = where.activation
    shift(where, paris(2026, 3, 9, 20))
    shift(where, START)  # 10/03
    fields = {
        "title": crisis.title,
        "situation": crisis.situation,
        "started_on": crisis.started_on,
        "ars_recognised": False,
        "ars_recognised_on": None,
    }
    with pytest.raises(ValidationError) as error:
        save_activation(crisis, {**fields, "ended_on": datetime.date(2026, 3, 8)})
    assert error.value.message_dict["ended_on"] == [
        "2 créneau(x) de cette crise commence(nt) après le 08/03/2026 (le dernier le "
        "10/03/2026) : choisissez une fin plus tardive ou déplacez-les."
    ]
    crisis.refresh_from_db()
    assert crisis.ended_on is None
    assert save_activation(crisis, {**fields, "ended_on": datetime.date(2026, 3, 10)}).ended_on

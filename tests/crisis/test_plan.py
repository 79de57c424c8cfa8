"""The crisis plan: contact tree parsing, versions (kept, numbered, who/when), refusal of an
unchanged version, and the PDF through the document pipeline."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from cpts.models import GeneratedDocument
from crisis.models import PlanVersion
from crisis.services.plan import parse_contact_tree, publish_version, request_plan_pdf
from tests.crisis.helpers import member
from tests.pdf_utils import pdf_text

pytestmark = pytest.mark.django_db

TREE = (
    "Référent SSE ; Dr Anne Martin ; 06 12 34 56 78\nCoordinatrice ; Julie Roux ; +33 4 67 00 00 00"
)


def plan_values(referent: Any, **overrides: Any) -> dict[str, Any]:
    return {
        "referent_sse": referent,
        "referent_sse_deputy": None,
        "cell_place": "Maison de santé de Lodève, salle 2",
        "cell_fallback_place": "",
        "cell_activation": "",
        "contact_tree": parse_contact_tree(TREE),
        "section_injured": "Accueil des blessés légers au cabinet.",
        "section_seasonal": "Plan canicule : appel des patients fragiles par les infirmiers.",
        "section_emerging": "Centre de dépistage éphémère.",
        "section_nrbc": "Orientation vers le SAMU.",
        "section_supply": "Permanence des pharmacies.",
        **overrides,
    }


def test_contact_tree_rows_are_parsed_and_wrong_rows_named():
    assert parse_contact_tree(TREE)[1] == {
        "role": "Coordinatrice",
        "name": "Julie Roux",
        "phone": "+33 4 67 00 00 00",
    }
    with pytest.raises(ValidationError) as error:
        parse_contact_tree(
            "Référent ; Anne ; 06 12 34 56 78\n\nSecrétaire ; Paul\nTrésorier ; Léo ; 12"
        )
    messages = error.value.message_dict["contact_tree"]
    assert messages == [
        "Ligne 3 : écrivez « Rôle ; Nom ; Téléphone » (trois parties).",
        "Ligne 4 : le téléphone « 12 » n'est pas un numéro valide.",
    ]
    with pytest.raises(ValidationError, match="au moins une personne"):
        parse_contact_tree("   \n")


def test_each_update_is_a_new_version_and_earlier_ones_are_kept(association, coordinator):
    referent = member("medecin_generaliste")
    first = publish_version(
        values=plan_values(referent), summary="Première rédaction", by=coordinator
    )
    second = publish_version(
        values=plan_values(referent, cell_place="Mairie de Lodève"),
        summary="  Nouveau lieu   de cellule ",
        by=coordinator,
    )
    assert (first.number, second.number) == (1, 2)
    assert second.summary == "Nouveau lieu de cellule"
    assert second.created_by == coordinator and second.created_at >= first.created_at
    first.refresh_from_db()
    assert first.cell_place == "Maison de santé de Lodève, salle 2"
    assert PlanVersion.objects.first() == second


def test_an_unchanged_or_incomplete_plan_is_refused(association, coordinator):
    referent = member("medecin_generaliste")
    publish_version(values=plan_values(referent), summary="v1", by=coordinator)
    with pytest.raises(ValidationError, match="Rien n'a changé depuis la version 1"):
        publish_version(values=plan_values(referent), summary="v2", by=coordinator)
    with pytest.raises(ValidationError) as error:
        publish_version(
            values=plan_values(referent, section_nrbc=" ", referent_sse_deputy=referent),
            summary="",
            by=coordinator,
        )
    assert set(error.value.message_dict) == {"summary", "section_nrbc", "referent_sse_deputy"}
    assert PlanVersion.objects.count() == 1


def test_the_plan_pdf_holds_every_section(
    association, coordinator, django_capture_on_commit_callbacks
):
    referent = member("medecin_generaliste", first_name="Anne", last_name="Martin")
    version = publish_version(
        values=plan_values(referent), summary="Première rédaction", by=coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        document = request_plan_pdf(version, by=coordinator)
    document.refresh_from_db()
    assert document.status == GeneratedDocument.Status.DONE, document.error_message
    text = pdf_text(document.file.read())
    for expected in (
        "Plan de crise sanitaire de la CPTS",
        "version 1",
        "Martin",
        "Maison de santé de Lodève",
        "Julie Roux",
        "Afflux de blessés",
        "Agent infectieux émergent",
        "Rupture de l'offre de soins",
        "Permanence des pharmacies",
    ):
        assert expected in text


def test_each_part_of_the_plan_shows_the_date_it_was_last_updated(client, coordinator, association):
    import datetime

    from django.urls import reverse
    from django.utils import timezone

    from crisis.selectors.plan import part_updates

    referent = member("medecin_generaliste")
    days = [timezone.now() - datetime.timedelta(days=n) for n in (300, 200, 100)]
    steps = [
        plan_values(referent),
        plan_values(referent, section_nrbc="Orientation vers le SAMU et l'hôpital de Sète."),
        plan_values(
            referent,
            section_nrbc="Orientation vers le SAMU et l'hôpital de Sète.",
            cell_place="Mairie de Lodève",
        ),
    ]
    for day, values in zip(days, steps, strict=True):
        version = publish_version(values=values, summary="Mise à jour", by=coordinator)
        PlanVersion.objects.filter(pk=version.pk).update(created_at=day)
    latest = PlanVersion.objects.get(number=3)
    updates = part_updates(latest)
    assert {part: update.number for part, update in updates.items()} == {
        "cell": 3,
        "contact_tree": 1,
        "injured": 1,
        "seasonal": 1,
        "emerging": 1,
        "nrbc": 2,
        "supply": 1,
    }
    assert part_updates(PlanVersion.objects.get(number=2))["cell"].number == 1
    client.force_login(coordinator)
    page = client.get(reverse("crisis_plan")).content.decode()
    nrbc = page.split('data-testid="plan-section-nrbc"')[1].split("</div>")[0]
    assert f"Mise à jour le {timezone.localtime(days[1]):%d/%m/%Y} (version 2)" in nrbc
    injured = page.split('data-testid="plan-section-injured"')[1].split("</div>")[0]
    assert f"Mise à jour le {timezone.localtime(days[0]):%d/%m/%Y} (version 1)" in injured


def test_the_plan_page_keeps_its_queries_as_versions_pile_up(client, coordinator, association):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    referent = member("medecin_generaliste")

    def publish(count: int) -> int:
        start = PlanVersion.objects.count()
        for index in range(start, start + count):
            values = plan_values(referent, section_supply=f"Permanence des pharmacies ({index}).")
            publish_version(values=values, summary="Mise à jour", by=coordinator)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("crisis_plan")).status_code == 200
        return len(captured)

    client.force_login(coordinator)
    assert publish(2) == publish(8)


def test_the_plan_page_gives_the_referents_phones(client, coordinator, association):
    from django.urls import reverse

    referent = member("medecin_generaliste", phone="06 11 22 33 44")
    deputy = member("infirmier", phone="06 55 66 77 88")
    values = plan_values(referent, referent_sse_deputy=deputy)
    publish_version(values=values, summary="Première rédaction", by=coordinator)
    client.force_login(coordinator)
    page = client.get(reverse("crisis_plan")).content.decode()
    assert '<a href="tel:0611223344">06 11 22 33 44</a>' in page
    assert '<a href="tel:0655667788">06 55 66 77 88</a>' in page


def test_the_plan_pdf_dates_each_part_and_lists_the_versions(
    association, coordinator, django_capture_on_commit_callbacks
):
    import datetime

    from django.utils import timezone

    referent = member("medecin_generaliste", first_name="Anne", last_name="Martin")
    days = [timezone.now() - datetime.timedelta(days=n) for n in (300, 200, 100)]
    nrbc = "Orientation vers le SAMU et l'hôpital de Sète."
    steps = [
        ("Première rédaction", plan_values(referent)),
        ("Conduite NRBC", plan_values(referent, section_nrbc=nrbc)),
        ("Nouvelle cellule", plan_values(referent, section_nrbc=nrbc, cell_place="Mairie")),
    ]
    versions = []
    for day, (summary, values) in zip(days, steps, strict=True):
        version = publish_version(values=values, summary=summary, by=coordinator)
        PlanVersion.objects.filter(pk=version.pk).update(created_at=day)
        versions.append(version)

    def pdf_of(version: PlanVersion) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            document = request_plan_pdf(version, by=coordinator)
        document.refresh_from_db()
        assert document.status == GeneratedDocument.Status.DONE, document.error_message
        return " ".join(pdf_text(document.file.read()).split())

    first, second, third = (timezone.localdate(day).strftime("%d/%m/%Y") for day in days)
    text = pdf_of(versions[2])
    assert text.count(f"Mise à jour le {third} (version 3)") == 1  # the cell
    assert text.count(f"Mise à jour le {second} (version 2)") == 1  # the NRBC situation
    assert text.count(f"Mise à jour le {first} (version 1)") == 5  # the tree, four situations
    history = text[text.lower().index("4. historique des versions") :]  # headings in capitals
    for number, shown, summary in ((3, third, "Nouvelle cellule"), (2, second, "Conduite NRBC")):
        assert f"{number} {shown} {summary}" in history
    assert f"1 {first} Première rédaction" in history
    older = pdf_of(versions[1])
    assert "Nouvelle cellule" not in older and f"2 {second} Conduite NRBC" in older

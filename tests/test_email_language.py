"""Emails and in-app notifications are written in each recipient's language (User.language), not
in the language of whoever caused them: one flow per app, each run with the actor's language set
to English and to French, with a French-speaking and an English-speaking recipient."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import trans_real

from apps_marketplace.services import registration_create
from chapters import services as chapter_services
from chapters.models import Chapter
from core.models import Notification, Role
from core.services import role_grant
from governance import services as governance_services
from governance.elections import services as election_services
from governance.elections.models import Election
from scripts import compilemessages
from tests.apps_marketplace.factories import EventFactory
from tests.chapters import factories as chapter_factories
from tests.elections import factories as election_factories
from tests.factories import UserFactory
from tests.governance import factories as governance_factories

NB = "\u00a0"  # French puts a no-break space before a colon


@pytest.fixture(autouse=True)
def french_compiled():
    """The .mo files are built by `make setup`; build them here too when pytest runs on its own,
    and drop Django's cached catalogues so that the fresh ones are read."""
    compilemessages.main()
    trans_real._translations = {}
    trans_real._default = None
    mail.outbox = []
    yield
    translation.deactivate()


@pytest.fixture(params=["en", "fr"])
def actor_language(request):
    """The language active while the actor acts (their request's, or a task's): it must not
    decide what the recipients read."""
    with translation.override(request.param):
        yield request.param


def emails_to(user) -> list:
    return [message for message in mail.outbox if message.to == [user.email]]


def notifications_of(user) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("pk"))


def french(**kwargs):
    return UserFactory(language="fr", **kwargs)


def english(**kwargs):
    return UserFactory(language="en", **kwargs)


# --- Chapters -------------------------------------------------------------------------------------


def test_chapter_invitation_reaches_each_person_in_their_language(
    in_a, actor_language, django_capture_on_commit_callbacks
):
    metro = chapter_factories.MetroFactory(name="Lyon")
    sectors = {name: chapter_factories.SectorFactory(name=name) for name in ("Food", "Fintech")}
    media = chapter_factories.SectorFactory(name="Media")
    health = chapter_factories.SectorFactory(name="Health")
    chapter = chapter_factories.ChapterFactory(
        metro=metro, name="Lyon Founders", status=Chapter.Status.ACTIVE
    )
    people = {
        "facilitator": chapter_factories.EntrepreneurFactory(
            metro=metro, sector=sectors["Food"], user__name="Fatou", user__language="en"
        ),
        "lea": chapter_factories.EntrepreneurFactory(
            metro=metro, sector=sectors["Fintech"], user__name="Léa", user__language="fr"
        ),
        "hugo": chapter_factories.EntrepreneurFactory(
            metro=metro, sector=health, user__name="Hugo", user__language="en"
        ),
    }
    chapter_factories.join(chapter, people["facilitator"], "facilitator")
    chapter_factories.join(chapter, people["lea"])
    chapter_factories.join(chapter, people["hugo"])
    invitee = french(email="nadia@alpha.test", name="Nadia")

    with django_capture_on_commit_callbacks(execute=True):
        chapter_services.invitation_create(
            chapter=chapter,
            actor=people["facilitator"].user,
            email=invitee.email,
            sector=media,
        )

    # The invitee has an account in French: the email and the in-app notice are in French.
    (invitation,) = emails_to(invitee)
    assert invitation.subject == "[Commons] Invitation à Lyon Founders"
    assert invitation.body.startswith("Bonjour Nadia,")
    assert "vous invite à rejoindre Lyon Founders" in invitation.body
    assert "Accept or decline" not in invitation.body
    (notice,) = notifications_of(invitee)
    assert notice.title == "Vous êtes invité à rejoindre Lyon Founders"

    # The members hear of it (and of their objection window), each in their own language.
    (lea_email,) = emails_to(people["lea"].user)
    assert lea_email.subject == "[Commons] Fatou a invité Nadia (Media) à rejoindre Lyon Founders"
    assert "Si vous avez une raison de vous y opposer" in lea_email.body
    assert notifications_of(people["lea"].user)[0].title == lea_email.subject.removeprefix(
        "[Commons] "
    )
    (hugo_email,) = emails_to(people["hugo"].user)
    assert hugo_email.subject == "[Commons] Fatou invited Nadia (Media) to Lyon Founders"
    assert "If you have a reason to object" in hugo_email.body
    assert notifications_of(people["hugo"].user)[0].body.startswith("If you have a reason")


def test_an_invitation_to_an_address_without_account_is_in_the_default_language(
    in_a, django_capture_on_commit_callbacks
):
    metro = chapter_factories.MetroFactory(name="Lyon")
    chapter = chapter_factories.ChapterFactory(
        metro=metro, name="Lyon Founders", status=Chapter.Status.ACTIVE
    )
    facilitator = chapter_factories.EntrepreneurFactory(metro=metro, user__language="fr")
    chapter_factories.join(chapter, facilitator, "facilitator")
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        chapter_services.invitation_create(
            chapter=chapter,
            actor=facilitator.user,
            email="stranger@alpha.test",
            sector=chapter_factories.SectorFactory(name="Media"),
            name="Sam",
        )
    (message,) = [m for m in mail.outbox if m.to == ["stranger@alpha.test"]]
    assert message.subject == "[Commons] Invitation to Lyon Founders"
    assert message.body.startswith("Hello Sam,")


# --- Governance -----------------------------------------------------------------------------------


def test_escalation_notices_are_in_each_readers_language(
    in_a, actor_language, django_capture_on_commit_callbacks
):
    metro = governance_factories.MetroFactory(name="Lyon")
    chapter = governance_factories.ChapterFactory(metro=metro, name="Lyon Founders")
    raiser = governance_factories.join(chapter, french(name="Rosa")).user
    committee = governance_factories.committee_for(metro)
    claire = french(name="Claire")
    ed = english(name="Ed")
    governance_factories.seat(committee, claire)
    governance_factories.seat(committee, ed)

    with django_capture_on_commit_callbacks(execute=True):
        escalation = governance_services.escalation_raise(
            chapter=chapter,
            user=raiser,
            category="conduct",
            title="Trouble",
            description="Something the chapter cannot settle.",
        )
    headline = f"#{escalation.pk} “Trouble”"

    (to_claire,) = emails_to(claire)
    assert to_claire.subject == (
        f"[Commons] Nouvelle remontée pour le Comité de pilotage Lyon{NB}: {headline}"
    )
    assert to_claire.body.startswith(
        "Comportement · Lyon Founders (Lyon). Merci de la prendre en charge sous"
    )
    (to_ed,) = emails_to(ed)
    assert to_ed.subject == f"[Commons] New escalation for the Lyon steering committee: {headline}"
    assert to_ed.body.startswith("Conduct · Lyon Founders (Lyon). Please acknowledge it within")

    # The raiser reads where it went and why (the route's reason) in French too.
    (to_rosa,) = notifications_of(raiser)
    assert to_rosa.title == (
        f"Votre remontée {headline} a été transmise au Comité de pilotage Lyon"
    )
    assert to_rosa.body == "Lyon a un comité de niveau métropole."
    assert emails_to(raiser)[0].body.startswith("Lyon a un comité de niveau métropole.")
    # What is stored with the hop stays in the language the work was done in.
    assert (
        escalation.routings.get().reason
        == {
            "en": "Lyon has a metro committee.",
            "fr": "Lyon a un comité de niveau métropole.",
        }[actor_language]
    )


def test_committee_appointment_in_the_appointees_language(in_a, actor_language):
    admin = UserFactory()
    role_grant(user=admin, role=Role.ORGANIZATION_ADMIN)
    committee = governance_factories.committee_for(governance_factories.MetroFactory(name="Lyon"))
    claire, ed = french(), english()
    governance_services.committee_member_add(committee=committee, user=claire, actor=admin)
    governance_services.committee_member_add(committee=committee, user=ed, actor=admin)
    assert notifications_of(claire)[0].title == "Vous siégez désormais au Comité de pilotage Lyon"
    assert notifications_of(ed)[0].title == "You now sit on the Lyon steering committee"


# --- Marketplace ----------------------------------------------------------------------------------


def test_registration_email_in_the_registrants_language(
    in_a, actor_language, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Pitch Night", price=Decimal("10.00"), capacity=10)
    lea, ed = french(name="Léa"), english(name="Ed")
    with django_capture_on_commit_callbacks(execute=True):
        registration_create(event=event, user=lea)
        registration_create(event=event, user=ed)

    (to_lea,) = emails_to(lea)
    assert to_lea.subject == f"[Commons] Vous êtes inscrit{NB}: Pitch Night"
    assert to_lea.body.startswith("Bonjour Léa,\n\nVotre place est confirmée.\nPayez 10")
    assert f"Votre inscription{NB}: http://" in to_lea.body
    assert "Your seat" not in to_lea.body
    starts = timezone.localtime(event.starts_at, event.metro.tzinfo)
    with translation.override("fr"):
        assert date_format(starts, "l j F Y, H:i") in to_lea.body  # French day and month
    assert notifications_of(lea)[0].body == "Votre place est confirmée."

    (to_ed,) = emails_to(ed)
    assert to_ed.subject == "[Commons] You are registered: Pitch Night"
    assert to_ed.body.startswith("Hello Ed,\n\nYour seat is confirmed.\nPay 10")
    assert notifications_of(ed)[0].title == "You are registered: Pitch Night"


# --- Elections ------------------------------------------------------------------------------------


def test_election_notices_in_each_electors_language(
    in_a, actor_language, django_capture_on_commit_callbacks
):
    committee = election_factories.metro_committee()
    claire = election_factories.committee_member(committee, language="fr")
    ed = election_factories.committee_member(committee, language="en")
    record = election_factories.election(state=Election.State.SETUP, title="Board 2027")
    Election.objects.filter(pk=record.pk).update(nominations_open=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        election_services.elections_advance(now=timezone.now() + dt.timedelta(seconds=1))

    (to_claire,) = emails_to(claire)
    assert to_claire.subject == f"[Commons] Les candidatures sont ouvertes{NB}: Board 2027"
    assert to_claire.body.startswith("En tant que membre d'un comité de pilotage")
    assert notifications_of(claire)[0].title == f"Les candidatures sont ouvertes{NB}: Board 2027"
    (to_ed,) = emails_to(ed)
    assert to_ed.subject == "[Commons] Nominations are open: Board 2027"
    assert to_ed.body.startswith("As a member of a steering committee")

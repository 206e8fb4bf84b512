"""One-time links to set a password: printed once without email, sent with it, spent once used, dead
after PASSWORD_RESET_TIMEOUT or deactivation; "forgotten password" only where email can be sent."""

import time
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.comptes.conftest import compte, donnees, evenements
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, ville_user):
    client.force_login(ville_user)
    return client


@pytest.fixture
def smtp_configure(settings):
    """An SMTP server is configured; the test's mail goes to Django's in-memory outbox."""
    settings.EMAIL_HOST = "smtp.exemple.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _creer_benevole(staff, centre, **champs):
    return staff.post(reverse("comptes:creer"), donnees(centres=[centre.pk], **champs))


def _lien_affiche(staff, reponse):
    return staff.get(reponse.url).context["url"]


def _definir(lien, mot_de_passe="un-Mot-de-passe-solide-42"):
    """A fresh browser opens the link and sets the password; returns the last response."""
    visiteur = Client()
    reponse = visiteur.get(urlsplit(lien).path, follow=True)
    if not reponse.context["validlink"]:
        return reponse
    return visiteur.post(
        reponse.redirect_chain[-1][0],
        {"new_password1": mot_de_passe, "new_password2": mot_de_passe},
        follow=True,
    )


def test_without_email_the_link_is_printed_once_to_hand_over(staff, centre, mailoutbox):
    reponse = _creer_benevole(staff, centre, email="nina@exemple.org")
    nouvelle = compte("nouvelle")
    assert reponse.url == reverse("comptes:lien", args=[nouvelle.pk])

    page = staff.get(reponse.url)
    contenu = page.content.decode()
    assert page.context["url"].startswith("http://testserver/accounts/reset/")
    assert page.context["url"] in contenu
    assert "remettez-la en main propre" in contenu and "nouvelle" in contenu
    assert contenu.count("<svg") == 1  # the QR code of the link, to scan from the sheet
    assert page["Cache-Control"].startswith("max-age=0")  # never_cache: not kept by the browser

    encore = staff.get(reponse.url)
    assert encore.url == reverse("comptes:detail", args=[nouvelle.pk])
    assert mailoutbox == []
    (entree,) = evenements("comptes.lien")
    assert entree.details["canal"] == "main_propre"


def test_the_link_sets_the_password_once_and_then_no_more(staff, centre, connecter):
    lien = _lien_affiche(staff, _creer_benevole(staff, centre))

    fin = _definir(lien)
    assert "Votre mot de passe est enregistré" in fin.content.decode()
    nouvelle = compte("nouvelle")
    assert nouvelle.has_usable_password()
    (entree,) = evenements("comptes.mot_de_passe")
    assert entree.par == nouvelle

    staff.logout()
    assert connecter("nouvelle", "un-Mot-de-passe-solide-42").url == reverse("accueil_role")

    deuxieme = _definir(lien, "un-autre-Mot-de-passe-77")
    assert deuxieme.context["validlink"] is False
    assert "Ce lien ne fonctionne plus" in deuxieme.content.decode()
    nouvelle.refresh_from_db()
    assert nouvelle.check_password("un-Mot-de-passe-solide-42")


def test_a_link_expires_after_password_reset_timeout(staff, centre, settings):
    settings.PASSWORD_RESET_TIMEOUT = 1
    lien = _lien_affiche(staff, _creer_benevole(staff, centre))
    time.sleep(2.1)
    assert _definir(lien).context["validlink"] is False
    assert not compte("nouvelle").has_usable_password()


def test_a_deactivated_account_cannot_use_its_link_nor_get_a_new_one(staff, centre):
    lien = _lien_affiche(staff, _creer_benevole(staff, centre))
    nouvelle = compte("nouvelle")
    staff.post(reverse("comptes:desactiver", args=[nouvelle.pk]))
    assert _definir(lien).context["validlink"] is False
    reponse = staff.post(reverse("comptes:lien_emettre", args=[nouvelle.pk]), follow=True)
    assert "Ce compte est désactivé" in reponse.content.decode()
    assert len(evenements("comptes.lien")) == 1


def test_staff_issue_a_new_link_for_a_forgotten_password(staff, accueil_user, connecter):
    reponse = staff.post(reverse("comptes:lien_emettre", args=[accueil_user.pk]))
    lien = _lien_affiche(staff, reponse)
    _definir(lien, "nouveau-Mot-de-passe-99")
    staff.logout()
    assert connecter("benevole", "nouveau-Mot-de-passe-99").status_code == 302
    assert connecter("benevole", "mot-de-passe-test").status_code == 200  # the old one no longer works


def test_with_an_smtp_server_the_link_is_sent_and_not_shown(staff, centre, smtp_configure, mailoutbox):
    reponse = _creer_benevole(staff, centre, email="nina@exemple.org")
    nouvelle = compte("nouvelle")
    assert reponse.url == reverse("comptes:detail", args=[nouvelle.pk])
    (message,) = mailoutbox
    assert message.to == ["nina@exemple.org"]
    assert message.subject == "Votre compte Internet Pour Tous"
    assert "Identifiant : nouvelle" in message.body
    lien = next(ligne for ligne in message.body.splitlines() if "/accounts/reset/" in ligne)
    page = staff.get(reponse.url)
    assert lien not in page.content.decode()
    assert "a été envoyé à nina@exemple.org" in page.content.decode()
    assert evenements("comptes.lien")[0].details["canal"] == "courriel"
    assert _definir(lien).status_code == 200 and compte("nouvelle").has_usable_password()


def test_with_an_smtp_server_an_account_without_email_gets_a_printed_link(
    staff, centre, smtp_configure, mailoutbox
):
    reponse = _creer_benevole(staff, centre, email="")
    assert reponse.url == reverse("comptes:lien", args=[compte("nouvelle").pk])
    assert mailoutbox == []


def test_an_smtp_server_that_does_not_answer_falls_back_to_the_printed_link(
    staff, centre, settings, unused_port
):
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = unused_port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    reponse = _creer_benevole(staff, centre, email="nina@exemple.org")
    nouvelle = compte("nouvelle")
    assert reponse.url == reverse("comptes:lien", args=[nouvelle.pk])
    page = staff.get(reponse.url)
    assert "Le courriel n’a pas pu être envoyé" in page.content.decode()
    (entree,) = evenements("comptes.lien")
    assert entree.details["canal"] == "main_propre" and entree.details["echec_envoi"] is True


# --- "Forgotten password" from the login page -------------------------------------------------------


def test_forgotten_password_is_hidden_without_email(client):
    assert "Mot de passe oublié" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("password_reset")).status_code == 404
    assert client.post(reverse("password_reset"), {"email": "x@exemple.org"}).status_code == 404
    assert client.get(reverse("password_reset_done")).status_code == 404


def test_forgotten_password_in_development_uses_the_console(client, settings):
    settings.DEBUG = True
    assert "Mot de passe oublié" in client.get(reverse("login")).content.decode()
    assert client.get(reverse("password_reset")).status_code == 200


def test_forgotten_password_sends_a_link_without_saying_whether_the_account_exists(
    client, smtp_configure, mailoutbox, connecter
):
    UserFactory(username="camille", email="camille@exemple.org", role="accueil")
    UserFactory(username="ancienne", email="ancienne@exemple.org", role="accueil", is_active=False)
    assert "Mot de passe oublié" in client.get(reverse("login")).content.decode()

    reponses = [
        client.post(reverse("password_reset"), {"email": adresse})
        for adresse in ("camille@exemple.org", "personne@exemple.org", "ancienne@exemple.org")
    ]
    assert {(r.status_code, r.url) for r in reponses} == {(302, reverse("password_reset_done"))}
    (message,) = mailoutbox
    assert message.to == ["camille@exemple.org"]
    lien = next(mot for mot in message.body.split() if "/accounts/reset/" in mot)
    _definir(lien, "retrouve-Mot-de-passe-31")
    assert connecter("camille", "retrouve-Mot-de-passe-31").status_code == 302

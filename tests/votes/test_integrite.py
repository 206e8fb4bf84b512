"""What the database itself refuses: a second ballot, a changed or deleted ballot, a ballot for a closed
vote, a roll changed after opening, a vote going backwards or its count rewritten after closing."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from tests.factories import LogementFactory
from tests.votes.conftest import code_de
from votes import services
from votes.models import Bulletin, BulletinImmuable, Inscrit, Scrutin


@pytest.fixture
def bulletin(scrutin, logements_immeuble, ville_user):
    return services.bulletin_enregistrer(
        scrutin_id=scrutin.pk,
        code=code_de(scrutin, logements_immeuble[0]),
        choix="oui",
        canal="ville",
        par=ville_user,
    )


def _sql(requete, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(requete, params)


def test_the_database_refuses_a_second_ballot_for_the_same_dwelling(bulletin):
    with pytest.raises(IntegrityError), transaction.atomic():
        Bulletin.objects.create(
            scrutin=bulletin.scrutin,
            inscrit=bulletin.inscrit,
            logement=bulletin.logement,
            choix="non",
            canal="gardien",
        )


def test_a_new_ballot_is_allowed_once_the_first_is_cancelled(bulletin, ville_user):
    Bulletin.objects.filter(pk=bulletin.pk).update(
        annule_le=timezone.now(), annule_par=ville_user, motif_annulation="test"
    )
    Bulletin.objects.create(
        scrutin=bulletin.scrutin,
        inscrit=bulletin.inscrit,
        logement=bulletin.logement,
        choix="non",
        canal="ville",
    )
    assert Bulletin.objects.valides().count() == 1


def test_a_cancellation_needs_a_reason_in_the_database(bulletin):
    with pytest.raises(IntegrityError), transaction.atomic():
        Bulletin.objects.filter(pk=bulletin.pk).update(annule_le=timezone.now())


def test_the_model_refuses_to_change_or_delete_a_ballot(bulletin):
    bulletin.choix = "non"
    with pytest.raises(BulletinImmuable):
        bulletin.save()
    with pytest.raises(BulletinImmuable):
        bulletin.delete()
    with pytest.raises(BulletinImmuable):
        Bulletin.objects.filter(pk=bulletin.pk).delete()
    with pytest.raises(BulletinImmuable):
        Bulletin.objects.filter(pk=bulletin.pk).update(choix="non")


def test_the_database_refuses_to_change_a_ballot(bulletin):
    with pytest.raises(IntegrityError, match="ne se modifie pas"):
        _sql("UPDATE votes_bulletin SET choix = 'non' WHERE id = %s", [bulletin.pk])
    with pytest.raises(IntegrityError, match="ne se modifie pas"):
        _sql("UPDATE votes_bulletin SET saisi_le = saisi_le - interval '1 day' WHERE id = %s", [bulletin.pk])
    bulletin.refresh_from_db()
    assert bulletin.choix == "oui"


def test_the_database_refuses_to_delete_a_ballot(bulletin):
    with pytest.raises(IntegrityError, match="jamais supprimé"):
        _sql("DELETE FROM votes_bulletin WHERE id = %s", [bulletin.pk])
    assert Bulletin.objects.filter(pk=bulletin.pk).exists()


def test_a_cancelled_ballot_never_changes_again(bulletin, ville_user):
    services.bulletin_annuler(bulletin=bulletin, motif="erreur", par=ville_user)
    with pytest.raises(IntegrityError, match="annulé ne change plus"):
        _sql("UPDATE votes_bulletin SET motif_annulation = 'autre' WHERE id = %s", [bulletin.pk])


def test_the_database_refuses_a_ballot_for_a_closed_vote(scrutin, logements_immeuble, ville_user):
    services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    inscrit = scrutin.inscrits.get(logement=logements_immeuble[0])
    with pytest.raises(IntegrityError, match="n’est pas ouvert|n'est pas ouvert"), transaction.atomic():
        Bulletin.objects.create(
            scrutin=scrutin, inscrit=inscrit, logement=inscrit.logement, choix="oui", canal="ville"
        )


def test_the_database_refuses_a_ballot_whose_dwelling_is_not_the_roll_s(scrutin, logements_immeuble):
    inscrit = scrutin.inscrits.get(logement=logements_immeuble[0])
    with pytest.raises(IntegrityError, match="pas inscrit"), transaction.atomic():
        Bulletin.objects.create(
            scrutin=scrutin, inscrit=inscrit, logement=logements_immeuble[1], choix="oui", canal="ville"
        )


def test_the_roll_is_frozen_once_the_vote_is_open(scrutin, immeuble):
    with pytest.raises(IntegrityError, match="gelée"), transaction.atomic():
        Inscrit.objects.create(
            scrutin=scrutin, logement=LogementFactory(immeuble=immeuble), immeuble=immeuble, code="AAAAAAA"
        )
    with pytest.raises(IntegrityError, match="gelée"), transaction.atomic():
        Inscrit.objects.filter(scrutin=scrutin).delete()
    with pytest.raises(IntegrityError, match="ne se modifie pas"):
        _sql("UPDATE votes_inscrit SET code = 'BBBBBBB' WHERE scrutin_id = %s", [scrutin.pk])


def test_a_vote_never_goes_back_nor_changes_its_count_once_closed(scrutin, ville_user):
    with pytest.raises(IntegrityError, match="ne revient pas en arrière"):
        _sql("UPDATE votes_scrutin SET statut = 'brouillon' WHERE id = %s", [scrutin.pk])
    with pytest.raises(IntegrityError, match="ne changent plus"):
        _sql("UPDATE votes_scrutin SET regle = 'sauf_opposition' WHERE id = %s", [scrutin.pk])
    services.scrutin_clore(scrutin=scrutin, par=ville_user, proces_verbal=False)
    with pytest.raises(IntegrityError, match="ne changent plus"):
        _sql("UPDATE votes_scrutin SET resultat = 'adopte' WHERE id = %s", [scrutin.pk])
    with pytest.raises(IntegrityError, match="ne changent plus"):
        _sql("UPDATE votes_scrutin SET empreinte = repeat('0', 64) WHERE id = %s", [scrutin.pk])


def test_a_closed_vote_must_have_a_result(scrutin):
    with pytest.raises(IntegrityError), transaction.atomic():
        Scrutin.objects.filter(pk=scrutin.pk).update(statut="clos")


def test_the_closing_must_follow_the_opening(scrutin):
    with pytest.raises(IntegrityError), transaction.atomic():
        Scrutin.objects.filter(pk=scrutin.pk).update(ferme_le=scrutin.ouvre_le)

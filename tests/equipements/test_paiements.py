"""Payments towards a PC sale: receipts numbered without gaps, what remains, the instalments' rounding and
follow-up, reversals, refunds, waivers, and immutability (model guard and PostgreSQL trigger)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from equipements import paiements
from equipements.modeles_ordinateurs import Ordinateur, Vente, plan_echeances
from equipements.modeles_paiements import Abandon, Paiement, PaiementFige
from equipements.models import CompteurRecu, Recu
from ipt.models import Evenement
from tests.equipements.conftest import foyer_adherent
from tests.equipements.outils_paiements import vente_creer
from tests.pdf import pdf_texte

D = Decimal


def jours(n: int) -> datetime.date:
    """``n`` days ago."""
    return timezone.localdate() - datetime.timedelta(days=n)


ANNEE = timezone.localdate().year


@pytest.fixture
def vente(foyer, accueil_user):
    return vente_creer(foyer, prix="40.00", nb=3, date=jours(70), par=accueil_user)


def payer(vente, montant, par, **kwargs):
    kwargs.setdefault("mode", "especes")
    kwargs.setdefault("rendre_pdf", False)
    return paiements.encaisser(vente=vente, montant=D(montant), par=par, **kwargs)


# --- Rounding and instalments ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prix", "n", "attendu"),
    [
        ("40", 3, ["13.33", "13.33", "13.34"]),
        ("70", 4, ["17.50", "17.50", "17.50", "17.50"]),
        ("70", 3, ["23.33", "23.33", "23.34"]),
        ("40", 1, ["40.00"]),
    ],
)
def test_instalments_round_down_and_put_the_remainder_on_the_last(prix, n, attendu):
    plan = plan_echeances(D(prix), n, datetime.date(2026, 1, 31))
    assert [m for _r, _d, m in plan] == [D(a) for a in attendu]
    assert sum(m for _r, _d, m in plan) == D(prix)
    if n > 1:  # monthly, on the same day or the month's last
        assert [d for _r, d, _m in plan][:2] == [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)]


def test_payments_are_applied_to_the_instalments_in_order(vente, accueil_user):
    # Sold 70 days ago in 3: instalments at day -70, -40 (ish) and -9 (ish): all three are past.
    payer(vente, "13.33", accueil_user, le=jours(70))
    payer(vente, "5.00", accueil_user)
    s = paiements.situation(vente)
    assert [e.statut for e in s.echeances] == ["payee", "en_retard", "en_retard"]
    assert s.echeances[1].couvert == D("5.00")
    assert s.en_retard == D("21.67")
    assert s.reste == D("21.67")
    assert s.prochaine.rang == 2


def test_an_instalment_due_today_is_due_not_overdue(foyer, accueil_user):
    vente = vente_creer(foyer, prix="40.00", nb=2, date=timezone.localdate(), par=accueil_user)
    s = paiements.situation(vente)
    assert [e.statut for e in s.echeances] == ["a_venir", "a_venir"]
    assert s.en_retard == 0
    assert s.a_payer_maintenant == D("20.00")


# --- encaisser ------------------------------------------------------------------------------------


def test_encaisser_gives_a_numbered_receipt_and_lowers_what_remains(vente, accueil_user):
    p = payer(vente, "13.33", accueil_user, le=jours(0))
    assert p.recu.numero == f"PAI-{ANNEE}-00001"
    assert p.centre_id == vente.centre_id
    assert p.par_nom == accueil_user.get_full_name()
    assert paiements.reste_du(vente) == D("26.67")
    p2 = paiements.encaisser(vente=vente, montant="13,33", mode="carte", par=accueil_user, rendre_pdf=False)
    assert p2.recu.numero == f"PAI-{ANNEE}-00002"
    assert p2.date == timezone.localdate()
    assert paiements.reste_du(vente) == D("13.34")
    assert Evenement.objects.filter(action="equipements.paiement").count() == 2


def test_a_third_party_pays_part_named(vente, accueil_user):
    p = payer(vente, "20.00", accueil_user, mode="tiers", tiers="  CCAS   de Brest ")
    assert p.tiers == "CCAS de Brest"
    assert p.mode_libelle == "tiers : CCAS de Brest"
    assert payer(vente, "20.00", accueil_user, tiers="ignored").tiers == ""


@pytest.mark.parametrize(
    ("montant", "kwargs", "code"),
    [
        ("40.01", {}, "trop"),
        ("0", {}, "montant"),
        ("-5", {}, "montant"),
        ("10.001", {}, "montant"),
        ("abc", {}, "montant"),
        ("10", {"mode": "bitcoin"}, "mode"),
        ("10", {"mode": "tiers"}, "tiers"),
        ("10", {"le": timezone.localdate() + datetime.timedelta(days=1)}, "futur"),
        ("10", {"le": jours(71)}, "avant_vente"),
    ],
)
def test_encaisser_refuses_in_french_and_writes_nothing(vente, accueil_user, montant, kwargs, code):
    kwargs.setdefault("mode", "especes")
    with pytest.raises(ValidationError) as erreur:
        paiements.encaisser(vente=vente, montant=montant, par=accueil_user, rendre_pdf=False, **kwargs)
    assert erreur.value.code == code
    assert not Paiement.objects.exists() and not Recu.objects.exists()
    assert not CompteurRecu.objects.filter(prefixe="PAI", dernier__gt=0).exists()


def test_nothing_is_taken_once_paid_in_full(vente, accueil_user):
    payer(vente, "40.00", accueil_user)
    with pytest.raises(ValidationError) as erreur:
        payer(vente, "1.00", accueil_user)
    assert erreur.value.code == "solde"
    assert "Il ne reste rien à payer" in erreur.value.messages[0]


def test_a_rolled_back_payment_gives_its_number_back(vente, accueil_user):
    payer(vente, "10.00", accueil_user)
    with pytest.raises(RuntimeError), transaction.atomic():
        payer(vente, "10.00", accueil_user)
        raise RuntimeError("the sale's form failed after the payment")
    assert payer(vente, "10.00", accueil_user).recu.numero == f"PAI-{ANNEE}-00002"


# --- Reversal, refund, waiver ---------------------------------------------------------------------


def test_a_mistake_is_reversed_by_a_negative_entry_with_its_own_receipt(vente, accueil_user):
    p = payer(vente, "13.33", accueil_user, mode="cheque")
    contre = paiements.contrepasser(paiement=p, motif="Chèque saisi deux fois", par=accueil_user)
    assert (contre.montant, contre.mode, contre.nature) == (D("-13.33"), "cheque", "contrepassation")
    assert contre.annule == p and contre.recu.numero == f"PAI-{ANNEE}-00002"
    assert paiements.reste_du(vente) == D("40.00")
    with pytest.raises(ValidationError) as deux_fois:
        paiements.contrepasser(paiement=p, motif="encore", par=accueil_user)
    assert deux_fois.value.code == "deja"
    with pytest.raises(ValidationError) as contre_de_contre:
        paiements.contrepasser(paiement=contre, motif="non", par=accueil_user)
    assert contre_de_contre.value.code == "nature"
    with pytest.raises(ValidationError):
        paiements.contrepasser(paiement=p, motif="   ", par=accueil_user)


def test_staff_waive_what_remains_with_a_reason(vente, accueil_user, ville_user):
    payer(vente, "13.33", accueil_user)
    with pytest.raises(PermissionDenied):
        paiements.abandonner(vente=vente, motif="Difficultés", par=accueil_user)
    abandon = paiements.abandonner(vente=vente, motif="Difficultés (commission sociale)", par=ville_user)
    assert abandon.montant == D("26.67")
    assert paiements.reste_du(vente) == 0
    s = paiements.situation(vente)
    assert s.en_retard == 0 and all(e.statut == "payee" for e in s.echeances)
    with pytest.raises(ValidationError):
        paiements.abandonner(vente=vente, motif="encore", par=ville_user)
    assert Evenement.objects.filter(action="equipements.abandon").count() == 1


def test_a_cancelled_sale_refunds_each_payment_and_a_third_party_gets_its_share_back(vente, accueil_user):
    p1 = payer(vente, "13.33", accueil_user, mode="carte")
    p2 = payer(vente, "10.00", accueil_user, mode="tiers", tiers="Fonds social")
    erreur = payer(vente, "5.00", accueil_user)
    paiements.contrepasser(paiement=erreur, motif="Erreur", par=accueil_user)
    remboursements = paiements.vente_annuler(
        vente=vente, motif="Le foyer renonce", mode="especes", par=accueil_user
    )
    assert [(r.annule_id, r.montant, r.mode, r.tiers) for r in remboursements] == [
        (p1.pk, D("-13.33"), "especes", ""),
        (p2.pk, D("-10.00"), "tiers", "Fonds social"),
    ]
    vente.refresh_from_db()
    assert vente.statut == Vente.Statut.ANNULEE and vente.motif_annulation == "Le foyer renonce"
    assert vente.ordinateur.statut == Ordinateur.Statut.EN_STOCK  # never handed over
    assert paiements.reste_du(vente) == 0 and paiements.paye_net(vente) == 0
    with pytest.raises(ValidationError) as close:
        payer(vente, "1.00", accueil_user)
    assert close.value.code == "vente_close"


def test_a_pc_returned_under_warranty_only(foyer, accueil_user):
    ancienne = vente_creer(foyer, prix="70.00", nb=1, date=jours(400), par=accueil_user)
    with pytest.raises(ValidationError) as erreur:
        paiements.vente_annuler(vente=ancienne, motif="En panne", retour=True, par=accueil_user)
    assert erreur.value.code == "garantie"
    recente = vente_creer(
        foyer_adherent(foyer.logement.immeuble, "Famille Le Gall"),
        prix="70.00",
        nb=1,
        date=jours(30),
        par=accueil_user,
    )
    payer(recente, "70.00", accueil_user)
    (remboursement,) = paiements.vente_annuler(
        vente=recente, motif="Écran défectueux", retour=True, par=accueil_user
    )
    assert remboursement.nature == "remboursement" and remboursement.montant == D("-70.00")
    recente.refresh_from_db()
    assert recente.statut == Vente.Statut.RETOURNEE
    assert recente.ordinateur.statut == Ordinateur.Statut.RETOURNE


# --- Immutability -----------------------------------------------------------------------------------


def test_a_payment_is_never_changed_nor_deleted_by_the_model(vente, accueil_user):
    p = payer(vente, "13.33", accueil_user)
    p.montant = D("1.00")
    with pytest.raises(PaiementFige):
        p.save()
    with pytest.raises(PaiementFige):
        p.delete()


@pytest.mark.parametrize("ecriture", ["update", "delete"])
def test_the_database_refuses_to_change_or_delete_a_payment_or_a_waiver(
    vente, accueil_user, ville_user, ecriture
):
    payer(vente, "13.33", accueil_user)
    paiements.abandonner(vente=vente, motif="Commission", par=ville_user)
    for modele in (Paiement, Abandon):
        with pytest.raises(IntegrityError), transaction.atomic():
            if ecriture == "update":
                modele.objects.update(montant=D("1.00"))
            else:
                modele.objects.all().delete()


# --- The receipt's PDF --------------------------------------------------------------------------------


def test_the_receipt_pdf_says_the_amount_the_method_and_what_remains(vente, accueil_user):
    p = payer(vente, "13.33", accueil_user, mode="tiers", tiers="Aide du centre social")
    payer(vente, "13.33", accueil_user)  # after it: not on the first receipt
    contenu = paiements.paiement_recu_pdf(recu=p.recu)
    texte = pdf_texte(contenu)
    assert f"PAI-{ANNEE}-00001" in texte
    assert "13,33 €" in texte and "Aide du centre social" in texte
    assert "Reste dû 26,67 €" in texte
    assert vente.ordinateur.reference in texte
    p.recu.refresh_from_db()
    assert p.recu.sha256 and paiements.paiement_recu_pdf(recu=p.recu) == contenu

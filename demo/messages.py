"""Demo contact preferences and messages: some occupants of opted-in households agreed to SMS, email or
letters (recorded by the demo desk), and a few notices were sent, one failed and a letter waits to be
printed. Deterministic: the first occupants by primary key, fixed dates."""

import datetime

from django.db import transaction

from ateliers.messagerie import adresse_postale
from ateliers.modeles_messages import Canal, Consentement, Message, PreferenceContact
from logements.models import Adhesion, Personne

JOUR = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)


@transaction.atomic
def charger(nb: int = 60) -> int:
    """Consents for ``nb`` occupants of opted-in households, and a handful of messages. Run again (``make
    run`` seeds each time), it changes nothing."""
    if Consentement.objects.exists():
        return Consentement.objects.count()
    personnes = list(
        Personne.objects.filter(
            foyer__adhesions__type=Adhesion.Type.ADHESION, foyer__demenage_le__isnull=True
        )
        .distinct()
        .select_related("foyer__logement__immeuble")
        .order_by("pk")[:nb]
    )
    cycle = [Canal.SMS, Canal.COURRIEL, Canal.COURRIER, None]
    consentements, preferences, messages = [], [], []
    for n, personne in enumerate(personnes):
        canal = cycle[n % len(cycle)]
        if canal == Canal.SMS and not personne.telephone:
            personne.telephone = f"06 00 11 {n // 100:02d} {n % 100:02d}"
            Personne.objects.filter(pk=personne.pk).update(telephone=personne.telephone)
        if canal == Canal.COURRIEL and not personne.email:
            personne.email = f"participant{n}@exemple.org"
            Personne.objects.filter(pk=personne.pk).update(email=personne.email)
        if canal is None:  # no consent recorded: nothing may be sent (the failed message below)
            if n < 8:
                messages.append(_message(personne, n, statut=Message.Statut.ECHEC))
            continue
        consentements.append(Consentement(personne=personne, canal=canal, donne_le=JOUR))
        preferences.append(PreferenceContact(personne=personne, canal=canal))
        if n < 8:
            messages.append(_message(personne, n, canal=canal))
    Consentement.objects.bulk_create(consentements)
    PreferenceContact.objects.bulk_create(preferences)
    Message.objects.bulk_create(messages)
    return len(consentements)


def _message(personne, n: int, *, canal=None, statut=None) -> Message:
    texte = (
        f"Bonjour {personne.prenom}, le centre social propose un nouvel atelier « Premiers pas sur "
        "internet » en décembre. Inscrivez-vous à l’accueil ou par téléphone."
    )
    message = Message(
        personne=personne,
        cle=f"demo:invitation:{personne.pk}",
        objet="Invitation : Premiers pas sur internet",
        texte=texte,
        canal=canal or "",
        statut=statut or Message.Statut.ENVOYE,
    )
    if statut == Message.Statut.ECHEC:
        message.erreur = (
            "Aucun consentement enregistré pour être contactée par ce moyen : rien n’a été envoyé."
        )
    elif canal == Canal.COURRIER:
        message.statut = Message.Statut.EN_ATTENTE  # waits for the next batch of letters
    else:
        message.envoye_le = JOUR + datetime.timedelta(minutes=n)
    if canal == Canal.COURRIER:
        message.destination = "\n".join(adresse_postale(personne))
    else:
        message.destination = {Canal.SMS: personne.telephone, Canal.COURRIEL: personne.email}.get(canal, "")
    return message

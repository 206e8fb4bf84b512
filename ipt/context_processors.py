from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ipt.roles import Role, a_le_role

# (role, label, url name) — the navigation shows only what the user's roles may open.
ENTREES = [
    (Role.VILLE, _("Dashboard"), "pilotage:tableau_de_bord"),
    (Role.ACCUEIL, _("Reception desk"), "logements:accueil"),
    (Role.ACCUEIL, _("Campaigns"), "quartiers:campagnes"),
    (Role.ACCUEIL, _("Late-comers"), "equipements:retardataires"),
    (Role.ACCUEIL, _("Refurbished PCs"), "equipements:ordinateurs"),
    (Role.ACCUEIL, _("PC payments"), "equipements:suivi_paiements"),
    (Role.ACCUEIL, _("Help sessions"), "ateliers:permanences"),
    (Role.ACCUEIL, _("Outreach list"), "ateliers:reticents"),
    (Role.ACCUEIL, _("Messages"), "ateliers:messages"),
    (Role.GARDIEN, _("My buildings"), "votes:gardien"),
    (Role.GARDIEN, _("Report an incident"), "equipements:signalement_nouveau"),
    (Role.VILLE, _("Tenants’ votes"), "votes:scrutins"),
    (Role.VILLE, _("Statements"), "charges:releves"),
    (Role.VILLE, _("Provider incidents"), "equipements:signalements"),
    (Role.VILLE, _("Needs census"), "ateliers:besoins"),
    (Role.BAILLEUR, _("My statements"), "charges:bailleur"),
    (Role.ACCUEIL, _("Workshops"), "ateliers:seances"),
    (Role.VILLE, _("Workshop catalogue"), "ateliers:catalogue"),
    (Role.ANIMATEUR, _("My sessions"), "ateliers:animateur"),
    (Role.ANIMATEUR, _("Visa Internet"), "ateliers:visa"),
    (Role.VILLE, _("Visa Internet"), "ateliers:visa_certificats"),
    (Role.VILLE, _("Accounts"), "comptes:liste"),
    (Role.VILLE, _("Who read what"), "donnees:lectures"),
    (Role.VILLE, _("Data retention"), "donnees:conservation"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    entrees = []
    for role, libelle, nom_url in ENTREES:
        if a_le_role(user, role):
            url = reverse(nom_url)
            entrees.append({"libelle": libelle, "url": url, "actif": request.path.startswith(url)})
    if user.is_staff:
        entrees.append({"libelle": _("Administration"), "url": reverse("admin:index"), "actif": False})
    return {"navigation": entrees}

"""The admin shows votes and ballots read-only: they change only through the services (and the triggers)."""

from django.contrib import admin

from ipt.admin_base import ModeleAdmin
from votes.models import Bulletin, Scrutin


class LectureSeule(ModeleAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Scrutin)
class ScrutinAdmin(LectureSeule):
    list_display = ("intitule", "quartier", "statut", "resultat", "ouvre_le", "ferme_le", "nb_inscrits")
    list_filter = ("statut", "resultat", "regle")
    list_select_related = ("quartier",)
    search_fields = ("intitule", "quartier__nom")


@admin.register(Bulletin)
class BulletinAdmin(LectureSeule):
    list_display = ("scrutin", "inscrit", "choix", "canal", "saisi_par", "saisi_le", "annule_le")
    list_filter = ("canal", "choix", "scrutin")
    list_select_related = ("scrutin", "inscrit", "saisi_par")
    search_fields = ("inscrit__code",)
    raw_id_fields = ("scrutin", "inscrit", "logement", "saisi_par", "remplace", "annule_par")

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ipt.perimetre import bailleurs_couverts
from logements.importation import COLONNES, FichierRefuse, taille_max, verifier_nom_et_taille
from quartiers.models import Quartier

# Our fields as staff read them in the preview's column mapping.
LIBELLES_CHAMPS = {
    "reference": _("Dwelling reference"),
    "immeuble": _("Building code (ours)"),
    "adresse": _("Building address"),
    "nom_immeuble": _("Building name"),
    "cage": _("Stairwell / entrance"),
    "etage": _("Floor"),
    "porte": _("Door"),
    "type": _("Type (T1…T6)"),
    "raccorde_depuis": _("Connected since"),
    "sorti_le": _("Left on"),
}


class ImportLogementsForm(forms.Form):
    bailleur = forms.ModelChoiceField(queryset=None, label=_("Social landlord"))
    fichier = forms.FileField(label=_("Dwelling list"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bailleur"].queryset = bailleurs_couverts(user).order_by("nom")
        self.fields["fichier"].help_text = _("A .csv, .xlsx or .ods file of at most %(max)s.") % {
            "max": filesizeformat(taille_max())
        }

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        try:
            verifier_nom_et_taille(fichier.name, fichier.size)
        except FichierRefuse as refus:
            raise forms.ValidationError(str(refus)) from refus
        return fichier


class PrevisualisationForm(forms.Form):
    """The preview of a kept file: its column mapping (changeable, then checked again), and for the
    confirmation, the acceptance of changed connection dates and the neighbourhood of each new building."""

    jeton = forms.CharField(max_length=40, widget=forms.HiddenInput)
    accepter_dates = forms.BooleanField(
        required=False, label=_("I accept the changed connection dates listed above.")
    )

    def __init__(self, *args, entetes=(), libelles=None, nouveaux=(), nb_dates=0, confirmer=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.nouveaux = list(nouveaux)
        self.nb_dates = nb_dates
        self.confirmer = confirmer
        choix = [("", _("— none —")), *((libelle, libelle) for libelle in entetes)]
        libelles = libelles or {}
        for champ in COLONNES:
            self.fields[f"col_{champ}"] = forms.ChoiceField(
                label=LIBELLES_CHAMPS.get(champ, champ),
                choices=choix,
                required=False,
                initial=libelles.get(champ, ""),
            )
        quartiers = Quartier.objects.order_by("nom")
        for i, nouveau in enumerate(self.nouveaux):
            self.fields[f"quartier_{i}"] = forms.ModelChoiceField(
                queryset=quartiers,
                required=False,
                label=ngettext(
                    "%(adresse)s (%(n)s dwelling)", "%(adresse)s (%(n)s dwellings)", nouveau["nb_logements"]
                )
                % {"adresse": nouveau["adresse"], "n": nouveau["nb_logements"]},
            )
        if not nb_dates:
            del self.fields["accepter_dates"]

    @property
    def champs_colonnes(self):
        return [self[f"col_{champ}"] for champ in COLONNES]

    @property
    def champs_quartiers(self):
        return [self[f"quartier_{i}"] for i in range(len(self.nouveaux))]

    def clean(self):
        donnees = super().clean()
        choisis = [donnees.get(f"col_{c}") for c in COLONNES if donnees.get(f"col_{c}")]
        if len(choisis) != len(set(choisis)):
            raise forms.ValidationError(_("A column of the file is chosen for two fields."))
        if self.confirmer:
            if self.nb_dates and not donnees.get("accepter_dates"):
                self.add_error("accepter_dates", _("Tick this box to apply the changed connection dates."))
            for i in range(len(self.nouveaux)):
                if not donnees.get(f"quartier_{i}"):
                    self.add_error(f"quartier_{i}", _("Choose the neighbourhood of this new building."))
        return donnees

    def correspondance(self) -> dict[str, str]:
        donnees = getattr(self, "cleaned_data", {})
        return {champ: donnees.get(f"col_{champ}") or "" for champ in COLONNES}

    def creer_immeubles(self) -> dict[str, int]:
        return {
            nouveau["cle"]: self.cleaned_data[f"quartier_{i}"].pk
            for i, nouveau in enumerate(self.nouveaux)
            if self.cleaned_data.get(f"quartier_{i}")
        }

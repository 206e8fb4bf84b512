from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ipt.perimetre import bailleurs_couverts
from logements.importation import FichierRefuse, taille_max, verifier_nom_et_taille


class ImportLogementsForm(forms.Form):
    bailleur = forms.ModelChoiceField(queryset=None, label=_("Social landlord"))
    fichier = forms.FileField(label=_("Dwelling list"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bailleur"].queryset = bailleurs_couverts(user).order_by("nom")
        self.fields["fichier"].help_text = _("A .csv or .xlsx file of at most %(max)s.") % {
            "max": filesizeformat(taille_max())
        }

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        try:
            verifier_nom_et_taille(fichier.name, fichier.size)
        except FichierRefuse as refus:
            raise forms.ValidationError(str(refus)) from refus
        return fichier


class ConfirmationImportForm(forms.Form):
    jeton = forms.CharField(max_length=40, widget=forms.HiddenInput)

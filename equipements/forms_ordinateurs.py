from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from equipements.models import Ordinateur, Paiement, TypeOrdinateur
from ipt.argent import euros
from logements.importation import FichierRefuse, taille_max, verifier_nom_et_taille


def libelle_echeances(n: int) -> str:
    if n == 1:
        return str(_("Paid at once"))
    return ngettext("In %(n)s monthly instalment", "In %(n)s monthly instalments", n) % {"n": n}


class ChoixOrdinateur(forms.ModelChoiceField):
    def __init__(self, *args, offre=None, **kwargs):
        self.offre = offre
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        prix = self.offre.prix(obj.type) if self.offre else None
        return f"{obj.description} — {euros(prix)}" if prix is not None else obj.description


class OrdinateurFoyerForm(forms.Form):
    """Reserve or sell a PC of the stock to a household (the price is the offer's of the day)."""

    ordinateur = ChoixOrdinateur(label=_("PC"), queryset=Ordinateur.objects.none(), empty_label=None)
    nb_echeances = forms.TypedChoiceField(label=_("Payment"), coerce=int, choices=[(1, "")], initial=1)
    mode = forms.ChoiceField(
        label=_("The first payment, today, by"),
        choices=Paiement.Mode.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    tiers = forms.CharField(
        label=_("Third party that pays"),
        max_length=120,
        required=False,
        help_text=_("Only for a third party: the social fund, the centre social's own help…"),
    )

    def __init__(self, *args, disponibles, offre, vendre: bool = False, **kwargs):
        self.vendre = vendre
        super().__init__(*args, **kwargs)
        self.fields["ordinateur"].queryset = disponibles
        self.fields["ordinateur"].offre = offre
        maximum = offre.echeances_max if offre else 1
        self.fields["nb_echeances"].choices = [(n, libelle_echeances(n)) for n in range(1, maximum + 1)]

    def clean(self):
        donnees = super().clean()
        if self.vendre:
            if not donnees.get("mode"):
                self.add_error("mode", _("Choose how the first payment is made."))
            elif donnees["mode"] == Paiement.Mode.TIERS and not " ".join(donnees.get("tiers", "").split()):
                self.add_error(
                    "tiers", _("Name the third party that pays (the social fund, the centre social's help…).")
                )
        return donnees


class DerogationForm(forms.Form):
    motif = forms.CharField(label=_("Reason for a second PC"), max_length=255)


class StockFiltreForm(forms.Form):
    statut = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("all"))] + list(Ordinateur.Statut.choices)
    )
    type = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("all"))] + list(TypeOrdinateur.choices)
    )


class ImportOrdinateursForm(forms.Form):
    fichier = forms.FileField(label=_("The recyclerie's list"))
    essai = forms.BooleanField(label=_("Check the file only (nothing is written)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fichier"].help_text = _(
            "A .csv, .xlsx or .ods file of at most %(max)s, with the columns reference, kind (laptop, "
            "desktop, tablet), processor, memory, storage, system, accessories, attestation, received on."
        ) % {"max": filesizeformat(taille_max())}

    def clean_fichier(self):
        fichier = self.cleaned_data["fichier"]
        try:
            verifier_nom_et_taille(fichier.name, fichier.size)
        except FichierRefuse as refus:
            raise forms.ValidationError(str(refus)) from refus
        return fichier

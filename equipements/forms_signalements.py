"""Forms of the provider incidents: the short report form (desk, city staff, caretakers' phones) and
the staff's follow-up form, the statistics' filters."""

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from charges.forms import ChampMois
from equipements.models import Categorie
from ipt.perimetre import immeubles_couverts
from logements.models import Logement
from quartiers.models import Quartier

# Categories that concern one dwelling: the dwelling must be found.
PAR_LOGEMENT = {Categorie.PRISE, Categorie.DECODEUR}


class SignalementForm(forms.Form):
    immeuble = forms.ModelChoiceField(label=_("Building"), queryset=None, empty_label=None)
    cage = forms.CharField(label=_("Stairwell"), max_length=10, required=False)
    etage = forms.IntegerField(label=_("Floor"), min_value=-5, max_value=60, required=False)
    porte = forms.CharField(label=_("Door"), max_length=10, required=False)
    categorie = forms.ChoiceField(
        label=_("Problem"), choices=[(valeur, capfirst(libelle)) for valeur, libelle in Categorie.choices]
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["immeuble"].queryset = immeubles_couverts(user).order_by("adresse")
        self.logement = None

    def clean(self):
        donnees = super().clean()
        immeuble = donnees.get("immeuble")
        categorie = donnees.get("categorie")
        if immeuble is None or categorie is None:
            return donnees
        cage, etage, porte = donnees.get("cage", ""), donnees.get("etage"), donnees.get("porte", "")
        precise = bool(cage or porte or etage is not None)
        if categorie == Categorie.IMMEUBLE:
            return donnees
        if not precise:
            if categorie in PAR_LOGEMENT:
                raise forms.ValidationError(_("Give the stairwell, floor or door of the dwelling concerned."))
            return donnees
        logements = Logement.objects.presents(timezone.localdate()).filter(immeuble=immeuble)
        if cage:
            logements = logements.filter(cage__iexact=cage.strip())
        if etage is not None:
            logements = logements.filter(etage=etage)
        if porte:
            logements = logements.filter(porte__iexact=porte.strip())
        trouves = list(logements[:2])
        if not trouves:
            raise forms.ValidationError(_("No dwelling of this building has this stairwell, floor and door."))
        if len(trouves) > 1:
            raise forms.ValidationError(
                _("Several dwellings match: give the stairwell, floor and door to tell them apart.")
            )
        self.logement = trouves[0]
        return donnees


class SuiviForm(forms.Form):
    reference_fournisseur = forms.CharField(label=_("Provider's reference"), max_length=40, required=False)
    pris_en_compte_le = forms.DateField(
        label=_("Acknowledged on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    resolu_le = forms.DateField(
        label=_("Resolved on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attente_locataire_jours = forms.IntegerField(
        label=_("Working days waiting on the tenant"), min_value=0, max_value=365, initial=0
    )


class FiltreStatistiquesForm(forms.Form):
    """The statistics' filters: a month range (the last 12 months by default), a quartier, a category."""

    du = ChampMois(label=_("From"), required=False)
    au = ChampMois(label=_("To"), required=False)
    quartier = forms.ModelChoiceField(
        label=_("Neighbourhood"),
        queryset=Quartier.objects.order_by("nom"),
        required=False,
        empty_label=_("All neighbourhoods"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    categorie = forms.ChoiceField(
        label=_("Problem"),
        choices=[("", _("All problems")), *[(v, capfirst(lib)) for v, lib in Categorie.choices]],
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean(self):
        donnees = super().clean()
        du, au = donnees.get("du"), donnees.get("au")
        if du and au and du > au:
            raise forms.ValidationError(_("The first month comes after the last one."), code="ordre")
        return donnees

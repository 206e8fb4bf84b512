"""Visa Internet forms: the one-screen assessment, issuing, revoking, the staff list's filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ateliers.models import Evaluation, Structure

PREFIXE_CHAMP = "c_"


class EvaluationForm(forms.Form):
    """One choice per skill of the list in force: not assessed yet, in progress, acquired."""

    def __init__(self, *args, lignes, **kwargs):
        super().__init__(*args, **kwargs)
        self.lignes = lignes
        choix = [("", _("not assessed")), *Evaluation.Etat.choices]
        for ligne in lignes:
            self.fields[PREFIXE_CHAMP + ligne.competence.code] = forms.ChoiceField(
                label=ligne.competence.libelle,
                choices=choix,
                required=False,
                initial=ligne.etat,
                widget=forms.RadioSelect,
            )

    def par_domaine(self):
        """[(area, [(line, bound field)])] for the template, areas in the order of their first skill."""
        groupes: dict[str, list] = {}
        for ligne in self.lignes:
            groupes.setdefault(ligne.competence.domaine, []).append(
                (ligne, self[PREFIXE_CHAMP + ligne.competence.code])
            )
        return list(groupes.items())

    def etats(self) -> dict[str, str]:
        return {
            nom[len(PREFIXE_CHAMP) :]: valeur
            for nom, valeur in self.cleaned_data.items()
            if nom.startswith(PREFIXE_CHAMP) and valeur
        }


class EmissionForm(forms.Form):
    structure = forms.ModelChoiceField(
        label=_("Issuing structure"), queryset=Structure.objects.none(), empty_label=None
    )

    def __init__(self, *args, structures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["structure"].queryset = structures


class RevocationForm(forms.Form):
    motif = forms.CharField(
        label=_("Reason"),
        max_length=255,
        help_text=_("For instance: issued by mistake, skills not actually assessed. Kept in the audit log."),
    )


class FiltreCertificatsForm(forms.Form):
    q = forms.CharField(
        label=_("Number or name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    annee = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    etat = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all")), ("valides", _("valid")), ("revoques", _("revoked"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


class VerificationForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "autocapitalize": "characters"}
        ),
    )

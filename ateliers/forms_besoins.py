"""Forms of the needs census and of the outreach list: input only, the rules are in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ateliers.modeles_besoins import Besoin, TentativeContact
from ateliers.models import Structure, Theme
from ateliers.selectors_besoins import MOIS_DEFAUT, MOIS_MAXIMUM


class BesoinForm(forms.Form):
    """A need in a few clicks: who (on the household page), the themes, where it was said, a note."""

    personne = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        empty_label=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"required": _("Choose at least one theme.")},
    )
    lieu = forms.ChoiceField(
        label=_("Recorded"),
        choices=Besoin.Lieu.choices,
        initial=Besoin.Lieu.ACCUEIL,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=_("What the person would like to do, in their words."),
    )

    def __init__(self, *args, personnes, lieux=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["personne"].queryset = personnes
        self.lieux = lieux or [c for c, _ in Besoin.Lieu.choices]
        self.fields["lieu"].choices = [c for c in Besoin.Lieu.choices if c[0] in self.lieux]
        self.fields["lieu"].initial = self.lieux[0]
        if len(self.lieux) == 1:  # a facilitator records at their workshop: nothing to choose
            self.fields["lieu"].widget = forms.HiddenInput()
            self.fields["lieu"].required = False

    def clean_lieu(self):
        return self.cleaned_data.get("lieu") or self.lieux[0]


class BrouillonForm(forms.Form):
    titre = forms.CharField(label=_("Title"), max_length=160)
    structure = forms.ModelChoiceField(label=_("Run by"), queryset=Structure.objects.all())
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TentativeForm(forms.Form):
    canal = forms.ChoiceField(
        label=_("How"),
        choices=[c for c in TentativeContact.Canal.choices if c[0] != TentativeContact.Canal.COURRIER],
        initial=TentativeContact.Canal.TELEPHONE,
        widget=forms.RadioSelect,
    )
    issue = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in TentativeContact.Issue.choices if c[0] != TentativeContact.Issue.ENVOYE],
        widget=forms.RadioSelect,
    )
    motif = forms.ChoiceField(label=_("Reason given"), choices=TentativeContact.Motif.choices, required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def clean(self):
        donnees = super().clean()
        if donnees.get("issue") == TentativeContact.Issue.INJOIGNABLE and donnees.get("motif"):
            self.add_error("motif", _("Nobody answered: no reason can have been given."))
        return donnees


class ReticentsFiltre(forms.Form):
    mois = forms.IntegerField(
        label=_("No sign-up nor attendance for (months)"),
        min_value=1,
        max_value=MOIS_MAXIMUM,
        initial=MOIS_DEFAUT,
        required=False,
    )
    quartier = forms.ModelChoiceField(
        label=_("Neighbourhood"), queryset=None, required=False, empty_label=_("All my neighbourhoods")
    )

    def __init__(self, *args, quartiers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quartier"].queryset = quartiers

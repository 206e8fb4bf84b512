from django import forms
from django.utils.translation import gettext_lazy as _

from logements.models import Immeuble
from votes.models import Bulletin, Regle, Scrutin

FORMAT_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=FORMAT_DATETIME_LOCAL)


class DateLocal(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ScrutinForm(forms.ModelForm):
    """A draft vote. The buildings offered are those of its quartier."""

    class Meta:
        model = Scrutin
        fields = [
            "intitule",
            "question",
            "immeubles",
            "regle",
            "seuil_participation",
            "seuil_majorite",
            "quorum",
            "notifie_le",
            "delai_mois",
            "ouvre_le",
            "ferme_le",
        ]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "immeubles": forms.CheckboxSelectMultiple,
            "regle": forms.RadioSelect,
            "notifie_le": DateLocal,
            "ouvre_le": DateTimeLocal,
            "ferme_le": DateTimeLocal,
        }

    def __init__(self, *args, quartier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["immeubles"].queryset = Immeuble.objects.filter(quartier=quartier).order_by("reference")
        self.fields["regle"].choices = Regle.choices  # no empty choice: a vote always has a rule
        self.fields["immeubles"].label_from_instance = lambda i: f"{i.reference} — {i.nom or i.adresse}"
        if not self.instance.pk:
            self.initial.setdefault("regle", Regle.ACCORD_DIRECT)
            self.initial.setdefault("seuil_participation", 25)
            self.initial.setdefault("delai_mois", 2)
            self.initial.setdefault(
                "question",
                _(
                    "Do you approve that every dwelling of the neighbourhood joins Internet For All, for a "
                    "collective charge of 1.18 € a month per dwelling?"
                ),
            )


class CodeForm(forms.Form):
    """The first step of entering a ballot: its code, typed or scanned (Enter shows the door)."""

    code = forms.CharField(
        label=_("Code on the ballot"),
        max_length=300,
        widget=forms.TextInput(
            attrs={
                "autofocus": True,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "placeholder": "ABC-DEFG",
                "enterkeyhint": "go",
                "class": "form-control form-control-lg text-uppercase font-monospace",
            }
        ),
        error_messages={"required": _("Type the code printed on the ballot.")},
    )


class SaisieForm(CodeForm):
    """One paper ballot: its code (typed or scanned) and the choice ticked on it."""

    choix = forms.ChoiceField(
        label=_("Choice ticked on the ballot"),
        choices=Bulletin.Choix.choices,
        error_messages={
            "required": _("Choose yes, no or blank."),
            "invalid_choice": _("Choose yes, no or blank."),
        },
    )


class ProlongerForm(forms.Form):
    ferme_le = forms.DateTimeField(label=_("New closing"), widget=DateTimeLocal)


class DebutServiceForm(forms.Form):
    debut = forms.DateField(
        label=_("Service starts on"),
        widget=DateLocal,
        help_text=_("The dwellings of the roll not yet connected are charged from this day."),
    )


class AnnulationForm(forms.Form):
    motif = forms.CharField(label=_("Reason"), max_length=255)
    nouveau_choix = forms.ChoiceField(
        label=_("New ballot for this dwelling"),
        choices=[("", _("Cancel only, no new ballot")), *Bulletin.Choix.choices],
        required=False,
    )


class BulletinsPapierForm(forms.Form):
    immeuble = forms.TypedChoiceField(label=_("Building"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, immeubles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["immeuble"].choices = [("", _("all buildings")), *immeubles]

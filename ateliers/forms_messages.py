"""Forms of the messages: a person's contact preferences and consent, the filters of the messages list."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .messagerie import adresse_postale
from .modeles_messages import Canal, Message


class ContactForm(forms.Form):
    """How a person wants to be told about their workshops, and the channels they agree to."""

    canal = forms.ChoiceField(
        label=_("Chosen channel"),
        choices=Canal.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "How the person wants to be told about their workshops: reminders, changes, invitations."
        ),
    )
    consent_sms = forms.BooleanField(label=_("Agrees to be contacted by SMS"), required=False)
    consent_courriel = forms.BooleanField(label=_("Agrees to be contacted by email"), required=False)
    consent_courrier = forms.BooleanField(label=_("Agrees to be contacted by letter at home"), required=False)

    def __init__(self, *args, personne, **kwargs):
        self.personne = personne
        super().__init__(*args, **kwargs)

    def consentis(self) -> set[str]:
        return {code for code in Canal.values if self.cleaned_data.get(f"consent_{code}")}

    def clean(self):
        donnees = super().clean()
        if self.errors:
            return donnees
        consentis = self.consentis()
        if donnees["canal"] not in consentis:
            raise ValidationError(
                _("Tick the person’s consent for the chosen channel: nothing is sent without it."),
                code="sans_consentement",
            )
        p = self.personne
        if Canal.SMS in consentis and not p.telephone.strip():
            self.add_error("consent_sms", _("Enter the person’s mobile phone first (their details)."))
        if Canal.COURRIEL in consentis and not p.email.strip():
            self.add_error("consent_courriel", _("Enter the person’s email address first (their details)."))
        if Canal.COURRIER in consentis and not adresse_postale(p):
            self.add_error("consent_courrier", _("This person has no current household address for letters."))
        return donnees


class FiltreMessagesForm(forms.Form):
    seance = forms.TypedChoiceField(label=_("Session"), required=False, coerce=int, empty_value=None)
    canal = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("All"))] + Canal.choices)
    statut = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + Message.Statut.choices
    )

    def __init__(self, *args, seances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seance"].choices = [("", _("All"))] + [(s.pk, str(s)) for s in seances]

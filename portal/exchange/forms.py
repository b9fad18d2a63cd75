from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from portal.core.exchange import mentions_money
from portal.forms import DatePartsField, PortalForm, strip
from portal.models import DealStatus, SupportKind
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

KIND_LABELS = {
    SupportKind.paid_leave: _l("Paid time off"),
    SupportKind.team_days: _l("Team days"),
    SupportKind.skills: _l("Professional help"),
    SupportKind.lending: _l("Lending things (a van, a room)"),
    SupportKind.sponsorship: _l("Sponsoring things"),
}

STATUS_LABELS = {
    DealStatus.proposed: _l("Waiting for an answer"),
    DealStatus.agreed: _l("Agreed"),
    DealStatus.declined: _l("Declined"),
    DealStatus.withdrawn: _l("Withdrawn"),
    DealStatus.done: _l("Carried out"),
    DealStatus.evaluated: _l("Evaluated"),
}

NO_MONEY = _l("No money changes hands in the frivilligbørs: offer time, skills or things, never an amount.")


def no_money(form, field):
    if mentions_money(field.data):
        raise ValidationError(_l("No money changes hands in the frivilligbørs. Describe time, skills or things "
                                 "instead of an amount."))


def _kind_field(label):
    return SelectField(label, choices=[SelectChoice("", _l("Choose…"))]
                       + [SelectChoice(k.value, v) for k, v in KIND_LABELS.items()],
                       validators=[DataRequired(_l("Choose the kind of support."))])


class OfferForm(PortalForm):
    kind = _kind_field(_l("Kind of support"))
    title = StringField(_l("What do you offer?"), filters=[strip],
                        description=_l("Short and concrete, for example “10 employees on a Friday in September”."),
                        validators=[DataRequired(_l("Write what you offer.")), Length(max=140), no_money])
    description = TextAreaField(
        _l("Description"), filters=[strip], description=NO_MONEY,
        validators=[DataRequired(_l("Write a short description.")), Length(min=10, max=2000), no_money])


class WishForm(PortalForm):
    kind = _kind_field(_l("Kind of support"))
    title = StringField(_l("What do you wish for?"), filters=[strip],
                        description=_l("Short and concrete, for example “a van for the summer outing”."),
                        validators=[DataRequired(_l("Write what you wish for.")), Length(max=140), no_money])
    description = TextAreaField(
        _l("Description"), filters=[strip], description=NO_MONEY,
        validators=[DataRequired(_l("Write a short description.")), Length(min=10, max=2000), no_money])


class ProposalForm(PortalForm):
    party = SelectField(_l("Proposed by"), validators=[DataRequired(_l("Choose who the proposal is from."))])
    company_gives = TextAreaField(
        _l("What the company gives"), filters=[strip],
        description=_l("Time, skills or things, for example “10 employees on a Friday in September”."),
        validators=[DataRequired(_l("Write what the company gives.")), Length(min=5, max=2000), no_money])
    organisation_gives = TextAreaField(
        _l("What the organisation gives"), filters=[strip],
        description=_l("For example “a thank-you at Frivillig Fredag, coffee and a guided tour”. Never money, "
                       "and a partnership is not a sales pitch."),
        validators=[DataRequired(_l("Write what the organisation gives.")), Length(min=5, max=2000), no_money])
    follow_up_on = DatePartsField(
        _l("Follow-up date"),
        description=_l("The day you will look at how it went. We send both of you a reminder. For example 15 9 2027."),
        validators=[DataRequired(_l("Enter a follow-up date."))])


class EvaluationForm(PortalForm):
    evaluation = TextAreaField(
        _l("How did it go?"), filters=[strip],
        description=_l("A few sentences for both parties and the volunteer coordinator: what worked, what you "
                       "would do differently."),
        validators=[DataRequired(_l("Write a short evaluation.")), Length(min=10, max=4000)])

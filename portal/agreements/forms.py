"""The coordinator's agreement form and the evaluation survey."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from portal.forms import DatePartsField, MultiCheckboxField, PortalForm, phone_number, strip
from portal.hardening import as_id
from portal.models import AgreementStatus

EMAIL_MSG = _l("Enter an e-mail address like name@example.dk.")
MUNICIPALITY = _l("Dragør Municipality")

STATUS_LABELS = {
    AgreementStatus.draft: _l("Draft: being agreed"),
    AgreementStatus.active: _l("Active"),
    AgreementStatus.ended: _l("Ended"),
}


def _known_ids(form, field):
    """Task ids from checkboxes: anything that cannot name a row is a message, not a 500."""
    if any(as_id(value) is None for value in field.data or []):
        raise ValidationError(_l("Choose only tasks that belong to one of the two parties."))


class AgreementForm(PortalForm):
    title = StringField(_l("Name of the agreement"), description=_l("For example “Cycling trips with the residents”."),
                        validators=[DataRequired(_l("Give the agreement a name.")), Length(max=140)])
    party_a = SelectField(_l("Party A"), description=_l("The municipality itself, or the institution that makes the "
                                                        "agreement."), validate_choice=False, default="")
    party_b = SelectField(_l("Party B"), description=_l("The association, school or other organisation."),
                          validate_choice=False, default="")
    party_b_label = StringField(_l("Which part of party B (optional)"),
                                description=_l("For example “8th grade” or “the Tuesday team”."),
                                validators=[Optional(), Length(max=120)])
    purpose = TextAreaField(_l("Purpose"), description=_l("What the cooperation is for, in a few plain sentences."),
                            validators=[DataRequired(_l("Write what the cooperation is for.")), Length(max=4000)])
    duties_a = TextAreaField(_l("Party A does"), validators=[DataRequired(_l("Write what party A does.")),
                                                             Length(max=4000)])
    duties_b = TextAreaField(_l("Party B does"), validators=[DataRequired(_l("Write what party B does.")),
                                                             Length(max=4000)])
    contact_a_name = StringField(_l("Contact person at party A"),
                                 validators=[DataRequired(_l("Write the name of party A's contact person.")),
                                             Length(max=120)])
    contact_a_email = EmailField(_l("E-mail of party A's contact person"), filters=[strip],
                                 description=_l("The evaluation survey is sent here at the review date."),
                                 validators=[DataRequired(_l("Enter the contact person's e-mail address.")),
                                             Email(EMAIL_MSG), Length(max=254)])
    contact_a_phone = StringField(_l("Phone of party A's contact person (optional)"), filters=[strip],
                                  validators=[Optional(), phone_number])
    contact_b_name = StringField(_l("Contact person at party B"),
                                 validators=[DataRequired(_l("Write the name of party B's contact person.")),
                                             Length(max=120)])
    contact_b_email = EmailField(_l("E-mail of party B's contact person"), filters=[strip],
                                 description=_l("The evaluation survey is sent here at the review date."),
                                 validators=[DataRequired(_l("Enter the contact person's e-mail address.")),
                                             Email(EMAIL_MSG), Length(max=254)])
    contact_b_phone = StringField(_l("Phone of party B's contact person (optional)"), filters=[strip],
                                  validators=[Optional(), phone_number])
    starts_on = DatePartsField(_l("Starts on"), description=_l("For example 1 9 2026."),
                               validators=[DataRequired(_l("Enter the date the agreement starts."))])
    review_on = DatePartsField(_l("Review date"), description=_l("On this day both parties and the volunteers "
                                                                 "involved are asked how it went."),
                               validators=[DataRequired(_l("Enter the date the agreement is to be reviewed."))])
    ends_on = DatePartsField(_l("Ends on (optional)"), description=_l("Leave empty if the agreement runs until "
                                                                      "further notice."))
    status = RadioField(_l("Status"), choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()],
                        default=AgreementStatus.active.value,
                        validators=[InputRequired(_l("Choose the agreement's status."))])
    tasks = MultiCheckboxField(_l("Linked tasks (optional)"),
                               description=_l("Tasks of the two parties that the agreement covers. Choose the "
                                              "parties and press “Show the parties' tasks” to see them."),
                               validate_choice=False, validators=[_known_ids])

    def set_choices(self, organisations, tasks) -> None:
        orgs = [SelectChoice(str(o.id), o.name) for o in organisations]
        self.party_a.choices = [SelectChoice("", str(MUNICIPALITY))] + orgs
        self.party_b.choices = [SelectChoice("", str(_l("Choose an organisation")))] + orgs
        self.tasks.choices = [SelectChoice(str(t.id), f"{t.title} ({o.name})") for t, o in tasks]

    @property
    def party_a_id(self) -> int | None:
        return as_id(self.party_a.data)

    @property
    def party_b_id(self) -> int | None:
        return as_id(self.party_b.data)

    @property
    def task_ids(self) -> list[int]:
        return [i for i in (as_id(v) for v in self.tasks.data or []) if i is not None]

    def validate_party_a(self, field):
        if field.data and self.party_a_id is None:
            raise ValidationError(_l("Choose one of the approved organisations on the portal."))

    def validate_party_b(self, field):
        if not field.data:
            raise ValidationError(_l("Choose the association, school or institution the agreement is with."))
        if self.party_b_id is None:
            raise ValidationError(_l("Choose one of the approved organisations on the portal."))


RATING_LABELS = [SelectChoice("5", _l("5 – very good")), SelectChoice("4", _l("4 – good")),
                 SelectChoice("3", _l("3 – all right")), SelectChoice("2", _l("2 – not so good")),
                 SelectChoice("1", _l("1 – poor"))]


class EvaluationForm(PortalForm):
    rating = RadioField(_l("How did the cooperation go, all in all?"), choices=RATING_LABELS,
                        validators=[InputRequired(_l("Choose a rating from 1 to 5."))])
    went_well = TextAreaField(_l("What went well? (optional)"), validators=[Optional(), Length(max=2000)])
    to_change = TextAreaField(_l("What should change? (optional)"), validators=[Optional(), Length(max=2000)])
    carry_on = RadioField(_l("Should the cooperation carry on?"), choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
                          validators=[InputRequired(_l("Answer yes or no."))])

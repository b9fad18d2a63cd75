"""The nomination forms, the consent answer and the coordinator's year and category forms."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, EmailField, HiddenField, IntegerField, SelectField, StringField, \
    TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.forms import PortalForm, strip
from portal.hardening import as_id
from portal.models import NomineeKind
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

EMAIL_MSG = _l("Enter an e-mail address like name@example.dk.")

# A name travels into mails to someone else's address (the nominee is greeted by the name the
# nominator wrote; the nominator's first name says who nominated them): no link or address in it,
# so nobody can use the municipality's mails to send a stranger a link.
_LINK = re.compile(r"://|www\.|@|\b[\w-]+\.(?:[a-z]{2,24})(?:/|\b)", re.IGNORECASE)


# Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069): one left open in a name
# turns the rest of its line backwards, on the awards page, the jury's list and in mails.
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


def no_bidi_controls(value):
    return _BIDI_CONTROL.sub("", value) if isinstance(value, str) else value


def no_link(form, field) -> None:
    if field.data and _LINK.search(field.data):
        raise ValidationError(_l("Write a name, without a web address or an e-mail address."))

KIND_LABELS = {
    NomineeKind.person: _l("A person"),
    NomineeKind.group: _l("A group of people"),
    NomineeKind.association: _l("An association"),
    NomineeKind.company: _l("A company"),
}


class NominationForm(PortalForm):
    """One form for every kind of nominee: the page shows the fields the category asks for, and
    `require(kind)` makes them required."""
    category = HiddenField()
    nominee_name = StringField(_l("Name"), filters=[no_bidi_controls, strip],
                               validators=[Optional(), Length(max=120), no_link])
    nominee_email = EmailField(_l("Their e-mail address"), filters=[strip],
                               description=_l("We ask them first whether they want to be nominated. Nothing about "
                                              "them is shown anywhere until they say yes. The address is never "
                                              "shown."),
                               validators=[Optional(), Email(EMAIL_MSG), Length(max=254)])
    organisation = SelectField(_l("The association"), choices=[], validate_choice=False,
                               description=_l("We ask the association's contact person first. Nothing is shown "
                                              "until they say yes."))
    company = SelectField(_l("The company"), choices=[], validate_choice=False,
                          description=_l("We ask the company's contact person first. Nothing is shown until they "
                                         "say yes."))
    reason = TextAreaField(_l("Why do you nominate them?"), filters=[no_bidi_controls, strip],
                           description=_l("Tell what they have done and what it has meant to others. The reason "
                                          "is shown on the page when they say yes."),
                           validators=[DataRequired(_l("Write why you nominate them.")), Length(min=20, max=3000)])

    kind: NomineeKind | None = None

    def set_choices(self, organisations, companies) -> None:
        self.organisation.choices = [SelectChoice("", _l("Choose an association"))] + [
            SelectChoice(str(i), name) for i, name in organisations]
        self.company.choices = [SelectChoice("", _l("Choose a company"))] + [
            SelectChoice(str(i), name) for i, name in companies]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        required = {
            NomineeKind.person: (("nominee_name", _l("Enter the name of the person.")),
                                 ("nominee_email", _l("Enter the person's e-mail address."))),
            NomineeKind.group: (("nominee_name", _l("Enter the name of the group.")),
                                ("nominee_email", _l("Enter the e-mail address of the group's contact."))),
            NomineeKind.association: (("organisation", _l("Choose the association.")),),
            NomineeKind.company: (("company", _l("Choose the company.")),),
        }.get(self.kind, ())
        for name, message in required:
            field = getattr(self, name)
            if not field.data and not field.errors:
                field.errors = list(field.errors) + [message]
                ok = False
        return ok

    def organisation_id(self) -> int | None:
        return as_id(self.organisation.data) if self.organisation.data else None

    def company_id(self) -> int | None:
        return as_id(self.company.data) if self.company.data else None


class SendNominationForm(NominationForm):
    """The same, without an account: the nominator's own name and address, confirmed by a link."""
    nominator_name = StringField(_l("Your name"), filters=[no_bidi_controls, strip],
                                 description=_l("The one you nominate sees your first name."),
                                 validators=[DataRequired(_l("Enter your name.")), Length(max=120), no_link])
    nominator_email = EmailField(_l("Your e-mail address"), filters=[strip],
                                 description=_l("Never shown to anyone. We send you a link to confirm the "
                                                "nomination."),
                                 validators=[DataRequired(_l("Enter your e-mail address.")), Email(EMAIL_MSG),
                                             Length(max=254)])


class ConsentForm(PortalForm):
    show_hours = BooleanField(_l("Show the hours and tasks the portal has verified for me"), default=False)


def _day(label):
    return DateField(label, validators=[DataRequired(_l("Enter a date."))])


def _time(label):
    return TimeField(label, validators=[DataRequired(_l("Enter a time, for example 09:00."))])


class YearForm(PortalForm):
    """Dates are entered in Danish local time."""
    open_day = _day(_l("Nominations open (date)"))
    open_time = _time(_l("Nominations open (time)"))
    close_day = _day(_l("Nominations close (date)"))
    close_time = _time(_l("Nominations close (time)"))
    jury_day = _day(_l("The jury starts (date)"))
    jury_time = _time(_l("The jury starts (time)"))
    announce_day = _day(_l("The winners are announced (date)"))
    announce_time = _time(_l("The winners are announced (time)"))
    intro = TextAreaField(_l("The call for nominations"), filters=[strip],
                          description=_l("A few warm sentences at the top of the page while nominations are open."),
                          validators=[Optional(), Length(max=4000)])


class NewYearForm(YearForm):
    year = IntegerField(_l("Year"), validators=[InputRequired(_l("Enter the year.")),
                                                NumberRange(min=2000, max=2999,
                                                            message=_l("Enter a year like 2027."))])


class CategoryForm(PortalForm):
    name_da = StringField(_l("Name in Danish"), filters=[strip],
                          validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    name_en = StringField(_l("Name in English"), filters=[strip],
                          validators=[DataRequired(_l("Enter the name.")), Length(max=120)])
    description_da = TextAreaField(_l("Description in Danish"), filters=[strip],
                                   validators=[Optional(), Length(max=2000)])
    description_en = TextAreaField(_l("Description in English"), filters=[strip],
                                   validators=[Optional(), Length(max=2000)])
    nominee_kind = SelectField(_l("Who can be nominated"),
                               choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
                               validators=[DataRequired(_l("Choose who can be nominated."))])
    max_age = IntegerField(_l("Highest age (optional)"),
                           description=_l("For “under 25”, enter 24. Checked when we know the person's age."),
                           validators=[Optional(), NumberRange(min=1, max=150,
                                                               message=_l("Enter an age between 1 and 150."))])
    sort_order = IntegerField(_l("Order on the page"), default=100,
                              description=_l("Lower numbers come first."),
                              validators=[InputRequired(_l("Enter a number.")),
                                          NumberRange(min=0, max=10000,
                                                      message=_l("Enter a number between 0 and 10000."))])

    def fields(self) -> dict:
        return dict(name_da=self.name_da.data, name_en=self.name_en.data,
                    description_da=self.description_da.data or "", description_en=self.description_en.data or "",
                    nominee_kind=NomineeKind(self.nominee_kind.data), max_age=self.max_age.data,
                    sort_order=self.sort_order.data)


class HideForm(PortalForm):
    reason = TextAreaField(_l("Why is the nomination taken down?"), filters=[strip],
                           description=_l("The nominator is sent this reason by e-mail."),
                           validators=[DataRequired(_l("Write the reason.")), Length(min=5, max=1000)])

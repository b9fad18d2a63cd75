"""The coordinator's forms for the fund. Amounts are typed in kroner the Danish way and reach the
services as whole øre (portal/core/money.py)."""

import re

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portal.core.money import MoneyError, parse_kroner
from portal.forms import DatePartsField, PortalForm
from portal.fund.errors import AMOUNT_REASONS, task_not_found
from portal.hardening import as_id
from portal.models import DonorKind
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

KIND_LABELS = {
    DonorKind.citizen: _l("Citizen"),
    DonorKind.company: _l("Company"),
    DonorKind.association: _l("Association"),
    DonorKind.foundation: _l("Foundation"),
}

# A task given by its number or its address: "40", "#40", "/tasks/40", "https://…/tasks/40".
_TASK_REF = re.compile(r"(?:.*/tasks/|#)?([0-9]{1,18})/?")


class KronerField(StringField):
    """An amount in kroner; after validation `ore` holds it in whole øre."""

    ore: int | None = None

    def pre_validate(self, form):
        self.ore = None
        try:
            self.ore = parse_kroner(self.data)
        except MoneyError as error:
            raise ValidationError(AMOUNT_REASONS[error.reason]) from None


def _choice_id(value) -> int | None:
    return int(value) if value else None


class SettingsForm(PortalForm):
    name = StringField(_l("The fund's name"), validators=[DataRequired(_l("Write the fund's name.")), Length(max=120)])
    purpose = TextAreaField(_l("Purpose"), description=_l("What the fund is for, in two or three plain sentences."),
                            validators=[Optional(), Length(max=4000)])
    rules = TextAreaField(_l("Rules"), description=_l("Who may apply, for what, and how much. One rule a line."),
                          validators=[Optional(), Length(max=4000)])
    how_to_apply = TextAreaField(_l("How to apply"), validators=[Optional(), Length(max=4000)])
    bank_account = StringField(_l("The fund's bank account"), description=_l("For example reg. 1551 konto 0001234567."),
                               validators=[Optional(), Length(max=40)])
    mobilepay = StringField(_l("MobilePay number"), description=_l("The fund's own MobilePay box, for example 123456."),
                            validators=[Optional(), Length(max=20)])
    permission_number = StringField(_l("Indsamlingsnævnet's permission number"),
                                    description=_l("For example 22-700-01234. The page asks for money only while "
                                                   "the permission is valid."),
                                    validators=[Optional(), Length(max=60)])
    permission_valid_until = DatePartsField(_l("The permission is valid until"), description=_l("For example 31 12 2027."))


class DonorForm(PortalForm):
    kind = RadioField(_l("Who gave"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()],
                      validators=[InputRequired(_l("Choose who gave."))])
    name = StringField(_l("Name"), description=_l("Private unless the donor agrees to be named. For a company you "
                                                  "may leave it empty and choose the company below."),
                       validators=[Optional(), Length(max=120)])
    company = SelectField(_l("Company on the portal (optional)"),
                          description=_l("Links the donor to the company's page, which then says that the "
                                         "company supports the fund (only if it agrees to be named)."),
                          validators=[Optional()])
    show_name = BooleanField(_l("The donor agrees to be named on the fund's page"))
    consent_note = StringField(_l("When and how they agreed"),
                               description=_l("Required when the name is shown. For example “Signed the form at "
                                              "the library on 3 May 2027” or “E-mail of 12 March from the owner”."),
                               validators=[Optional(), Length(max=200)])

    def set_companies(self, companies) -> None:
        self.company.choices = [SelectChoice("", _l("No company"))] + [
            SelectChoice(str(c.id), c.name) for c in companies]

    @property
    def kind_value(self) -> DonorKind:
        return DonorKind(self.kind.data)

    @property
    def company_id(self) -> int | None:
        return _choice_id(self.company.data)


class DonationForm(PortalForm):
    amount = KronerField(_l("Amount in kroner"), description=_l("For example 1.250,50 or 500."))
    given_on = DatePartsField(_l("Received on"), description=_l("For example 24 5 2027."),
                              validators=[DataRequired(_l("Enter the date the gift was received."))])
    note = StringField(_l("Note for the accounts (optional)"), description=_l("Never shown publicly."),
                       validators=[Optional(), Length(max=200)])


class PayoutForm(PortalForm):
    amount = KronerField(_l("Amount in kroner"), description=_l("For example 2.400 or 850,75."))
    paid_on = DatePartsField(_l("Paid on"), description=_l("For example 24 5 2027."),
                             validators=[DataRequired(_l("Enter the date it was paid."))])
    purpose = StringField(_l("What it paid for"),
                          description=_l("Shown publicly, for example “Coffee and spare parts for the repair café”."),
                          validators=[DataRequired(_l("Write what it paid for.")), Length(max=200)])
    description = TextAreaField(_l("More about it (optional)"), description=_l("Shown publicly."),
                                validators=[Optional(), Length(max=4000)])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    task = StringField(_l("The task it made possible (optional)"),
                       description=_l("The task's number or address, for example /tasks/40. The public page "
                                      "links to it if the task's page is public."),
                       validators=[Optional(), Length(max=300)])
    event = SelectField(_l("The event it made possible (optional)"), validators=[Optional()])

    def set_choices(self, organisations, events) -> None:
        self.organisation.choices = [SelectChoice("", _l("No organisation"))] + [
            SelectChoice(str(o.id), o.name) for o in organisations]
        self.event.choices = [SelectChoice("", _l("No event"))] + [SelectChoice(str(e.id), e.title) for e in events]

    def validate_task(self, field) -> None:
        if not field.data:
            return
        if not _TASK_REF.fullmatch(field.data):
            raise ValidationError(_l("Give the task's number or its address, for example /tasks/40."))
        if self.task_id is None:   # a number no task can have
            raise ValidationError(task_not_found().message)

    @property
    def task_id(self) -> int | None:
        match = _TASK_REF.fullmatch(self.task.data or "")
        return as_id(match.group(1)) if match else None

    @property
    def organisation_id(self) -> int | None:
        return _choice_id(self.organisation.data)

    @property
    def event_id(self) -> int | None:
        return _choice_id(self.event.data)

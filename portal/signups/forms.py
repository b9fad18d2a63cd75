from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)
from portal.forms import LocalDecimalField, PortalForm, strip


class SignupForm(PortalForm):
    action = HiddenField(default="signup")


class SeriesForm(PortalForm):
    first = DateField(_l("From"), validators=[DataRequired(_l("Enter the first date."))])
    last = DateField(_l("To"), validators=[DataRequired(_l("Enter the last date."))])

    def validate_last(self, field):
        if self.first.data and field.data and field.data < self.first.data:
            raise ValidationError(_l("The last date must be on or after the first date."))


class HoursForm(PortalForm):
    worked_on = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date."))])
    hours = LocalDecimalField(_l("Hours"), places=2, description=_l("For example 1,5 for an hour and a half."),
                         validators=[DataRequired(_l("Enter the number of hours.")),
                                     NumberRange(min=0.25, max=24, message=_l("Enter between 0,25 and 24 hours."))])
    note = StringField(_l("What did you do? (optional)"), filters=[strip], validators=[Optional(), Length(max=500)])

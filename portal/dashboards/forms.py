"""The period picker: a GET form (bookmarkable, works without JavaScript), so no CSRF token."""

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from portal.forms import PortalForm

PERIODS = ("month", "12m", "year", "custom")


class PeriodForm(PortalForm):
    class Meta:
        csrf = False

    period = RadioField(_l("Period"), choices=[SelectChoice("month", _l("This month")),
                                               SelectChoice("12m", _l("The last 12 months")),
                                               SelectChoice("year", _l("A year")),
                                               SelectChoice("custom", _l("From – to"))],
                        default="month")
    year = SelectField(_l("Year"), coerce=int, validate_choice=True)
    start = DateField(_l("From"), validators=[Optional()], description=_l("The first day, for example 1 March 2026."))
    end = DateField(_l("To"), validators=[Optional()], description=_l("The last day (included)."))

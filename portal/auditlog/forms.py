from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional, ValidationError

from portal.auditlog.labels import ACTION_LABELS
from portal.forms import PortalForm


class DayField(DateField):
    """A date box whose complaint is in our words (and in Danish)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a date, for example 24-12-2026."))


class AuditFilterForm(PortalForm):
    """The log's filters, read from the address (GET), so a filtered view can be bookmarked."""

    class Meta:
        csrf = False

    action = SelectField(_l("What"), validators=[Optional()])
    actor = StringField(_l("Who did it (name)"), validators=[Optional(), Length(max=120)])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    person = StringField(_l("Person it concerns (name)"), validators=[Optional(), Length(max=120)],
                         description=_l("Shows what staff did with this person's data, e.g. who saw their "
                                        "contact details on a list of participants."))
    start = DayField(_l("From"), validators=[Optional()])
    end = DayField(_l("To"), validators=[Optional()])

    def set_choices(self, organisations, extra_actions=()):
        labels = {**{a: a for a in extra_actions}, **{k: str(v) for k, v in ACTION_LABELS.items()}}
        self.action.choices = [("", _l("All"))] + sorted(labels.items(), key=lambda kv: kv[1].lower())
        self.organisation.choices = [("", _l("All"))] + [(str(i), name) for i, name in organisations]

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The last date must be on or after the first date."))

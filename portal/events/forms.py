from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal.core.events import ends_next_day
from portal.forms import PortalForm, strip
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

KIND_LABELS = {
    "volunteer_day": _l("The volunteer day (Frivillig Fredag)"),
    "welfare_meeting": _l("The annual welfare meeting"),
    "other": _l("Another event"),
}


def optional_id(value):
    """A select's value as an id, or None for "none" (and for anything that is not a number)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2 ** 31 else None


class EventForm(PortalForm):
    kind = RadioField(_l("Kind of event"), default="volunteer_day",
                      choices=[SelectChoice(k, v) for k, v in KIND_LABELS.items()],
                      validators=[DataRequired(_l("Choose the kind of event."))])
    title = StringField(_l("Title"), filters=[strip], description=_l("For example “Frivillig Fredag 2027”."),
                        validators=[DataRequired(_l("Give the event a title.")), Length(max=140)])
    summary = TextAreaField(_l("Summary"), filters=[strip],
                            description=_l("A few warm sentences: what happens, and who is welcome."),
                            validators=[Optional(), Length(max=3000)])
    day = DateField(_l("Date"), validators=[DataRequired(_l("Enter a date, for example 24-09-2027."))])
    starts = TimeField(_l("From"), description=_l("Danish time."),
                       validators=[DataRequired(_l("Enter a start time, for example 13:00."))])
    ends = TimeField(_l("To"), description=_l("Past midnight? Enter the time, for example 01:00: it counts as "
                                              "the next day."),
                     validators=[DataRequired(_l("Enter an end time, for example 18:00."))])
    place_name = StringField(_l("Place"), filters=[strip], description=_l("For example “Wiedergården”."),
                             validators=[DataRequired(_l("Enter the place.")), Length(max=120)])
    address = StringField(_l("Address (optional)"), filters=[strip], validators=[Optional(), Length(max=200)])
    award_year = SelectField(_l("Awards handed out at the event (optional)"), coerce=optional_id,
                             validate_choice=False,
                             description=_l("The event page then links to the year's awards."))

    def set_award_years(self, years) -> None:
        self._award_ids = {y.id for y in years}
        self.award_year.choices = [SelectChoice("", _l("No awards at this event"))] + [SelectChoice(str(y.id), str(y.year))
                                                                    for y in years]

    def validate_award_year(self, field):
        typed = (field.raw_data or [""])[0]
        if (field.data is None and typed) or (field.data is not None
                                              and field.data not in getattr(self, "_award_ids", set())):
            raise ValidationError(_l("Choose an award year from the list."))

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data \
                and not ends_next_day(self.starts.data, field.data):
            raise ValidationError(_l("The end must be after the start."))


class ItemForm(PortalForm):
    at = TimeField(_l("Time"), description=_l("Danish time, for example 16:00."),
                   validators=[DataRequired(_l("Enter a time, for example 16:00."))])
    title = StringField(_l("What happens"), filters=[strip],
                        description=_l("For example “The mayor hands out the awards”."),
                        validators=[DataRequired(_l("Write what happens.")), Length(max=140)])
    description = TextAreaField(_l("More about it (optional)"), filters=[strip],
                                validators=[Optional(), Length(max=1000)])
    place_note = StringField(_l("Where at the place (optional)"), filters=[strip],
                             description=_l("For example “The garden” or “Room 2”."),
                             validators=[Optional(), Length(max=120)])

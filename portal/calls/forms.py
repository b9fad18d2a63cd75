from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portal.forms import DatePartsField, LocalDecimalField, PortalForm, danish_postcode, strip
from portal.models import CallAudience
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

MUNICIPALITY = "municipality"

AUDIENCE_LABELS = {
    CallAudience.everyone: _l("Everyone"),
    CallAudience.young: _l("Young people aged 15–25"),
    CallAudience.near: _l("People who live near a place"),
}


def _optional_id(value):
    """The meeting task's id from the select; 0 (none) for anything that is not a whole number."""
    try:
        return int(value) if value not in (None, "") else 0
    except (TypeError, ValueError):
        return 0


class LocalTimeField(TimeField):
    """Accepts "12.00" (the Danish way) as well as "12:00"."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata([v.replace(".", ":").strip() for v in valuelist])
        except ValueError:
            raise ValueError(_l("Enter a time, for example 12:00.")) from None


class CallForm(PortalForm):
    # Only shown when the poster may ask for more than one (the municipality and an organisation).
    organisation = SelectField(_l("Who is asking?"), validate_choice=False)
    title = StringField(_l("Title"), filters=[strip],
                        description=_l("Short and concrete, for example “What should the library's volunteers do?”."),
                        validators=[DataRequired(_l("Give the call a title.")), Length(max=140)])
    question = TextAreaField(_l("The question"), filters=[strip],
                             description=_l("What do you want the citizens' answer to? Ask one clear question."),
                             validators=[DataRequired(_l("Write the question.")), Length(min=10, max=2000)])
    background = TextAreaField(_l("Background (optional)"), filters=[strip],
                               description=_l("Why you ask, what you will decide and when."),
                               validators=[Optional(), Length(max=5000)])
    closes_on = DatePartsField(_l("Deadline for answers"), description=_l("For example 15 1 2027."),
                               validators=[DataRequired(_l("Enter the deadline's date."))])
    closes_time = LocalTimeField(_l("Time (hours and minutes)"), default=None, description=_l("Danish time, for example 12:00."),
                            validators=[DataRequired(_l("Enter a time, for example 12:00."))])
    audience = RadioField(_l("Who is asked?"), default=CallAudience.everyone.value,
                          choices=[SelectChoice(k.value, v) for k, v in AUDIENCE_LABELS.items()],
                          description=_l("Anyone logged in can answer; the people you ask see “This question is "
                                         "for you”."),
                          validators=[DataRequired(_l("Choose who is asked."))])
    place_name = StringField(_l("Place (for people near a place)"), filters=[strip],
                             description=_l("For example “Store Magleby” or “Dragør Havn”."),
                             validators=[Optional(), Length(max=120)])
    postcode = StringField(_l("Postcode (for people near a place)"), filters=[strip],
                           validators=[Optional(), danish_postcode])
    radius_km = LocalDecimalField(_l("Kilometres around the place"), places=1,
                                  description=_l("For example 2. At most 100."),
                                  validators=[Optional(), NumberRange(min=0.1, max=100,
                                                                      message=_l("Enter between 0,1 and 100 km."))])
    meeting_task = SelectField(_l("A meeting citizens can join (optional)"), coerce=_optional_id,
                               validate_choice=False, default=0,
                               description=_l("One of your published tasks with times, for example a citizens' "
                                              "meeting. People sign up for a time as for any task."))
    answers_public = BooleanField(_l("Show the answers publicly on the call's page"),
                                  description=_l("People choose themselves whether their first name is shown."))


class AnswerForm(PortalForm):
    body = TextAreaField(_l("Your answer, in your own words"), filters=[strip],
                         validators=[DataRequired(_l("Write your answer.")), Length(min=2, max=5000)])
    show_name = BooleanField(_l("Show my first name with my answer if answers are public"), default=False)


class CloseForm(PortalForm):
    outcome = TextAreaField(
        _l("What came of it"), filters=[strip],
        description=_l("What did you learn from the answers, and what will happen now? Everyone who answered "
                       "gets it by e-mail, and it is shown on the call's page."),
        validators=[DataRequired(_l("Write what came of it.")), Length(min=20, max=5000)])

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from portal.forms import PortalForm

SUBJECT_MAX = 140
BODY_MAX = 5000


class MessageForm(PortalForm):
    subject = StringField(_l("Subject"), validators=[DataRequired(_l("Write a subject.")), Length(max=SUBJECT_MAX)],
                          description=_l("A short line, for example \"Remember warm clothes on Saturday\"."))
    body = TextAreaField(_l("Your message"), validators=[DataRequired(_l("Write the message.")), Length(max=BODY_MAX)],
                         description=_l("Write as you would in a mail. We add the task, the time, the place and "
                                        "your organisation's name above and below it."))
    include_waitlist = BooleanField(_l("Also write to the people on the waitlist"))


class TaskMessageForm(MessageForm):
    slot = SelectField(_l("Who should get it"), choices=[], validate_choice=False,
                       description=_l("Everyone signed up for one of the upcoming times, or only one time."))

    def set_times(self, choices):
        """[(slot id as text, label)]; "" is all upcoming times."""
        self.slot.choices = [SelectChoice("", _l("All upcoming times"))] + [SelectChoice(value, label)
                                                                            for value, label in choices]

    def chosen_slot_id(self) -> int | None:
        if not (self.slot.data or "").strip():
            return None
        try:
            number = int(self.slot.data)
        except (TypeError, ValueError):
            return -1
        return number if 0 < number < 2 ** 31 else -1

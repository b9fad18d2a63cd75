"""Forms of the jury, the tally and the winners."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from portal.forms import PortalForm, strip
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

EMAIL_MSG = _l("Enter an e-mail address like name@example.dk.")


class AppointForm(PortalForm):
    email = EmailField(_l("The person's e-mail address"), filters=[strip],
                       description=_l("The address they log in with. They need a profile on the portal."),
                       validators=[DataRequired(_l("Enter the e-mail address.")), Email(EMAIL_MSG),
                                   Length(max=254)])
    title = StringField(_l("Title on the jury"), filters=[strip],
                        description=_l("For example “Borgmester”, “Kulturchef”, “Formand for "
                                       "folkeoplysningsudvalget” or “Repræsentant for erhvervslivet”. "
                                       "Shown to the jury only."),
                        validators=[DataRequired(_l("Write the title.")), Length(max=120)])


class ScoreForm(PortalForm):
    score = RadioField(_l("Your score"), choices=[SelectChoice(str(n), str(n)) for n in range(1, 11)],
                       description=_l("1 is the lowest, 10 the highest."),
                       validators=[InputRequired(_l("Choose a score from 1 to 10."))])
    note = TextAreaField(_l("Your note (private)"), filters=[strip],
                         description=_l("Only you and the volunteer coordinator can read it."),
                         validators=[Optional(), Length(max=2000)])


class ConflictForm(PortalForm):
    note = TextAreaField(_l("Why (private)"), filters=[strip],
                         description=_l("For example “My neighbour” or “We sing in the same choir”. Only you "
                                        "and the volunteer coordinator can read it."),
                         validators=[DataRequired(_l("Write briefly why.")), Length(max=1000)])


class WinnerForm(PortalForm):
    nomination = RadioField(_l("The winner"), validators=[InputRequired(_l("Choose the winner."))])
    motivation = TextAreaField(_l("The jury's motivation (public)"), filters=[strip],
                               description=_l("Shown with the winner in the hall of fame and in the winner's "
                                              "mail. A few warm, concrete sentences."),
                               validators=[DataRequired(_l("Write the motivation.")), Length(min=10, max=3000)])

    def set_nominees(self, rows):
        self.nomination.choices = [SelectChoice(str(row.nomination.id), row.nomination.nominee_name)
                                   for row in rows]

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField
from wtforms.validators import Length, NumberRange, Optional

from portal.forms import LocalDecimalField, MultiCheckboxField, PortalForm, strip

SUGGESTED_SKILLS = ["IT", "madlavning", "bagning", "musik", "sang", "højtlæsning", "lektiehjælp", "cykling",
                    "havearbejde", "håndværk", "kørekort", "førstehjælp", "sprog", "kreativ", "sport"]




class VolunteerProfileForm(PortalForm):
    interests = MultiCheckboxField(_l("What would you like to help with?"), coerce=int, choices=[])
    availability = MultiCheckboxField(_l("When do you usually have time?"), coerce=int, choices=[])
    skills = StringField(_l("Skills (optional)"), filters=[strip],
                         description=_l("Separate with commas. Suggestions: %(examples)s.",
                                        examples=", ".join(SUGGESTED_SKILLS[:8])),
                         validators=[Optional(), Length(max=500)])
    languages = StringField(_l("Languages you speak (optional)"), filters=[strip],
                            description=_l("For example dansk, engelsk, arabisk."),
                            validators=[Optional(), Length(max=200)])
    address = StringField(_l("Where you are (optional)"), filters=[strip],
                          description=_l("A street, a town or a point like 55.5925, 12.6722. We use your postcode if "
                                         "you leave it empty. We only store the position, to show distances."),
                          validators=[Optional(), Length(max=200)])
    max_distance_km = LocalDecimalField(_l("How far will you go? (km, optional)"), places=1,
                                        validators=[Optional(), NumberRange(min=0.5, max=200,
                                                    message=_l("Enter between 0,5 and 200 km."))])
    suggestions_opt_in = BooleanField(_l("Organisations may suggest tasks to me and invite me (at most two e-mails a week)"))
    digest_opt_in = BooleanField(_l("Send me a weekly e-mail with new tasks that suit me"))
    newsletter_opt_in = BooleanField(_l("Send me Dragør Frivillig's newsletter about new needs, about once a month"),
                                     description=_l("You can unsubscribe from every newsletter with one click."))

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from portal.forms import PortalForm, strip

YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


def _question(label, hint=None):
    return RadioField(label, choices=YES_NO, description=hint,
                      validators=[DataRequired(_l("Answer yes or no."))])


class CheckForm(PortalForm):
    """The four questions. Each needs an answer; a "yes" needs a few words to the coordinator."""
    paid_staff_do_it = _question(_l("Do paid staff do this task now, or did they in the last two years?"),
                                 _l("Also if they did it only now and then, or as part of a job that was cut."))
    regulated_work = _question(_l("Is it care, medicine, money, keys to a citizen's home, or anything the law "
                                  "requires staff to do?"),
                               _l("For example personal care, giving medicine, handling a citizen's money or "
                                  "bank card, or teaching that the school must provide."))
    on_excluded_list = _question(_l("Is it on the published list of what volunteers do not do?"))
    other_concern = _question(_l("Is there anything else that makes you unsure?"))
    explanation = TextAreaField(_l("Explanation (needed if you answered yes)"), filters=[strip],
                                description=_l("What is the task, and why is it not work for paid staff? "
                                               "The coordinator reads this."),
                                validators=[Length(max=2000)])

    def any_yes(self) -> bool:
        return any(f.data == "yes" for f in (self.paid_staff_do_it, self.regulated_work,
                                              self.on_excluded_list, self.other_concern))

    def validate_explanation(self, field):
        if self.any_yes() and not (field.data or "").strip():
            raise ValidationError(_l("Tell the coordinator why you answered yes, in a few sentences."))


class ApproveForm(PortalForm):
    """Approve as it is: the CSRF token and a fingerprint of the text the coordinator read."""
    seen = HiddenField()


class ChangesForm(PortalForm):
    title = StringField(_l("Title"), filters=[strip],
                        validators=[DataRequired(_l("Give the task a title.")), Length(max=140)])
    description = TextAreaField(_l("Description"), filters=[strip],
                                validators=[DataRequired(_l("Describe the task.")), Length(min=20, max=5000)])
    note = TextAreaField(_l("What you changed and why"), filters=[strip],
                         description=_l("The institution sees this in the e-mail and on the task."),
                         validators=[DataRequired(_l("Write what you changed and why. The institution sees it.")),
                                     Length(max=2000)])


class DeclineForm(PortalForm):
    reason = TextAreaField(_l("Reason"), filters=[strip],
                           description=_l("The institution sees this. Say plainly which part is work for paid staff, "
                                          "and what volunteers could do instead."),
                           validators=[DataRequired(_l("Write why the task is declined. The institution sees it.")),
                                       Length(max=2000)])


class DutyForm(PortalForm):
    text_da = StringField(_l("In Danish"), filters=[strip],
                          validators=[DataRequired(_l("Write the line in Danish.")), Length(max=300)])
    text_en = StringField(_l("In English"), filters=[strip],
                          validators=[DataRequired(_l("Write the line in English.")), Length(max=300)])
    sort_order = IntegerField(_l("Number in the list"), default=100,
                              description=_l("Lower numbers come first."),
                              validators=[InputRequired(_l("Enter a number.")),
                                          NumberRange(min=0, max=10000, message=_l("Enter a number from 0 to 10000."))])
    active = BooleanField(_l("Shown on the list"), default=True)

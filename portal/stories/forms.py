from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from portal import pictures
from portal.forms import PortalForm, one_line, strip
from portal.hardening import as_id
from portal.web.forms import ConfirmForm  # noqa: F401  (one form, shared)

PICTURE_HINT = _l("A PNG, JPEG or WebP file under 5 MB, for example from your phone. We make it smaller and remove "
                  "hidden information in the file, such as where it was taken. Avoid photos where people can "
                  "be recognised unless they have said yes. If the form comes back with a message, choose the "
                  "file again.")


class StoryForm(PortalForm):
    title = StringField(_l("Title"), filters=[strip],
                        description=_l("One short line, for example “80 kg of rubbish from the beach at "
                                       "Amager Sydspids”."),
                        validators=[DataRequired(_l("Give the story a title.")), Length(max=140)])
    # Shown as one line of a card (and as a String column): a pasted line break becomes a space.
    summary = TextAreaField(_l("Short summary"), filters=[one_line, strip],
                            description=_l("One or two sentences shown on the list of stories."),
                            validators=[DataRequired(_l("Write a short summary.")), Length(max=300)])
    body = TextAreaField(_l("The story"), filters=[strip],
                         description=_l("Tell what happened and what the volunteers did. Plain text: leave an "
                                        "empty line between paragraphs."),
                         validators=[DataRequired(_l("Write the story.")), Length(min=20, max=10_000)])
    picture = FileField(_l("Photo (optional)"), description=PICTURE_HINT, render_kw=pictures.ACCEPT)
    picture_alt = StringField(_l("Describe the photo"), filters=[strip],
                              description=_l("Needed with a photo: a short sentence for people who cannot see it, "
                                             "for example “Rubbish bags in a row on the sand at Amager Sydspids”."),
                              validators=[Optional(), Length(max=200)])
    task = SelectField(_l("Help us next time (optional)"), choices=[], validate_choice=False,
                       description=_l("One of your tasks that readers can sign up for."))
    publish = RadioField(_l("When should the story be shown?"), default="now",
                         choices=[SelectChoice("now", _l("Publish now")),
                                  SelectChoice("draft", _l("Save as a draft that only your organisation sees"))],
                         validators=[DataRequired(_l("Choose whether to publish the story now."))])

    def set_tasks(self, tasks) -> None:
        self._task_ids = {str(t.id) for t in tasks}
        self.task.choices = [SelectChoice("", _l("No task"))] + [SelectChoice(str(t.id), t.title) for t in tasks]

    def validate_task(self, field):
        if field.data and field.data not in getattr(self, "_task_ids", set()):
            raise ValidationError(_l("Choose one of the organisation's own published tasks, or none."))

    def task_id(self) -> int | None:
        return as_id(self.task.data) if self.task.data else None


class StoryEditForm(StoryForm):
    publish = None
    remove_picture = BooleanField(_l("Remove the photo"))


class HideStoryForm(PortalForm):
    reason = TextAreaField(_l("Why is the story hidden?"), filters=[strip],
                           description=_l("The organisation sees the reason with the story, and the author gets "
                                          "it by e-mail."),
                           validators=[DataRequired(_l("Write why the story is hidden.")), Length(min=5, max=2000)])

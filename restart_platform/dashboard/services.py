"""The dashboard's writes: the stories of the employer pitch, and their erasure."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import User
from restart_platform.privacy import erase_sections
from youth.models import YoungPerson
from youth.selectors import youth_visible_to

from .models import Story


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def story_save(
    *,
    by: User,
    youth: YoungPerson,
    title: str,
    text: str,
    is_shareable: bool,
    story: Story | None = None,
) -> Story:
    """Write or change a story. The young person must be one the author may see (a form's
    choices are not a security boundary); the model refuses the young person's names."""
    if not youth_visible_to(by).filter(pk=youth.pk).exists():
        raise ValidationError({"youth": _("Choose a young person of your own cities.")})
    story = story or Story(created_by=by)
    story.youth, story.title, story.text = youth, title.strip(), text.strip()
    story.is_shareable = is_shareable
    return _saved(story)


@transaction.atomic
def stories_move(*, from_youth: YoungPerson, to_youth: YoungPerson, by: User) -> None:
    """Two records merged: the duplicate's stories follow the record kept, one save per row so
    the change history records each move."""
    stories = list(Story.objects.select_for_update().filter(youth=from_youth))
    for story in stories:
        story.youth = to_youth
        story.save(update_fields=["youth", "updated_at"])
    if stories:
        record_change(
            actor=by, target=to_youth, action="dashboard.stories_merged", note=str(len(stories))
        )


def stories_erase(*, youth: YoungPerson) -> int:
    """A young person was erased: their stories keep their row (a count) but lose their words,
    and leave the pitch. Runs inside the erasure's transaction."""
    return erase_sections("dashboard", youth)

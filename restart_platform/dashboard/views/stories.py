from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from restart_platform.accounts.access import get_visible_or_404, staff_only
from restart_platform.stale_edits import save_if_unchanged
from restart_platform.view_helpers import PAGE_SIZE, add_service_errors, query_string
from youth.selectors import youth_visible_to

from .. import services
from ..forms import StoryFilterForm, StoryForm
from ..models import Story
from ..selectors import stories_for_list, stories_visible_to


@staff_only
def story_list(request):
    """The stories of the employer pitch in the user's cities, with whether each is shown."""
    form = StoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    stories = stories_for_list(request.user, filters)
    page = Paginator(stories, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": query_string(request)}
    return render(request, "dashboard/story_list.html", context)


@staff_only
def story_create(request):
    return _story_form(request, story=None)


@staff_only
def story_edit(request, pk: int):
    story = get_visible_or_404(stories_visible_to(request.user), pk=pk, request=request)
    return _story_form(request, story=story)


def _story_form(request, *, story: Story | None):
    youth = youth_visible_to(request.user).order_by("first_name", "last_name", "pk")
    form = StoryForm(request.POST or None, instance=story, youth=youth)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_if_unchanged(
                form, lambda: services.story_save(by=request.user, story=story, **form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved = None
        if saved is not None:
            messages.success(request, _("The story is saved."))
            return redirect("dashboard:story_list")
    return render(request, "dashboard/story_form.html", {"form": form, "story": story})

from django.shortcuts import render

from restart_platform.accounts.access import cities_for, staff_only

from ..exports import Share, legend, suppressed
from ..forms import PitchForm
from ..kpis import pitch_figures
from ..selectors import pitch_stories

MAX_STORIES = 6


@staff_only
def pitch(request):
    """A printable page for an employer being recruited: the alliance's results in a city, with
    small numbers suppressed (the page leaves the platform), and the stories coordinators
    marked shareable of young people who consent to anonymous reports."""
    form = PitchForm(request.GET, cities=cities_for(request.user))
    city = form.cleaned_data["city"] if form.is_valid() else None
    table = pitch_figures(request.user, city=city)
    results = [
        {
            "label": label,
            "value": suppressed(value),
            "of": suppressed(value.whole) if isinstance(value, Share) else None,
            "is_share": isinstance(value, Share),
        }
        for label, value in table.rows
    ]
    context = {
        "form": form,
        "city": city,
        "results": results,
        "stories": list(pitch_stories(request.user, city=city)[:MAX_STORIES]),
        "legend": legend(),
    }
    return render(request, "dashboard/pitch.html", context)

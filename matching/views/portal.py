"""The employer's candidates: the minimised profiles shared with their own employer, by token.

An employer contact sees only their own employer's shares, and of those only what
`minimised_profile` returns, with where each stands (`candidate_status`). A withdrawn share
shows as "no longer available", with nothing about the young person. Every look at a candidate
is written to the access log.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employers.selectors import employer_of_contact
from restart_platform.accounts.access import Role, role_required
from restart_platform.accounts.audit import log_access
from restart_platform.accounts.client import client_ip
from restart_platform.accounts.models import AccessEvent
from restart_platform.view_helpers import PAGE_SIZE, add_service_errors
from youth.models import YoungPerson

from .. import selectors, services
from ..forms import CandidateAnswerForm
from ..models import Share

employer_contact_only = role_required(Role.EMPLOYER_CONTACT)


def _own_employer(request):
    employer = employer_of_contact(request.user)
    if employer is None:
        raise Http404
    return employer


@employer_contact_only
def candidate_list(request):
    shares = selectors.shares_for_employer(_own_employer(request))
    page = Paginator(shares, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "share": share,
            "profile": selectors.minimised_profile(share.youth) if share.readable else None,
            "status": selectors.candidate_status(share),
        }
        for share in page.object_list
    ]
    _log_looks(request, [row["share"].youth for row in rows if row["profile"]])
    return render(request, "matching/candidate_list.html", {"page": page, "rows": rows})


def _log_looks(request, youths: list[YoungPerson]) -> None:
    """One access-log row per candidate on the page, written in one query (as `log_access`
    writes them one at a time), so the list's query count does not grow with its length."""
    content_type = ContentType.objects.get_for_model(YoungPerson, for_concrete_model=False)
    AccessEvent.objects.bulk_create(
        AccessEvent(
            actor=request.user,
            actor_role=request.user.role,
            action="view",
            content_type=content_type,
            object_id=str(youth.pk),
            outcome=AccessEvent.Outcome.ALLOWED,
            ip_address=client_ip(request),
            path=request.path[:300],
        )
        for youth in youths
    )


def _active_share_or_404(request, token) -> Share:
    """The employer's own share with this token, if they may read it now (active, and its
    consent not withdrawn); anything else answers 404, and is logged."""
    share = selectors.share_readable_by(_own_employer(request), token=token)
    if share is None:
        exists = Share.objects.filter(token=token).exists()
        outcome = AccessEvent.Outcome.DENIED if exists else AccessEvent.Outcome.NOT_FOUND
        log_access(request=request, model=Share, object_id=token, outcome=outcome)
        raise Http404
    log_access(request=request, target=share.youth)
    return share


def _detail(request, share: Share, form: CandidateAnswerForm):
    context = {
        "share": share,
        "profile": selectors.minimised_profile(share.youth),
        "status": selectors.candidate_status(share),
        "form": form,
    }
    return render(request, "matching/candidate_detail.html", context)


@employer_contact_only
def candidate_detail(request, token):
    share = _active_share_or_404(request, token)
    form = CandidateAnswerForm(initial=_initial_answer(share), record=share)
    return _detail(request, share, form)


def _initial_answer(share: Share) -> dict:
    if share.answer == Share.Answer.PENDING:
        return {}
    return {"answer": share.answer, "reason": share.answer_reason}


@employer_contact_only
@require_POST
def candidate_answer(request, token):
    share = _active_share_or_404(request, token)
    form = CandidateAnswerForm(request.POST, record=share)
    if form.is_valid():
        try:
            services.share_answer(
                share=share,
                by=request.user,
                answer=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
                shown=form.shown(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Thank you: your answer is passed on to the coordinator."))
            return redirect("candidates:candidate_list")
    return _detail(request, share, form)

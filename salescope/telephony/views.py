from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from salescope.activities.models import Activity
from salescope.core.scope import scope_for, scoped

from .adapters import generic, mango, zadarma
from .lookups import config_of
from .models import Call, RecordingStatus
from .webhooks import webhook_handle


@csrf_exempt
@require_POST
def generic_hook(request: HttpRequest) -> HttpResponse:
    return webhook_handle(request, generic)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def zadarma_hook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        # Zadarma checks the URL when it is saved: echo `zd_echo` back as plain text.
        if config_of(zadarma.KEY) is None:
            return JsonResponse({"error": "the zadarma integration is off"}, status=404)
        return HttpResponse(request.GET.get("zd_echo", ""), content_type="text/plain")
    return webhook_handle(request, zadarma)


@csrf_exempt
@require_POST
def mango_hook(request: HttpRequest, event: str) -> HttpResponse:
    return webhook_handle(request, mango)


@login_required
@require_GET
def recording(request: HttpRequest, call_pk: int) -> HttpResponseBase:
    """The stored recording of a call, for whoever may see the call activity."""
    call = Call.objects.filter(pk=call_pk, recording_status=RecordingStatus.STORED).first()
    if call is None or call.activity_id is None:
        raise Http404
    visible = scoped(Activity.objects.filter(pk=call.activity_id), scope_for(request.user))  # type: ignore[arg-type]
    if not visible.exists():
        raise Http404
    try:
        path = default_storage.path(call.recording_file)
    except NotImplementedError:  # object storage: a short-lived signed link
        return HttpResponseRedirect(default_storage.url(call.recording_file))
    return FileResponse(open(path, "rb"))  # noqa: SIM115 (FileResponse closes it)

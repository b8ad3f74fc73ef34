"""The client IP of the request being served, for audit entries written deep in services."""

import contextvars

_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("audit_ip", default=None)


def current_ip() -> str | None:
    return _ip.get()


def client_ip(request) -> str | None:
    from django.conf import settings

    if settings.TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The right-most address is the one our nginx saw; anything left of it the client can forge.
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _ip.reset(token)

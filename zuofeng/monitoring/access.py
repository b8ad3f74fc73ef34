"""Who may read /readyz and /metrics: addresses in MONITORING_ALLOW (addresses or networks)."""

import ipaddress

from django.conf import settings

from zuofeng.audit.context import client_ip


def monitoring_allowed(request) -> bool:
    try:
        address = ipaddress.ip_address(client_ip(request) or "")
    except ValueError:
        return False
    for entry in settings.MONITORING_ALLOW:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False

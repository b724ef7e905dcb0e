"""The live operations page ``/ops``: read-only, token-protected, server-rendered, self-refreshing.

``include_ops_page(app, runtime)`` mounts it when ``BRAIN_OPS_TOKEN`` is set (see docs/ops-page.md).
Modules: ``auth`` (token, cookie, login throttle), ``snapshot`` (what the page shows, read from the
registry, metrics and files), ``records`` (recent call records), ``charts`` (inline SVG), ``page``
(the HTML), ``router`` (the routes).
"""

from brain_service.ops.router import include_ops_page

__all__ = ["include_ops_page"]

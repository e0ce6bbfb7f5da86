"""Two changes to libraries, applied by ``configure.zcml`` (collective.monkeypatcher, with
a description each) when Zope loads the add-on.

* No ``X-Powered-By: Zope …, Python …``: Zope 6.3 writes it in
  ``ZPublisher.HTTPResponse.HTTPBaseResponse.listHeaders`` on every answer, with no
  zope.conf option to switch it off; the answer's headers are listed without it.
* Chameleon compiles a template in ``chameleon.template.BaseTemplate.cook``; on CPython
  3.11 two threads compiling at once (the first requests after a start) can fail with
  ``SystemError: AST constructor recursion depth mismatch`` (``ast`` keeps its recursion
  depth per interpreter, not per thread). Compiling is serialised by one lock; a compiled
  template is used without it, and with ``CHAMELEON_CACHE`` (buildout) most templates are
  loaded from the cache directory rather than compiled after a restart.
"""

import functools
import threading

BANNER = "x-powered-by"
COMPILE_LOCK = threading.RLock()  # re-entrant: compiling may load another template


def without_banner(list_headers):
    @functools.wraps(list_headers)
    def listHeaders(self):
        return [(name, value) for name, value in list_headers(self) if name.lower() != BANNER]

    listHeaders.uni_servicedesk_patched = True
    return listHeaders


def serialised(cook):
    @functools.wraps(cook)
    def serialised_cook(self, body):
        with COMPILE_LOCK:
            return cook(self, body)

    serialised_cook.uni_servicedesk_patched = True
    return serialised_cook


def wrap(scope, original, replacement):
    """collective.monkeypatcher's handler: ``scope.original`` wrapped by ``replacement``
    (once, whatever number of times the ZCML is loaded)."""
    current = getattr(scope, original)
    if getattr(current, "uni_servicedesk_patched", False):
        return
    setattr(scope, original, replacement(current))

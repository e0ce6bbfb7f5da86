"""Changes that must not fail because someone else wrote at the same moment.

Concurrent submissions touch the same catalog B-trees: when one splits a bucket, the
others read a parent node that changed (a ZODB read conflict); two people taking the last
seat of a slot write the same object. Zope retries a conflicting request a few times (none
in the test layer); a change that must go through commits in a transaction of its own and
starts again from fresh data after a conflict.
"""

from ZODB.POSException import ConflictError

import random
import time
import transaction

ATTEMPTS = 10


def committed(change, *args, attempts=ATTEMPTS, **kwargs):
    """Run ``change(*args, **kwargs)`` and commit; after a conflict, abort and run it again
    (at most ``attempts`` times, then the ConflictError propagates). Any other exception
    aborts and propagates: nothing of a refused change is kept."""
    for attempt in range(attempts):
        try:
            result = change(*args, **kwargs)
            transaction.commit()
            return result
        except ConflictError:
            transaction.abort()
            if attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0, 0.005 * (attempt + 1)))  # let the other writer finish
        except Exception:
            transaction.abort()
            raise

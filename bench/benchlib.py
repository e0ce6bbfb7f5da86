"""What the benchmarks share: bringing up the test layers, percentiles."""
import statistics


def set_up(layer, done):
    """Set up ``layer`` after its bases (plone.testing's runner does this for tests)."""
    for base in layer.__bases__:
        set_up(base, done)
    if layer not in done:
        layer.setUp()
        done.append(layer)


def percentiles(samples):
    """(p50, p95) in milliseconds of timings in seconds."""
    ordered = sorted(samples)
    p95 = ordered[max(0, int(round(0.95 * len(ordered))) - 1)]
    return statistics.median(ordered) * 1000, p95 * 1000

"""What every answer of the site carries (security headers, no server banner) and what
keeps the first pages after a start from failing (serialised template compilation)."""

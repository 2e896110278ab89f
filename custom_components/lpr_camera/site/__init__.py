"""Integration-wide state: the site (known vehicles, presence) and its entry."""

"""Sections of the site: each module declares its navigation (``NAV``), the pages it lists under the
shared goals (``GOAL_LINKS``) and ``write(site, lang)``. ``publish/build.py:SECTIONS`` lists them."""

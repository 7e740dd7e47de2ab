"""``scoring serve``: the web app, a form for departments and a JSON API, on the same engine.

Without a database every page and API call scores what it is sent and keeps nothing; with one
(:mod:`scoring.web.store`) accounts log in and departments save drafts and submit. Every 自评表
is drawn by :mod:`scoring.render` and every gap found by :mod:`scoring.analysis.gap`: nothing is
computed a second time. Built by :func:`scoring.web.app.create_app`; only the command line
imports this package.
"""

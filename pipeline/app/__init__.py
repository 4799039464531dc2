"""The workflows a person starts, for the command line and the browser alike.

Each is a plain function: it takes the project's root, the options and the time it runs at, and
returns what it found or wrote. A refusal is a `LamanError`; nothing here prints. Modules:
`editorial` (validate, new, status, advance, init), `publish` (check, build, preview), `duties`
(DIP, disposition sheet, social kit), `report` (the recap), `ship` (deploy, rollback,
verify-site).
"""

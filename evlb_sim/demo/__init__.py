"""`make demo`: a real Home Assistant with the integration on a simulated site.

| module | what |
| --- | --- |
| `options.py` | the command line |
| `runner.py` | the run: simulators, Home Assistant, setup, summaries, Ctrl-C |
| `config_dir.py` | the config directory, fresh every run |
| `hass_process.py` | Home Assistant as a child process |
| `ha_api.py` | Home Assistant's REST and websocket APIs |
| `onboarding.py` | the demo user and the onboarding steps |
| `flows.py` | config flows and subentry flows over REST |
| `site_setup.py` | the integration's own flows: the site, its meter, its chargers |
| `dashboard.py` | the dashboard (the site card first), from the registries |
| `energy.py` | the Energy dashboard: the site meter, each charger a device |
| `summary.py` | the summary lines |
"""

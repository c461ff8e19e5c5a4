"""Simulators for ev_load_balancer.

`offline/`: the capacity audit and evening simulator (scenarios, strategies,
the hindsight optimum, reports). Live demo simulators (a meter server,
charger clients) belong next to it, one package per concern.
"""

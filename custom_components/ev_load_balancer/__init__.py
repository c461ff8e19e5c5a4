"""EV Load Balancer: share a building's main fuse among EV chargers."""

"""Headless Chromium against a running demo (make browser-test)."""

"""Back ends that apply current limits to chargers and report what they draw."""

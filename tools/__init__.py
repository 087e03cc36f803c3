"""Tools beside the portal: the benchmark, the demo data and the synthetic province (see the README's layout)."""

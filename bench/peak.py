"""Peak shaving against uncontrolled, fuse-only and the hindsight minimum.

For each peak scenario and tariff window: the billed figure's reduction
against uncontrolled, the share of the hindsight minimum's reduction (from
fuse-only) that peak shaving achieves, and its energy against fuse-only. A
whole month per scenario through the shared loop: minutes, not seconds.
"""

from __future__ import annotations

from evlb_sim.offline.peak_run import load_peak_scenario, run_tables

SCENARIOS = ("peak-100A-20ev", "peak-63A-50ev")


def main() -> None:
    for scenario in SCENARIOS:
        inputs, tariff, windows = load_peak_scenario(scenario)
        for table in run_tables(inputs, tariff, windows):
            print(
                f"BENCH peak scenario={scenario} window_min={table.window_minutes} "
                f"billed_reduction_pct={table.billed_reduction_pct:.1f} "
                f"of_hindsight_pct={table.of_hindsight_pct:.1f} "
                f"energy_pct={table.energy_pct:.2f} "
                f"evs_full_pct={table.row('peak').evs_full_pct:.1f} "
                f"fuse_only_evs_full_pct={table.row('fuse_only').evs_full_pct:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()

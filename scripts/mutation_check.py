"""Break each balancer invariant on purpose and check that its test notices.

Usage: python scripts/mutation_check.py   (from the repository root, in a venv)
Each mutation is applied to a copy of the repository; the working tree is untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile

CORE = "custom_components/ev_load_balancer/balancer/"
LOOP = "custom_components/ev_load_balancer/loop/"
HA = "custom_components/ev_load_balancer/"
SEAMS = "tests/integration/test_loop_seams.py::"
SINGLE = "tests/balancer/test_invariants_single_round.py::"
TIMED = "tests/balancer/test_invariants_over_time.py::"
CREDIT = "tests/balancer/test_credit_timing.py::"


@dataclass(frozen=True)
class Mutation:
    invariant: str
    path: str
    old: str
    new: str
    test: str
    # Further (path, old, new) edits, for rules that are guarded twice.
    also: tuple[tuple[str, str, str], ...] = ()


MUTATIONS = [
    Mutation(
        "1 fuse: capacity ignores 3 A of baseline",
        CORE + "engine.py",
        "available = [site.usable_a - value for value in held_baseline]",
        "available = [site.usable_a - value + 3.0 for value in held_baseline]",
        SINGLE + "test_fuse_is_never_exceeded",
    ),
    Mutation(
        "1 overload: chargers on an overloaded phase keep current",
        CORE + "engine.py",
        "site_capacity = [max(0.0, value) for value in available]",
        "site_capacity = [abs(value) for value in available]",
        SINGLE + "test_overload_pauses_every_charger_on_that_phase_and_only_those",
        also=(
            (
                CORE + "allocation_round.py",
                "if self.overloaded and any(weights[p] for p in self.overloaded):",
                "if False:",
            ),
        ),
    ),
    Mutation(
        "2 bounds: ceiling above the charger's maximum",
        CORE + "allocation_round.py",
        "ceiling, reason = charger.max_a, Reason.MAX_CURRENT",
        "ceiling, reason = charger.max_a + 1.0, Reason.MAX_CURRENT",
        SINGLE + "test_every_limit_is_zero_or_within_min_max",
    ),
    Mutation(
        "3 fairness: a saturated phase freezes members below the level",
        CORE + "waterfill.py",
        "allocation[index] = min(ceilings[index], max(floors[index], level))",
        "allocation[index] = min(ceilings[index], max(floors[index], level"
        " * (0.9 if index % 2 else 1.0)))",
        SINGLE + "test_sharing_is_max_min_fair_within_a_class",
    ),
    Mutation(
        "3 priority: classes filled lowest first",
        CORE + "allocation_round.py",
        "for priority in sorted(self._classes, reverse=True):",
        "for priority in sorted(self._classes):",
        SINGLE + "test_higher_priority_is_served_first",
    ),
    Mutation(
        "4 reclaim: unused current never reclaimed",
        CORE + "allocation_round.py",
        "reclaim = memory.update_reclaim(charger, now, settings)",
        "reclaim = None",
        TIMED + "test_reclaim_gives_unused_current_to_the_others",
    ),
    Mutation(
        "5 queue: running EVs never yield (starvation)",
        CORE + "queue.py",
        "if memory.running and not memory.may_yield(now, settings):",
        "if memory.running:",
        TIMED + "test_queued_evs_take_turns_without_flapping",
    ),
    Mutation(
        "5 queue: no rotation hysteresis (flapping)",
        CORE + "queue.py",
        "served -= settings.rotation_s",
        "served -= 0.0",
        TIMED + "test_queued_evs_take_turns_without_flapping",
    ),
    Mutation(
        "5 queue: waiting EVs skipped although they fit",
        CORE + "queue.py",
        "fits_now = candidate.fits(residual, needed)",
        "fits_now = candidate.fits(residual, needed * 2)",
        SINGLE + "test_no_waiting_ev_would_fit_in_what_is_left",
    ),
    Mutation(
        "5 queue: a waiting EV holds back its need on phases it fits on",
        CORE + "queue.py",
        "if residual[phase] - reserved[phase] < weight * needed",
        "if True",
        "tests/balancer/test_queue_reservation.py::"
        "test_an_ev_beside_a_waiting_one_charges_on_a_phase_the_waiting_one_fits",
    ),
    Mutation(
        "5 queue: a waiting EV holds back nothing where it is blocked",
        CORE + "queue.py",
        "if residual[phase] - reserved[phase] < weight * needed",
        "if False",
        "tests/balancer/test_queue_reservation.py::"
        "test_a_waiting_ev_still_holds_back_its_need_on_the_phase_that_blocks_it",
    ),
    Mutation(
        "5 queue: departures known, one-phase EVs never give way to three-phase",
        CORE + "queue.py",
        "if settings.strategy is Strategy.DEPARTURE and result.waiting:",
        "if False:",
        "tests/balancer/test_queue_reservation.py::"
        "test_a_three_phase_ev_takes_the_place_of_a_one_phase_ev_with_slack",
    ),
    Mutation(
        "5 queue: an EV without slack gives way (fairness floor)",
        CORE + "queue.py",
        "and d.laxity_s >= settings.yield_slack_s",
        "and True",
        "tests/balancer/test_queue_reservation.py::"
        "test_an_ev_without_an_hour_of_slack_keeps_its_place",
    ),
    Mutation(
        "5 queue: swaps that gain little (two pauses for one start)",
        CORE + "queue.py",
        "_SWAP_GAIN = 2.0",
        "_SWAP_GAIN = 0.0",
        "tests/balancer/test_queue_reservation.py::"
        "test_no_swap_that_pauses_two_evs_for_one",
    ),
    Mutation(
        "6 hysteresis: increases do not wait",
        CORE + "memory.py",
        "if now - self.decreased_at < settings.hold_s:",
        "if False:",
        TIMED + "test_fuse_holds_every_round_and_increases_wait_for_the_hold",
    ),
    Mutation(
        "6 hysteresis: decreases wait for the hold too",
        CORE + "engine.py",
        "        limits = allocation_round.limits\n",
        "        limits = {k: v if (m := self._memory[k]).limit_a is None"
        " or v.current_a >= m.limit_a or now - m.changed_at >= settings.hold_s"
        " else ChargerLimit(m.limit_a, v.reason, v.load_phases)"
        " for k, v in allocation_round.limits.items()}\n",
        TIMED + "test_fuse_holds_every_round_and_increases_wait_for_the_hold",
    ),
    Mutation(
        "1 overload: an EV still ramping down is taken for the building",
        CORE + "credit.py",
        "ramping_down = meter_at - memory.lowered_at < settings.ramp_s",
        "ramping_down = False",
        TIMED + "test_a_cut_is_not_taken_for_a_building_overload",
    ),
    Mutation(
        "1 baseline: a full EV's lingering reading is credited as EV draw",
        CORE + "credit.py",
        "    elif charger.state is ChargerState.CHARGING:\n",
        "    elif True:\n",
        TIMED + "test_an_ev_that_stops_by_itself_with_a_late_reading_keeps_the_fuse",
    ),
    Mutation(
        "1 baseline: a meter reading from before a raise is set against the raise",
        CORE + "credit.py",
        "    if meter_at > memory.raised_at:\n",
        "    if True:\n",
        CREDIT + "test_a_meter_reading_from_before_a_raise_is_set_against_the_old_draw",
        # The meter's evidence (ramp_evidence.py) guards this too.
        also=(
            (
                CORE + "engine.py",
                "credits = evidenced_credits(measured, credits, raised)",
                "credits = list(credits)",
            ),
        ),
    ),
    Mutation(
        "1 baseline: a raised EV is credited with its whole new limit",
        CORE + "credit.py",
        "raise_a = raised_to - base",
        "raise_a = raised_to",
        CREDIT + "test_a_raise_is_credited_up_to_the_raise_not_the_whole_new_limit",
    ),
    Mutation(
        "1 baseline: sharing credits a cut EV with the draw it may no longer have",
        CORE + "engine.py",
        "assume_followed=True,",
        "assume_followed=False,",
        CREDIT + "test_a_meter_reading_after_a_cut_takes_the_ev_to_have_followed",
    ),
    Mutation(
        "1 baseline: the hold lets go of an estimate when rounds are sparse",
        CORE + "baseline.py",
        "while len(samples) > 1 and samples[1][0] <= now - self.window_s:",
        "while samples and samples[0][0] < now - self.window_s:",
        "tests/balancer/test_baseline_hold.py::"
        "test_an_ev_seen_stepping_down_by_the_meter_first_does_not_lower_the_baseline",
    ),
    Mutation(
        "1 baseline: the hold ends whatever was credited",
        CORE + "engine.py",
        "exact = no_ev_credited(credits)",
        "exact = True",
        "tests/balancer/test_baseline_hold.py::"
        "test_the_hold_still_covers_an_ev_whose_reading_lags_the_meter",
    ),
    Mutation(
        "1 baseline: EVs that wait sit out the hold of a freed building",
        CORE + "baseline.py",
        "        if upper_bound:\n            samples.clear()\n",
        "",
        "tests/sizing/test_idle_capacity.py",
    ),
    Mutation(
        "1 baseline: a metered circuit holds what its board freed",
        CORE + "tree_round.py",
        "upper_bound=upper_bound and circuit.metered,",
        "upper_bound=False,",
        "tests/balancer/test_baseline_hold.py::"
        "test_a_metered_circuit_frees_its_capacity_at_the_next_round_too",
    ),
    Mutation(
        "1 baseline: a raise's credit lapses on the round's clock",
        CORE + "credit.py",
        "unconfirmed_raise(charger, memory, settings, meter_at) if raise_credit",
        "unconfirmed_raise(charger, memory, settings, now) if raise_credit",
        CREDIT + "test_the_raise_window_counts_on_the_meters_clock_not_the_rounds",
    ),
    Mutation(
        "1 baseline: a raise is credited whatever the meter shows of it",
        CORE + "engine.py",
        "credits = evidenced_credits(measured, credits, raised)",
        "credits = list(credits)",
        "tests/balancer/test_ramp_evidence.py::"
        "test_a_building_rise_on_one_phase_does_not_hide_under_a_raise",
    ),
    Mutation(
        "1 baseline: a start is credited on conductors the meter does not show",
        CORE + "ramp_evidence.py",
        "running = share = min(running, share)",
        "running = min(running, share)",
        "tests/balancer/test_ramp_evidence.py::"
        "test_a_rise_on_a_later_conductor_alone_is_not_an_evs_ramp",
    ),
    Mutation(
        "1 baseline: a ramp the meter saw is credited only up to a later cut",
        CORE + "credit.py",
        "raised_to = max(limit, memory.before_lower_a)",
        "raised_to = limit",
        CREDIT + "test_a_cut_after_the_meter_read_does_not_shrink_the_ramp_it_saw",
    ),
    Mutation(
        "loop: the balancer's own timers are not a reason for a round",
        LOOP + "control_loop.py",
        "return min(held_back, self.allocator.next_change_s(now))",
        "return held_back",
        "tests/sizing/test_replay_shortcut.py::"
        "test_the_shortcut_gives_the_figures_of_every_tick",
    ),
    Mutation(
        "7 failsafe: pause mode keeps the last limits",
        CORE + "failsafe.py",
        "        elif not static_share:\n",
        "        elif False:\n",
        TIMED + "test_failsafe_pauses_or_shares_within_the_reserve",
    ),
    Mutation(
        "loop: the wall clock taken for the loop's clock",
        HA + "ha_clock.py",
        "return RoundTime(now=loop_now(), wall=dt_util.utcnow().timestamp())",
        "return RoundTime(now=dt_util.utcnow().timestamp(), wall=loop_now())",
        SEAMS + "test_a_queue_restored_across_a_restart_keeps_its_waits",
    ),
    Mutation(
        "loop: a reading's age dropped on the way to the balancer",
        LOOP + "charger_input.py",
        "measured_at=taken_at,",
        "measured_at=None,",
        SEAMS + "test_a_reading_older_than_a_raise_is_not_taken_for_the_new_draw",
    ),
    Mutation(
        "loop: the energy still needed never counts down",
        LOOP + "track.py",
        "wanted = max(0.0, wanted - delivered)",
        "wanted = max(0.0, wanted - 0.0)",
        SEAMS + "test_energy_still_needed_counts_down_as_the_ev_charges",
    ),
    Mutation(
        "loop: a round that raises takes the loop down",
        LOOP + "control_loop.py",
        "        except ROUND_ERRORS as err:\n            self._round_failed(err)",
        "        except KeyboardInterrupt as err:\n            self._round_failed(err)",
        "tests/loop/test_round_guard.py",
    ),
]


def main() -> int:
    root = Path.cwd()
    failures = 0
    for mutation in MUTATIONS:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "repo"
            shutil.copytree(
                root,
                copy,
                ignore=shutil.ignore_patterns(
                    ".venv", ".git", "*cache*", "node_modules", "build"
                ),
            )
            edits = ((mutation.path, mutation.old, mutation.new), *mutation.also)
            stale = False
            for path, before, after in edits:
                target = copy / path
                text = target.read_text()
                stale = stale or before not in text
                target.write_text(text.replace(before, after, 1))
            if stale:
                print(f"STALE  {mutation.invariant}: pattern not found")
                failures += 1
                continue
            result = subprocess.run(  # noqa: S603 (our own pytest, fixed args)
                [
                    sys.executable,
                    "-m",
                    "pytest",
                    "-x",
                    "-q",
                    "-p",
                    "no:cacheprovider",
                    mutation.test,
                ],
                cwd=copy,
                capture_output=True,
                text=True,
                check=False,
            )
            caught = result.returncode != 0
            failures += not caught
            print(f"{'CAUGHT' if caught else 'MISSED'} {mutation.invariant}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Session records: JSON dump/load for HA to persist, and CSV export."""

from __future__ import annotations

import csv
import io
import json

import pytest

from custom_components.ev_load_balancer.ocpp_cs import SessionLog, SessionRecord


def _record(transaction_id: str, **overrides: object) -> SessionRecord:
    values: dict = {
        "charger_id": "CP1",
        "transaction_id": transaction_id,
        "connector_id": 1,
        "id_tag": "TAG",
        "started_at": 1_767_225_600.0,  # 2026-01-01T00:00:00Z
        "meter_start_wh": 1000.0,
    }
    values.update(overrides)
    return SessionRecord(**values)


def test_start_stop_and_energy() -> None:
    log = SessionLog()
    changes: list[None] = []
    log.add_listener(lambda: changes.append(None))
    log.start(_record("1"))
    assert log.active("CP1") == _record("1")
    stopped = log.stop(
        "CP1", "1", stopped_at=1_767_229_200.0, meter_stop_wh=8500.0, reason="Local"
    )
    assert stopped.energy_kwh == pytest.approx(7.5)
    assert log.active("CP1") is None
    assert len(changes) == 2


def test_stop_of_an_unknown_session_creates_nothing() -> None:
    log = SessionLog()
    changes: list[None] = []
    log.add_listener(lambda: changes.append(None))
    assert (
        log.stop("CP1", "99", stopped_at=5.0, meter_stop_wh=10.0, reason=None) is None
    )
    assert log.records == ()
    assert changes == []


def test_one_open_session_per_connector() -> None:
    log = SessionLog()
    log.start(_record("1"))
    log.start(_record("2", connector_id=2))  # another connector: both run
    log.start(_record("3", started_at=1_767_229_200.0))
    first, second, third = log.records
    assert (first.transaction_id, first.stop_reason) == ("1", "Superseded")
    assert first.stopped_at == 1_767_229_200.0
    assert first.energy_kwh is None  # its end was never told
    assert second.stopped_at is None
    assert third.stopped_at is None


def test_dump_and_load_round_trip_through_json() -> None:
    log = SessionLog()
    log.start(_record("1"))
    log.stop("CP1", "1", stopped_at=1_767_229_200.0, meter_stop_wh=2000.0, reason=None)
    log.start(_record("2", id_tag=None, meter_start_wh=None))
    issued = log.next_transaction_id()
    restored = SessionLog()
    restored.load(json.loads(json.dumps(log.dump())))
    assert restored.records == log.records
    assert restored.next_transaction_id() > issued


def test_damaged_records_are_skipped() -> None:
    log = SessionLog()
    log.load(
        {
            "records": [
                {"charger_id": "CP1"},
                "garbage",
                _record("ok").as_dict(),
                {**_record("bad").as_dict(), "started_at": "yesterday"},
            ]
        }
    )
    assert [record.transaction_id for record in log.records] == ["ok"]


def test_records_are_bounded_and_exported_before_they_are_dropped() -> None:
    exported: list[str] = []
    log = SessionLog(
        max_records=10,
        on_prune=lambda records: exported.extend(r.transaction_id for r in records),
    )
    for index in range(25):
        log.start(_record(str(index)))
    assert len(log.records) <= 10
    kept = [record.transaction_id for record in log.records]
    assert exported + kept == [str(index) for index in range(25)]


def test_csv_export() -> None:
    log = SessionLog()
    log.start(_record("1", id_tag="=HYPERLINK(evil)"))
    log.stop(
        "CP1",
        "1",
        stopped_at=1_767_229_200.0,
        meter_stop_wh=4250.0,
        reason="EVDisconnected",
    )
    log.start(_record("2", charger_id="CP2"))
    rows = list(csv.DictReader(io.StringIO(log.to_csv())))
    assert [row["transaction_id"] for row in rows] == ["1", "2"]
    first = rows[0]
    assert first["started_at"] == "2026-01-01T00:00:00+00:00"
    assert first["stopped_at"] == "2026-01-01T01:00:00+00:00"
    assert first["energy_kwh"] == "3.250"
    assert first["id_tag"] == "'=HYPERLINK(evil)"  # not a formula in a spreadsheet
    assert rows[1]["stopped_at"] == ""
    only_cp2 = log.to_csv(r for r in log.records if r.charger_id == "CP2")
    assert only_cp2.count("\n") == 2


def test_transaction_ids_are_unique_32_bit_integers() -> None:
    log = SessionLog()
    ids = [log.next_transaction_id() for _ in range(100)]
    assert len(set(ids)) == 100
    assert all(0 < value < 2**31 for value in ids)

"""Tests of the Modbus meter source, against a real pymodbus server."""

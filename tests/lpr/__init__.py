"""Tests of the protocol library on its own, without Home Assistant."""

"""Tests of the LPR Camera integration."""

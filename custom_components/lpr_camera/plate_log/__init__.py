"""The plate log: every read in a database, its pictures, upkeep, statistics, panel."""

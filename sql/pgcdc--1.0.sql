-- pgcdc 1.0: install script.
--
-- The output plugin needs no SQL objects (a slot names the library: 'pgcdc'). The extension
-- creates the schema pgcdc (from the control file) that the slot-health functions live in.

\echo Use "CREATE EXTENSION pgcdc" to load this file. \quit

comment on schema pgcdc is 'pgcdc: change data capture helpers';

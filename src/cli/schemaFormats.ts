/**
 * The formats a declared schema can be written in (schema:export, db:introspect). Its own
 * module without imports: command definitions name the choices, and `--help` must not load the
 * writers behind them.
 */
export const SCHEMA_FORMATS = ['json', 'ts'] as const
export type SchemaFormat = (typeof SCHEMA_FORMATS)[number]

/** The ledger's default schema, apart from ledger.ts so that the CLI's option help loads no database code. */
export const DEFAULT_LEDGER_SCHEMA = 'strata'

/**
 * The JSON Schema of strata.config.json. Its validator is generated at build time with the
 * others (scripts/generate-validators.ts); context.ts reads and checks the file.
 */
const projectProperties = {
	migrationsDir: { type: 'string', minLength: 1 },
	schema: { type: 'string', minLength: 1 },
	databaseUrl: { type: 'string', minLength: 1 },
	ledgerSchema: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_$]*$' },
	schemaTimeout: { type: 'number', exclusiveMinimum: 0 },
	largeTableRows: { type: 'integer', minimum: 1 },
	online: { type: 'boolean' },
	// docs/zero-downtime.md: migrations:diff writes an expand/contract pair for a change that is not backward compatible
	expandContract: { type: 'boolean' },
	// docs/fleet.md: named databases (or schemas of one) the same history is applied to
	targets: {
		type: 'object',
		propertyNames: { pattern: '^[A-Za-z0-9_][A-Za-z0-9_-]*$', maxLength: 100 },
		additionalProperties: {
			type: 'object',
			properties: {
				databaseUrl: { type: 'string', minLength: 1 },
				databaseUrlEnv: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
				schema: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_$]{0,62}$' },
				ledgerSchema: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_$]{0,62}$' },
			},
			additionalProperties: false,
		},
	},
	targetsFrom: {
		type: 'object',
		properties: { command: { type: 'string', minLength: 1 }, file: { type: 'string', minLength: 1 } },
		additionalProperties: false,
		minProperties: 1,
		maxProperties: 1,
	},
} as const

export const configSchema = {
	type: 'object',
	properties: {
		$schema: { type: 'string' },
		...projectProperties,
		projects: { type: 'object', additionalProperties: { type: 'object', properties: projectProperties, additionalProperties: false } },
	},
	additionalProperties: false,
}

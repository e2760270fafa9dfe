/** A small history for the lint rule tests: author and post (views integer, data jsonb, body text), and helpers to lint one more migration after it. */
import { lintMigrations, lintPrepared, prepareLint, type LintFinding } from '../../../src/lint/lintMigrations.js'
import type { TableSizes } from '../../../src/lint/rule.js'
import { parseMigration } from '../../../src/migrations/parse.js'
import { replay } from '../../../src/migrations/replay.js'
import type { Modification } from '../../../src/modifications/types.js'

const uuid = { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false }
export const entity = (name: string, tableName: string) => ({ name, primary: 'id', primaryColumn: 'id', tableName, fields: { id: uuid }, unique: [], indexes: [], eventLog: { enabled: true } })
export const column = (name: string, type: string, columnType: string, extra: object = {}) => ({ name, columnName: name, type, columnType, nullable: true, ...extra })

const init = parseMigration('2024-01-01-100000-init', JSON.stringify({
	formatVersion: 6,
	modifications: [
		{ modification: 'createEntity', entity: entity('Author', 'author') },
		{ modification: 'createEntity', entity: entity('Post', 'post') },
		{ modification: 'createColumn', entityName: 'Post', field: column('views', 'Integer', 'integer') },
		{ modification: 'createColumn', entityName: 'Post', field: column('data', 'Json', 'jsonb') },
		{ modification: 'createColumn', entityName: 'Post', field: column('body', 'String', 'text') },
	],
}))

/** the migration as parsed from its file text (so its `strata` extension is validated as on disk) */
export const migration = (modifications: readonly Modification[], strata?: object) =>
	parseMigration('2024-02-01-100000-next', JSON.stringify({ formatVersion: 6, modifications, ...(strata ? { strata } : {}) }))

/** the findings of one migration after init; with `sizes`, L001 is checked too */
export const lint = (modifications: readonly Modification[], options: { strata?: object; sizes?: TableSizes } = {}) => {
	const file = migration(modifications, options.strata)
	const before = replay([init])
	return options.sizes ? lintPrepared(prepareLint([file], before), options.sizes) : lintMigrations([file], before)
}

export const codes = (findings: readonly LintFinding[]) => findings.map(it => it.code)

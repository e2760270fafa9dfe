/**
 * Small hand-written migrations (Contember formatVersion 6) for the database suites, and a way
 * to turn them into parsed MigrationFiles or files on disk.
 */
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseMigration, type MigrationFile } from '../../../src/migrations/files.js'
import { markedExtension } from '../../../src/migrations/strataOnly.js'
import type { Modification } from '../../../src/modifications/types.js'

const id = { name: 'id', columnName: 'id', columnType: 'uuid', nullable: false, type: 'Uuid' }

export const createEntity = (name: string, tableName: string): Modification => ({
	modification: 'createEntity',
	entity: { eventLog: { enabled: true }, name, primary: 'id', primaryColumn: 'id', tableName, fields: { id }, unique: [], indexes: [] },
})

export const createColumn = (entityName: string, name: string, options: { columnName?: string; type?: string; columnType?: string; nullable?: boolean; fillValue?: unknown } = {}): Modification => ({
	modification: 'createColumn',
	entityName,
	field: { name, columnName: options.columnName ?? name, columnType: options.columnType ?? 'text', nullable: options.nullable ?? true, type: options.type ?? 'String' },
	...(options.fillValue !== undefined ? { fillValue: options.fillValue } : {}),
})

export const createUnique = (entityName: string, fields: string[]): Modification => ({ modification: 'createUniqueConstraint', entityName, unique: { fields } })
export const removeUnique = (entityName: string, fields: string[]): Modification => ({ modification: 'removeUniqueConstraint', entityName, unique: { fields } })

export const createManyHasOne = (entityName: string, name: string, target: string, columnName: string, onDelete = 'restrict'): Modification => ({
	modification: 'createRelation',
	entityName,
	owningSide: { type: 'ManyHasOne', name, target, joiningColumn: { columnName, onDelete }, nullable: true },
})

export const updateOnDelete = (entityName: string, fieldName: string, onDelete: string): Modification => ({ modification: 'updateRelationOnDelete', entityName, fieldName, onDelete })

/** the file text; a file using a strata-only feature (executeSql, conversion) is marked as diff and blank mark it */
export const migrationText = (modifications: readonly Modification[], formatVersion = 6, skippedErrors?: readonly { code: string; path?: string }[]) => {
	const strata = markedExtension(undefined, modifications)
	return `${JSON.stringify({ formatVersion, modifications, ...(skippedErrors ? { skippedErrors } : {}), ...(strata ? { strata } : {}) }, null, '\t')}\n`
}

export const migration = (name: string, modifications: readonly Modification[], formatVersion = 6): MigrationFile =>
	parseMigration(name, migrationText(modifications, formatVersion))

/** a three-step blog history: authors (unique name), posts → authors, then constraint changes needing live names */
export const blogHistory = (): { name: string; modifications: Modification[] }[] => [
	{ name: '2024-01-01-100000-authors', modifications: [createEntity('Author', 'author'), createColumn('Author', 'name'), createUnique('Author', ['name'])] },
	{ name: '2024-01-02-100000-posts', modifications: [createEntity('Post', 'post'), createColumn('Post', 'title'), createManyHasOne('Post', 'author', 'Author', 'author_id')] },
	{ name: '2024-01-03-100000-relax', modifications: [removeUnique('Author', ['name']), updateOnDelete('Post', 'author', 'cascade')] },
]

export const blogFiles = (): MigrationFile[] => blogHistory().map(it => migration(it.name, it.modifications))

/** a project directory with the given migrations on disk */
export const projectWith = async (migrations: readonly { name: string; modifications: readonly Modification[]; skippedErrors?: readonly { code: string }[] }[], config?: object): Promise<string> => {
	const root = await mkdtemp(path.join(tmpdir(), 'strata-project-'))
	// as root the embedded cluster runs as the `postgres` OS user, which must reach .strata/postgres
	await chmod(root, 0o755)
	await mkdir(path.join(root, 'migrations'))
	for (const it of migrations) await writeFile(path.join(root, 'migrations', `${it.name}.json`), migrationText(it.modifications, 6, it.skippedErrors))
	if (config) await writeFile(path.join(root, 'strata.config.json'), JSON.stringify(config))
	return root
}

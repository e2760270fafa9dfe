/**
 * `db:drift [project]`: compare the live database with the schema its executed migrations
 * describe. The expected schema is replayed from the ledger's stored migration content by
 * default (files may have been edited since they ran); `--from files` replays the files of the
 * executed versions instead. Drift is reported with exit 0; `--check` exits 3 on drift.
 */
import type { CommandModule } from 'yargs'
import { ExitCode, StrataError } from '../../errors.js'
import { readMigrations } from '../../migrations/files.js'
import { replay } from '../../migrations/replay.js'
import type { Modification } from '../../modifications/types.js'
import { applyIgnores, compareCatalogs, expectedCatalog, readLiveCatalog, type DriftItem, type DriftKind } from '../../db/drift.js'
import { readLedger, type LedgerRow } from '../../db/ledger.js'
import { resolveProject } from '../context.js'
import { createOutput, type Output } from '../output.js'
import { databaseOptions, exitCodeHandler, ledgerSchemaOf, withDatabase, type DatabaseCommandArgs } from './status.js'

interface DriftArgs extends DatabaseCommandArgs {
	readonly check?: boolean
	readonly ignore?: readonly string[]
	readonly from?: 'ledger' | 'files'
	readonly dbSchema?: string
}

const KIND_LABELS: Record<DriftKind, string> = {
	missingTable: 'missing table',
	extraTable: 'extra table',
	missingColumn: 'missing column',
	extraColumn: 'extra column',
	columnType: 'column type',
	columnNullability: 'nullability',
	columnIdentity: 'identity',
	primaryKey: 'primary key',
	missingForeignKey: 'missing foreign key',
	extraForeignKey: 'extra foreign key',
	foreignKeyOnDelete: 'foreign key on delete',
	missingUnique: 'missing unique',
	extraUnique: 'extra unique',
	missingIndex: 'missing index',
	extraIndex: 'extra index',
	missingEnum: 'missing enum',
	extraEnum: 'extra enum',
	enumValues: 'enum values',
	missingView: 'missing view',
	extraView: 'extra view',
	viewKind: 'view kind',
}

interface Replayable {
	readonly name: string
	readonly version: string
	readonly formatVersion: number
	readonly modifications: Modification[]
}

/** the executed migrations as the ledger stored them when they ran */
const fromLedger = (rows: readonly LedgerRow[], ledgerSchema: string): Replayable[] =>
	rows.map(row => {
		let content: { formatVersion?: unknown; modifications?: unknown }
		try {
			content = JSON.parse(row.migration) as typeof content
		} catch {
			throw new StrataError('LEDGER_CONTENT_INVALID', `The ledger ${ledgerSchema}.migrations holds unreadable JSON for ${row.name}. Use --from files to replay the migration files instead.`)
		}
		if (!Array.isArray(content?.modifications)) {
			throw new StrataError('LEDGER_CONTENT_INVALID', `The ledger ${ledgerSchema}.migrations entry of ${row.name} has no modifications list. Use --from files to replay the migration files instead.`)
		}
		const formatVersion = typeof content.formatVersion === 'number' ? content.formatVersion : row.formatVersion
		return { name: row.name, version: row.version, formatVersion, modifications: content.modifications as Modification[] }
	})

/** the files of the executed versions; a missing one is an error (its content is only in the ledger) */
const fromFiles = async (rows: readonly LedgerRow[], migrationsDir: string): Promise<Replayable[]> => {
	const files = new Map((await readMigrations(migrationsDir)).map(file => [file.version, file]))
	const missing = rows.filter(row => !files.has(row.version))
	if (missing.length > 0) {
		throw new StrataError('MIGRATION_FILE_MISSING', `--from files: executed migration${missing.length === 1 ? '' : 's'} ${missing.map(row => row.name).join(', ')} ha${missing.length === 1 ? 's' : 've'} no file in ${migrationsDir}. Drop --from files to replay the ledger's stored content.`)
	}
	return rows.map(row => files.get(row.version)!)
}

export const driftJson = (items: readonly DriftItem[]) =>
	items.map(item => ({ kind: item.kind, object: item.object, expected: item.expected, actual: item.actual }))

const printItems = (items: readonly DriftItem[], output: Output): void => {
	const { color } = output
	const kindWidth = Math.max(...items.map(item => KIND_LABELS[item.kind].length))
	const objectWidth = Math.min(48, Math.max(...items.map(item => item.object.length)))
	for (const item of items) {
		const detail = [item.expected !== null ? `expected ${item.expected}` : '', item.actual !== null ? `actual ${item.actual}` : 'absent']
			.filter(Boolean).join(', ')
		const paint = item.kind.startsWith('missing') ? color.red : item.kind.startsWith('extra') ? color.yellow : color.magenta
		output.info(`  ${paint(KIND_LABELS[item.kind].padEnd(kindWidth))}  ${item.object.padEnd(objectWidth)}  ${detail}`)
	}
}

const drift: CommandModule<object, DriftArgs> = {
	command: 'db:drift [project]',
	describe: 'compare the live database with the schema of its executed migrations',
	builder: yargs =>
		databaseOptions(yargs)
			.option('check', { type: 'boolean', describe: 'exit 3 when anything drifted (CI gate)' })
			.option('ignore', { type: 'string', array: true, requiresArg: true, describe: 'glob on `table` or `table.column` to leave out (repeatable; * and ? stay within one name)' })
			.option('from', { choices: ['ledger', 'files'] as const, default: 'ledger' as const, describe: 'replay the content stored in the ledger, or the migration files of the executed versions' })
			.option('db-schema', { type: 'string', requiresArg: true, default: 'public', describe: 'the PostgreSQL schema the migrations create their tables in' })
			.example('$0 db:drift --check', 'fail the build when someone changed the database by hand')
			.example('$0 db:drift --ignore "audit_*" --ignore "post.legacy_*"', 'leave out tables and columns managed elsewhere'),
	handler: exitCodeHandler(async argv => {
		const output = createOutput(argv)
		const context = await resolveProject(argv)
		const ledgerSchema = ledgerSchemaOf(argv, context)
		const schemaName = argv.dbSchema ?? 'public'
		const ignore = (argv.ignore ?? []).map(String).filter(pattern => pattern !== '')
		const source = argv.from ?? 'ledger'
		return withDatabase(argv, context, output, 'strata db:drift', async database => {
			const rows = await readLedger(database.client, ledgerSchema)
			const history = source === 'files' ? await fromFiles(rows, context.migrationsDir) : fromLedger(rows, ledgerSchema)
			const expected = expectedCatalog(replay(history))
			// the ledger is strata's own bookkeeping, not part of the compared schema
			const skipTables = ledgerSchema === schemaName ? ['migrations', 'ledger_meta'] : []
			const actual = await readLiveCatalog(database.client, schemaName, { skipTables })
			const all = compareCatalogs(expected, actual)
			const items = applyIgnores(all, ignore)
			const ignored = all.length - items.length

			if (output.jsonMode) {
				output.json(driftJson(items))
			} else {
				output.note(`Database: ${database.description}, schema ${schemaName}`)
				output.note(rows.length === 0
					? `The ledger ${ledgerSchema}.migrations records no executed migrations: the database is expected to be empty.`
					: `Expected: the schema of ${rows.length} executed migration${rows.length === 1 ? '' : 's'} (up to ${rows[rows.length - 1]!.name}), replayed from ${source === 'files' ? 'their files' : `the content stored in ${ledgerSchema}.migrations`}.`)
				const ignoredNote = ignored > 0 ? ` (${ignored} ignored)` : ''
				if (items.length === 0) {
					output.info(`No drift: the database matches the executed migrations${ignoredNote}.`)
				} else {
					output.info(output.color.bold(`Drift: ${items.length} difference${items.length === 1 ? '' : 's'}${ignoredNote}`))
					printItems(items, output)
				}
			}
			return argv.check && items.length > 0 ? ExitCode.checkFailed : ExitCode.ok
		})
	}),
}

export default drift

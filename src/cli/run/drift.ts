/**
 * `db:drift [project]`: compare the live database with the schema its executed migrations
 * describe. The expected schema is replayed from the ledger's stored migration content by
 * default (files may have been edited since they ran); `--from files` replays the files of the
 * executed versions instead. Drift is reported with exit 0; `--check` exits 3 on drift.
 */
import { fleetRequested, type FleetArgs } from '../commands/fleetOptions.js'
import { ExitCode } from '../../errors.js'
import { detectProjectDrift } from '../../api/drift.js'
import { driftDirection, type DriftItem, type DriftKind } from '../../db/drift.js'
import { resolveProject } from '../context.js'
import { createOutput, type Output } from '../output.js'
import { ledgerSchemaOf, withDatabase, type DatabaseCommandArgs } from './status.js'

export interface DriftArgs extends DatabaseCommandArgs {
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
	indexDefinition: 'index definition',
	uniqueDefinition: 'unique definition',
	missingEnum: 'missing enum',
	extraEnum: 'extra enum',
	enumValues: 'enum values',
	missingView: 'missing view',
	extraView: 'extra view',
	viewKind: 'view kind',
}

const itemJson = (item: DriftItem) => ({ kind: item.kind, direction: driftDirection(item.kind), object: item.object, expected: item.expected, actual: item.actual })

/** the `--json` document: whether the database is in sync, each difference, and each one `--ignore` left out */
export const driftJson = (items: readonly DriftItem[], ignored: readonly DriftItem[]) => ({
	inSync: items.length === 0,
	items: items.map(itemJson),
	ignored: ignored.map(itemJson),
})

export const printItems = (items: readonly DriftItem[], output: Output): void => {
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

/** the `--ignore` patterns as given, empty ones dropped */
export const ignorePatterns = (argv: { readonly ignore?: readonly string[] }): string[] =>
	(argv.ignore ?? []).map(String).filter(pattern => pattern !== '')

/** the `Ignored (--ignore …):` section: every item a pattern left out, so nothing disappears silently */
export const printIgnored = (ignored: readonly DriftItem[], patterns: readonly string[], output: Output): void => {
	if (ignored.length === 0) return
	output.info(`Ignored (--ignore ${patterns.join(' ')}):`)
	printItems(ignored, output)
}

/**
 * A command that records migrations only on a database without drift (baseline, adopt-contember)
 * and found some: `{ recorded: false, inSync, items, ignored }` with --json, else the heading and
 * the items as db:drift prints them.
 */
export const printRefusingDrift = (heading: string, drift: readonly DriftItem[], ignored: readonly DriftItem[], patterns: readonly string[], output: Output): void => {
	if (output.jsonMode) {
		output.json({ recorded: false, ...driftJson(drift, ignored) })
		return
	}
	output.info(output.color.bold(heading))
	printItems(drift, output)
	printIgnored(ignored, patterns, output)
}

export const run = async (argv: DriftArgs): Promise<number | void> => {
	// --target/--targets: the same command on several databases of the config (docs/fleet.md)
	if (fleetRequested(argv as DriftArgs & FleetArgs)) return (await import('./fleet.js')).run('drift', argv as DriftArgs & FleetArgs)
	const output = createOutput(argv)
	const context = await resolveProject(argv)
	const ledgerSchema = ledgerSchemaOf(argv, context)
	const schemaName = argv.dbSchema ?? 'public'
	const ignore = ignorePatterns(argv)
	const source = argv.from ?? 'ledger'
	return withDatabase(argv, context, output, 'strata db:drift', async database => {
		const { items, ignoredItems, executed: rows } = await detectProjectDrift({ project: context, database: database.client, ledgerSchema, schemaName, source, ignore })

		if (output.jsonMode) {
			output.json(driftJson(items, ignoredItems))
		} else {
			output.note(`Database: ${database.description}, schema ${schemaName}`)
			output.note(rows.length === 0
				? `The ledger ${ledgerSchema}.migrations records no executed migrations: the database is expected to be empty.`
				: `Expected: the schema of ${rows.length} executed migration${rows.length === 1 ? '' : 's'} (up to ${rows[rows.length - 1]!.name}), replayed from ${source === 'files' ? 'their files' : `the content stored in ${ledgerSchema}.migrations`}.`)
			const ignoredNote = ignoredItems.length > 0 ? ` (${ignoredItems.length} ignored, listed below)` : ''
			if (items.length === 0) {
				output.info(`No drift: the database matches the executed migrations${ignoredNote}.`)
			} else {
				output.info(output.color.bold(`Drift: ${items.length} difference${items.length === 1 ? '' : 's'}${ignoredNote}`))
				printItems(items, output)
			}
			printIgnored(ignoredItems, ignore, output)
		}
		return argv.check && items.length > 0 ? ExitCode.checkFailed : ExitCode.ok
	})
}

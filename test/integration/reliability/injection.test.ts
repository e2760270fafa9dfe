/**
 * Statement injection through every field that reaches SQL. The cases are generated: for each
 * modification id of the registry, a real instance is taken from Contember's conformance cases
 * (with the schema it applies to), every string field of its data is probed offline (does
 * changing it change the generated SQL?), and each field that reaches SQL gets each payload.
 * Every case runs on real PostgreSQL through executeMigrations: it is refused with exit 1 naming
 * the file and the modification before any SQL runs, or it executes with the payload as data or
 * as a (quoted, untruncated) identifier. No case may leave a `pwned` table behind.
 *
 * A new modification id fails the coverage check until a conformance case (or NO_SQL_IDS) covers it.
 */
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { StrataError } from '../../../src/errors.js'
import { executeMigrations } from '../../../src/db/executor.js'
import { MigrationExecutionError } from '../../../src/db/failure.js'
import { diffSchemas } from '../../../src/diff/diffSchemas.js'
import { parseMigration, type MigrationFile } from '../../../src/migrations/files.js'
import { foldModifications } from '../../../src/modifications/fold.js'
import { modificationIds } from '../../../src/modifications/registry.js'
import type { Modification } from '../../../src/modifications/types.js'
import { emptySchema, type Schema } from '../../../src/schema/model.js'
import { recordAdversarial } from '../../helpers/adversarial.js'
import { loadConformanceCases } from '../../helpers/conformance.js'
import { useTestDatabase } from '../../helpers/database.js'

const db = useTestDatabase('injection')

const LONG_NAME = 'n'.repeat(64)
const PAYLOADS = [`x"; CREATE TABLE pwned(x int); --`, `'); CREATE TABLE pwned(x int); --`, `$$; CREATE TABLE pwned(x int); --`, LONG_NAME]

/** ids whose modifications never generate SQL (ACL, validation, actions, settings live in the schema JSON only) */
const NO_SQL_IDS = new Set([
	'updateAclSchema', 'patchAclSchema', 'updateValidationSchema', 'patchValidationSchema', 'createTrigger', 'updateTrigger', 'patchTrigger',
	'removeTrigger', 'createTarget', 'updateTarget', 'removeTarget', 'updateSettings', 'removeIndexNames',
])

/** ids whose data is SQL by design: a hand-written SQL step runs what its author wrote (it is reviewed in describe, as any migration is) */
const AUTHORED_SQL_IDS = new Set(['executeSql'])

/** instances for ids no conformance case holds, on a one-entity schema */
const thing = { name: 'Thing', primary: 'id', primaryColumn: 'id', tableName: 'thing', eventLog: { enabled: true }, unique: [], indexes: [],
	fields: { id: { name: 'id', columnName: 'id', columnType: 'uuid', nullable: false, type: 'Uuid' } } }
const title = { name: 'title', columnName: 'title', columnType: 'text', nullable: true, type: 'String' }
const EXTRA_TARGETS: readonly Modification[] = [
	{ modification: 'updateEntityTableName', entityName: 'Thing', tableName: 'thing_renamed' },
	{ modification: 'updateColumnName', entityName: 'Thing', fieldName: 'title', columnName: 'title_renamed' },
]

interface Base {
	readonly id: string
	/** modifications building the schema the target applies to */
	readonly setup: readonly Modification[]
	readonly target: Modification
	readonly schemaBefore: Schema
}

type Path = readonly (string | number)[]

const stringLeaves = (value: unknown, path: Path = []): Path[] => {
	if (typeof value === 'string') return path.length > 1 || path[0] !== 'modification' ? [path] : []
	if (Array.isArray(value)) return value.flatMap((item, i) => stringLeaves(item, [...path, i]))
	if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, inner]) => stringLeaves(inner, [...path, key]))
	return []
}

const withLeaf = (value: unknown, path: Path, replacement: string): unknown => {
	if (path.length === 0) return replacement
	const [head, ...rest] = path
	if (Array.isArray(value)) return value.map((item, i) => (i === head ? withLeaf(item, rest, replacement) : item))
	return { ...(value as object), [head!]: withLeaf((value as Record<string, unknown>)[head as string], rest, replacement) }
}

const offlineSql = (schema: Schema, modification: Modification): string => {
	try {
		return foldModifications(schema, [modification], { formatVersion: 6 }).steps.map(step => step.sql.toString()).join('\n')
	} catch (error) {
		return `error: ${(error as Error).message}`
	}
}

/** the first instance of each id in the conformance cases that generates SQL offline */
const findBases = (): Map<string, Base[]> => {
	const bases = new Map<string, Base[]>()
	for (const { cases } of loadConformanceCases()) {
		for (const testCase of cases) {
			let setup: Modification[]
			try {
				setup = diffSchemas(emptySchema, testCase.original).modifications
			} catch {
				continue
			}
			let schema = testCase.original
			for (const target of testCase.diff) {
				const sql = offlineSql(schema, target)
				const list = bases.get(target.modification) ?? []
				if (!sql.startsWith('error:') && list.length < 3) bases.set(target.modification, [...list, { id: target.modification, setup: [...setup], target, schemaBefore: schema }])
				try {
					schema = foldModifications(schema, [target], { formatVersion: 6 }).schema
				} catch {
					break
				}
				setup = [...setup, target]
			}
		}
	}
	const setup: Modification[] = [{ modification: 'createEntity', entity: thing }, { modification: 'createColumn', entityName: 'Thing', field: title }]
	const schemaBefore = foldModifications(emptySchema, setup, { formatVersion: 6 }).schema
	for (const target of EXTRA_TARGETS) {
		if (!bases.has(target.modification)) bases.set(target.modification, [{ id: target.modification, setup, target, schemaBefore }])
	}
	return bases
}

const reset = async (client: pg.Client) => {
	await client.query('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; DROP SCHEMA IF EXISTS strata CASCADE')
}

const pwnedCount = async (client: pg.Client): Promise<number> =>
	(await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_class WHERE relname = 'pwned'`)).rows[0]!.n

/** an identifier PostgreSQL truncated from the 64-byte payload */
const truncatedNames = async (client: pg.Client): Promise<number> =>
	(await client.query<{ n: number }>(`SELECT ((SELECT count(*) FROM pg_class WHERE relname = $1) + (SELECT count(*) FROM pg_attribute WHERE attname = $1)
		+ (SELECT count(*) FROM pg_type WHERE typname = $1) + (SELECT count(*) FROM pg_constraint WHERE conname = $1))::int AS n`, [LONG_NAME.slice(0, 63)])).rows[0]!.n

let counter = 0
const fileOf = (label: string, modifications: readonly Modification[]): { name: string; parse: () => MigrationFile } => {
	const name = `2024-07-01-${String(100000 + counter++)}-${label}`
	return { name, parse: () => parseMigration(name, JSON.stringify({ formatVersion: 6, modifications })) }
}

type Outcome = { kind: 'executed' } | { kind: 'refused'; error: unknown }

const run = async (client: pg.Client, setup: readonly Modification[], target: Modification, label: string): Promise<{ outcome: Outcome; name: string }> => {
	await reset(client)
	const first = fileOf('setup', setup)
	const second = fileOf(label, [target])
	try {
		const files = [first.parse(), second.parse()]
		await executeMigrations(client, files, { ledgerSchema: 'strata', lockWaitMs: 5000 })
		return { outcome: { kind: 'executed' }, name: second.name }
	} catch (error) {
		return { outcome: { kind: 'refused', error }, name: second.name }
	}
}

describe('statement injection through every field that reaches SQL', () => {
	it('is refused with exit 1 naming the file and modification, or runs as data; never an injected statement', async () => {
		const client = await db.client()
		client.on('notice', () => undefined)
		const candidates = findBases()
		const uncovered: string[] = modificationIds.filter(id => !NO_SQL_IDS.has(id) && !AUTHORED_SQL_IDS.has(id) && !candidates.has(id))
		const tally = { payloads: 0, fields: 0, modifications: 0, refused: 0, executed: 0, rejectedByDatabase: 0 }
		for (const [id, list] of candidates) {
			if (NO_SQL_IDS.has(id)) continue
			// the first instance that runs unchanged on a fresh database
			let base: Base | undefined
			for (const candidate of list) {
				const { outcome } = await run(client, candidate.setup, candidate.target, `${id}-base`)
				if (outcome.kind === 'executed') {
					base = candidate
					break
				}
			}
			if (!base) {
				uncovered.push(id)
				continue
			}
			tally.modifications++
			const original = offlineSql(base.schemaBefore, base.target)
			const reaching = stringLeaves(base.target).filter(path =>
				offlineSql(base.schemaBefore, withLeaf(base.target, path, 'zz_probe_value') as Modification) !== original)
			for (const path of reaching) {
				tally.fields++
				for (const payload of PAYLOADS) {
					tally.payloads++
					const target = withLeaf(base.target, path, payload) as Modification
					const { outcome, name } = await run(client, base.setup, target, id)
					const context = `${id} ${path.join('.')} = ${JSON.stringify(payload)}`
					expect(await pwnedCount(client), context).toBe(0)
					if (outcome.kind === 'refused' && outcome.error instanceof MigrationExecutionError) {
						// PostgreSQL rejected the one generated statement (e.g. a type that does not exist): the payload was an identifier, nothing ran
						expect(outcome.error.details.statement, context).toContain(payload.replace(/"/g, '""').includes('"') ? payload.replace(/"/g, '""') : payload.replace(/'/g, "''"))
						tally.rejectedByDatabase++
					} else if (outcome.kind === 'refused') {
						const error = outcome.error as StrataError
						expect(error, `${context}: ${(error as Error)?.stack}`).toBeInstanceOf(StrataError)
						expect(error.exitCode, `${context}: ${error.message}`).toBe(1)
						expect(error.message, context).toContain(name)
						expect(error.message, context).toMatch(new RegExp(`modification #0|${id}`))
						tally.refused++
					} else {
						expect(await truncatedNames(client), `${context}: a name PostgreSQL truncated`).toBe(0)
						tally.executed++
					}
				}
			}
		}
		expect(uncovered, 'modification ids without a conformance instance that executes (add one, or list the id in NO_SQL_IDS)').toEqual([])
		expect(tally.fields).toBeGreaterThan(30)
		recordAdversarial({
			attack: 'statement injection',
			tried: `${tally.payloads} payloads over ${tally.fields} fields of ${tally.modifications} modifications (${tally.refused} refused, ${tally.executed} executed as data, ${tally.rejectedByDatabase} rejected by PostgreSQL as an unknown name)`,
			held: 'no injected statement ran; every refusal exit 1 naming file and modification',
		})
	}, 900_000)
})

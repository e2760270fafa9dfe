/**
 * The amended migration on a database other than the local one. Locally only the delta of each
 * amend runs on top of the original migration; anywhere else the amended file runs as a whole.
 * For every kind of answer a migration holds, after one amend and after a second one, the
 * amended file executed on a fresh database holding the same rows must leave the same columns
 * and the same rows as the local database has.
 */
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { runModificationsLive } from '../../../src/db/bootstrap.js'
import type { Modification } from '../../../src/modifications/types.js'
import { planAmend } from '../../../src/migrations/amend.js'
import { replay } from '../../../src/migrations/replay.js'
import { emptySchema, type Schema } from '../../../src/schema/model.js'
import { useTestDatabase } from '../../helpers/database.js'
import { answerKinds, baseRows, furtherEdit, historyFor, migrationFile } from './amendScenarios.js'

const db = useTestDatabase('amend_execute')

const run = (client: pg.Client, schema: Schema, modifications: readonly Modification[]) => runModificationsLive(client, schema, modifications, 6)

/** every column (type, domain, nullability) and every row of the public tables */
const contents = async (client: pg.Client) => {
	const columns = (await client.query(`SELECT table_name, column_name, data_type, domain_name, is_nullable FROM information_schema.columns
		WHERE table_schema = 'public' ORDER BY table_name, column_name`)).rows
	const rows: Record<string, unknown[]> = {}
	for (const table of new Set(columns.map(it => it.table_name as string))) {
		rows[table] = (await client.query(`SELECT to_jsonb(t) AS row FROM public."${table}" t ORDER BY t.id`)).rows.map(it => it.row)
	}
	return { columns, rows }
}

describe('an amended migration executed on a fresh database with rows', () => {
	answerKinds().forEach((kind, index) => {
		it(`${kind.name}: same columns and rows as the original plus the deltas on the local database`, async () => {
			const [init, target] = historyFor(kind)
			const local = await (await db.fresh(`local_${index}`)).client()
			await run(local, emptySchema, init!.modifications)
			for (const sql of baseRows) await local.query(sql)
			await run(local, replay([init!]), target!.modifications)

			let files = [init!, target!]
			for (const n of [1, 2]) {
				const plan = planAmend(files, furtherEdit(kind.declared, n))
				if (plan.kind !== 'amend') throw new Error('expected an amendment')
				await run(local, plan.current, plan.delta)
				files = [init!, migrationFile(target!.name, plan.amended)]
				expect(kind.held(plan.amended)).toBe(true)

				const fresh = await (await db.fresh(`fresh_${index}_${n}`)).client()
				await run(fresh, emptySchema, init!.modifications)
				for (const sql of baseRows) await fresh.query(sql)
				await run(fresh, replay([init!]), plan.amended)
				expect(await contents(fresh)).toEqual(await contents(local))
			}
			// the rows really went through the answer (not an empty table that anything fits)
			expect(Object.values((await contents(local)).rows).flat().length).toBe(baseRows.length)
		}, 120_000)
	})
})

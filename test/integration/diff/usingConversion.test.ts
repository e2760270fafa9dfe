/**
 * A type change PostgreSQL cannot cast, converted with --using, the way a user meets it: diff,
 * execute on a database holding rows, amend (keeping the conversion and converting a new edit,
 * which runs on the local database), then the same files on a fresh database with the same
 * rows. Both end with the same columns and the same converted values, and no drift.
 */
import type pg from 'pg'
import { describe, expect, it } from 'vitest'
import { useTestDatabase } from '../../helpers/database.js'
import { DevProject, entity, ok, schemaOf } from '../dev/project.js'

const db = useTestDatabase('using_conversion')

const tagWith = (votes: 'Integer' | 'Uuid', flag: 'Bool' | 'Uuid', extra = {}) =>
	schemaOf(entity('Tag', { label: {}, votes: { type: votes }, flag: { type: flag }, ...extra }))
const ROWS = `INSERT INTO tag (id, label, votes, flag) VALUES
	('33333333-3333-4333-8333-333333333333', 'news', 7, true), ('44444444-4444-4444-8444-444444444444', 'old', NULL, false)`
const VOTES = 'md5("votes"::text)::uuid'
const FLAG = `CASE WHEN "flag" THEN '00000000-0000-4000-8000-000000000001'::uuid END`

const contents = async (client: pg.Client) => ({
	columns: (await client.query(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'tag' ORDER BY column_name`)).rows,
	rows: (await client.query(`SELECT id, label, votes, flag FROM tag ORDER BY id`)).rows,
})

describe('--using on PostgreSQL', () => {
	it('diff, execute on rows, amend with a converted edit, then the same files on a fresh database', async () => {
		const local = await db.fresh('local')
		const client = await local.client()
		const project = new DevProject(local.url)
		project.declare(tagWith('Integer', 'Bool'))
		ok(project.runOffline('migrations:diff', 'init', '--yes'))
		ok(project.run('migrations:execute', '--yes'))
		await client.query(ROWS)

		project.declare(tagWith('Uuid', 'Bool'))
		const refused = project.runOffline('migrations:diff', 'votes', '--yes')
		expect(refused.code).toBe(1)
		expect(refused.stderr).toContain('Tag.votes: integer → uuid')
		ok(project.runOffline('migrations:diff', 'votes', '--yes', '--using', `Tag.votes=${VOTES}`))
		ok(project.run('migrations:execute', '--yes'))
		expect((await client.query(`SELECT votes::text FROM tag ORDER BY id`)).rows.map(row => row.votes)).toEqual([(await client.query(`SELECT md5('7')::uuid::text AS v`)).rows[0].v, null])

		// a new uncastable edit, amended into the executed migration: its conversion runs on the local database, the old one is kept
		project.declare(tagWith('Uuid', 'Uuid', { note: {} }))
		const amendRefused = project.run('migrations:amend', '--yes')
		expect(amendRefused.code).toBe(1)
		expect(amendRefused.stderr).toContain('Tag.flag: boolean → uuid')
		expect(amendRefused.stderr).not.toContain('answer in a terminal')
		const amended = ok(project.run('migrations:amend', '--yes', '--using', `Tag.flag=${FLAG}`))
		expect(amended.stdout).toContain(`kept from ${project.migrationNames()[1]}: convert Tag.votes using ${VOTES}`)
		const file = project.read(project.migrationNames()[1]!) as { modifications: { conversion?: string }[]; strata?: unknown }
		expect(file.modifications.map(it => it.conversion).filter(Boolean).sort()).toEqual([FLAG, VOTES].sort())
		expect(file.strata).toEqual({ extensions: ['conversion'] })
		expect((await client.query(`SELECT flag::text FROM tag ORDER BY id`)).rows.map(row => row.flag)).toEqual(['00000000-0000-4000-8000-000000000001', null])

		// elsewhere the amended file runs whole, on the same rows
		const fresh = await db.fresh('fresh')
		const freshClient = await fresh.client()
		const elsewhere = new DevProject(fresh.url)
		for (const name of project.migrationNames()) elsewhere.write(name, project.read(name))
		elsewhere.declare(tagWith('Uuid', 'Uuid', { note: {} }))
		ok(elsewhere.run('migrations:execute', '--yes', '--until', elsewhere.migrationNames()[0]!))
		await freshClient.query(ROWS)
		ok(elsewhere.run('migrations:execute', '--yes'))
		expect(await contents(freshClient)).toEqual(await contents(client))
		for (const where of [project, elsewhere]) expect(ok(where.run('db:drift')).stdout).toContain('No drift')
	}, 60_000)
})

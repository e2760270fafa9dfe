/** planRebase / validateRebase / outOfOrderAfterRebase, pure. */
import { describe, expect, it } from 'vitest'
import { parseMigration, serializeMigration, type MigrationFile } from '../../../src/migrations/files.js'
import { outOfOrderAfterRebase, planRebase, validateRebase } from '../../../src/migrations/rebase.js'
import { entity } from './project.js'

const file = (name: string, modifications: object[] = []): MigrationFile =>
	parseMigration(name, serializeMigration({ formatVersion: 6, modifications: modifications as MigrationFile['modifications'] }))
const idOnly = (name: string) => ({ ...entity(name), fields: { id: entity(name).fields.id } })
const create = (name: string) => ({ modification: 'createEntity', entity: idOnly(name) })

const init = file('2024-01-01-000000-init', [create('Post')])
const mine = file('2024-01-02-000000-mine', [create('Tag')])
const mine2 = file('2024-01-02-000001-mine-too', [create('Label')])
const upstream = file('2024-01-03-000000-upstream', [create('Author')])

describe('planRebase', () => {
	it('new versions after the newest migration, labels and relative order kept', () => {
		const moves = planRebase([init, mine, mine2, upstream], ['mine-too', 'mine'], new Date(Date.UTC(2025, 5, 1, 12, 0, 0)))
		expect(moves.map(move => [move.file.name, move.newName])).toEqual([
			[mine.name, '2025-06-01-120000-mine'],
			[mine2.name, '2025-06-01-120001-mine-too'],
		])
	})

	it('a clock behind the newest migration still moves them after it', () => {
		const moves = planRebase([init, mine, upstream], ['mine'], new Date(Date.UTC(2020, 0, 1)))
		expect(moves[0]!.newName).toBe('2024-01-03-000001-mine')
	})

	it('unknown names are reported with near matches; at least one name is needed', () => {
		expect(() => planRebase([init, mine], ['mien'])).toThrow(/not found/)
		expect(() => planRebase([init, mine], [])).toThrow(/at least one/)
	})
})

describe('validateRebase', () => {
	it('passes when the moved migrations replay on top', () => {
		const files = [init, mine, upstream]
		expect(() => validateRebase(files, planRebase(files, ['mine']))).not.toThrow()
	})

	it('names the conflicting migration and modification', () => {
		const clash = file('2024-01-03-000000-upstream', [create('Tag')])
		const files = [init, mine, clash]
		expect(() => validateRebase(files, planRebase(files, ['mine']))).toThrow(/Cannot rebase: 2024-01-02-000000-mine does not apply.*#0 \(createEntity\)/s)
	})
})

describe('validateRebase: objects created twice', () => {
	const column = (name: string, type: string, columnType: string) => ({ name, columnName: name, type, columnType, nullable: true })
	const addWeight = (type: string, columnType: string) => ({ modification: 'createColumn', entityName: 'Post', field: column('weight', type, columnType) })

	it('a column upstream added too stops the rebase, naming the upstream migration that created it', () => {
		const mineWeight = file('2024-01-02-000000-weight', [addWeight('Double', 'double precision')])
		const upstreamWeight = file('2024-01-03-000000-upstream-weight', [create('Author'), addWeight('Integer', 'integer')])
		const files = [init, mineWeight, upstreamWeight]
		let error: unknown
		try {
			validateRebase(files, planRebase(files, ['weight']))
		} catch (caught) {
			error = caught
		}
		expect(error).toMatchObject({ code: 'REBASE_CONFLICT' })
		expect((error as Error).message).toBe(
			'Cannot rebase: 2024-01-02-000000-weight does not apply on top of the other migrations.\n'
				+ '  Migration 2024-01-02-000000-weight.json cannot be replayed: modification #0 (createColumn) failed: Field Post::weight already exists; '
				+ 'field Post.weight was created by 2024-01-03-000000-upstream-weight.json, modification #1 (createColumn)',
		)
	})

	it('so does an identical unique constraint', () => {
		const unique = { modification: 'createUniqueConstraint', entityName: 'Post', unique: { fields: ['id'] } }
		const files = [init, file('2024-01-02-000000-mine-unique', [unique]), file('2024-01-03-000000-upstream-unique', [unique])]
		expect(() => validateRebase(files, planRebase(files, ['mine-unique']))).toThrow(/unique constraint on Post \(id\) was created by 2024-01-03-000000-upstream-unique\.json/)
	})
})

describe('outOfOrderAfterRebase', () => {
	it('upstream migrations older than an executed one need --force', () => {
		const files = [init, mine, upstream]
		const moves = planRebase(files, ['mine'])
		expect(outOfOrderAfterRebase(files, moves, new Set([init.version, mine.version])).map(it => it.name)).toEqual([upstream.name])
		// mine never ran locally: upstream simply runs next
		expect(outOfOrderAfterRebase(files, moves, new Set([init.version]))).toEqual([])
	})
})

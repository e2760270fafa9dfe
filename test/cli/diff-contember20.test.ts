/** `migrations:diff` names the steps that need a Contember newer than 2.0.x (warning S012). */
import { describe, expect, it } from 'vitest'
import { parseMigration, serializeMigration } from '../../src/migrations/files.js'
import { replay } from '../../src/migrations/replay.js'
import type { Entity, Schema } from '../../src/schema/model.js'
import { runCli, tempProject } from './run.js'

const init = {
	formatVersion: 6,
	modifications: [
		{ modification: 'createEntity', entity: { name: 'Post', primary: 'id', primaryColumn: 'id', tableName: 'post', fields: { id: { name: 'id', columnName: 'id', type: 'Uuid', columnType: 'uuid', nullable: false } }, unique: [], indexes: [], eventLog: { enabled: true } } },
		{ modification: 'createColumn', entityName: 'Post', field: { name: 'title', columnName: 'title', type: 'String', columnType: 'text', nullable: true } },
	],
}
const replayed = replay([parseMigration('2024-05-01-120000-init', JSON.stringify(init))])
const post = replayed.model.entities.Post!
const declared: Schema = {
	...replayed,
	model: {
		...replayed.model,
		entities: {
			Post: {
				...post,
				fields: { ...post.fields, tags: { name: 'tags', columnName: 'tags', type: 'String', columnType: 'text', nullable: true, list: true } },
				indexes: [{ fields: ['title'] }, { fields: ['tags'], method: 'gin' }],
			} as Entity,
		},
	},
}
const project = () => tempProject({ 'migrations/2024-05-01-120000-init.json': serializeMigration(init), 'schema/schema.json': declared })

describe('migrations:diff and Contember 2.0.x', () => {
	it('--json lists an S012 warning per step using a newer feature, naming its step', () => {
		const { code, stdout, stderr } = runCli(['migrations:diff', 'tags', '--dry-run', '--json'], { cwd: project() })
		expect(code, stderr).toBe(0)
		const result = JSON.parse(stdout) as { modifications: { modification: string }[]; warnings: { index?: number; modification?: string; code: string; message: string }[] }
		const s012 = result.warnings.filter(it => it.code === 'S012')
		expect(s012.map(it => [it.modification, result.modifications[it.index!]?.modification])).toEqual([['createColumn', 'createColumn'], ['createIndex', 'createIndex']])
		expect(s012[0]!.message).toContain('Post.tags uses list columns')
		expect(s012[1]!.message).toContain('index methods')
	})

	it('the preview prints the warning under its step', () => {
		const { code, stdout } = runCli(['migrations:diff', 'tags', '--dry-run'], { cwd: project() })
		expect(code).toBe(0)
		expect(stdout).toMatch(/\[createColumn\]\n\s+! Post\.tags uses list columns.*\[S012\]/)
	})

	it('a plain column and btree index raise none', () => {
		const plain: Schema = { ...declared, model: { ...declared.model, entities: { Post: { ...post, fields: { ...post.fields, body: { name: 'body', columnName: 'body', type: 'String', columnType: 'text', nullable: true } }, indexes: [{ fields: ['body'] }] } as Entity } } }
		const cwd = tempProject({ 'migrations/2024-05-01-120000-init.json': serializeMigration(init), 'schema/schema.json': plain })
		const { code, stdout } = runCli(['migrations:diff', 'body', '--dry-run', '--json'], { cwd })
		expect(code).toBe(0)
		expect(JSON.parse(stdout).warnings.filter((it: { code: string }) => it.code === 'S012')).toEqual([])
	})
})

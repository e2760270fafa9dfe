/**
 * Every modification of the real histories and of the conformance cases must pass its module's
 * dataSchema (group A ids); malformed data must be rejected with a JSON path.
 */
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { modificationHandlers, type ModificationId } from '../../../../src/modifications/registry.js'
import { loadConformanceCases, loadHistories } from '../../../helpers/conformance.js'

const groupA: ModificationId[] = [
	'createEntity', 'removeEntity', 'updateEntityName', 'updateEntityTableName', 'toggleEventLog', 'updateEntityOrderBy',
	'createView', 'updateView', 'removeField', 'updateFieldName', 'createEnum', 'updateEnum', 'removeEnum',
	'createUniqueConstraint', 'removeUniqueConstraint', 'removeIndexNames', 'createIndex', 'removeIndex',
	'updateAclSchema', 'patchAclSchema', 'updateValidationSchema', 'patchValidationSchema', 'createTrigger', 'updateTrigger',
	'patchTrigger', 'removeTrigger', 'createTarget', 'updateTarget', 'removeTarget', 'updateSettings',
]

const ajv = new Ajv({ allErrors: true, strict: false })
const validators = new Map(groupA.map(id => [id, ajv.compile(modificationHandlers[id].dataSchema)]))

const validate = (id: ModificationId, data: unknown) => {
	const check = validators.get(id)!
	return check(data) ? [] : (check.errors ?? []).map(it => `${it.instancePath || '/'} ${it.message}`)
}

const dataOf = ({ modification: _id, ...data }: { modification: string; [key: string]: unknown }) => data

describe('dataSchema of group A modifications', () => {
	it('accepts every modification of the real histories and conformance cases', () => {
		const problems: string[] = []
		const all = [
			...loadHistories().flatMap(h => h.migrations.flatMap(m => m.modifications.map(mod => ({ where: `${h.name}/${m.name}`, mod })))),
			...loadConformanceCases().flatMap(g => g.cases.flatMap(c => c.diff.map(mod => ({ where: `${g.group}/${c.name}`, mod })))),
		]
		for (const { where, mod } of all) {
			if (!groupA.includes(mod.modification as ModificationId)) continue
			for (const problem of validate(mod.modification as ModificationId, dataOf(mod))) problems.push(`${where} ${mod.modification}: ${problem}`)
		}
		expect(problems).toEqual([])
	})

	it.each([
		['createEntity', { entity: { name: 'A', primary: 'id', primaryColumn: 'id', fields: {} } }, '/entity'],
		['createEntity', { entity: { name: 'A', primary: 'id', primaryColumn: 'id', tableName: 'a', fields: { id: { name: 'id', columnName: 'id', type: 'Text', columnType: 'text', nullable: false } } } }, '/entity/fields/id/type'],
		['removeField', { entityName: 'A' }, '/'],
		['removeField', { entityName: 'A', fieldName: 3 }, '/fieldName'],
		['createEnum', { enumName: 'E', values: [1] }, '/values/0'],
		['updateSettings', { op: 'merge', key: 'x' }, '/op'],
		['updateSettings', { op: 'set', key: 'x' }, '/'],
		['patchAclSchema', { patch: [{ op: 'add', path: '/roles/x' }] }, '/patch/0'],
		['createIndex', { entityName: 'A', index: { fields: ['a'], method: 'bogus' } }, '/index/method'],
		['createUniqueConstraint', { entityName: 'A', unique: { fields: ['a'], timing: 'later' } }, '/unique/timing'],
		['removeIndex', { entityName: 'A' }, '/'],
		['removeUniqueConstraint', { entityName: 'A' }, '/'],
		['toggleEventLog', { entityName: 'A', enabled: 'yes' }, '/enabled'],
		['updateFieldName', { entityName: 'A', fieldName: 'a', newFieldName: 'b', extra: 1 }, '/'],
	] as const)('%s rejects %j at %s', (id, data, path) => {
		const problems = validate(id, data)
		expect(problems.length).toBeGreaterThan(0)
		expect(problems.some(it => it.startsWith(`${path} `))).toBe(true)
	})
})

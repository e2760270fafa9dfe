/**
 * Every column/relation modification of the real histories and of the conformance cases must
 * pass its module's dataSchema (group B ids); malformed data is rejected with a JSON path.
 * The schemas also compile under ajv's strict mode (except strictRequired: if/then branches
 * require keys declared by the parent).
 */
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { type ModificationId, modificationHandlers } from '../../../../src/modifications/registry.js'
import { loadConformanceCases, loadHistories } from '../../../helpers/conformance.js'

const groupB: ModificationId[] = [
	'createColumn', 'updateColumnDefinition', 'updateColumnName',
	'createRelation', 'createRelationInverseSide', 'updateRelationOnDelete', 'updateRelationOrderBy', 'makeRelationNotNull',
	'makeRelationNullable', 'enableOrphanRemoval', 'disableOrphanRemoval', 'convertOneToManyRelation',
	'convertOneHasManyToOneHasOneRelation', 'convertOneHasManyToManyHasManyRelation', 'convertManyHasManyToJoiningEntity',
	'toggleJunctionEventLog',
]

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false })
const validators = new Map(groupB.map(id => [id, ajv.compile(modificationHandlers[id].dataSchema)]))

const validate = (id: ModificationId, data: unknown) => {
	const check = validators.get(id)!
	return check(data) ? [] : (check.errors ?? []).map(it => `${it.instancePath || '/'} ${it.message}`)
}

const dataOf = ({ modification: _id, ...data }: { modification: string; [key: string]: unknown }) => data

const joiningColumn = { columnName: 'a_id', onDelete: 'cascade' }
const manyHasOne = { name: 'a', type: 'ManyHasOne', target: 'A', joiningColumn, nullable: true }
const column = { name: 'a', columnName: 'a', type: 'String', columnType: 'text', nullable: true }

describe('dataSchema of group B modifications', () => {
	it('accepts every modification of the real histories and conformance cases', () => {
		const problems: string[] = []
		const all = [
			...loadHistories().flatMap(h => h.migrations.flatMap(m => m.modifications.map(mod => ({ where: `${h.name}/${m.name}`, mod })))),
			...loadConformanceCases().flatMap(g => g.cases.flatMap(c => c.diff.map(mod => ({ where: `${g.group}/${c.name}`, mod })))),
			...loadConformanceCases('contember-v2.0.8').flatMap(g => g.cases.flatMap(c => c.diff.map(mod => ({ where: `v2.0.8 ${g.group}/${c.name}`, mod })))),
		]
		let checked = 0
		for (const { where, mod } of all) {
			if (!groupB.includes(mod.modification as ModificationId)) continue
			checked++
			for (const problem of validate(mod.modification as ModificationId, dataOf(mod))) problems.push(`${where} ${mod.modification}: ${problem}`)
		}
		expect(problems).toEqual([])
		expect(checked).toBeGreaterThan(1000)
	})

	it.each([
		['createColumn', { entityName: 'A', field: { ...column, type: 'Text' } }, '/field/type'],
		['createColumn', { entityName: 'A', field: { ...column, nullable: 'no' } }, '/field/nullable'],
		['createColumn', { entityName: 'A', field: { ...column, nulable: true } }, '/field'],
		['createColumn', { entityName: 'A', field: column, valueMigrationStrategy: 'copy' }, '/valueMigrationStrategy'],
		['createColumn', { entityName: 'A', field: { ...column, sequence: { precedence: 'SOMETIMES' } } }, '/field/sequence/precedence'],
		['createColumn', { entityName: 'A', field: column, fillValue: 1, extra: true }, '/'],
		['updateColumnDefinition', { entityName: 'A', fieldName: 'a', definition: { ...column } }, '/definition'],
		['updateColumnDefinition', { entityName: 'A', fieldName: 'a', definition: { type: 'String', columnType: 'text' } }, '/definition'],
		['updateColumnName', { entityName: 'A', fieldName: 'a' }, '/'],
		['updateColumnName', { entityName: 'A', fieldName: 'a', columnName: '' }, '/columnName'],
		['createRelation', { entityName: 'B', owningSide: { ...manyHasOne, joiningColumn: { columnName: 'a_id', onDelete: 'nothing' } } }, '/owningSide/joiningColumn/onDelete'],
		['createRelation', { entityName: 'B', owningSide: { name: 'a', type: 'OneHasMany', target: 'A', ownedBy: 'b' } }, '/owningSide/type'],
		['createRelation', { entityName: 'B', owningSide: { ...manyHasOne, nullable: undefined } }, '/owningSide'],
		['createRelation', { entityName: 'B', owningSide: { ...manyHasOne, orderBy: [] } }, '/owningSide'],
		['createRelation', { entityName: 'B', owningSide: { name: 'a', type: 'ManyHasMany', target: 'A', joiningTable: { tableName: 't', joiningColumn } } }, '/owningSide/joiningTable'],
		['createRelation', { entityName: 'B', owningSide: manyHasOne, inverseSide: { name: 'b', type: 'OneHasMany', target: 'B' } }, '/inverseSide'],
		['createRelationInverseSide', { entityName: 'A', relation: { name: 'b', type: 'OneHasMany', target: 'B', ownedBy: 'a', joiningColumn } }, '/relation'],
		['updateRelationOnDelete', { entityName: 'A', fieldName: 'a', onDelete: 'RESTRICT' }, '/onDelete'],
		['updateRelationOrderBy', { entityName: 'A', fieldName: 'a', orderBy: [{ path: [], direction: 'asc' }] }, '/orderBy/0/path'],
		['updateRelationOrderBy', { entityName: 'A', fieldName: 'a', orderBy: [{ path: ['x'], direction: 'up' }] }, '/orderBy/0/direction'],
		['makeRelationNotNull', { entityName: 'A' }, '/'],
		['enableOrphanRemoval', { entityName: 'A', fieldName: 1 }, '/fieldName'],
		['toggleJunctionEventLog', { entityName: 'A', fieldName: 'a', enabled: 'true' }, '/enabled'],
		['convertOneToManyRelation', { entityName: 'A', fieldName: 'a', newInverseSideFieldName: 3 }, '/newInverseSideFieldName'],
		['convertOneHasManyToManyHasManyRelation', { entityName: 'A', fieldName: 'a', owningSide: manyHasOne }, '/owningSide/type'],
		['convertManyHasManyToJoiningEntity', { entityName: 'A', fieldName: 'a', joiningEntity: { name: 'J' } }, '/joiningEntity'],
		['convertManyHasManyToJoiningEntity', { entityName: 'A', fieldName: 'a', joiningEntity: { name: 'J', primary: 'id', primaryColumn: 'id', tableName: 'j', fields: {} }, sourceInverseSide: { name: 'j', type: 'ManyHasMany', target: 'J', ownedBy: 'a' } }, '/sourceInverseSide/type'],
	] as const)('%s rejects %j at %s', (id, data, path) => {
		const problems = validate(id, JSON.parse(JSON.stringify(data)))
		expect(problems.length).toBeGreaterThan(0)
		expect(problems.some(it => it.startsWith(`${path} `))).toBe(true)
	})
})

/**
 * Names like `constructor`, `toString`, `hasOwnProperty` and `__proto__` in the DSL and in
 * schema comparison are names, never Object.prototype's members.
 */
import { describe, expect, it } from 'vitest'
import { column, defineSchema, entity } from '../../../src/schema/define/index.js'
import { schemaDifferences } from '../../../src/schema/compare.js'

const names = ['constructor', 'toString', 'hasOwnProperty', '__proto__']

describe('prototype member names', () => {
	it.each(names)('the DSL defines an entity and a field named %s', name => {
		const schema = defineSchema({ entities: [entity(name, { [name]: column.string() })] })
		expect(Object.keys(schema.model.entities)).toEqual([name])
		expect(Object.keys(schema.model.entities[name]!.fields).sort()).toEqual(['id', name].sort())
	})

	it.each(names)('schemaDifferences sees a record key %s that only one side has', name => {
		const withKey = JSON.parse(`{"entities":{"${name}":{"a":1}}}`)
		expect(schemaDifferences({ entities: {} }, withKey)).toEqual([`entities.${name}: unexpected value {"a":1}`])
		expect(schemaDifferences(withKey, { entities: {} })).toEqual([`entities.${name}: missing (expected {"a":1})`])
	})
})

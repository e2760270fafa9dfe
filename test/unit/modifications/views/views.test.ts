import { describe, expect, it } from 'vitest'
import { apply, describeOf, entity, schemaOf, sqlOf, text } from '../entities/fixtures.js'

const viewEntity = (sql: string, materialized = false) => entity('Stats', [text('n')], { tableName: 'st"ats', view: { sql, ...(materialized ? { materialized: true } : {}) } })

describe('views', () => {
	it('createView quotes the name, pastes the body, drops a trailing semicolon', () => {
		expect(sqlOf(schemaOf([]), 'createView', { entity: viewEntity('SELECT 1;') }).toString()).toBe('CREATE VIEW "st""ats" AS SELECT 1;')
	})

	it('a body ending in a line comment is wrapped so the terminator survives', () => {
		expect(sqlOf(schemaOf([]), 'createView', { entity: viewEntity('SELECT 1 -- note') }).toString()).toBe('CREATE VIEW "st""ats" AS (SELECT 1 -- note\n);')
	})

	it('materialized views: WITH DATA by default, WITH NO DATA with noData, S011 warning', () => {
		expect(sqlOf(schemaOf([]), 'createView', { entity: viewEntity('SELECT 1', true) }).toString()).toBe('CREATE MATERIALIZED VIEW "st""ats" AS SELECT 1 WITH DATA;')
		expect(sqlOf(schemaOf([]), 'createView', { entity: viewEntity('SELECT 1', true), noData: true }).toString()).toBe('CREATE MATERIALIZED VIEW "st""ats" AS SELECT 1 WITH NO DATA;')
		expect(describeOf(schemaOf([]), 'createView', { entity: viewEntity('SELECT 1', true) }).warnings.map(it => it.code)).toEqual(['S011'])
	})

	it('updateView replaces in place and warns S007', () => {
		const schema = schemaOf([viewEntity('SELECT 1')])
		expect(sqlOf(schema, 'updateView', { entityName: 'Stats', view: { sql: 'SELECT 2' } }).toString()).toBe('CREATE OR REPLACE VIEW "st""ats" AS SELECT 2;')
		expect(apply(schema, 'updateView', { entityName: 'Stats', view: { sql: 'SELECT 2' } }).model.entities.Stats!.view).toEqual({ sql: 'SELECT 2' })
		expect(describeOf(schema, 'updateView', { entityName: 'Stats', view: { sql: 'SELECT 2' } }).warnings.map(it => it.code)).toEqual(['S007'])
		expect(() => apply(schemaOf([entity('T', [])]), 'updateView', { entityName: 'T', view: { sql: 'SELECT 2' } })).toThrow(/not a view/)
	})
})

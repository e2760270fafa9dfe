/** SQL_PSQL_META_COMMAND: raw SQL in the declared schema that psql would run as a meta-command. */
import { describe, expect, it } from 'vitest'
import { validateSchema } from '../../../src/schema/validate.js'
import { type Mutable, validSchema } from './fixtures.js'

const problemsOf = (mutate: (schema: Mutable) => void) => {
	const schema: Mutable = validSchema()
	mutate(schema)
	return validateSchema(schema).filter(problem => problem.code === 'SQL_PSQL_META_COMMAND')
}

describe('SQL_PSQL_META_COMMAND', () => {
	it('a view body with a line starting with \\!', () => {
		const problems = problemsOf(s => { s.model.entities.Category.view = { sql: 'SELECT id, name FROM category\n\\! touch pwned' } })
		expect(problems).toEqual([expect.objectContaining({ path: 'model.entities.Category.view.sql' })])
		expect(problems[0]!.message).toMatch(/line 2, column 1.*meta-command/)
	})

	it('an index predicate with a meta-command after a literal', () => {
		const problems = problemsOf(s => { s.model.entities.Post.indexes = [{ fields: ['title'], where: "title <> 'x' \\o /tmp/out" }] })
		expect(problems.map(problem => problem.path)).toEqual(['model.entities.Post.indexes.0.where'])
	})

	it('accepts backslashes inside literals', () => {
		expect(problemsOf(s => {
			s.model.entities.Category.view = { sql: "SELECT id, name FROM category WHERE name ~ '^\\w+$'" }
			s.model.entities.Post.indexes = [{ fields: ['title'], where: "title LIKE 'a\\_%'" }]
		})).toEqual([])
	})
})

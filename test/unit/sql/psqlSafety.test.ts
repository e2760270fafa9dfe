import { describe, expect, it } from 'vitest'
import { findPsqlMetaCommand } from '../../../src/sql/psqlSafety.js'

describe('findPsqlMetaCommand', () => {
	it.each([
		['a line starting with a meta-command', 'SELECT 1 AS x\n\\! touch pwned\n', 2, 1],
		['a meta-command mid-line (psql does not need a line start)', 'SELECT 1 \\! touch pwned', 1, 10],
		['after a string with a doubled quote', "SELECT 'it''s' \\o /tmp/x", 1, 16],
		['after a quoted identifier with a doubled quote', 'SELECT 1 AS "a""b" \\c other', 1, 20],
		['after a dollar-quoted body', 'SELECT $f$ \\ $f$ \\! id', 1, 18],
		['in a line comment', 'SELECT 1 -- see C:\\temp\n', 1, 19],
		['in a block comment', 'SELECT /* \\! id */ 1', 1, 11],
		['after a comment holding a quote', "SELECT 1 /* it's */ \\! id", 1, 21],
		['after an escape literal ending in \\\\', "SELECT E'a\\\\' \\! id", 1, 15],
		// with standard_conforming_strings off psql reads 'a\' ' as one literal and the rest as commands
		['where only standard_conforming_strings=off exposes it', "SELECT 'a\\' ' \\! touch pwned '", 1, 15],
	])('finds %s', (_, sql, line, column) => {
		expect(findPsqlMetaCommand(sql)).toMatchObject({ line, column })
	})

	it.each([
		['backslashes inside standard literals', "SELECT * FROM t WHERE name LIKE 'a\\_b' AND code ~ '^\\d+$'"],
		['an escape literal with an escaped quote', "SELECT E'it\\'s \\n'"],
		['a backslash in a quoted identifier', 'SELECT 1 AS "back\\slash"'],
		['a backslash in a dollar-quoted string', 'SELECT $$ \\! not a command $$, $tag$ \\o $tag$'],
		['positional parameters and casts', 'SELECT $1::text, a::int FROM t'],
		['ordinary view bodies', 'SELECT p.id, count(*) FROM post p GROUP BY p.id'],
	])('accepts %s', (_, sql) => {
		expect(findPsqlMetaCommand(sql)).toBeUndefined()
	})
})

#!/usr/bin/env node
// Checks a generated workload with strata itself (the built dist/): every file parses and
// replays, the schema after every migration is valid, the replay equals the generator's own model
// (expected/replayed-schema.json), the declared schema is valid, the SQL of the whole history can
// be generated, and diff(replay, declared) is non-empty (diffSchemas checks its own round trip:
// the diff replayed on the replay gives the declared schema, else it throws).
//
//   node bench/check-workload.mjs DIR
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dist = file => {
	const path = join(root, 'dist', file)
	if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first`)
	return import(pathToFileURL(path).href)
}

/** throws an Error listing what is wrong; returns counts and a one-line summary when all is well */
export const checkWorkload = async (dir, { each = true } = {}) => {
	const { readMigrations } = await dist('migrations/files.js')
	const { validateHistory } = await dist('migrations/replay.js')
	const { foldModifications } = await dist('modifications/fold.js')
	const { emptySchema } = await dist('schema/model.js')
	const { schemaDifferences } = await dist('schema/compare.js')
	const { validateSchema } = await dist('schema/validate.js')
	const { normalizeSchema } = await dist('schema/normalize.js')
	const { diffSchemas } = await dist('diff/diffSchemas.js')
	const read = path => JSON.parse(readFileSync(join(dir, path), 'utf8'))
	const problems = []

	const files = await readMigrations(join(dir, 'migrations'))
	const history = validateHistory(files, { each })
	for (const problem of history.problems.slice(0, 10)) problems.push(`${problem.file ?? 'replay'}: ${problem.path}: ${problem.message}`)
	const differences = schemaDifferences(read('expected/replayed-schema.json'), history.schema)
	for (const difference of differences.slice(0, 10)) problems.push(`replay differs from expected/replayed-schema.json: ${difference}`)

	let schema = emptySchema
	let statements = 0
	for (const file of files) {
		try {
			const folded = foldModifications(schema, file.modifications, { formatVersion: file.formatVersion })
			statements += folded.steps.reduce((n, step) => n + (step.sql.toString().trim() === '' ? 0 : 1), 0)
			schema = folded.schema
		} catch (error) {
			problems.push(`${file.name}.json: generating its SQL failed: ${error.message}`)
			break
		}
	}

	const declaredJson = read('schema/schema.json')
	for (const problem of validateSchema(declaredJson).slice(0, 10)) problems.push(`schema/schema.json: ${problem.path}: ${problem.message}`)
	let diffModifications = 0
	if (problems.length === 0) {
		const diff = diffSchemas(history.schema, normalizeSchema(declaredJson))
		diffModifications = diff.modifications.length
		if (diffModifications === 0) problems.push('diff(replay, schema/schema.json) is empty: the declared schema has no pending changes')
	}
	if (problems.length > 0) throw new Error(`workload ${dir} fails the check:\n  ${problems.join('\n  ')}`)
	const modifications = files.reduce((n, file) => n + file.modifications.length, 0)
	return {
		files: files.length,
		modifications,
		statements,
		diffModifications,
		summary: `${files.length} files (${modifications} modifications) replay to the expected schema${each ? ', valid after every migration' : ''}; ${statements} SQL steps; the declared schema is ${diffModifications} modifications ahead`,
	}
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const dir = process.argv[2]
	if (!dir) {
		process.stderr.write('usage: node bench/check-workload.mjs DIR\n')
		process.exit(1)
	}
	checkWorkload(dir, { each: !process.argv.includes('--final-only') })
		.then(report => process.stdout.write(`${report.summary}\n`))
		.catch(error => {
			process.stderr.write(`${error.message}\n`)
			process.exit(1)
		})
}

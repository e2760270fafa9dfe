#!/usr/bin/env node
// Generates a synthetic but realistic strata project for benchmarks and tests: a long Contember-format
// migration history and a declared schema a few changes ahead of it. Plain ESM, no dependencies;
// the same arguments give byte-identical output on any machine. See bench/README.md.
//
//   node bench/make-workload.mjs --size small|medium|large [--seed 1] --out DIR [--force] [--check]
//   node bench/make-workload.mjs --entities 300 --migrations 2000 --pending 50 --seed 1 --out DIR
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateWorkload } from './workload/history.mjs'

export const SIZES = {
	small: { entities: 30, migrations: 100, pending: 10 },
	medium: { entities: 300, migrations: 2000, pending: 50 },
	large: { entities: 1500, migrations: 10000, pending: 50 },
}

/** what this generator writes into DIR; --force removes only these */
const OUTPUTS = ['migrations', 'schema', 'expected', 'workload.json']

const json = value => `${JSON.stringify(value, null, '\t')}\n`

const countModel = schema => {
	const entities = Object.values(schema.model.entities)
	const fields = entities.flatMap(entity => Object.values(entity.fields))
	return {
		entities: entities.length,
		fields: fields.length,
		relations: fields.filter(field => field.target !== undefined).length,
		enums: Object.keys(schema.model.enums).length,
		unique: entities.reduce((n, entity) => n + entity.unique.length, 0),
		indexes: entities.reduce((n, entity) => n + entity.indexes.length, 0),
		aclRoles: Object.keys(schema.acl.roles).length,
	}
}

/** writes the workload of `parameters` into `out`; returns what workload.json holds */
export const writeWorkload = (parameters, out, { force = false } = {}) => {
	const dir = resolve(out)
	if (existsSync(dir) && readdirSync(dir).length > 0) {
		if (!force) throw new Error(`${dir} is not empty (pass --force to replace an earlier workload there)`)
		const foreign = readdirSync(dir).filter(name => !OUTPUTS.includes(name))
		if (foreign.length > 0) throw new Error(`${dir} holds files this generator did not write (${foreign.slice(0, 3).join(', ')}); refusing to replace it`)
		for (const name of OUTPUTS) rmSync(join(dir, name), { recursive: true, force: true })
	}
	const workload = generateWorkload(parameters)
	for (const sub of ['migrations', 'schema', 'expected']) mkdirSync(join(dir, sub), { recursive: true })
	for (const file of workload.files) writeFileSync(join(dir, 'migrations', `${file.name}.json`), json(file.content))
	writeFileSync(join(dir, 'schema', 'schema.json'), json(workload.declared))
	writeFileSync(join(dir, 'expected', 'replayed-schema.json'), json(workload.replayed))
	writeFileSync(join(dir, 'expected', 'pending-changes.json'), json(workload.pending))
	const byKind = {}
	for (const file of workload.files) for (const { modification } of file.content.modifications) byKind[modification] = (byKind[modification] ?? 0) + 1
	const summary = {
		generator: 'bench/make-workload.mjs',
		parameters: { ...parameters, seed: String(parameters.seed) },
		counts: {
			files: workload.files.length,
			modifications: Object.values(byKind).reduce((a, b) => a + b, 0),
			byKind: Object.fromEntries(Object.entries(byKind).sort(([a], [b]) => a.localeCompare(b))),
			formatVersions: { 5: workload.files.filter(it => it.content.formatVersion === 5).length, 6: workload.files.filter(it => it.content.formatVersion === 6).length },
			pendingModifications: workload.pending.length,
			replayed: countModel(workload.replayed),
			declared: countModel(workload.declared),
		},
	}
	writeFileSync(join(dir, 'workload.json'), json(summary))
	return summary
}

const parseArgs = argv => {
	const options = {}
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]
		if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`)
		const key = arg.slice(2)
		if (key === 'force' || key === 'check') options[key] = true
		else if (['size', 'seed', 'out', 'entities', 'migrations', 'pending'].includes(key) && argv[i + 1] !== undefined) options[key] = argv[++i]
		else throw new Error(`unknown or incomplete option ${arg}`)
	}
	return options
}

const main = async () => {
	const options = parseArgs(process.argv.slice(2))
	if (!options.out) throw new Error('--out DIR is required')
	const preset = options.size === undefined ? {} : SIZES[options.size]
	if (!preset) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`)
	const parameters = { ...SIZES.small, ...preset, seed: options.seed ?? '1' }
	for (const key of ['entities', 'migrations', 'pending']) {
		if (options[key] === undefined) continue
		const value = Number(options[key])
		if (!Number.isInteger(value) || value < (key === 'entities' ? 2 : 1)) throw new Error(`--${key} must be a whole number (at least ${key === 'entities' ? 2 : 1})`)
		parameters[key] = value
	}
	const summary = writeWorkload(parameters, options.out, { force: options.force })
	process.stderr.write(`wrote ${summary.counts.files} migration files, ${summary.counts.modifications} modifications, ${summary.counts.pendingModifications} pending changes to ${resolve(options.out)}\n`)
	if (options.check) {
		const { checkWorkload } = await import('./check-workload.mjs')
		const report = await checkWorkload(options.out)
		process.stderr.write(`checked with strata: ${report.summary}\n`)
	}
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	main().catch(error => {
		process.stderr.write(`make-workload: ${error.message}\n`)
		process.exit(1)
	})
}

export { generateWorkload }

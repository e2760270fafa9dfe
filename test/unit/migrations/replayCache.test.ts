/**
 * The replay cache never serves a stale schema: any change to the files' names or bytes, or a
 * damaged cache, falls back to the full path; a history that only grew replays just the new files.
 */
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { cachedReplay, historyKeys, saveReplayCache } from '../../../src/migrations/replayCache.js'
import { replay, validateHistory } from '../../../src/migrations/replay.js'
import { parseMigrationTexts, readMigrationTexts } from '../../../src/migrations/store.js'
import { loadHistories } from '../../helpers/conformance.js'

const histories = loadHistories().filter(history => !history.expectedFailure)

const projectWith = (migrations: readonly { name: string; raw: string }[]) => {
	const root = mkdtempSync(join(tmpdir(), 'strata-cache-'))
	mkdirSync(join(root, 'migrations'))
	for (const migration of migrations) writeFileSync(join(root, 'migrations', `${migration.name}.json`), migration.raw)
	return { root, dir: join(root, 'migrations') }
}

const fullReplay = async (dir: string) => replay(parseMigrationTexts(dir, await readMigrationTexts(dir)))

const roots: string[] = []
afterEach(() => {
	for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
	delete process.env.STRATA_CACHE
})

const project = (migrations: readonly { name: string; raw: string }[]) => {
	const created = projectWith(migrations)
	roots.push(created.root)
	return created
}

describe('historyKeys', () => {
	const texts = [{ fileName: 'a.json', text: '{}' }, { fileName: 'b.json', text: '{"x":1}' }]

	it('chains every earlier file into each key', () => {
		const keys = historyKeys(texts)
		expect(keys).toHaveLength(2)
		expect(historyKeys(texts.slice(0, 1))[0]).toBe(keys[0])
		expect(historyKeys([{ ...texts[0]!, text: '{ }' }, texts[1]!])[1]).not.toBe(keys[1])
		expect(historyKeys([{ ...texts[0]!, fileName: 'c.json' }, texts[1]!])[1]).not.toBe(keys[1])
		expect(historyKeys([texts[1]!, texts[0]!])[1]).not.toBe(keys[1])
	})
})

describe('cachedReplay', () => {
	it.each(histories.map(history => [history.name, history] as const))('%s: a hit and an extension build exactly the full replay', async (_name, history) => {
		const split = Math.max(1, history.migrations.length - 5)
		const { root, dir } = project(history.migrations.slice(0, split))
		const first = await readMigrationTexts(dir)
		expect(cachedReplay(root, dir, first, { validated: false })).toBeUndefined()
		await saveReplayCache(root, first, await fullReplay(dir), false)
		const hit = cachedReplay(root, dir, await readMigrationTexts(dir), { validated: false })
		expect(hit?.outcome).toBe('hit')
		expect(hit?.schema).toEqual(await fullReplay(dir))

		for (const migration of history.migrations.slice(split)) writeFileSync(join(dir, `${migration.name}.json`), migration.raw)
		const grown = cachedReplay(root, dir, await readMigrationTexts(dir), { validated: false })
		const full = await fullReplay(dir)
		if (grown) {
			expect(grown.outcome).toBe(history.migrations.length > split ? 'extended' : 'hit')
			expect(grown.schema).toEqual(full)
		} else {
			// only a new file with skippedErrors sends the extension to the full path
			expect(history.migrations.slice(split).some(migration => JSON.parse(migration.raw).skippedErrors?.length > 0)).toBe(true)
		}
	})

	const small = histories.find(history => history.migrations.length >= 4)!

	const cachedProject = async () => {
		const created = project(small.migrations)
		const read = await readMigrationTexts(created.dir)
		await saveReplayCache(created.root, read, validateHistory(parseMigrationTexts(created.dir, read)).schema, true)
		expect(cachedReplay(created.root, created.dir, await readMigrationTexts(created.dir), { validated: true })?.outcome).toBe('hit')
		return created
	}

	it('misses when one byte of an old file changed', async () => {
		const { root, dir } = await cachedProject()
		const path = join(dir, `${small.migrations[1]!.name}.json`)
		writeFileSync(path, `${readFileSync(path, 'utf8')} `)
		expect(cachedReplay(root, dir, await readMigrationTexts(dir), { validated: true })).toBeUndefined()
	})

	it('misses when a file was removed or renamed', async () => {
		const { root, dir } = await cachedProject()
		const name = small.migrations[2]!.name
		renameSync(join(dir, `${name}.json`), join(dir, `${name.replace(/-[^-]+$/, '-renamed')}.json`))
		expect(cachedReplay(root, dir, await readMigrationTexts(dir), { validated: true })).toBeUndefined()
		rmSync(join(dir, `${name.replace(/-[^-]+$/, '-renamed')}.json`))
		expect(cachedReplay(root, dir, await readMigrationTexts(dir), { validated: true })).toBeUndefined()
	})

	it('sends a new file with a problem to the full path, which reports it', async () => {
		const { root, dir } = await cachedProject()
		writeFileSync(join(dir, '2099-01-01-000000-broken.json'), JSON.stringify({ formatVersion: 5, modifications: [{ modification: 'removeEntity', entityName: 'NoSuchEntity' }] }))
		expect(cachedReplay(root, dir, await readMigrationTexts(dir), { validated: true })).toBeUndefined()
		writeFileSync(join(dir, '2099-01-01-000000-broken.json'), '{ "formatVersion": 5, "modifications": [')
		expect(cachedReplay(root, dir, await readMigrationTexts(dir), { validated: true })).toBeUndefined()
	})

	it('ignores a damaged cache, and an unvalidated one when validation is asked for', async () => {
		const { root, dir } = await cachedProject()
		const cacheFile = join(root, '.strata', 'replay-cache.json')
		writeFileSync(cacheFile, readFileSync(cacheFile, 'utf8').slice(0, 100))
		expect(cachedReplay(root, dir, await readMigrationTexts(dir), { validated: true })).toBeUndefined()
		const read = await readMigrationTexts(dir)
		await saveReplayCache(root, read, await fullReplay(dir), false)
		expect(cachedReplay(root, dir, read, { validated: true })).toBeUndefined()
		expect(cachedReplay(root, dir, read, { validated: false })?.outcome).toBe('hit')
	})

	it('STRATA_CACHE=off neither reads nor writes it', async () => {
		const { root, dir } = project(small.migrations)
		process.env.STRATA_CACHE = 'off'
		const read = await readMigrationTexts(dir)
		await saveReplayCache(root, read, await fullReplay(dir), true)
		expect(() => readFileSync(join(root, '.strata', 'replay-cache.json'))).toThrow()
		delete process.env.STRATA_CACHE
		await saveReplayCache(root, read, await fullReplay(dir), true)
		process.env.STRATA_CACHE = 'off'
		expect(cachedReplay(root, dir, read, { validated: true })).toBeUndefined()
	})

	it('keeps the cache out of version control', async () => {
		const { root } = await cachedProject()
		expect(readFileSync(join(root, '.strata', '.gitignore'), 'utf8')).toBe('*\n')
	})
})

/** The contract gate's pure parts (src/db/status.ts): which pending migrations run, a contract's expand, the "contract pending" entries and the age. */
import { describe, expect, it } from 'vitest'
import { computeStatus, contractGate, contractPendingEntries, expandOf, formatAge, type ExecutableMigration } from '../../../src/db/status.js'
import type { LedgerRow } from '../../../src/db/ledger.js'

const file = (version: string, label: string, phase?: 'expand' | 'contract', pair = 'rename-title'): ExecutableMigration => ({
	name: `${version}-${label}`, version, formatVersion: 6, modifications: [], checksum: `sha256:${version}`,
	...(phase ? { strata: { expandContract: { phase, pair } } } : {}),
})

const posts = file('2024-01-01-100000', 'posts')
const expand = file('2024-01-02-100000', 'rename-title-expand', 'expand')
const contract = file('2024-01-03-100000', 'rename-title-contract', 'contract')
const tags = file('2024-01-04-100000', 'tags')
const all = [posts, expand, contract, tags]

describe('contractGate', () => {
	it('cuts before the first contract-phase migration; everything after it waits', () => {
		expect(contractGate(all)).toEqual({ run: [posts, expand], stoppedAt: contract })
		expect(contractGate([contract, tags])).toEqual({ run: [], stoppedAt: contract })
	})
	it('nothing to gate: everything runs', () => {
		expect(contractGate([posts, tags])).toEqual({ run: [posts, tags] })
		expect(contractGate([])).toEqual({ run: [] })
	})
	it('contract: true, or until naming a contract, opens the gate; until naming an ordinary migration does not', () => {
		expect(contractGate(all, { contract: true })).toEqual({ run: all })
		expect(contractGate([posts, expand, contract], { named: contract })).toEqual({ run: [posts, expand, contract] })
		expect(contractGate(all, { named: tags })).toEqual({ run: [posts, expand], stoppedAt: contract })
	})
})

describe('expandOf', () => {
	it('finds the newest older expand of the same pair', () => {
		const other = file('2024-01-02-150000', 'other-expand', 'expand', 'other')
		expect(expandOf(contract, [posts, expand, other, contract])).toBe(expand)
		expect(expandOf(contract, [posts, contract])).toBeUndefined()
		expect(expandOf(posts, all)).toBeUndefined()
	})
})

describe('contractPendingEntries', () => {
	const row = (migration: ExecutableMigration, executedAt: Date): LedgerRow =>
		({ version: migration.version, name: migration.name, checksum: migration.checksum, executedAt, durationMs: 1, executedBy: 'test', migration: '{}' }) as LedgerRow

	it('marks a pending contract with its expand and the expand\'s age', () => {
		const status = computeStatus(all, [row(posts, new Date('2026-01-01T00:00:00Z')), row(expand, new Date('2026-01-01T09:00:00Z'))])
		const found = contractPendingEntries(status.entries, new Date('2026-01-01T12:00:00Z'))
		expect([...found.keys()]).toEqual([contract.version])
		expect(found.get(contract.version)).toEqual({ pair: 'rename-title', expand: expand.name, expandExecutedAt: new Date('2026-01-01T09:00:00Z'), ageMs: 3 * 3600_000 })
	})
	it('an expand pending too: no age; an executed contract is not pending', () => {
		expect(contractPendingEntries(computeStatus(all, []).entries).get(contract.version)).toEqual({ pair: 'rename-title', expand: expand.name })
		const done = computeStatus(all, [posts, expand, contract].map(it => row(it, new Date())))
		expect(contractPendingEntries(done.entries).size).toBe(0)
	})
})

describe('formatAge', () => {
	it('seconds, minutes, hours, days', () => {
		expect(formatAge(20_500)).toBe('20 s')
		expect(formatAge(45 * 60_000)).toBe('45 min')
		expect(formatAge(3 * 3600_000 + 5)).toBe('3 h')
		expect(formatAge(2 * 86_400_000)).toBe('2 d')
	})
})

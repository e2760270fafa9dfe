/**
 * kill -9 of migrations:execute at random moments (and mid-statement of a long UPDATE): the
 * database is always at a migration boundary, the lock is released, and a re-run completes.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { ledgerLockKey } from '../../../src/db/lock.js'
import { recordAdversarial, scaled } from '../../helpers/adversarial.js'
import { useTestDatabase } from '../../helpers/database.js'
import { ensureBuilt, looksClean, passwordUrl, runCli, startCli } from '../db/cli.js'
import { projectWith } from '../db/fixtures.js'
import { atBoundary, boundaryState, fillRunning, prepareSlowDatabase, sleep, slowHistory, strataSessions, waitFor } from './slow.js'

const db = useTestDatabase('kill')
const TRIALS = scaled(6, 24)
/** what each trial kills, in a cycle: mid-statement (the long fill UPDATE), at a random moment, right at start */
const KINDS = ['mid-statement', 'mid-statement', 'random', 'random', 'at start', 'mid-statement'] as const

beforeAll(() => ensureBuilt(), 300_000)

describe('kill -9 during execute', () => {
	it(`${TRIALS} trials: boundary state, lock released, re-run completes`, async () => {
		const root = await projectWith(slowHistory())
		let midStatement = 0
		let midTrials = 0
		const outcomes: string[] = []
		for (let trial = 0; trial < TRIALS; trial++) {
			const target = await db.fresh(`k${trial}`)
			const client = await target.client()
			await prepareSlowDatabase(client)
			const url = await passwordUrl(target.url)
			const mode = trial % 2 === 0 ? 'all' : 'each'
			const kind = KINDS[trial % KINDS.length]!
			const { child, done } = startCli(['migrations:execute', '--yes', '--transaction', mode, '--database-url', url], { cwd: root })
			if (kind === 'mid-statement') {
				midTrials++
				await waitFor(async () => (await fillRunning(client)) || child.exitCode !== null, 60_000, 'the fill UPDATE')
				if (await fillRunning(client)) midStatement++
			} else if (kind === 'random') {
				await sleep(Math.floor(Math.random() * 3500))
			}
			child.kill('SIGKILL')
			const killed = await done
			outcomes.push(`${trial}:${kind}:${mode}:${killed.signal ?? killed.code}`)
			// the server notices the dead client (client_connection_check_interval) and ends its session
			await waitFor(async () => (await strataSessions(client)) === 0, 60_000, 'the killed session to end')
			const lock = await client.query('SELECT pg_try_advisory_lock($1::bigint) AS ok', [String(ledgerLockKey('strata'))])
			expect(lock.rows[0].ok, `trial ${trial}: lock still held`).toBe(true)
			await client.query('SELECT pg_advisory_unlock($1::bigint)', [String(ledgerLockKey('strata'))])
			const state = await boundaryState(client)
			expect(atBoundary(state), `trial ${trial}: ${JSON.stringify(state)}`).toBe(true)
			const rerun = await runCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root })
			expect(rerun.code, rerun.stderr).toBe(0)
			expect(looksClean(rerun.stderr)).toBe(true)
			const after = await boundaryState(client)
			expect(after.ledger).toEqual(slowHistory().map(it => it.name))
			const filled = await client.query(`SELECT count(*)::int AS n FROM big WHERE label = 'filled'`)
			expect(filled.rows[0].n).toBeGreaterThan(0)
			await target.drop()
		}
		// the fill can finish before the poll sees it on a fast machine, but not most of the time
		expect(midStatement, outcomes.join(' ')).toBeGreaterThanOrEqual(Math.ceil(midTrials / 2))
		recordAdversarial({
			attack: 'kill -9 during execute',
			tried: `${TRIALS} trials (${midStatement} mid-statement in a 100k-row UPDATE, ${Math.floor(TRIALS / 2)} with --transaction each)`,
			held: 'always at a migration boundary, lock freed, re-run completes',
		})
	}, 1_200_000)
})

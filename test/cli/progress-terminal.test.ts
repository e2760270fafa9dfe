/**
 * The status line of a slow statement, seen as a person sees it: in a real pseudo-terminal
 * (tmux) a fill UPDATE of a few seconds shows the migration, the modification, the statement and
 * the elapsed times on one line, redrawn in place, and the line is gone when the run ends. With
 * no terminal (pipes, as in CI logs) nothing of it is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useTestDatabase } from '../helpers/database.js'
import { ensureBuilt, runCli } from '../integration/db/cli.js'
import { projectWith } from '../integration/db/fixtures.js'
import { prepareSlowDatabase, slowHistory } from '../integration/reliability/slow.js'
import { tmuxTerminals } from './tmux.js'

const db = useTestDatabase('progress_terminal')
const terminals = tmuxTerminals('progress')

beforeAll(() => ensureBuilt(), 300_000)
afterAll(() => terminals.shutdown())

/** a project whose pending migration fills 100 000 rows, slowed to a few seconds by a pause on every 100th row */
const slowFill = async (label: string) => {
	const target = await db.fresh(label)
	const client = await target.client()
	await prepareSlowDatabase(client)
	await client.query(`CREATE FUNCTION progress_test_pause() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.n % 100 = 0 THEN PERFORM pg_sleep(0.001); END IF; RETURN NEW; END $$`)
	await client.query('CREATE TRIGGER progress_test_pause BEFORE UPDATE ON big FOR EACH ROW EXECUTE FUNCTION progress_test_pause()')
	return { root: await projectWith(slowHistory().slice(0, 2)), url: target.url }
}

const FILL = slowHistory()[1]!.name
const STATUS_LINE = new RegExp(`${FILL} #0 createColumn: UPDATE "big" SET .* · \\d+ s \\(run \\d+ s\\)`)

describe('the status line of a slow statement', () => {
	it('on a terminal: shown during the fill, cleared at the end', async () => {
		const { root, url } = await slowFill('tty')
		const term = terminals.open(root, ['migrations:execute', '--yes', '--database-url', url])
		try {
			await term.waitFor(STATUS_LINE, 30_000)
			const screen = await term.waitFor('STRATA_EXIT=', 30_000)
			expect(screen).toContain('STRATA_EXIT=0')
			expect(screen).toContain(`✓ ${FILL}`)
			expect(screen).not.toMatch(/\(run \d+ s\)/)
		} finally {
			term.close()
		}
	}, 60_000)

	it('without a terminal: nothing of it is written', async () => {
		const { root, url } = await slowFill('pipe')
		const result = await runCli(['migrations:execute', '--yes', '--database-url', url], { cwd: root })
		expect(result.code, result.stderr).toBe(0)
		expect(result.stdout).toContain(`✓ ${FILL}`)
		expect(result.stderr).not.toMatch(/\(run \d+ s\)|\r|\x1b\[K/)
		expect(result.stdout).not.toMatch(/\(run \d+ s\)|\r|\x1b\[K/)
	}, 60_000)
})

/**
 * The adversarial suite's intensity and its figures. `npm test` runs every attack class at a
 * bounded count that still exercises each behaviour; `STRATA_SOAK=1` (set by .ci/run) runs the
 * larger counts. Each class records what it did, and the run prints one table at its end
 * (test/helpers/suiteReport.ts).
 */
import { appendFileSync } from 'node:fs'
import { inject } from 'vitest'

export const soak = process.env.STRATA_SOAK === '1'

/** `quick` in `npm test`, `soakCount` under STRATA_SOAK=1 */
export const scaled = (quick: number, soakCount: number): number => (soak ? soakCount : quick)

export interface AdversarialFigure {
	/** the attack class, e.g. "kill -9" */
	readonly attack: string
	/** what was tried, e.g. "12 trials (5 mid-statement, 4 with --transaction each)" */
	readonly tried: string
	/** what held, e.g. "always at a migration boundary, lock freed, re-run completes" */
	readonly held: string
}

/** records one class's figures for the end-of-run table; call it after the class's assertions passed */
export const recordAdversarial = (figure: AdversarialFigure): void => {
	const log = inject('adversarialLog')
	if (log) appendFileSync(log, `${JSON.stringify(figure)}\n`)
}

declare module 'vitest' {
	export interface ProvidedContext {
		adversarialLog: string
	}
}

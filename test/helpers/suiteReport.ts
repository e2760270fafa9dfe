/**
 * Global setup: gives the adversarial suite a log file, and at the end of the run prints its
 * figures (one line per attack class) and the run's duration.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import type { AdversarialFigure } from './adversarial.js'

export default function setup(project: TestProject): () => void {
	const started = Date.now()
	const dir = mkdtempSync(join(tmpdir(), 'strata-suite-'))
	const log = join(dir, 'adversarial.jsonl')
	project.provide('adversarialLog', log)
	return () => {
		let figures: AdversarialFigure[] = []
		try {
			figures = readFileSync(log, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line) as AdversarialFigure)
		} catch {
			// no adversarial test ran in this (filtered) run
		}
		rmSync(dir, { recursive: true, force: true })
		const lines: string[] = []
		if (figures.length > 0) {
			lines.push(`adversarial suite (${process.env.STRATA_SOAK === '1' ? 'soak counts, STRATA_SOAK=1' : 'bounded counts; STRATA_SOAK=1 runs more'}):`)
			for (const figure of figures.sort((a, b) => a.attack.localeCompare(b.attack))) lines.push(`  ${figure.attack}: ${figure.tried} → ${figure.held}`)
		}
		const seconds = Math.round((Date.now() - started) / 1000)
		lines.push(`suite duration: ${Math.floor(seconds / 60)} min ${seconds % 60} s`)
		process.stdout.write(`\n${lines.join('\n')}\n`)
	}
}

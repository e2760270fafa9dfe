/**
 * Where a project's targets come from: the config's `targets`, and the lines `targetsFrom`
 * names (a file, relative to the project directory, or a command run by the shell there).
 * The edge around targets.ts: it reads the file or runs the command, and nothing else.
 */
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import type { ProjectContext } from '../cli/context.js'
import { redact, registerConnectionSecrets } from '../db/redact.js'
import { StrataError } from '../errors.js'
import { assertUniqueNames, configTargets, parseTargetLines, resolveTargets, selectTargets, type ResolvedTarget, type TargetSelection, type TargetSpec } from './targets.js'

/** how long a `targetsFrom` command may run */
const COMMAND_TIMEOUT_MS = 60_000

/** `strata.config.json` or `package.json#strata`, and the JSON pointer of the targets' object, for messages */
export const configLabel = (project: Pick<ProjectContext, 'configPath' | 'configSource'>): string =>
	project.configSource ? `${project.configSource.path}${project.configSource.pointer === '' ? '' : '#strata'}` : project.configPath ?? 'the project (no strata.config.json)'

const commandOutput = (command: string, cwd: string, env: NodeJS.ProcessEnv, at: string): Promise<string> =>
	new Promise((done, fail) => {
		const child = spawn(command, { cwd, env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] })
		const stdout: Buffer[] = []
		const stderr: Buffer[] = []
		child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
		child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
		const timer = setTimeout(() => child.kill('SIGKILL'), COMMAND_TIMEOUT_MS)
		child.on('error', error => {
			clearTimeout(timer)
			fail(new StrataError('TARGETS_FROM_FAILED', `${at}: cannot run the command: ${error.message}`))
		})
		child.on('close', (code, signal) => {
			clearTimeout(timer)
			const out = Buffer.concat(stdout).toString('utf8')
			// whatever it printed may hold URLs: registered before any of it can reach a message
			for (const word of out.split(/\s+/)) registerConnectionSecrets(word)
			if (code === 0) return done(out)
			const err = redact(Buffer.concat(stderr).toString('utf8').trim()).split('\n').slice(-5).join('\n')
			fail(new StrataError('TARGETS_FROM_FAILED', `${at}: the command ${signal ? `was killed (${signal}${signal === 'SIGKILL' ? `, after ${COMMAND_TIMEOUT_MS / 1000} s?` : ''})` : `exited with ${code}`}; no target was read.${err ? `\n${err}` : ''}`))
		})
	})

/** every target the project declares, as specs, in order: `targets` first, then the `targetsFrom` lines */
export const projectTargetSpecs = async (project: ProjectContext, env: NodeJS.ProcessEnv = process.env): Promise<TargetSpec[]> => {
	const label = configLabel(project)
	const pointer = project.targetsPointer ?? ''
	const specs: TargetSpec[] = project.config.targets ? configTargets(project.config.targets, `${label} ${pointer}/targets`) : []
	const from = project.config.targetsFrom
	if (from?.file !== undefined) {
		const path = isAbsolute(from.file) ? from.file : resolve(project.root, from.file)
		let text: string
		try {
			text = await readFile(path, 'utf8')
		} catch (error) {
			throw new StrataError('TARGETS_FROM_FAILED', `${label} ${pointer}/targetsFrom/file: cannot read ${path}: ${(error as Error).message}`)
		}
		specs.push(...parseTargetLines(text, path))
	} else if (from?.command !== undefined) {
		const at = `${label} ${pointer}/targetsFrom/command`
		specs.push(...parseTargetLines(await commandOutput(from.command, project.root, env, at), `the output of ${at}`))
	}
	return specs
}

/**
 * The selected targets of the project, resolved (connections read from the environment): only
 * the selected ones need their environment variables set.
 */
export const loadProjectTargets = async (project: ProjectContext, selection: TargetSelection, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedTarget[]> => {
	const specs = await projectTargetSpecs(project, env)
	assertUniqueNames(specs)
	const chosen = new Set(selectTargets(specs.map(spec => spec.name), selection, configLabel(project)))
	return resolveTargets(specs.filter(spec => chosen.has(spec.name)), env, { ledgerSchema: project.config.ledgerSchema })
}

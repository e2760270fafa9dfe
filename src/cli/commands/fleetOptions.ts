/**
 * The fleet options of migrations:execute, migrations:status and db:drift (docs/fleet.md):
 * which targets of the config to run on, how many at once, and when to stop. Without
 * `--target`/`--targets` a command runs on its one database exactly as before.
 */
import type { Argv } from 'yargs'

export interface FleetArgs {
	readonly target?: readonly string[]
	readonly targets?: string
	readonly concurrency?: string
	readonly failFast?: boolean
	readonly canary?: string
}

export const fleetOptions = <T>(yargs: Argv<T>) =>
	yargs
		.option('target', { type: 'string', array: true, requiresArg: true, describe: 'run on this target of the config\'s targets/targetsFrom (repeatable; docs/fleet.md)' })
		.option('targets', { type: 'string', requiresArg: true, describe: 'run on every target ("all") or those a glob matches (tenant_*; * and ? stay within a name)' })
		.option('concurrency', { type: 'string', requiresArg: true, describe: 'with targets: at most this many at once (default 4)' })
		.option('fail-fast', { type: 'boolean', describe: 'with targets: after the first failure, start no other target' })
		.option('canary', { type: 'string', requiresArg: true, describe: 'with targets: run on the first N targets first, and stop if any of them failed' })

/** a target was named: the command runs as a fleet (src/cli/run/fleet.ts) */
export const fleetRequested = (argv: FleetArgs): boolean =>
	(argv.target?.length ?? 0) > 0 || (argv.targets !== undefined && argv.targets !== '')
		|| argv.concurrency !== undefined || argv.failFast !== undefined || argv.canary !== undefined

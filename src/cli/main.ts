#!/usr/bin/env node
/**
 * The strata CLI: yargs with strict parsing and commands from commands/index.ts. Every error
 * ends here and goes through reportError (output.ts), the one mapping from errors to messages
 * and exit codes. Nothing else calls process.exit.
 */
import { readFileSync } from 'node:fs'
import yargs from 'yargs'
import { registerConnectionSecrets } from '../db/redact.js'
import { ExitCode } from '../errors.js'
import { commands } from './commands/index.js'
import { InterruptedError, runInterruptible } from './interrupt.js'
import { checkOptionTypes, type DeclaredOptions } from './optionTypes.js'
import { createOutput, reportError, UsageError } from './output.js'

const version = (): string => {
	try {
		return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
	} catch {
		return 'unknown'
	}
}

const wrapHandler = (module: (typeof commands)[number], result: { code?: number }) => ({
	...module,
	handler: async (argv: unknown) => {
		const code = await (module.handler as (argv: unknown) => unknown)(argv)
		if (typeof code === 'number') result.code = code
	},
})

const buildParser = (args: string[], result: { code?: number } = {}) => {
	const parser = yargs(args)
	// getOptions() (untyped in @types/yargs) holds the running command's options when middleware runs
	const declaredOptions = () => (parser as unknown as { getOptions(): DeclaredOptions }).getOptions()
	return parser
		.scriptName('strata')
		.usage('$0 <command> [options]\n\nCompile a declared schema into Contember-format JSON migrations and run them on PostgreSQL.')
		.command(commands.map(module => wrapHandler(module, result)))
		.option('cwd', { type: 'string', global: true, describe: 'project directory (default: the working directory)', requiresArg: true })
		.option('config', { type: 'string', global: true, describe: 'config file (default: strata.config.json in the project directory, optional)', requiresArg: true })
		.option('color', { type: 'boolean', global: true, default: true, describe: 'colour the output; --no-color (or NO_COLOR=1) turns it off' })
		.option('json', { type: 'boolean', global: true, default: false, describe: 'print machine-readable JSON on stdout (commands that print data)' })
		.middleware(argv => checkOptionTypes(argv, declaredOptions(), args))
		.demandCommand(1, 'Name a command.')
		.recommendCommands()
		.strict()
		.parserConfiguration({ 'camel-case-expansion': true })
		.help()
		.alias('help', 'h')
		.version(version())
		.epilogue('Exit codes: 0 ok · 1 user error · 2 migration failed in the database · 3 --check found something · 70 internal error · 130 interrupted.\nDocs: docs/cli.md')
		.wrap(Math.min(110, process.stdout.columns || 100))
		.fail((message, error) => {
			if (error) throw error
			const unknownCommand = message?.startsWith('Did you mean') ? `Unknown command. ${message}` : message
			throw new UsageError(unknownCommand ?? 'Invalid command line.')
		})
}

/**
 * Passwords on the command line (--database-url, or a URL given as a positional by mistake) and
 * in DATABASE_URL are known before any command runs, so no message can echo them, whatever fails.
 */
const registerStartupSecrets = (args: readonly string[], env: NodeJS.ProcessEnv): void => {
	for (const arg of args) registerConnectionSecrets(arg.replace(/^--[^=\s]+=/, ''))
	registerConnectionSecrets(env.DATABASE_URL)
}

// what yargs' hideBin returns when run as `node main.js …` or through the bin link
const main = async (args: string[] = process.argv.slice(2)): Promise<number> => {
	const result: { code?: number } = {}
	registerStartupSecrets(args, process.env)
	const colorOff = args.includes('--no-color') || args.includes('--color=false')
	// an error escaping the command (an event handler, a stray promise) would be printed by Node
	// itself, unredacted; it goes through reportError like any other
	const crash = (error: unknown) => process.exit(reportError(error, createOutput({ color: !colorOff })))
	process.on('uncaughtException', crash)
	process.on('unhandledRejection', crash)
	try {
		// an interrupt (Ctrl-C at a prompt, SIGINT, SIGTERM) releases what the command holds and ends as InterruptedError (130)
		return await runInterruptible(async () => {
			await buildParser(args, result).parseAsync()
			return result.code ?? ExitCode.ok
		}, error => process.exit(reportError(error, createOutput({ color: !colorOff }))))
	} catch (error) {
		const json = args.some(arg => arg === '--json' || arg === '--json=true')
		const output = createOutput({ color: !colorOff, json })
		if (error instanceof InterruptedError && json) output.json({ ok: false, code: error.code, message: error.message })
		return reportError(error, output)
	}
}

const code = await main()
process.exit(code)

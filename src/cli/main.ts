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
import { builtInCommands, builtInOptions, globalOptions, topLevelExamples } from './commands/reference.js'
import { runInterruptible } from './interrupt.js'
import { checkOptionTypes, commandSuggestion, firstCommandWord, UnknownOptionError, type DeclaredOptions } from './optionTypes.js'
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

/** no command word: main.ts prints the help (on stderr) and exits 1, as git does */
class NoCommandError extends UsageError {
	constructor() {
		super('No command given: name one (strata <command>); "strata --help" lists them.')
	}
}

const NO_COMMAND = 'strata:no-command'

const buildParser = (args: string[], result: { code?: number } = {}) => {
	const parser = yargs(args)
	// getOptions() (untyped in @types/yargs) holds the running command's options when middleware runs
	const declaredOptions = () => (parser as unknown as { getOptions(): DeclaredOptions & { key: Record<string, unknown>; alias: Record<string, string[]> } }).getOptions()
	return parser
		.scriptName('strata')
		.usage('$0 <command> [options]\n\nCompile a declared schema into Contember-format JSON migrations and run them on PostgreSQL.')
		.command(commands.map(module => wrapHandler(module, result)))
		.completion(builtInCommands[0].command, builtInCommands[0].describe)
		.options(globalOptions)
		.middleware(argv => checkOptionTypes(argv, declaredOptions(), args))
		.demandCommand(1, NO_COMMAND)
		.strict()
		.parserConfiguration({ 'camel-case-expansion': true })
		.help('help', builtInOptions.help.describe)
		.alias('help', 'h')
		.version('version', builtInOptions.version.describe, version())
		.example(topLevelExamples.map(([command, what]) => [command, what]))
		.epilogue('Exit codes: 0 ok · 1 user error · 2 migration failed in the database · 3 --check found something · 70 internal error · 130 interrupted.\nDocs: docs/cli.md (commands), docs/configuration.md (settings), docs/errors.md (error codes)')
		.wrap(Math.min(110, process.stdout.columns || 100))
		.fail((message, error) => {
			if (error) throw error
			if (message === NO_COMMAND) throw new NoCommandError()
			const unknown = /^Unknown arguments?: (.+)$/s.exec(message ?? '')
			if (unknown) {
				// camel-case expansion reports `--fail-of` twice (fail-of, failOf)
				const words = unknown[1]!.split(', ')
				const names = words.filter(word => !/[A-Z]/.test(word) || !words.includes(word.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)))
				throw new UnknownOptionError(names, { key: { ...declaredOptions().key } })
			}
			throw new UsageError(message ?? 'Invalid command line.')
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
	// every outcome of a --json run, errors included, is one JSON document on stdout
	const json = args.some(arg => arg === '--json' || arg === '--json=true')
	// an error escaping the command (an event handler, a stray promise) would be printed by Node
	// itself, unredacted; it goes through reportError like any other
	const crash = (error: unknown) => process.exit(reportError(error, createOutput({ color: !colorOff, json })))
	process.on('uncaughtException', crash)
	process.on('unhandledRejection', crash)
	try {
		// a bare or misspelled command word (`status`, `migrations:stats`) gets the command it probably meant
		const word = firstCommandWord(args)
		const names = commands.map(module => String(module.command).split(' ')[0]!)
		if (word !== undefined && !names.includes(word) && word !== 'completion' && !args.includes('--get-yargs-completions')) {
			throw new UsageError(`Unknown command "${word}".${await commandSuggestion(word, names)}`)
		}
		// an interrupt (Ctrl-C at a prompt, SIGINT, SIGTERM) releases what the command holds and ends as InterruptedError (130)
		return await runInterruptible(async () => {
			await buildParser(args, result).parseAsync()
			return result.code ?? ExitCode.ok
		}, error => process.exit(reportError(error, createOutput({ color: !colorOff, json }))))
	} catch (error) {
		const output = createOutput({ color: !colorOff, json })
		if (error instanceof UnknownOptionError) return reportError(await error.withSuggestions(), output)
		if (error instanceof NoCommandError && !json) process.stderr.write(`${await buildParser(['--help']).getHelp()}\n\n`)
		return reportError(error, output)
	}
}

const code = await main()
process.exit(code)

#!/usr/bin/env node
/**
 * The strata CLI: yargs with strict parsing, commands from commands/index.ts, and the one place
 * that turns errors into messages and exit codes (DESIGN §7). Nothing else calls process.exit.
 */
import { readFileSync } from 'node:fs'
import yargs from 'yargs'
import { hideBin } from 'yargs/helpers'
import { ExitCode, StrataError, ValidationError, formatProblem } from '../errors.js'
import { commands } from './commands/index.js'
import { createOutput, type Output } from './output.js'

/** yargs rejected the command line (unknown option, missing argument, unknown command) */
class UsageError extends StrataError {
	constructor(message: string) {
		super('USAGE', message, ExitCode.userError)
	}
}

const version = (): string => {
	try {
		return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version
	} catch {
		return 'unknown'
	}
}

const debug = () => process.env.STRATA_DEBUG === '1'

const causeChain = (error: unknown): string[] => {
	const lines: string[] = []
	for (let cause = (error as { cause?: unknown })?.cause; cause; cause = (cause as { cause?: unknown }).cause) {
		lines.push(`caused by: ${cause instanceof Error ? (debug() ? cause.stack : cause.message) : String(cause)}`)
	}
	return lines
}

/** Prints the error and returns the exit code. Stack traces only with STRATA_DEBUG=1. */
const reportError = (error: unknown, output: Output): number => {
	const { color } = output
	if (error instanceof UsageError) {
		output.error(error.message)
		output.note('Run "strata --help" (or "strata <command> --help") for usage.')
		return error.exitCode
	}
	if (error instanceof ValidationError) {
		output.error(color.bold(error.summary))
		for (const problem of error.problems) output.note(`  ${color.red('✗')} ${formatProblem(problem)}`)
	} else if (error instanceof StrataError) {
		output.error(error.message)
	} else {
		const message = error instanceof Error ? error.message : String(error)
		output.error(`internal error: ${message}`)
		output.note('This is a bug in strata; please report it with the command you ran and the output of the same run with STRATA_DEBUG=1.')
		output.note(debug() ? String((error as Error)?.stack ?? '') : 'Set STRATA_DEBUG=1 to see the stack trace.')
		return ExitCode.internal
	}
	if (debug()) {
		output.note(String(error.stack ?? ''))
		for (const line of causeChain(error)) output.note(line)
	}
	return error.exitCode
}

const wrapHandler = (module: (typeof commands)[number], result: { code?: number }) => ({
	...module,
	handler: async (argv: unknown) => {
		const code = await (module.handler as (argv: unknown) => unknown)(argv)
		if (typeof code === 'number') result.code = code
	},
})

const buildParser = (args: string[], result: { code?: number } = {}) =>
	yargs(args)
		.scriptName('strata')
		.usage('$0 <command> [options]\n\nCompile a declared schema into Contember-format JSON migrations and run them on PostgreSQL.')
		.command(commands.map(module => wrapHandler(module, result)))
		.option('cwd', { type: 'string', global: true, describe: 'project directory (default: the working directory)', requiresArg: true })
		.option('config', { type: 'string', global: true, describe: 'config file (default: strata.config.json in the project directory, optional)', requiresArg: true })
		.option('color', { type: 'boolean', global: true, default: true, describe: 'colour the output; --no-color (or NO_COLOR=1) turns it off' })
		.option('json', { type: 'boolean', global: true, default: false, describe: 'print machine-readable JSON on stdout (commands that print data)' })
		.demandCommand(1, 'Name a command.')
		.recommendCommands()
		.strict()
		.parserConfiguration({ 'camel-case-expansion': true })
		.help()
		.alias('help', 'h')
		.version(version())
		.epilogue('Exit codes: 0 ok · 1 user error · 2 migration failed in the database · 3 --check found something · 70 internal error.\nDocs: docs/cli.md')
		.wrap(Math.min(110, process.stdout.columns || 100))
		.fail((message, error) => {
			if (error) throw error
			const unknownCommand = message?.startsWith('Did you mean') ? `Unknown command. ${message}` : message
			throw new UsageError(unknownCommand ?? 'Invalid command line.')
		})

const main = async (args: string[] = hideBin(process.argv)): Promise<number> => {
	const result: { code?: number } = {}
	try {
		await buildParser(args, result).parseAsync()
		return result.code ?? ExitCode.ok
	} catch (error) {
		const colorOff = args.includes('--no-color') || args.includes('--color=false')
		return reportError(error, createOutput({ color: !colorOff }))
	}
}

const code = await main()
process.exit(code)

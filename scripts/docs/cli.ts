/**
 * docs/cli.md: the hand-written prose of scripts/docs/cli-prose.md, with the global options, every
 * command's arguments, options, examples and exit codes generated from the yargs definitions
 * (src/cli/commands/) and src/cli/commands/reference.ts. A builder is run on a recorder standing
 * in for yargs, which keeps every `.positional`, `.option`, `.example`, `.usage` and `.conflicts`.
 */
import { readFileSync } from 'node:fs'
import type { CommandModule } from 'yargs'
import { exitCodeMeanings } from '../../src/errorCatalog.js'
import { commands } from '../../src/cli/commands/index.js'
import { builtInCommands, builtInOptions, commandExitCodes, globalOptions, topLevelExamples } from '../../src/cli/commands/reference.js'
import { code, document, generatedBanner, table } from './markdown.js'

export interface OptionDefinition {
	readonly type?: string
	readonly alias?: string | readonly string[]
	readonly default?: unknown
	readonly choices?: readonly unknown[]
	readonly array?: boolean
	readonly describe?: string
	readonly requiresArg?: boolean
}

export interface RecordedCommand {
	readonly command: string
	readonly describe: string
	readonly usage?: string
	readonly positionals: [string, OptionDefinition][]
	readonly options: [string, OptionDefinition][]
	readonly examples: [string, string][]
	readonly conflicts: [string, string][]
}

/** runs the builder on a stand-in for yargs that records what it declares */
export const recordCommand = (module: CommandModule<any, any>): RecordedCommand => {
	const recorded: RecordedCommand & { usage?: string } = {
		command: String(module.command), describe: String(module.describe ?? ''), positionals: [], options: [], examples: [], conflicts: [],
	}
	const recorder: unknown = new Proxy({}, {
		get: (_target, method) => (...args: unknown[]) => {
			if (method === 'positional') recorded.positionals.push([args[0] as string, args[1] as OptionDefinition])
			else if (method === 'option' || method === 'options') {
				if (typeof args[0] === 'string') recorded.options.push([args[0], args[1] as OptionDefinition])
				else recorded.options.push(...Object.entries(args[0] as Record<string, OptionDefinition>))
			} else if (method === 'example') recorded.examples.push([args[0] as string, args[1] as string])
			else if (method === 'usage') recorded.usage = args[0] as string
			else if (method === 'conflicts') recorded.conflicts.push([args[0] as string, args[1] as string])
			return recorder
		},
	})
	if (typeof module.builder === 'function') (module.builder as (yargs: unknown) => unknown)(recorder)
	else if (module.builder) recorded.options.push(...Object.entries(module.builder as Record<string, OptionDefinition>))
	return recorded
}

const nameOf = (command: string): string => command.split(' ')[0]!
const strata = (line: string): string => line.replace(/^\$0\b/, 'strata')

/** the heading: the usage line when the builder sets one (it shows required positionals as <name>), else the command */
const headingOf = (recorded: RecordedCommand): string => strata(recorded.usage ?? `$0 ${recorded.command}`).replace(/^strata /, '')

const typeOf = (definition: OptionDefinition): string => {
	const base = definition.choices ? definition.choices.map(String).join(' | ') : definition.type ?? 'string'
	return definition.array ? `${base}, repeatable` : base
}

const defaultOf = (definition: OptionDefinition): string =>
	definition.default === undefined ? '' : code(typeof definition.default === 'string' ? definition.default : JSON.stringify(definition.default))

const optionName = (name: string, definition: OptionDefinition): string => {
	const aliases = definition.alias === undefined ? [] : [definition.alias].flat()
	const flags = [...aliases.map(alias => `-${alias}`), `--${name}`]
	// a switch on by default is turned off with --no-<name>
	if (definition.type === 'boolean' && definition.default === true) flags.push(`--no-${name}`)
	return flags.map(code).join(', ')
}

const optionsTable = (options: readonly (readonly [string, OptionDefinition])[], conflicts: readonly (readonly [string, string])[] = []): string =>
	table(['option', 'type', 'default', 'meaning'], options.map(([name, definition]) => {
		const excludes = conflicts.filter(pair => pair.includes(name)).map(pair => pair.find(it => it !== name)!)
		const describe = [definition.describe ?? '', ...excludes.map(other => `not with \`--${other}\``)].filter(Boolean).join('; ')
		return [optionName(name, definition), typeOf(definition), defaultOf(definition), describe]
	}))

const positionalsTable = (recorded: RecordedCommand): string => {
	const words = recorded.command.split(' ').slice(1)
	const described = new Map(recorded.positionals)
	const rows = words.map(word => {
		const name = word.replace(/[[\]<>.]/g, '')
		const definition = described.get(name) ?? {}
		const required = (recorded.usage ?? recorded.command).includes(`<${name}`) ? 'yes' : 'no'
		return [code(word.replace(/^\[|\]$/g, '')), word.includes('...') || definition.array ? 'several' : 'one', required, definition.describe ?? '']
	})
	return rows.length === 0 ? '' : table(['argument', 'words', 'required', 'meaning'], rows)
}

const examplesBlock = (examples: readonly (readonly [string, string])[]): string =>
	examples.length === 0 ? '' : `\`\`\`sh\n${examples.map(([line, what]) => `${strata(line)}    # ${what}`).join('\n')}\n\`\`\``

const exitCodesTable = (name: string): string => {
	const codes = commandExitCodes[name]
	if (!codes) throw new Error(`src/cli/commands/reference.ts has no exit codes for ${name}`)
	return table(['exit', 'when'], Object.entries(codes).map(([exit, when]) => [exit, when]))
}

/** the prose of each command in cli-prose.md: `<!-- command: name -->` up to the next marker */
const proseSections = (prose: string): { main: string; byCommand: Map<string, string> } => {
	const [main, ...rest] = prose.split(/^<!-- command: /m)
	return {
		main: main!,
		byCommand: new Map(rest.map(part => {
			const end = part.indexOf(' -->')
			return [part.slice(0, end), part.slice(end + 4).trim()]
		})),
	}
}

const commandSection = (recorded: RecordedCommand, prose: string | undefined): string => document([
	`### \`${headingOf(recorded)}\``,
	`${recorded.describe.charAt(0).toUpperCase()}${recorded.describe.slice(1)}.`,
	prose ?? '',
	positionalsTable(recorded),
	recorded.options.length === 0 ? '' : optionsTable(recorded.options, recorded.conflicts),
	recorded.examples.length === 0 ? '' : `Examples:\n\n${examplesBlock(recorded.examples)}`,
	`Exit codes:\n\n${exitCodesTable(nameOf(recorded.command))}`,
]).trim()

export const generateCliDoc = (prose: string = readFileSync(new URL('./cli-prose.md', import.meta.url), 'utf8')): string => {
	const { main, byCommand } = proseSections(prose)
	const recorded = commands.map(recordCommand)
	const known = new Set([...recorded.map(it => nameOf(it.command)), ...builtInCommands.map(it => it.command)])
	const unknown = [...byCommand.keys(), ...Object.keys(commandExitCodes)].filter(name => !known.has(name))
	if (unknown.length > 0) throw new Error(`cli-prose.md or reference.ts names commands that do not exist: ${unknown.join(', ')}`)
	const commandsPart = [
		table(['command', 'what it does'], [...recorded, ...builtInCommands].map(it => [`[${code(nameOf(it.command))}](#${anchor(headingOf(it as RecordedCommand))})`, String(it.describe)])),
		`Examples:\n\n${examplesBlock(topLevelExamples)}`,
		...recorded.map(it => commandSection(it, byCommand.get(nameOf(it.command)))),
		...builtInCommands.map(it => commandSection({ ...it, positionals: [], options: [], examples: it.examples.map(([line, what]) => [line, what]), conflicts: [] }, byCommand.get(it.command))),
	].join('\n\n')
	const [title, ...rest] = main.trim().split('\n')
	return document([
		title!,
		generatedBanner('the yargs definitions in src/cli/commands/, src/cli/commands/reference.ts and scripts/docs/cli-prose.md'),
		rest.join('\n')
			.replace('<!-- generated: global-options -->', optionsTable(Object.entries({ ...globalOptions, ...builtInOptions })))
			.replace('<!-- generated: commands -->', commandsPart)
			.replace('<!-- generated: exit-codes -->', table(['code', 'meaning'], Object.entries(exitCodeMeanings).map(([exit, meaning]) => [exit, meaning]))),
	])
}

/** GitHub's anchor of a heading: lower case, punctuation other than - and _ dropped, spaces as - */
export const anchor = (heading: string): string => heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')

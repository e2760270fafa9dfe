/**
 * Extracts the examples of README.md and docs/*.md for test/docs/examples.test.ts.
 *
 * The convention (also described in docs/development.md, "Documentation examples"):
 *
 * - A fenced block tagged `sh`, `bash`, `shell` or `console` is a shell example. All shell examples
 *   of one Markdown file run in order, in one scratch copy of the example project (schema/,
 *   migrations/), against one fresh database named by `$DATABASE_URL`; `strata` runs this
 *   checkout's dist/cli/main.js. A doc can therefore be a tutorial: edit, diff, execute, amend.
 *   The working directory carries over from one block to the next (a `cd` in one block holds for
 *   the following ones); shell variables do not.
 * - `sh`/`bash`/`shell` blocks run as one bash script with `set -eo pipefail`. A comment line
 *   `# output: <text>` checks that <text> appears in what the commands before it (since the last
 *   such line) printed.
 * - In a `console` block, a line starting with `$ ` is a command (a trailing `\` continues it on
 *   the next line); the lines after it, up to the next command, are its documented output: each
 *   non-blank one must appear in what the command printed.
 * - Expected text is compared with runs of whitespace collapsed; `…` in it matches anything on the
 *   same line.
 * - A ```json or ```text block that directly follows a shell block (nothing but blank lines between)
 *   is the output of that block's last command. JSON must parse, the command's stdout must be JSON,
 *   and every key the documented JSON shows must be in it (objects by key, arrays by their first
 *   element; values are not compared). Each non-blank line of a text block must appear in the
 *   output. Other json/ts/sql blocks are illustrations and are not run.
 * - An HTML comment on the line before a block (blank lines may separate them) changes how it runs:
 *   `<!-- example: skip — <reason> -->` does not run it (the reason is required, and the test lists
 *   every skipped block with it); `<!-- example: exit <n> -->` expects the block to end with exit
 *   status n instead of 0 (for a `--check` that is meant to find something).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

export const SHELL_LANGUAGES = new Set(['sh', 'bash', 'shell', 'console'])

export interface OutputBlock {
	readonly language: 'json' | 'text'
	readonly text: string
	readonly line: number
}

export interface ShellExample {
	/** the Markdown file, relative to the repository */
	readonly doc: string
	/** 1-based line of the opening fence */
	readonly line: number
	readonly language: string
	readonly text: string
	/** the `<!-- example: skip — reason -->` reason, when the block is not run */
	readonly skip?: string
	/** the exit status the block ends with (default 0) */
	readonly exit: number
	/** a json/text block right after it: the output of its last command */
	readonly output?: OutputBlock
}

export interface DocExamples {
	readonly doc: string
	readonly shell: ShellExample[]
	/** json blocks that document output (those right after a shell block) */
	readonly jsonOutputs: OutputBlock[]
}

interface Fence {
	readonly language: string
	readonly text: string
	/** 1-based line of the opening fence */
	readonly line: number
	/** 1-based line of the closing fence */
	readonly end: number
	/** the `<!-- example: … -->` directive just before it */
	readonly directive?: string
}

const FENCE = /^(\s*)(```+|~~~+)\s*([\w-]*)/
const DIRECTIVE = /^\s*<!--\s*example:\s*(.*?)\s*-->\s*$/

/** the fenced blocks of a Markdown text, with their language, content and directive */
export const fences = (markdown: string): Fence[] => {
	const lines = markdown.split('\n')
	const result: Fence[] = []
	for (let index = 0; index < lines.length; index++) {
		const open = FENCE.exec(lines[index]!)
		if (!open) continue
		const [, indent, marker, language] = open
		const body: string[] = []
		let end = index + 1
		for (; end < lines.length; end++) {
			const line = lines[end]!
			if (line.trim().startsWith(marker!) && line.trim().replace(/[`~]/g, '') === '') break
			// list items indent their fences: drop the fence's own indentation
			body.push(line.startsWith(indent!) ? line.slice(indent!.length) : line.trimStart())
		}
		let directive: string | undefined
		for (let back = index - 1; back >= 0; back--) {
			const previous = lines[back]!
			if (previous.trim() === '') continue
			directive = DIRECTIVE.exec(previous)?.[1]
			break
		}
		result.push({ language: (language ?? '').toLowerCase(), text: body.join('\n'), line: index + 1, end: end + 1, directive })
		index = end
	}
	return result
}

const parseDirective = (directive: string | undefined, where: string): { skip?: string; exit: number } => {
	if (directive === undefined) return { exit: 0 }
	const skip = /^skip\b\s*(?:[—–:-]+\s*)?(.*)$/.exec(directive)
	if (skip) {
		if (skip[1]!.trim() === '') throw new Error(`${where}: "example: skip" needs a reason (<!-- example: skip — why -->)`)
		return { skip: skip[1]!.trim(), exit: 0 }
	}
	const exit = /^exit\s+(\d+)$/.exec(directive)
	if (exit) return { exit: Number(exit[1]) }
	throw new Error(`${where}: unknown example directive "${directive}" (expected "skip — <reason>" or "exit <n>")`)
}

/** the examples of one Markdown file */
export const extractExamples = (doc: string, markdown: string): DocExamples => {
	const blocks = fences(markdown)
	const lines = markdown.split('\n')
	const shell: ShellExample[] = []
	const jsonOutputs: OutputBlock[] = []
	for (let index = 0; index < blocks.length; index++) {
		const block = blocks[index]!
		if (!SHELL_LANGUAGES.has(block.language)) continue
		const { skip, exit } = parseDirective(block.directive, `${doc}:${block.line}`)
		const next = blocks[index + 1]
		let output: OutputBlock | undefined
		if (next && (next.language === 'json' || next.language === 'text')
			&& lines.slice(block.end, next.line - 1).every(line => line.trim() === '')) {
			output = { language: next.language, text: next.text, line: next.line }
			if (next.language === 'json') jsonOutputs.push(output)
			index++
		}
		shell.push({ doc, line: block.line, language: block.language, text: block.text, skip, exit, output })
	}
	return { doc, shell, jsonOutputs }
}

/** README.md and docs/*.md of the repository, in that order */
export const documentationFiles = (repoRoot: string): string[] => [
	join(repoRoot, 'README.md'),
	...readdirSync(join(repoRoot, 'docs')).filter(name => name.endsWith('.md')).sort().map(name => join(repoRoot, 'docs', name)),
]

export const extractAll = (repoRoot: string): DocExamples[] =>
	documentationFiles(repoRoot).map(file => extractExamples(relative(repoRoot, file), readFileSync(file, 'utf8')))

export interface ScriptStep {
	/** shell text to run */
	readonly command: string
	/** lines that must appear in what it printed */
	readonly expect: string[]
}

/**
 * A shell example as steps: a sh block splits at its `# output:` lines, a console block at its
 * `$ ` commands. The test runs the steps in one bash process, printing a marker between them.
 */
export const scriptSteps = (example: Pick<ShellExample, 'language' | 'text'>): ScriptStep[] => {
	const steps: { command: string[]; expect: string[] }[] = []
	const lines = example.text.split('\n')
	if (example.language === 'console') {
		let current: { command: string[]; expect: string[] } | undefined
		for (let index = 0; index < lines.length; index++) {
			const line = lines[index]!
			if (line.startsWith('$ ')) {
				current = { command: [line.slice(2)], expect: [] }
				steps.push(current)
				while (current.command.at(-1)!.endsWith('\\') && index + 1 < lines.length) current.command.push(lines[++index]!)
			} else if (line.trim() !== '') {
				if (!current) throw new Error(`a console block must start with a "$ " command line: ${line}`)
				current.expect.push(line)
			}
		}
	} else {
		let current = { command: [] as string[], expect: [] as string[] }
		steps.push(current)
		for (const line of lines) {
			const output = /^\s*#\s*output:\s?(.*)$/.exec(line)
			if (output) {
				current.expect.push(output[1]!)
				continue
			}
			if (current.expect.length > 0) {
				current = { command: [], expect: [] }
				steps.push(current)
			}
			current.command.push(line)
		}
	}
	return steps.map(step => ({ command: step.command.join('\n'), expect: step.expect }))
}

const collapse = (text: string) => text.replace(/\s+/g, ' ').trim()
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** whether a documented output line appears in the output (whitespace collapsed, `…` matches within a line) */
export const outputHas = (output: string, expected: string): boolean => {
	const pattern = new RegExp(collapse(expected).split('…').map(part => escape(part.trim())).join('.*?'))
	return output.split('\n').some(line => pattern.test(collapse(line)))
}

/**
 * The key paths of a documented JSON value missing from an actual one: objects by key, arrays by
 * their first element (an empty documented or actual array checks nothing).
 */
export const missingKeys = (documented: unknown, actual: unknown, path = '$'): string[] => {
	if (Array.isArray(documented)) {
		if (!Array.isArray(actual)) return [`${path} (an array)`]
		if (documented.length === 0 || actual.length === 0) return []
		return missingKeys(documented[0], actual[0], `${path}[0]`)
	}
	if (documented !== null && typeof documented === 'object') {
		if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [`${path} (an object)`]
		return Object.entries(documented).flatMap(([key, value]) =>
			key in actual ? missingKeys(value, (actual as Record<string, unknown>)[key], `${path}.${key}`) : [`${path}.${key}`])
	}
	return []
}
